import { describe, expect, it } from 'vitest';
import { count, type TestApp, appPerTest } from '../support/app.js';
import { openForm, postForm } from '../support/forms.js';
import { auditActions, body, call, expectProblem, makeGroup, user } from './helpers.js';

// The clock: Tuesday 2027-01-05 10:00 in Tokyo: the general window reaches April, a registered
// group's July. small-1 holds 8 people; the hall has a group quota of 4 a month; the plaza is
// bookable May 1 – October 31; training is training-a + training-b.

const app = appPerTest('2027-01-05T10:00', { sessionHours: 24 * 30 });

const walkIn = { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' } };
const stored = (a: TestApp) => ({
  versions: count(a.db, 'space_versions'), parts: count(a.db, 'space_parts'), audit: count(a.db, 'audit_log'),
  spaces: JSON.stringify(a.db.$client.prepare('SELECT * FROM spaces ORDER BY id').all()),
});

describe('capacity, season and group quota from a date', () => {
  it('checks bookings against the capacity in force on their use date, and refuses a change that strands bookings', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const book = (date: string, attendees: number) =>
      call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body(`${date}T10:00`, `${date}T12:00`, { ...walkIn, attendees }) });
    const schedule = (b: Record<string, unknown>) => call(a, 'POST', '/api/v1/spaces/small-1/versions', { cookie: manager.cookie, body: b });

    // A booking for 8 on April 5 stands in the way of a capacity of 6 from April 1.
    const eight = await book('2027-04-05', 8);
    expect(eight.statusCode, eight.body).toBe(201);
    const before = stored(a);
    const refused = expectProblem(await schedule({ capacity: 6, effectiveFrom: '2027-04-01' }), 409, 'conflict');
    expect(refused.conflicts).toMatchObject([{ bookingId: (eight.json() as { id: number }).id, attendees: 8, reason: 'capacity' }]);
    expect(stored(a)).toEqual(before);
    expect((await call(a, 'POST', `/api/v1/bookings/${(eight.json() as { id: number }).id}/cancel`, { cookie: clerk.cookie, body: {} })).statusCode).toBe(200);

    const res = await schedule({ capacity: 6, effectiveFrom: '2027-04-01' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ space: 'small-1', capacity: 6, effectiveFrom: '2027-04-01', until: null, seasonFrom: null, groupMonthlyQuota: null });
    expect(auditActions(a, 'space.terms')).toMatchObject([{ actor_id: manager.id, entity: 'space', entity_id: 'small-1' }]);
    expect(JSON.parse(auditActions(a, 'space.terms')[0]!.detail_json)).toMatchObject({ effectiveFrom: '2027-04-01', before: { capacity: 8 }, after: { capacity: 6 } });

    // March 31 keeps 8; April 1 holds 6.
    expect((await book('2027-03-31', 8)).statusCode).toBe(201);
    const over = expectProblem(await book('2027-04-01', 8), 422, 'capacity_exceeded');
    expect(over.capacity).toBe(6);
    expect((await book('2027-04-01', 6)).statusCode).toBe(201);

    // Today's list is unchanged; the settings show what is scheduled.
    const spaces = (await call(a, 'GET', '/api/v1/spaces')).json() as { slug: string; capacity: number }[];
    expect(spaces.find((s) => s.slug === 'small-1')?.capacity).toBe(8);
    const settings = (await call(a, 'GET', '/api/v1/spaces/small-1/settings', { cookie: manager.cookie })).json();
    expect(settings).toMatchObject({ slug: 'small-1', current: { capacity: 8, effectiveFrom: null }, scheduled: [{ capacity: 6, effectiveFrom: '2027-04-01', until: null }] });

    // Withdrawn, April 1 holds 8 again; terms in force stay.
    expect((await call(a, 'DELETE', '/api/v1/spaces/small-1/versions/2027-04-01', { cookie: manager.cookie })).statusCode).toBe(204);
    expect((await book('2027-04-02', 8)).statusCode).toBe(201);
    expect(auditActions(a, 'space.terms_withdraw')).toHaveLength(1);
    expect((await schedule({ capacity: 8 })).statusCode).toBe(201); // today
    expectProblem(await call(a, 'DELETE', '/api/v1/spaces/small-1/versions/2027-01-05', { cookie: manager.cookie }), 409, 'invalid_state');
  });

  it('opens a season from a date and applies a group quota by the use date', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const group = makeGroup(a);
    // The plaza in April is out of season...
    expectProblem(await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2027-04-10T10:00', '2027-04-10T12:00', { ...walkIn, space: 'plaza' }) }), 422, 'closed');
    const season = await call(a, 'POST', '/api/v1/spaces/plaza/versions', { cookie: manager.cookie, body: { capacity: 200, seasonFrom: '04-01', seasonTo: '10-31', effectiveFrom: '2027-03-01' } });
    expect(season.statusCode, season.body).toBe(201);
    // ...until the season opens on April 1 (from March 1 on); March itself stays out of season.
    expect((await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2027-04-10T10:00', '2027-04-10T12:00', { ...walkIn, space: 'plaza' }) })).statusCode).toBe(201);
    expectProblem(await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2027-03-20T10:00', '2027-03-20T12:00', { ...walkIn, space: 'plaza' }) }), 422, 'closed');

    // The hall's quota falls from 4 to 1 a month from April.
    expect((await call(a, 'POST', '/api/v1/spaces/hall/versions', { cookie: manager.cookie, body: { capacity: 180, groupMonthlyQuota: 1, effectiveFrom: '2027-04-01' } })).statusCode).toBe(201);
    const hall = (date: string) => call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body(`${date}T13:00`, `${date}T15:00`, { space: 'hall', groupId: group }) });
    expect((await hall('2027-03-10')).statusCode).toBe(201);
    expect((await hall('2027-03-17')).statusCode).toBe(201);
    expect((await hall('2027-04-14')).statusCode).toBe(201);
    expect(expectProblem(await hall('2027-04-21'), 422, 'quota_exceeded').quota).toBe(1);
  });

  it('refuses a past date, bad numbers and half a season with 422, storing nothing', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const before = stored(a);
    const schedule = (b: unknown) => call(a, 'POST', '/api/v1/spaces/small-1/versions', { cookie: manager.cookie, body: b });
    expect(expectProblem(await schedule({ capacity: 6, effectiveFrom: '2027-01-04' }), 422, 'validation_failed').errors).toEqual([{ path: 'effectiveFrom', message: 'a date from today on' }]);
    expect(expectProblem(await schedule({ capacity: 0 }), 422, 'validation_failed').errors?.map((e) => e.path)).toEqual(['capacity']);
    expect(expectProblem(await schedule({ capacity: 8, seasonFrom: '05-01' }), 422, 'validation_failed').errors?.map((e) => e.path)).toEqual(['seasonTo']);
    expect(expectProblem(await schedule({ capacity: 8, seasonFrom: '02-30', seasonTo: '10-31' }), 422, 'validation_failed').errors?.map((e) => e.path)).toEqual(['seasonFrom']);
    expect(expectProblem(await schedule({ capacity: 8, groupMonthlyQuota: -1 }), 422, 'validation_failed').errors?.map((e) => e.path)).toEqual(['groupMonthlyQuota']);
    expectProblem(await call(a, 'POST', '/api/v1/spaces/nowhere/versions', { cookie: manager.cookie, body: { capacity: 8 } }), 404, 'not_found');
    expect(stored(a)).toEqual(before);
  });
});

