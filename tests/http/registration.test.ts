import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';

const REP_PASSWORD = 'hanako-secret-1';

function application(overrides: Record<string, unknown> = {}) {
  return {
    name: 'みどり町内会', kana: 'みどりちょうないかい', type: 'neighborhood-association',
    representative: { name: '佐藤花子', email: 'hanako@example.jp', password: REP_PASSWORD, phone: '090-1111-2222' },
    memberCount: 25, fields: ['まちづくり', '防災'], description: '地域の防災活動をしています', publicProfile: true,
    attestations: { nonPolitical: true, nonReligious: true, nonCommercial: true },
    ...overrides,
  };
}

let t: TestApp;
let manager: string;

async function post(url: string, cookie: string | undefined, payload?: unknown) {
  return t.app.inject({ method: 'POST', url, headers: cookie ? { cookie } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
}
async function get(url: string, cookie?: string) {
  return t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
}

/** Applies and approves a group; returns its id and the representative's cookie. */
async function registeredGroup(overrides: Record<string, unknown> = {}) {
  const res = await post('/api/v1/registrations', undefined, application(overrides));
  expect(res.statusCode).toBe(201);
  const { id, groupId } = res.json();
  expect((await post(`/api/v1/registrations/${id}/approve`, manager)).statusCode).toBe(200);
  const email = ((overrides.representative as { email?: string } | undefined)?.email) ?? 'hanako@example.jp';
  return { groupId: groupId as number, registrationId: id as number, cookie: await t.login(email, REP_PASSWORD) };
}

beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00');
  await t.account('manager', 'manager@example.jp');
  manager = await t.login('manager@example.jp');
});
afterEach(async () => t.close());

describe('applying for registration', () => {
  it('stores a pending group, its representative and the application', async () => {
    const res = await post('/api/v1/registrations', undefined, application());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending' });
    const group = t.db.$client.prepare('SELECT * FROM groups').get() as Record<string, unknown>;
    expect(group).toMatchObject({ name: 'みどり町内会', status: 'pending', member_count: 25 });
    const rep = t.db.$client.prepare('SELECT role, is_representative, password_hash FROM accounts WHERE email = ?').get('hanako@example.jp') as Record<string, unknown>;
    expect(rep).toMatchObject({ role: 'member', is_representative: 1 });
    expect(String(rep.password_hash)).toMatch(/^scrypt\$/);
    expect(count(t.db, 'registrations')).toBe(1);
  });

  it.each([
    ['a false attestation', { attestations: { nonPolitical: true, nonReligious: false, nonCommercial: true } }, 'attestations.nonReligious'],
    ['a missing attestation', { attestations: { nonPolitical: true, nonReligious: true } }, 'attestations.nonCommercial'],
    ['an over-long name', { name: 'あ'.repeat(101) }, 'name'],
    ['an invalid e-mail', { representative: { name: '佐藤', email: 'not-an-email', password: REP_PASSWORD, phone: '090-1111-2222' } }, 'representative.email'],
    ['a member count below 1', { memberCount: 0 }, 'memberCount'],
    ['an unknown type', { type: 'company' }, 'type'],
    ['no activity field', { fields: [] }, 'fields'],
    ['a kana that is not kana', { kana: '緑町内会' }, 'kana'],
  ])('refuses %s with a clear error and stores nothing', async (_what, overrides, path) => {
    const res = await post('/api/v1/registrations', undefined, application(overrides));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(count(t.db, 'groups')).toBe(0);
    expect(count(t.db, 'accounts')).toBe(1);
    expect(count(t.db, 'registrations')).toBe(0);
  });

  it('refuses a duplicate group name and a duplicate e-mail address', async () => {
    await post('/api/v1/registrations', undefined, application());
    const sameName = await post('/api/v1/registrations', undefined, application({ representative: { name: 'x', email: 'other@example.jp', password: REP_PASSWORD, phone: '090-1111-2222' } }));
    expect(sameName.statusCode).toBe(422);
    expect(sameName.json().errors[0].path).toBe('name');
    const sameEmail = await post('/api/v1/registrations', undefined, application({ name: '別の会' }));
    expect(sameEmail.statusCode).toBe(422);
    expect(sameEmail.json().errors[0].path).toBe('representative.email');
    expect(count(t.db, 'groups')).toBe(1);
  });

  it('stores HTML in a name as text and the directory returns it unchanged for escaping', async () => {
    const { groupId } = await registeredGroup({ name: '<script>alert(1)</script>の会' });
    expect((await get('/api/v1/groups')).json()).toEqual([expect.objectContaining({ id: groupId, name: '<script>alert(1)</script>の会' })]);
  });

  it('lets staff register a group at the desk without an e-mail address', async () => {
    await t.account('staff', 'desk@example.jp');
    const desk = await t.login('desk@example.jp');
    const res = await post('/api/v1/registrations', desk, application({ representative: { name: '山本', phone: '0422-00-0000' } }));
    expect(res.statusCode).toBe(201);
    const reg = t.db.$client.prepare('SELECT channel FROM registrations').get() as { channel: string };
    expect(reg.channel).toBe('desk');
    const rep = t.db.$client.prepare('SELECT email, password_hash FROM accounts WHERE name = ?').get('山本') as Record<string, unknown>;
    expect(rep).toEqual({ email: null, password_hash: null });
  });

  it('refuses an online application without an e-mail address', async () => {
    const res = await post('/api/v1/registrations', undefined, application({ representative: { name: '山本', phone: '0422-00-0000' } }));
    expect(res.statusCode).toBe(422);
    expect(count(t.db, 'groups')).toBe(0);
  });
});

