import ICAL from 'ical.js';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/services/secrets.js';
import { FEED_REQUESTS_PER_MINUTE } from '../../server/routes/calendars.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { auditActions, body, call, expectProblem, makeGroup, user } from './helpers.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo; the tests run under TZ=UTC (vitest.config.ts), so a
// Tokyo time written in the server's zone would be nine hours off.
let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00', { sessionHours: 24 * 30 });
});
afterEach(async () => {
  await t.close();
});

const WALK_IN = { name: '鈴木 一郎', phone: '090-2222-3333' };

async function created(cookie: string, b: unknown): Promise<{ id: number; totalYen: number }> {
  const res = await call(t, 'POST', '/api/v1/bookings', { cookie, body: b });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; totalYen: number };
}

/** A group through the real registration: applied for with a public profile (or not), approved. */
async function registeredGroup(managerCookie: string, name: string, email: string, publicProfile: boolean) {
  const res = await call(t, 'POST', '/api/v1/registrations', {
    body: {
      name, kana: 'みどりちょうないかい', type: 'neighborhood-association',
      representative: { name: '佐藤花子', email, password: 'hanako-secret-1', phone: '090-1111-2222' },
      memberCount: 25, fields: ['防災'], description: '地域の防災活動', publicProfile,
      attestations: { nonPolitical: true, nonReligious: true, nonCommercial: true },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const approved = await call(t, 'POST', `/api/v1/registrations/${res.json().id}/approve`, { cookie: managerCookie });
  expect(approved.statusCode, approved.body).toBe(200);
  return { groupId: approved.json().groupId as number, cookie: await t.login(email, 'hanako-secret-1') };
}

/** A parsed feed: its events by UID, read with a real parser and the feed's own VTIMEZONE. */
function parseFeed(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(200);
  const vcalendar = new ICAL.Component(ICAL.parse(res.body));
  const zones = vcalendar.getAllSubcomponents('vtimezone');
  expect(zones.map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Asia/Tokyo']);
  for (const tz of zones) ICAL.TimezoneService.register(tz);
  const events = vcalendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  const byUid = (uid: string) => {
    const found = events.filter((e) => e.uid === uid);
    expect(found, `one event ${uid}`).toHaveLength(1);
    return found[0]!;
  };
  const status = (e: ICAL.Event) => e.component.getFirstPropertyValue('status');
  const sequence = (e: ICAL.Event) => e.component.getFirstPropertyValue('sequence');
  const instants = (e: ICAL.Event) => [e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()];
  return { vcalendar, events, byUid, status, sequence, instants };
}

const feed = (url: string, headers: Record<string, string> = {}, remoteAddress?: string) =>
  call(t, 'GET', url, { headers, ...(remoteAddress ? { remoteAddress } : {}) });

/** Issues the group's token through the API and returns the path of its feed. */
async function issue(cookie: string, groupId: number): Promise<string> {
  const res = await call(t, 'POST', `/api/v1/groups/${groupId}/calendar-token`, { cookie });
  expect(res.statusCode, res.body).toBe(201);
  const url = new URL(res.json().url as string);
  expect(url.pathname).toMatch(/^\/calendars\/groups\/[A-Za-z0-9_-]{43}\.ics$/);
  return url.pathname;
}

const tokenOf = (path: string) => /\/([A-Za-z0-9_-]{43})\.ics$/.exec(path)![1]!;
const storedHash = (groupId: number) =>
  (t.db.$client.prepare('SELECT calendar_token_hash AS h FROM groups WHERE id = ?').get(groupId) as { h: string | null }).h;

/** A center with a public group, a private group, an individual and a walk-in, each with a booking. */
async function center() {
  const manager = await user(t, 'manager', 'manager@example.jp');
  const staff = await user(t, 'staff', 'staff@example.jp');
  const open = await registeredGroup(manager.cookie, 'みどり町内会', 'hanako@example.jp', true);
  const hiddenId = makeGroup(t, 'ひみつの読書会');
  const hiddenRep = await t.account('member', 'rep@example.jp', { groupId: hiddenId, isRepresentative: true, name: '代表 太郎' });
  const hidden = { groupId: hiddenId, repId: hiddenRep, cookie: await t.login('rep@example.jp') };
  const hiddenMember = await user(t, 'member', 'member@example.jp', { groupId: hiddenId });
  const person = await user(t, 'individual', 'yamada@example.jp');

  const bookings = {
    open: await created(open.cookie, body('2026-12-10T18:00', '2026-12-10T21:00', { purpose: '防災訓練の打ち合わせ' })),
    hidden: await created(hiddenMember.cookie, body('2026-12-11T10:00', '2026-12-11T12:00', { purpose: '読書会：非公開の選書会議' })),
    person: await created(person.cookie, body('2026-12-12T13:00', '2026-12-12T15:00', { purpose: '家族の法事の相談' })),
    walkIn: await created(staff.cookie, body('2026-12-13T09:00', '2026-12-13T10:30', { purpose: '個人的な面談', walkIn: WALK_IN })),
  };
  return { manager, staff, open, hidden, hiddenMember, person, bookings };
}

describe('GET /calendars/spaces/{slug}.ics', () => {
  it('shows every booking at its Tokyo times, as 予約済 or a public group\'s name, and nothing private', async () => {
    const c = await center();
    const res = await feed('/calendars/spaces/small-1.ics');
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const f = parseFeed(res);
    const uid = (id: number) => `booking-${id}.small-1@hiroba`;

    const open = f.byUid(uid(c.bookings.open.id));
    // 18:00–21:00 in Tokyo is 09:00–12:00 UTC.
    expect(f.instants(open)).toEqual(['2026-12-10T09:00:00.000Z', '2026-12-10T12:00:00.000Z']);
    expect(open.summary).toBe('みどり町内会');
    expect(open.location).toBe('小会議室1');
    expect(f.status(open)).toBe('CONFIRMED');

    expect(f.instants(f.byUid(uid(c.bookings.hidden.id)))).toEqual(['2026-12-11T01:00:00.000Z', '2026-12-11T03:00:00.000Z']);
    expect(f.instants(f.byUid(uid(c.bookings.person.id)))).toEqual(['2026-12-12T04:00:00.000Z', '2026-12-12T06:00:00.000Z']);
    expect(f.instants(f.byUid(uid(c.bookings.walkIn.id)))).toEqual(['2026-12-13T00:00:00.000Z', '2026-12-13T01:30:00.000Z']);
    for (const b of [c.bookings.hidden, c.bookings.person, c.bookings.walkIn]) expect(f.byUid(uid(b.id)).summary).toBe('予約済');
    // An individual's and a walk-in's booking are provisional until paid: tentative, still busy.
    expect(f.status(f.byUid(uid(c.bookings.person.id)))).toBe('TENTATIVE');

    const unfolded = res.body.replace(/\r\n[ \t]/g, '');
    for (const secret of ['打ち合わせ', '選書会議', '法事', '面談', '鈴木', '090-2222-3333', '090-1111-2222', 'ひみつの読書会', '佐藤花子', '代表 太郎', 'yamada', '@example.jp']) {
      expect(unfolded, secret).not.toContain(secret);
    }
    const raw = unfolded.split('\r\n');
    expect(raw.some((l) => /^DTSTART;TZID=Asia\/Tokyo:20261210T180000$/.test(l))).toBe(true);
    expect(raw.filter((l) => l.startsWith('DTSTAMP:')).every((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l))).toBe(true);
    expect(raw.find((l) => l.startsWith('X-WR-CALNAME:'))).toBe('X-WR-CALNAME:小会議室1の予約状況（市民活動交流センター）');
  });

  it('stops showing a group\'s name when it turns its profile private', async () => {
    const c = await center();
    t.db.$client.prepare('UPDATE groups SET public_profile = 0 WHERE id = ?').run(c.open.groupId);
    const f = parseFeed(await feed('/calendars/spaces/small-1.ics'));
    expect(f.byUid(`booking-${c.bookings.open.id}.small-1@hiroba`).summary).toBe('予約済');
    expect(f.events.map((e) => e.summary)).not.toContain('みどり町内会');
  });

  it('shows closures, holidays and blocks with their reasons as whole days or timed events', async () => {
    const manager = await user(t, 'manager', 'manager@example.jp');
    expect((await call(t, 'PUT', '/api/v1/calendar/2026-12-16', { cookie: manager.cookie, body: { closed: true, reason: '選挙の投票所' } })).statusCode).toBe(200);
    expect((await call(t, 'PUT', '/api/v1/calendar/2026-12-17', { cookie: manager.cookie, body: { open: '10:00', close: '18:00', reason: '職員研修' } })).statusCode).toBe(200);
    const block = await call(t, 'POST', '/api/v1/spaces/small-1/blocks', { cookie: manager.cookie, body: { start: '2026-12-18T09:00', end: '2026-12-18T13:00', reason: '空調の工事' } });
    expect(block.statusCode, block.body).toBe(201);
    const f = parseFeed(await feed('/calendars/spaces/small-1.ics'));
    const day = (uid: string) => {
      const e = f.byUid(uid);
      expect(e.startDate.isDate).toBe(true);
      return [e.summary, e.startDate.toString(), e.endDate.toString()];
    };
    expect(day('closed-2026-12-16.small-1@hiroba')).toEqual(['休館日（選挙の投票所）', '2026-12-16', '2026-12-17']);
    expect(day('hours-2026-12-17.small-1@hiroba')).toEqual(['開館時間 10:00〜18:00（職員研修）', '2026-12-17', '2026-12-18']);
    // December 2026: the 2nd and 4th Mondays are the 14th and the 28th.
    expect(day('closed-2026-12-14.small-1@hiroba')).toEqual(['休館日（定例休館日）', '2026-12-14', '2026-12-15']);
    expect(day('closed-2026-12-28.small-1@hiroba')).toEqual(['休館日（定例休館日）', '2026-12-28', '2026-12-29']);
    for (const date of ['2026-12-29', '2026-12-31', '2027-01-03']) expect(day(`closed-${date}.small-1@hiroba`)[0]).toBe('休館日（年末年始休館）');
    expect(day('holiday-2027-01-01.small-1@hiroba')[0]).toBe('元日（祝日）');
    // 成人の日 is the 2nd Monday of January 2027: open, and the Tuesday after closes instead.
    expect(day('holiday-2027-01-11.small-1@hiroba')[0]).toBe('成人の日（祝日）');
    expect(f.events.some((e) => e.uid === 'closed-2027-01-11.small-1@hiroba')).toBe(false);
    expect(day('closed-2027-01-12.small-1@hiroba')[0]).toBe('休館日（定例休館日）');
    const blocked = f.byUid(`block-${block.json().id}.small-1@hiroba`);
    expect(blocked.summary).toBe('利用停止（空調の工事）');
    expect(f.instants(blocked)).toEqual(['2026-12-18T00:00:00.000Z', '2026-12-18T04:00:00.000Z']);
  });

  it('covers one month back to thirteen months ahead', async () => {
    const f = parseFeed(await feed('/calendars/spaces/hall.ics'));
    const days = f.events.filter((e) => e.startDate.isDate).map((e) => e.startDate.toString()).sort();
    // The window is 2026-11-01 … 2028-01-01: 文化の日 and the 2nd Monday of November 2026 are in it,
    // the 4th Monday of October 2026 and 2028-01-02 of the year-end closure are not.
    expect(days[0]).toBe('2026-11-03');
    expect(days).toContain('2026-11-09');
    expect(days.at(-1)).toBe('2028-01-01');
    expect(days).not.toContain('2026-10-26');
    expect(days).not.toContain('2028-01-02');
  });

  it('shows a whole room\'s bookings in its parts\' feeds and a part\'s in the whole\'s', async () => {
    const person = await user(t, 'individual', 'yamada@example.jp');
    const partA = await created(person.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { space: 'training-a' }));
    const whole = await created(person.cookie, body('2026-12-11T10:00', '2026-12-11T12:00', { space: 'training' }));
    const wholeFeed = parseFeed(await feed('/calendars/spaces/training.ics'));
    expect(wholeFeed.byUid(`booking-${partA.id}.training@hiroba`).location).toBe('会議研修室A');
    expect(wholeFeed.byUid(`booking-${whole.id}.training@hiroba`).location).toBe('会議研修室（全面）');
    const b = parseFeed(await feed('/calendars/spaces/training-b.ics'));
    expect(b.byUid(`booking-${whole.id}.training-b@hiroba`).summary).toBe('予約済');
    // Part A's booking does not take part B.
    expect(b.events.some((e) => e.uid.startsWith(`booking-${partA.id}.`))).toBe(false);
    const small = parseFeed(await feed('/calendars/spaces/small-1.ics'));
    expect(small.events.some((e) => e.uid.startsWith('booking-'))).toBe(false);
  });

  it('shows the plaza\'s off-season as whole days', async () => {
    const f = parseFeed(await feed('/calendars/spaces/plaza.ics'));
    const off = f.byUid('offseason-2026-11-01.plaza@hiroba');
    expect([off.summary, off.startDate.toString(), off.endDate.toString()]).toEqual(['利用期間外', '2026-11-01', '2027-05-01']);
    expect(f.byUid('offseason-2027-11-01.plaza@hiroba').endDate.toString()).toBe('2028-05-01');
  });

  it('answers 404 for a space that does not exist', async () => {
    expectProblem(await feed('/calendars/spaces/nowhere.ics'), 404, 'not_found');
    expectProblem(await feed('/calendars/spaces/small-1'), 404, 'not_found');
  });
});

describe('cancellations in feeds', () => {
  it('shows a cancelled booking as STATUS:CANCELLED with the same UID and a higher SEQUENCE, for 30 days', async () => {
    const c = await center();
    const path = await issue(c.hidden.cookie, c.hidden.groupId);
    const uid = `booking-${c.bookings.hidden.id}@hiroba`;
    const before = parseFeed(await feed(path));
    expect(before.status(before.byUid(uid))).toBe('CONFIRMED');
    const sequenceBefore = Number(before.sequence(before.byUid(uid)));

    const res = await call(t, 'POST', `/api/v1/bookings/${c.bookings.hidden.id}/cancel`, { cookie: c.hiddenMember.cookie, body: {} });
    expect(res.statusCode, res.body).toBe(200);

    const after = parseFeed(await feed(path));
    const e = after.byUid(uid);
    expect(after.status(e)).toBe('CANCELLED');
    expect(Number(after.sequence(e))).toBeGreaterThan(sequenceBefore);
    expect(e.summary).toBe('【取消】読書会：非公開の選書会議');
    // Ten days before use, cancelling is free.
    expect(e.description).toBe('利用目的：読書会：非公開の選書会議\n部屋：小会議室1\n状態：取消\nキャンセル料：¥0');
    const publicFeed = parseFeed(await feed('/calendars/spaces/small-1.ics'));
    const p = publicFeed.byUid(`booking-${c.bookings.hidden.id}.small-1@hiroba`);
    expect(publicFeed.status(p)).toBe('CANCELLED');
    expect(p.component.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
    expect(publicFeed.sequence(p)).toBe(after.sequence(e));

    // Thirty days on, the cancellation has had time to reach every client, and it leaves the feed.
    t.clock.advance({ days: 30, minutes: 1 });
    expect(parseFeed(await feed(path)).events.some((x) => x.uid === uid)).toBe(false);
    expect(parseFeed(await feed('/calendars/spaces/small-1.ics')).events.some((x) => x.uid.startsWith(`booking-${c.bookings.hidden.id}.`))).toBe(false);
  });

  it('shows a provisional booking past its deadline as cancelled, as availability frees it', async () => {
    const c = await center();
    // The individual's booking (made 12-01, used 12-12) must be paid within 7 days.
    t.clock.set('2026-12-08T22:30');
    const f = parseFeed(await feed('/calendars/spaces/small-1.ics'));
    expect(f.status(f.byUid(`booking-${c.bookings.person.id}.small-1@hiroba`))).toBe('CANCELLED');
  });
});

describe('group feeds and their tokens', () => {
  it('lets the representative issue a token: 201 {url}, only its hash stored, and the feed shows the group\'s bookings', async () => {
    const c = await center();
    const path = await issue(c.hidden.cookie, c.hidden.groupId);
    const token = tokenOf(path);
    expect(storedHash(c.hidden.groupId)).toBe(hashToken(token));
    expect(JSON.stringify(t.db.$client.prepare('SELECT * FROM groups').all())).not.toContain(token);
    expect(JSON.stringify(t.db.$client.prepare('SELECT * FROM audit_log').all())).not.toContain(token);
    expect(auditActions(t, 'group.calendar_token')).toMatchObject([{ actor_id: c.hidden.repId, entity: 'group', entity_id: String(c.hidden.groupId) }]);

    const res = await feed(path);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    const f = parseFeed(res);
    // Only this group's booking, not the other group's, the individual's or the walk-in's.
    expect(f.events.map((e) => e.uid)).toEqual([`booking-${c.bookings.hidden.id}@hiroba`]);
    const e = f.events[0]!;
    expect(f.instants(e)).toEqual(['2026-12-11T01:00:00.000Z', '2026-12-11T03:00:00.000Z']);
    expect(e.startDate.zone?.tzid).toBe('Asia/Tokyo');
    expect(e.summary).toBe('読書会：非公開の選書会議');
    expect(e.location).toBe('小会議室1');
    expect(e.description).toBe(`利用目的：読書会：非公開の選書会議\n部屋：小会議室1\n状態：確定\n使用料：¥${c.bookings.hidden.totalYen.toLocaleString('en')}（未払い）`);
    expect(e.component.getFirstPropertyValue('url')).toBe(`http://localhost:80/my/bookings/${c.bookings.hidden.id}`);
    expect(f.vcalendar.getFirstPropertyValue('x-wr-calname')).toBe('ひみつの読書会の予約（市民活動交流センター）');
  });

  it('keeps a purpose with line breaks and separators inside its own properties', async () => {
    const c = await center();
    const purpose = '定例会;議題,その1\\\r\nDTSTART:19700101T000000Z\nATTENDEE:mailto:evil@example.com\r準備 😀';
    const b = await created(c.hiddenMember.cookie, body('2026-12-20T18:00', '2026-12-20T20:00', { purpose }));
    const res = await feed(await issue(c.hidden.cookie, c.hidden.groupId));
    const f = parseFeed(res);
    const e = f.byUid(`booking-${b.id}@hiroba`);
    const stored = purpose.replace(/\r\n|\r/g, '\n');
    expect(e.description).toBe(`利用目的：${stored}\n部屋：小会議室1\n状態：確定\n使用料：¥${b.totalYen.toLocaleString('en')}（未払い）`);
    expect(e.summary).toBe('定例会;議題,その1\\ DTSTART:19700101T000000Z ATTENDEE:mailto:evil@example.com 準備 😀');
    expect(e.component.getAllProperties('dtstart')).toHaveLength(1);
    expect(e.component.getAllProperties('attendee')).toHaveLength(0);
    expect(f.instants(e)).toEqual(['2026-12-20T09:00:00.000Z', '2026-12-20T11:00:00.000Z']);
    for (const line of res.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('kills the old token when a new one is issued; unknown, revoked and malformed tokens get the same plain 404', async () => {
    const c = await center();
    const first = await issue(c.hidden.cookie, c.hidden.groupId);
    expect((await feed(first)).statusCode).toBe(200);
    const second = await issue(c.hidden.cookie, c.hidden.groupId);
    expect(second).not.toBe(first);
    expect(storedHash(c.hidden.groupId)).toBe(hashToken(tokenOf(second)));
    expect((await feed(second)).statusCode).toBe(200);

    const revoked = await feed(first);
    const unknown = await feed(`/calendars/groups/${'A'.repeat(43)}.ics`);
    const malformed = await feed('/calendars/groups/short.ics');
    for (const res of [revoked, unknown, malformed]) expectProblem(res, 404, 'not_found');
    expect(unknown.body).toBe(revoked.body);
    expect(malformed.body).toBe(revoked.body);
    expect(revoked.body).not.toMatch(/token|revok|replac|group/i);
    expect(auditActions(t, 'group.calendar_token').map((a) => JSON.parse(a.detail_json))).toEqual([{ replaced: false }, { replaced: true }]);
  });

  it('stops serving the feed of a lapsed group whose personal data was deleted', async () => {
    const c = await center();
    const path = await issue(c.hidden.cookie, c.hidden.groupId);
    t.db.$client.prepare("UPDATE groups SET status = 'lapsed', personal_data_deleted_at = ? WHERE id = ?").run('2026-12-01T01:00:00.000Z', c.hidden.groupId);
    expectProblem(await feed(path), 404, 'not_found');
  });

  it('lets a manager issue any group\'s token', async () => {
    const c = await center();
    const path = await issue(c.manager.cookie, c.hidden.groupId);
    expect((await feed(path)).statusCode).toBe(200);
  });

  it('answers 404 to another group\'s representative, 403 to a member or staff, 401 to nobody, and stores nothing', async () => {
    const c = await center();
    const url = `/api/v1/groups/${c.hidden.groupId}/calendar-token`;
    expectProblem(await call(t, 'POST', url, { cookie: c.open.cookie }), 404, 'not_found');
    expectProblem(await call(t, 'POST', url, { cookie: c.hiddenMember.cookie }), 403, 'forbidden');
    expectProblem(await call(t, 'POST', url, { cookie: c.staff.cookie }), 403, 'forbidden');
    expectProblem(await call(t, 'POST', url, { cookie: c.person.cookie }), 404, 'not_found');
    expectProblem(await call(t, 'POST', url), 401, 'unauthenticated');
    expectProblem(await call(t, 'POST', '/api/v1/groups/999/calendar-token', { cookie: c.manager.cookie }), 404, 'not_found');
    expect(storedHash(c.hidden.groupId)).toBeNull();
    expect(auditActions(t, 'group.calendar_token')).toEqual([]);
  });
});

describe('conditional GET', () => {
  it('answers 304 to a matching If-None-Match or a recent If-Modified-Since, and 200 once the feed changed', async () => {
    const c = await center();
    const first = await feed('/calendars/spaces/small-1.ics');
    const etag = first.headers.etag as string;
    const lastModified = first.headers['last-modified'] as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(lastModified).toBe('Tue, 01 Dec 2026 01:00:00 GMT');

    const again = await feed('/calendars/spaces/small-1.ics', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=300');
    expect((await feed('/calendars/spaces/small-1.ics', { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
    expect((await feed('/calendars/spaces/small-1.ics', { 'if-modified-since': lastModified })).statusCode).toBe(304);
    expect((await feed('/calendars/spaces/small-1.ics', { 'if-none-match': '"stale"' })).statusCode).toBe(200);
    // If-None-Match decides when both are sent.
    expect((await feed('/calendars/spaces/small-1.ics', { 'if-none-match': '"stale"', 'if-modified-since': lastModified })).statusCode).toBe(200);
    expect((await feed('/calendars/spaces/small-1.ics', { 'if-modified-since': 'not a date' })).statusCode).toBe(200);

    // A booking moves to another room: this feed changes though none of its remaining rows did.
    t.clock.advance({ minutes: 5 });
    const moved = await call(t, 'PATCH', `/api/v1/bookings/${c.bookings.person.id}`, { cookie: c.person.cookie, body: { space: 'small-2' } });
    expect(moved.statusCode, moved.body).toBe(200);
    const changed = await feed('/calendars/spaces/small-1.ics', { 'if-none-match': etag, 'if-modified-since': lastModified });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.headers['last-modified']).toBe('Tue, 01 Dec 2026 01:05:00 GMT');
    expect((await feed('/calendars/spaces/small-1.ics', { 'if-modified-since': lastModified })).statusCode).toBe(200);
    expect(parseFeed(changed).events.some((e) => e.uid.startsWith(`booking-${c.bookings.person.id}.`))).toBe(false);
  });

  it('answers 304 for a group feed too, with private caching', async () => {
    const c = await center();
    const path = await issue(c.hidden.cookie, c.hidden.groupId);
    const first = await feed(path);
    const again = await feed(path, { 'if-none-match': first.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect(again.headers['cache-control']).toBe('private, max-age=300');
  });
});

describe('rate limit', () => {
  it('answers 429 rate_limited after the limit from one address, not to others, and again after a minute', async () => {
    for (let i = 0; i < FEED_REQUESTS_PER_MINUTE; i++) {
      const res = await feed('/calendars/spaces/small-1.ics', {}, '203.0.113.5');
      expect(res.statusCode).toBe(200);
    }
    const limited = await feed('/calendars/spaces/small-1.ics', {}, '203.0.113.5');
    expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Group feeds count too, whatever the token.
    expectProblem(await feed(`/calendars/groups/${'A'.repeat(43)}.ics`, {}, '203.0.113.5'), 429, 'rate_limited');
    expect((await feed('/calendars/spaces/small-1.ics', {}, '198.51.100.7')).statusCode).toBe(200);
    t.clock.advance({ minutes: 1 });
    expect((await feed('/calendars/spaces/small-1.ics', {}, '203.0.113.5')).statusCode).toBe(200);
  });
});

describe('the group page', () => {
  async function openPage(cookie: string) {
    const page = await t.app.inject({ url: '/my/group', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const token = /action="\/my\/group\/calendar-token"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)">/.exec(page.body)?.[1];
    const csrf = page.cookies.find((x) => x.name === 'hiroba_csrf')?.value;
    return { page, token, cookie: [cookie, csrf ? `hiroba_csrf=${csrf}` : ''].filter(Boolean).join('; ') };
  }
  const post = (cookie: string, fields: Record<string, string>) => t.app.inject({
    method: 'POST', url: '/my/group/calendar-token', payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
  });

  it('lets the representative issue the address once, with a copy field and a webcal: link, and the address works', async () => {
    const c = await center();
    const form = await openPage(c.hidden.cookie);
    expect(form.page.body).toContain('カレンダーの購読');
    expect(form.page.body).toContain('購読用のURLはまだ発行していません。');
    expect(form.token).toBeDefined();
    const res = await post(form.cookie, { _csrf: form.token! });
    expect(res.statusCode).toBe(200);
    const url = /id="calendar-url" type="text" value="([^"]+)" readonly/.exec(res.body)?.[1];
    expect(url).toMatch(/^http:\/\/localhost:80\/calendars\/groups\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(res.body).toContain(`href="${url!.replace(/^http:/, 'webcal:')}"`);
    expect(res.body).toContain('カレンダーに追加');
    expect(storedHash(c.hidden.groupId)).toBe(hashToken(tokenOf(url!)));
    expect((await feed(new URL(url!).pathname)).statusCode).toBe(200);

    const later = await openPage(c.hidden.cookie);
    expect(later.page.body).toContain('購読用のURLは発行済みです。');
    expect(later.page.body).toContain('新しいURLを発行する');
    expect(later.page.body).not.toContain(tokenOf(url!));
  });

  it('shows a member who is not the representative no button, refuses their post, and refuses a post without _csrf', async () => {
    const c = await center();
    const memberPage = await openPage(c.hiddenMember.cookie);
    expect(memberPage.token).toBeUndefined();
    expect(memberPage.page.body).toContain('購読用のURLの発行は代表者が行います。');
    const csrfFromElsewhere = await openPage(c.hidden.cookie);
    const memberCookie = `${c.hiddenMember.cookie}; ${csrfFromElsewhere.cookie.split('; ').find((x) => x.startsWith('hiroba_csrf='))}`;
    expect((await post(memberCookie, { _csrf: csrfFromElsewhere.token! })).statusCode).toBe(403);
    expect((await post(csrfFromElsewhere.cookie, {})).statusCode).toBe(403);
    expect(storedHash(c.hidden.groupId)).toBeNull();
  });
});