describe('names and notes', () => {
  it('change at once, everywhere, audited; a duplicate or empty name is refused', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const res = await call(a, 'PATCH', '/api/v1/spaces/small-1', { cookie: manager.cookie, body: { name: '小会議室「ひだまり」', nameEn: 'Small room Hidamari', notes: 'ホワイトボードあり' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(a.db.$client.prepare("SELECT name, name_en, notes FROM spaces WHERE slug = 'small-1'").get()).toEqual({ name: '小会議室「ひだまり」', name_en: 'Small room Hidamari', notes: 'ホワイトボードあり' });
    expect(((await call(a, 'GET', '/api/v1/spaces')).json() as { slug: string; name: string }[]).find((s) => s.slug === 'small-1')?.name).toBe('小会議室「ひだまり」');
    expect(auditActions(a, 'space.rename')).toHaveLength(1);
    const before = stored(a);
    expectProblem(await call(a, 'PATCH', '/api/v1/spaces/small-1', { cookie: manager.cookie, body: { name: 'ホール', nameEn: 'x' } }), 422, 'validation_failed');
    expectProblem(await call(a, 'PATCH', '/api/v1/spaces/small-1', { cookie: manager.cookie, body: { name: ' ', nameEn: 'x' } }), 422, 'validation_failed');
    expect(stored(a)).toEqual(before);
  });
});

describe('parts', () => {
  it('are refused with the list while live bookings of the whole and the part overlap', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const book = (space: string, start: string, end: string) =>
      call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body(start, end, { ...walkIn, space }) });
    const setParts = (parts: string[]) => call(a, 'PUT', '/api/v1/spaces/training/parts', { cookie: manager.cookie, body: { parts } });

    // With training-b no longer a part, the whole and training-b can be booked at the same time.
    const dropped = await setParts(['training-a']);
    expect(dropped.statusCode, dropped.body).toBe(200);
    const whole = await book('training', '2027-02-10T10:00', '2027-02-10T12:00');
    const partB = await book('training-b', '2027-02-10T11:00', '2027-02-10T13:00');
    expect([whole.statusCode, partB.statusCode]).toEqual([201, 201]);
    // training-a still conflicts with the whole.
    expectProblem(await book('training-a', '2027-02-10T10:00', '2027-02-10T11:00'), 409, 'conflict');

    const before = stored(a);
    const refused = expectProblem(await setParts(['training-a', 'training-b']), 409, 'conflict');
    expect(refused.conflicts).toMatchObject([{ bookingId: (partB.json() as { id: number }).id, space: 'training-b', withBookingId: (whole.json() as { id: number }).id, withSpace: 'training' }]);
    expect(stored(a)).toEqual(before);
    expect(auditActions(a, 'space.parts')).toHaveLength(1);

    // Once the clash is gone, training-b is a part again.
    expect((await call(a, 'POST', `/api/v1/bookings/${(partB.json() as { id: number }).id}/cancel`, { cookie: clerk.cookie, body: {} })).statusCode).toBe(200);
    expect((await setParts(['training-a', 'training-b'])).statusCode).toBe(200);
    expectProblem(await book('training-b', '2027-02-10T11:00', '2027-02-10T13:00'), 409, 'conflict');
  });

  it('stay one level deep: no space its own part, no whole a part, no part of two wholes', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const before = stored(a);
    const put = (slug: string, parts: unknown) => call(a, 'PUT', `/api/v1/spaces/${slug}/parts`, { cookie: manager.cookie, body: { parts } });
    expect(expectProblem(await put('training', ['training']), 422, 'validation_failed').errors).toEqual([{ path: 'parts.0', message: 'a space cannot be its own part' }]);
    expect(expectProblem(await put('hall', ['training']), 422, 'validation_failed').errors).toEqual([{ path: 'parts.0', message: 'a whole cannot be a part' }]);
    expect(expectProblem(await put('lounge', ['training-a']), 422, 'validation_failed').errors).toEqual([{ path: 'parts.0', message: 'already part of another whole' }]);
    expect(expectProblem(await put('training-a', ['small-1']), 422, 'validation_failed').errors).toEqual([{ path: 'parts', message: 'a part cannot have parts' }]);
    expect(expectProblem(await put('training', ['nowhere']), 422, 'validation_failed').errors).toEqual([{ path: 'parts.0', message: 'unknown space' }]);
    expectProblem(await put('training', 'training-a'), 422, 'validation_failed');
    expect(stored(a)).toEqual(before);
  });
});