describe('review by a manager', () => {
  it('approves until March 31 and books five months ahead at half price', async () => {
    const { groupId, cookie } = await registeredGroup();
    expect(t.db.$client.prepare('SELECT status, valid_until FROM groups WHERE id = ?').get(groupId)).toEqual({ status: 'active', valid_until: '2027-03-31' });
    const res = await post('/api/v1/bookings', cookie, { space: 'training-a', start: '2027-05-12T18:00', end: '2027-05-12T21:00', purpose: '定例会', attendees: 20 });
    expect(res.statusCode).toBe(201);
    // 450 × 3 h = 1,350 at the general rate; registered 50% → 675 → floored to 670 (May: no heating).
    expect(res.json()).toMatchObject({ category: 'registered', status: 'confirmed', totalYen: 670 });
    const row = t.db.$client.prepare('SELECT group_id, made_by FROM bookings').get() as Record<string, number>;
    expect(row.group_id).toBe(groupId);
    expect(row.made_by).toBe(t.db.$client.prepare("SELECT id FROM accounts WHERE email = 'hanako@example.jp'").pluck().get());
  });

  it('keeps a general account out of the same month with window_not_open', async () => {
    await t.account('individual', 'citizen@example.jp');
    const citizen = await t.login('citizen@example.jp');
    const res = await post('/api/v1/bookings', citizen, { space: 'training-a', start: '2027-05-12T18:00', end: '2027-05-12T21:00', purpose: '勉強会', attendees: 5 });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'window_not_open', opensAt: '2027-02-01T09:00:00+09:00' });
    expect(count(t.db, 'bookings')).toBe(0);
  });

  it('approves from March 1 until the following March 31', async () => {
    t.clock.set('2027-03-15T10:00');
    manager = await t.login('manager@example.jp'); // sessions last hours, not months
    const res = await post('/api/v1/registrations', undefined, application());
    const approved = await post(`/api/v1/registrations/${res.json().id}/approve`, manager);
    expect(approved.json()).toEqual({ groupId: res.json().groupId, validUntil: '2028-03-31' });
  });

  it('lets only managers approve, and approving twice is invalid_state', async () => {
    const res = await post('/api/v1/registrations', undefined, application());
    await t.account('staff', 'desk@example.jp');
    const staff = await t.login('desk@example.jp');
    expect((await post(`/api/v1/registrations/${res.json().id}/approve`, staff)).statusCode).toBe(403);
    expect((await post(`/api/v1/registrations/${res.json().id}/approve`, undefined)).statusCode).toBe(401);
    expect(t.db.$client.prepare('SELECT status FROM groups').pluck().get()).toBe('pending');
    expect((await post(`/api/v1/registrations/${res.json().id}/approve`, manager)).statusCode).toBe(200);
    const again = await post(`/api/v1/registrations/${res.json().id}/approve`, manager);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('invalid_state');
    expect((await post(`/api/v1/registrations/${res.json().id}/reject`, manager, { reason: 'x' })).json().code).toBe('invalid_state');
  });

  it('rejects with a reason the applicant sees, and the group cannot book as registered', async () => {
    const res = await post('/api/v1/registrations', undefined, application());
    const rejected = await post(`/api/v1/registrations/${res.json().id}/reject`, manager, { reason: '活動実績が確認できません' });
    expect(rejected.statusCode).toBe(200);
    const rep = await t.login('hanako@example.jp', REP_PASSWORD);
    const own = await get(`/api/v1/groups/${res.json().groupId}`, rep);
    expect(own.json()).toMatchObject({ status: 'rejected', statusReason: '活動実績が確認できません', registered: false });
    expect(own.json().registrations[0]).toMatchObject({ status: 'rejected', reason: '活動実績が確認できません' });
    const booking = await post('/api/v1/bookings', rep, { space: 'small-1', start: '2027-01-20T18:00', end: '2027-01-20T20:00', purpose: '会合', attendees: 5 });
    expect(booking.json()).toMatchObject({ category: 'general', status: 'provisional' });
  });

  it('a rejection needs a reason', async () => {
    const res = await post('/api/v1/registrations', undefined, application());
    expect((await post(`/api/v1/registrations/${res.json().id}/reject`, manager, {})).statusCode).toBe(422);
    expect(t.db.$client.prepare('SELECT status FROM registrations').pluck().get()).toBe('pending');
  });
});