describe('the spaces pages', () => {
  async function manager(a: TestApp) {
    const u = await user(a, 'manager', 'boss@example.jp');
    const form = await openForm(a, '/manage/spaces/small-1', u.cookie);
    return { id: u.id, token: form.token, cookie: form.cookie, page: form.page };
  }

  it('lists the spaces and schedules capacity from a date', async () => {
    const a = await app();
    const m = await manager(a);
    const list = await a.app.inject({ url: '/manage/spaces', headers: { cookie: m.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('会議研修室（全面）');
    expect(list.body).toContain('全面（会議研修室A、会議研修室B）');
    expect(list.body).toContain('5月1日〜10月31日');
    expect(list.body).toContain('4件まで');
    expect(m.page.body).toContain('value="8"');

    const ok = await postForm(a, '/manage/spaces/small-1/versions', { _csrf: m.token, capacity: '６', seasonFrom: '', seasonTo: '', groupMonthlyQuota: '', effectiveFrom: '2027-04-01' }, m.cookie);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/manage/spaces/small-1');
    expect(a.db.$client.prepare('SELECT effective_from, capacity, season_from, group_monthly_quota FROM space_versions').all()).toEqual([{ effective_from: '2027-04-01', capacity: 6, season_from: null, group_monthly_quota: null }]);
    const page = await a.app.inject({ url: '/manage/spaces/small-1', headers: { cookie: m.cookie } });
    expect(page.body).toContain('2027年4月1日(木)から適用：定員6人・通年・団体の月間上限 上限なし');
    expect(page.body).toContain('action="/manage/spaces/small-1/versions/2027-04-01/withdraw"');
    expect((await postForm(a, '/manage/spaces/small-1/versions/2027-04-01/withdraw', { _csrf: m.token }, m.cookie)).statusCode).toBe(303);
    expect(count(a.db, 'space_versions')).toBe(0);
  });

  it('re-renders with 422 and Japanese messages for a past date and bad numbers, storing nothing', async () => {
    const a = await app();
    const m = await manager(a);
    const before = stored(a);
    const res = await postForm(a, '/manage/spaces/small-1/versions', { _csrf: m.token, capacity: 'たくさん', seasonFrom: '5/1', seasonTo: '', groupMonthlyQuota: '-2', effectiveFrom: '2027-01-04' }, m.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('適用日は今日（2027年1月5日(火)）以降の日付にしてください');
    expect(res.body).toContain('定員（人）は1以上の数字で入力してください');
    expect(res.body).toContain('利用できる期間の始まり（月-日）は月-日（例：05-01）で入力してください');
    expect(res.body).toContain('団体の月間上限（件）は0以上の数字で入力するか、空欄にしてください');
    expect(res.body).toContain('value="たくさん"');
    const names = await postForm(a, '/manage/spaces/small-1', { _csrf: m.token, name: '', nameEn: 'Small meeting room 1', notes: '' }, m.cookie);
    expect(names.statusCode).toBe(422);
    expect(names.body).toContain('名称（日本語）を入力してください');
    expect(stored(a)).toEqual(before);
  });

  it('refuses parts that would double-book, listing the bookings, and saves them otherwise', async () => {
    const a = await app();
    const m = await manager(a);
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const training = await openForm(a, '/manage/spaces/training', m.cookie);
    expect(training.page.body).toContain('id="part-training-a"');
    expect((await postForm(a, '/manage/spaces/training/parts', { _csrf: m.token, parts: 'training-a' }, m.cookie)).statusCode).toBe(303);
    expect(a.db.$client.prepare("SELECT count(*) AS n FROM space_parts p JOIN spaces s ON s.id = p.part_id WHERE s.slug = 'training-b'").get()).toEqual({ n: 0 });
    const ids: number[] = [];
    for (const [space, start, end] of [['training', '2027-02-10T10:00', '2027-02-10T12:00'], ['training-b', '2027-02-10T11:00', '2027-02-10T13:00']] as const) {
      const res = await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body(start, end, { ...walkIn, space }) });
      expect(res.statusCode, res.body).toBe(201);
      ids.push((res.json() as { id: number }).id);
    }
    const form = new URLSearchParams([['_csrf', m.token], ['parts', 'training-a'], ['parts', 'training-b']]).toString();
    const refused = await a.app.inject({ method: 'POST', url: '/manage/spaces/training/parts', payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: m.cookie } });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('今日以降の予約が1組重なるため、構成を変更できません');
    expect(refused.body).toContain(`href="/desk/bookings/${ids[1]}"`);
    expect(refused.body).toContain(`href="/desk/bookings/${ids[0]}"`);
  });
});