describe('the hall quota of four live bookings a month', () => {
  const hall = (day: number) => ({ space: 'hall', start: `2027-02-${String(day).padStart(2, '0')}T13:00`, end: `2027-02-${String(day).padStart(2, '0')}T15:00`, purpose: '講演会', attendees: 100 });

  it('refuses the fifth single booking with quota_exceeded', async () => {
    const { cookie } = await registeredGroup();
    for (const day of [2, 3, 4, 5]) expect((await post('/api/v1/bookings', cookie, hall(day))).statusCode).toBe(201);
    const fifth = await post('/api/v1/bookings', cookie, hall(6));
    expect(fifth.statusCode).toBe(422);
    expect(fifth.json().code).toBe('quota_exceeded');
    expect(count(t.db, 'bookings')).toBe(4);
  });

  it('frees a place when a booking is cancelled', async () => {
    const { cookie } = await registeredGroup();
    const ids = [];
    for (const day of [2, 3, 4, 5]) ids.push((await post('/api/v1/bookings', cookie, hall(day))).json().id);
    await post(`/api/v1/bookings/${ids[0]}/cancel`, cookie, {});
    expect((await post('/api/v1/bookings', cookie, hall(6))).statusCode).toBe(201);
  });

  it('skips the dates of a weekly series past the quota', async () => {
    const { cookie } = await registeredGroup();
    // Tuesdays of February 2027: 2, 9, 16, 23 — and March 2 is another month.
    const res = await post('/api/v1/bookings', cookie, { ...hall(2), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=5' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().created).toHaveLength(5);
    const more = await post('/api/v1/bookings', cookie, { ...hall(3), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=2' } });
    expect(more.statusCode).toBe(422);
    expect(more.json().skipped.map((s: { code: string }) => s.code)).toEqual(['quota_exceeded', 'quota_exceeded']);
    expect(t.db.$client.prepare("SELECT count(*) FROM bookings WHERE use_date LIKE '2027-02-%'").pluck().get()).toBe(4);
  });

  it('refuses a change that moves a fifth booking into a full month', async () => {
    const { cookie } = await registeredGroup();
    for (const day of [2, 3, 4, 5]) await post('/api/v1/bookings', cookie, hall(day));
    const march = await post('/api/v1/bookings', cookie, { ...hall(2), start: '2027-03-02T13:00', end: '2027-03-02T15:00' });
    const moved = await t.app.inject({ method: 'PATCH', url: `/api/v1/bookings/${march.json().id}`, headers: { cookie }, payload: { start: '2027-02-16T13:00', end: '2027-02-16T15:00' } });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().code).toBe('quota_exceeded');
    expect(t.db.$client.prepare('SELECT use_date FROM bookings WHERE id = ?').pluck().get(march.json().id)).toBe('2027-03-02');
  });
});

describe('privacy between groups', () => {
  it('hides another group, its members and its bookings behind 404', async () => {
    const a = await registeredGroup();
    const b = await registeredGroup({ name: '青空の会', representative: { name: '鈴木一郎', email: 'ichiro@example.jp', password: REP_PASSWORD, phone: '090-3333-4444' } });
    const booking = await post('/api/v1/bookings', a.cookie, { space: 'small-1', start: '2027-01-20T18:00', end: '2027-01-20T20:00', purpose: '秘密の会合', attendees: 5 });
    expect((await get(`/api/v1/bookings/${booking.json().id}`, b.cookie)).statusCode).toBe(404);
    expect((await get(`/api/v1/groups/${a.groupId}`, b.cookie)).statusCode).toBe(404);
    expect((await get(`/api/v1/groups/${a.groupId}/members`, b.cookie)).statusCode).toBe(404);
    expect((await post(`/api/v1/groups/${a.groupId}/invitations`, b.cookie, { email: 'spy@example.jp' })).statusCode).toBe(404);
    const list = await get('/api/v1/bookings?from=2027-01-01&to=2027-01-31', b.cookie);
    expect(list.json()).toEqual([]);
    expect(count(t.db, 'group_invitations')).toBe(0);
  });

  it('never shows people, e-mail addresses or phone numbers in the directory', async () => {
    await registeredGroup();
    await registeredGroup({ name: '非公開の会', publicProfile: false, representative: { name: '鈴木一郎', email: 'ichiro@example.jp', password: REP_PASSWORD, phone: '090-3333-4444' } });
    const res = await get('/api/v1/groups');
    expect(res.json()).toEqual([{ id: 1, name: 'みどり町内会', type: 'neighborhood-association', fields: ['まちづくり', '防災'], description: '地域の防災活動をしています' }]);
    expect(res.body).not.toMatch(/hanako|090-|佐藤/);
  });

  it('shows pending and suspended groups nowhere in the directory', async () => {
    await post('/api/v1/registrations', undefined, application());
    expect((await get('/api/v1/groups')).json()).toEqual([]);
    await post('/api/v1/registrations/1/approve', manager);
    await post('/api/v1/groups/1/suspend', manager, { reason: '規約違反' });
    expect((await get('/api/v1/groups')).json()).toEqual([]);
  });
});

describe('members', () => {
  it('the representative invites a member who then books for the group', async () => {
    const { groupId, cookie } = await registeredGroup();
    const invite = await post(`/api/v1/groups/${groupId}/invitations`, cookie, { email: 'taro@example.jp' });
    expect(invite.statusCode).toBe(201);
    const stored = t.db.$client.prepare('SELECT token_hash FROM group_invitations').pluck().get() as string;
    expect(stored).not.toContain(invite.json().token);
    const accepted = await post(`/api/v1/invitations/${invite.json().token}/accept`, undefined, { name: '田中太郎', password: 'taro-secret-12' });
    expect(accepted.statusCode).toBe(201);
    const taro = await t.login('taro@example.jp', 'taro-secret-12');
    const booking = await post('/api/v1/bookings', taro, { space: 'small-2', start: '2027-01-20T18:00', end: '2027-01-20T20:00', purpose: '打合せ', attendees: 5 });
    expect(booking.json()).toMatchObject({ category: 'registered', groupId });
    // The representative sees the member's booking: members see all of the group's bookings.
    expect((await get(`/api/v1/bookings/${booking.json().id}`, cookie)).statusCode).toBe(200);
    // An invitation is used once.
    expect((await post(`/api/v1/invitations/${invite.json().token}/accept`, undefined, { name: 'x', password: 'another-secret' })).statusCode).toBe(404);
  });

  it('a member who is not the representative cannot invite or remove', async () => {
    const { groupId, cookie } = await registeredGroup();
    const invite = await post(`/api/v1/groups/${groupId}/invitations`, cookie, { email: 'taro@example.jp' });
    await post(`/api/v1/invitations/${invite.json().token}/accept`, undefined, { name: '田中太郎', password: 'taro-secret-12' });
    const taro = await t.login('taro@example.jp', 'taro-secret-12');
    expect((await post(`/api/v1/groups/${groupId}/invitations`, taro, { email: 'x@example.jp' })).statusCode).toBe(403);
    const repId = t.db.$client.prepare("SELECT id FROM accounts WHERE email = 'hanako@example.jp'").pluck().get();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/groups/${groupId}/members/${repId}`, headers: { cookie: taro } })).statusCode).toBe(403);
  });

  it('removing a member ends their sessions', async () => {
    const { groupId, cookie } = await registeredGroup();
    const invite = await post(`/api/v1/groups/${groupId}/invitations`, cookie, { email: 'taro@example.jp' });
    const { id } = (await post(`/api/v1/invitations/${invite.json().token}/accept`, undefined, { name: '田中太郎', password: 'taro-secret-12' })).json();
    const taro = await t.login('taro@example.jp', 'taro-secret-12');
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/v1/groups/${groupId}/members/${id}`, headers: { cookie } });
    expect(removed.statusCode).toBe(200);
    expect(t.db.$client.prepare('SELECT count(*) FROM sessions WHERE account_id = ?').pluck().get(id)).toBe(0);
    expect((await get(`/api/v1/groups/${groupId}`, taro)).statusCode).toBe(401);
  });
});

describe('the life of a registration', () => {
  it('lapses on April 1 and books at general rates and windows from then on, keeping older bookings', async () => {
    const { groupId } = await registeredGroup();
    let cookie = await t.login('hanako@example.jp', REP_PASSWORD);
    const early = await post('/api/v1/bookings', cookie, { space: 'small-1', start: '2027-05-19T18:00', end: '2027-05-19T20:00', purpose: '定例会', attendees: 5 });
    expect(early.json().category).toBe('registered');
    t.clock.set('2027-03-31T23:59');
    expect(t.app.services.registrations.runLapseAndRetention(t.clock.now).lapsed).toEqual([]);
    t.clock.set('2027-04-01T00:00');
    expect(t.app.services.registrations.runLapseAndRetention(t.clock.now).lapsed).toEqual([groupId]);
    expect(t.db.$client.prepare('SELECT status, lapsed_on FROM groups').get()).toEqual({ status: 'lapsed', lapsed_on: '2027-04-01' });
    t.clock.set('2027-04-01T10:00');
    cookie = await t.login('hanako@example.jp', REP_PASSWORD);
    const later = await post('/api/v1/bookings', cookie, { space: 'small-1', start: '2027-05-26T18:00', end: '2027-05-26T20:00', purpose: '定例会', attendees: 5 });
    expect(later.json()).toMatchObject({ category: 'general', status: 'provisional' });
    expect((await get(`/api/v1/bookings/${early.json().id}`, cookie)).json()).toMatchObject({ category: 'registered', totalYen: early.json().totalYen });
    // The registered window (M−6) no longer applies: October is beyond M−3 in April.
    const far = await post('/api/v1/bookings', cookie, { space: 'small-1', start: '2027-09-15T18:00', end: '2027-09-15T20:00', purpose: '定例会', attendees: 5 });
    expect(far.json().code).toBe('window_not_open');
  });

  it('a renewal pending on April 1 keeps the group registered until it is decided', async () => {
    const { groupId } = await registeredGroup();
    t.clock.set('2027-02-28T10:00');
    let cookie = await t.login('hanako@example.jp', REP_PASSWORD);
    expect((await post(`/api/v1/groups/${groupId}/renewal`, cookie, { memberCount: 30, fields: ['防災'], attestations: { nonPolitical: true, nonReligious: true, nonCommercial: true } })).json().code).toBe('invalid_state');
    t.clock.set('2027-03-01T10:00');
    cookie = await t.login('hanako@example.jp', REP_PASSWORD);
    // Another person asking to renew this group is told it does not exist, even with a bad body.
    await t.account('individual', 'stranger@example.jp');
    const stranger = await t.login('stranger@example.jp');
    const before = count(t.db, 'registrations');
    for (const b of [{}, { memberCount: 30, fields: ['防災'], attestations: { nonPolitical: true, nonReligious: true, nonCommercial: true } }]) {
      expect((await post(`/api/v1/groups/${groupId}/renewal`, stranger, b)).json().code).toBe('not_found');
    }
    expect(count(t.db, 'registrations')).toBe(before);
    const renewal = await post(`/api/v1/groups/${groupId}/renewal`, cookie, { memberCount: 30, fields: ['防災'], attestations: { nonPolitical: true, nonReligious: true, nonCommercial: true } });
    expect(renewal.statusCode).toBe(201);
    t.clock.set('2027-04-01T10:00');
    expect(t.app.services.registrations.runLapseAndRetention(t.clock.now).lapsed).toEqual([]);
    cookie = await t.login('hanako@example.jp', REP_PASSWORD);
    manager = await t.login('manager@example.jp');
    const booking = await post('/api/v1/bookings', cookie, { space: 'small-1', start: '2027-05-19T18:00', end: '2027-05-19T20:00', purpose: '定例会', attendees: 5 });
    expect(booking.json().category).toBe('registered');
    const approved = await post(`/api/v1/registrations/${renewal.json().id}/approve`, manager);
    expect(approved.json()).toEqual({ groupId, validUntil: '2028-03-31' });
    expect(t.db.$client.prepare('SELECT member_count FROM groups').pluck().get()).toBe(30);
  });

  it('a suspended group books at general rates until reinstated', async () => {
    const { groupId, cookie } = await registeredGroup();
    expect((await post(`/api/v1/groups/${groupId}/suspend`, manager, { reason: '利用規約違反' })).statusCode).toBe(200);
    const booking = await post('/api/v1/bookings', cookie, { space: 'small-1', start: '2027-01-20T18:00', end: '2027-01-20T20:00', purpose: '会合', attendees: 5 });
    expect(booking.json().category).toBe('general');
    await post(`/api/v1/groups/${groupId}/reinstate`, manager, {});
    const after = await post('/api/v1/bookings', cookie, { space: 'small-1', start: '2027-01-21T18:00', end: '2027-01-21T20:00', purpose: '会合', attendees: 5 });
    expect(after.json().category).toBe('registered');
  });

  it('erases the personal data of a lapsed group after the retention period a manager sets', async () => {
    const { groupId } = await registeredGroup();
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/settings/registration', headers: { cookie: manager }, payload: { retentionDays: 90 } })).statusCode).toBe(200);
    t.clock.set('2027-04-01T03:00');
    t.app.services.registrations.runLapseAndRetention(t.clock.now);
    t.clock.set('2027-06-29T03:00');
    expect(t.app.services.registrations.runLapseAndRetention(t.clock.now).erased).toEqual([]);
    t.clock.set('2027-06-30T03:00');
    expect(t.app.services.registrations.runLapseAndRetention(t.clock.now).erased).toEqual([groupId]);
    const rep = t.db.$client.prepare('SELECT name, email, phone, password_hash FROM accounts WHERE group_id = ?').get(groupId);
    expect(rep).toEqual({ name: '（削除済み）', email: null, phone: null, password_hash: null });
    expect(t.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'group.erase_personal_data'").pluck().get()).toBe(1);
  });
});
