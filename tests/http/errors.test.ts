import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { body, bookingRow, call, expectProblem, makeGroup, snapshot, user } from './helpers.js';

// Malformed requests must each be a problem+json answer and leave the database as it was.
let t: TestApp;
let staff: { id: number; cookie: string };
let member: { id: number; cookie: string };
beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00');
  staff = await user(t, 'staff', 'madoguchi@example.jp');
  member = await user(t, 'member', 'kaiin@example.jp', { groupId: makeGroup(t) });
});
afterEach(async () => {
  await t.close();
});

const good = body('2026-12-10T10:00', '2026-12-10T12:00');
const raw = (url: string, payload: string | Buffer, contentType: string | undefined, cookie: string, method: 'POST' | 'PATCH' | 'PUT' = 'POST') =>
  t.app.inject({ method, url, payload, headers: { cookie, ...(contentType !== undefined ? { 'content-type': contentType } : {}) } });

function unchanged(before: Record<string, number>) {
  expect(snapshot(t)).toEqual(before);
  expect(count(t.db, 'bookings')).toBe(before.bookings);
  expect(count(t.db, 'audit_log')).toBe(before.audit_log);
}

describe('bodies the API cannot read', () => {
  it.each([
    ['POST /bookings', '/api/v1/bookings'],
    ['POST /quotes', '/api/v1/quotes'],
    ['POST /accounts', '/api/v1/accounts'],
    ['POST /auth/login', '/api/v1/auth/login'],
  ])('answers malformed JSON to %s with 400 bad_request', async (_what, url) => {
    const before = snapshot(t);
    expectProblem(await raw(url, '{"space": "small-1",', 'application/json', member.cookie), 400, 'bad_request');
    expectProblem(await raw(url, "{'space': 'small-1'}", 'application/json; charset=utf-8', member.cookie), 400, 'bad_request');
    unchanged(before);
  });

  it.each([
    ['text/plain', JSON.stringify(good)],
    ['application/x-www-form-urlencoded', 'space=small-1&start=2026-12-10T10%3A00&end=2026-12-10T12%3A00&purpose=x&attendees=5'],
    ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="space"\r\n\r\nsmall-1\r\n--xyz--\r\n'],
    ['application/xml', '<booking/>'],
  ])('refuses a %s body to the API with 415', async (contentType, payload) => {
    const before = snapshot(t);
    expectProblem(await raw('/api/v1/bookings', payload, contentType, member.cookie), 415, 'unsupported_media_type');
    unchanged(before);
  });

  it('refuses a body without a content type with 415', async () => {
    const before = snapshot(t);
    expectProblem(await raw('/api/v1/bookings', JSON.stringify(good), undefined, member.cookie), 415, 'unsupported_media_type');
    unchanged(before);
  });

  it('refuses a body over 256 KiB with 413 payload_too_large', async () => {
    const before = snapshot(t);
    const huge = JSON.stringify({ ...good, purpose: 'あ'.repeat(100 * 1024) });
    expect(Buffer.byteLength(huge)).toBeGreaterThan(256 * 1024);
    expectProblem(await raw('/api/v1/bookings', huge, 'application/json', member.cookie), 413, 'payload_too_large');
    unchanged(before);
  });

  it('refuses a large form-encoded body with 413 or 415, never reading it into a booking', async () => {
    const before = snapshot(t);
    const res = await raw('/api/v1/bookings', `purpose=${'a'.repeat(300 * 1024)}`, 'application/x-www-form-urlencoded', member.cookie);
    expect([413, 415]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    unchanged(before);
  });
});

describe('POST /bookings with bad fields', () => {
  const cases: [string, unknown, string][] = [
    ['a body that is an array', [good], '(body)'],
    ['a body that is a string', 'small-1', '(body)'],
    ['attendees as a string', { ...good, attendees: '5' }, 'attendees'],
    ['space as a number', { ...good, space: 5 }, 'space'],
    ['start as a number', { ...good, start: 1796000000000 }, 'start'],
    ['use.commercial as a string', { ...good, use: { commercial: 'yes', admissionFeeYen: 0 } }, 'use.commercial'],
    ['a negative admission fee', { ...good, use: { commercial: false, admissionFeeYen: -1 } }, 'use.admissionFeeYen'],
    ['a missing space', { ...good, space: undefined }, 'space'],
    ['a missing start', { ...good, start: undefined }, 'start'],
    ['a missing purpose', { ...good, purpose: undefined }, 'purpose'],
    ['a blank purpose', { ...good, purpose: '   ' }, 'purpose'],
    ['a purpose over 200 characters', { ...good, purpose: 'あ'.repeat(201) }, 'purpose'],
    ['a missing attendees', { ...good, attendees: undefined }, 'attendees'],
    ['an unknown extra field', { ...good, colour: 'red' }, '(body)'],
    ['an unknown field inside use', { ...good, use: { commercial: false, admissionFeeYen: 0, vip: true } }, 'use'],
    ['a start off the 30-minute grid (10:15)', { ...good, start: '2026-12-10T10:15' }, 'start'],
    ['an end before the start', { ...good, start: '2026-12-10T12:00', end: '2026-12-10T10:00' }, 'end'],
    ['an end equal to the start', { ...good, end: '2026-12-10T10:00' }, 'end'],
    ['a 30-minute booking', { ...good, end: '2026-12-10T10:30' }, 'end'],
    ['a start in the past', { ...good, start: '2026-11-30T10:00', end: '2026-11-30T12:00' }, 'start'],
    ['a start earlier today', { ...good, start: '2026-12-01T09:00', end: '2026-12-01T11:00' }, 'start'],
    ['a date that does not exist (2027-02-30)', { ...good, start: '2027-02-30T10:00', end: '2027-02-30T12:00' }, 'start'],
    ['a 31st in a 30-day month', { ...good, start: '2027-04-31T10:00', end: '2027-04-31T12:00' }, 'start'],
    ['24:00 as an end', { ...good, start: '2026-12-10T20:00', end: '2026-12-10T24:00' }, 'end'],
    ['a date without a time', { ...good, start: '2026-12-10', end: '2026-12-10' }, 'start'],
    ['an end on the next day', { ...good, start: '2026-12-10T20:00', end: '2026-12-11T10:00' }, 'end'],
    ['an unknown space', { ...good, space: 'attic' }, 'space'],
    ['a NUL byte in the purpose', { ...good, purpose: '会議\u0000' }, 'purpose'],
    ['attendees 0', { ...good, attendees: 0 }, 'attendees'],
    ['attendees 1.5', { ...good, attendees: 1.5 }, 'attendees'],
    ['attendees -3', { ...good, attendees: -3 }, 'attendees'],
    ['equipment of an unknown shape', { ...good, equipment: [{ kind: 'projector' }] }, 'equipment.0'],
    ['a recurrence without a rule', { ...good, recurrence: {} }, 'recurrence.rrule'],
  ];

  it.each(cases)('refuses %s with 422 validation_failed and stores nothing', async (_what, payload, path) => {
    const before = snapshot(t);
    const problem = expectProblem(await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: payload }), 422, 'validation_failed');
    expect(Array.isArray(problem.errors)).toBe(true);
    expect(problem.errors!.length).toBeGreaterThan(0);
    for (const e of problem.errors!) {
      expect(typeof e.path).toBe('string');
      expect(typeof e.message).toBe('string');
    }
    expect(problem.errors!.map((e) => e.path)).toContain(path);
    unchanged(before);
  });

  it.each(cases.filter(([what]) => !what.startsWith('a body that')))('refuses %s from staff too', async (_what, payload) => {
    const before = snapshot(t);
    const res = await call(t, 'POST', '/api/v1/bookings', { cookie: staff.cookie, body: { ...(payload as object), walkIn: { name: '鈴木 一郎' } } });
    expectProblem(res, 422, 'validation_failed');
    unchanged(before);
  });

  it('accepts the same booking once it is well formed', async () => {
    const res = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: good });
    expect(res.statusCode).toBe(201);
    expect(count(t.db, 'bookings')).toBe(1);
  });
});

describe('other endpoints with bad input', () => {
  async function booking() {
    const res = await call(t, 'POST', '/api/v1/bookings', { cookie: staff.cookie, body: { ...good, walkIn: { name: '鈴木 一郎' } } });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: number }).id;
  }

  it.each([
    ['PATCH with an unknown field', 'PATCH', '', { colour: 'red' }],
    ['PATCH with attendees 0', 'PATCH', '', { attendees: 0 }],
    ['PATCH with an off-grid start', 'PATCH', '', { start: '2026-12-10T10:15', end: '2026-12-10T12:00' }],
    ['PATCH with 24:00', 'PATCH', '', { start: '2026-12-10T20:00', end: '2026-12-10T24:00' }],
    ['PATCH with an unknown space', 'PATCH', '', { space: 'attic' }],
    ['a cancel with an unknown field', 'POST', '/cancel', { why: 'x' }],
    ['a cancel reason with a NUL byte', 'POST', '/cancel', { reason: 'a\u0000b' }],
    ['a payment as a string', 'POST', '/payments', { amountYen: '480', method: 'cash' }],
    ['a payment without a method', 'POST', '/payments', { amountYen: 480 }],
    ['an exemption without a reason', 'POST', '/exemption', { percent: 50 }],
    ['a check-in with 1.5 people', 'POST', '/check-in', { attendees: 1.5 }],
  ] as const)('refuses %s with 422 and changes nothing', async (_what, method, suffix, payload) => {
    const id = await booking();
    const before = snapshot(t);
    const row = bookingRow(t, id);
    const problem = expectProblem(await call(t, method, `/api/v1/bookings/${id}${suffix}`, { cookie: staff.cookie, body: payload }), 422, 'validation_failed');
    expect(problem.errors!.length).toBeGreaterThan(0);
    unchanged(before);
    expect(bookingRow(t, id)).toEqual(row);
  });

  it('refuses malformed JSON on PATCH and cancel with 400', async () => {
    const id = await booking();
    const before = snapshot(t);
    expectProblem(await raw(`/api/v1/bookings/${id}`, '{"attendees":', 'application/json', staff.cookie, 'PATCH'), 400, 'bad_request');
    expectProblem(await raw(`/api/v1/bookings/${id}/cancel`, '{', 'application/json', staff.cookie), 400, 'bad_request');
    unchanged(before);
    expect(bookingRow(t, id)!.status).toBe('provisional');
  });

  it('refuses a form-encoded cancel with 415, so a cross-site form cannot cancel with the cookie', async () => {
    const id = await booking();
    const before = snapshot(t);
    expectProblem(await raw(`/api/v1/bookings/${id}/cancel`, 'reason=csrf', 'application/x-www-form-urlencoded', staff.cookie), 415, 'unsupported_media_type');
    expectProblem(await raw(`/api/v1/bookings/${id}/cancel`, 'reason=csrf', 'text/plain', staff.cookie), 415, 'unsupported_media_type');
    unchanged(before);
    expect(bookingRow(t, id)!.status).toBe('provisional');
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x'])(
    'refuses an empty %s cancel sent with the cookie: a form with no fields is still a cross-site write',
    async (contentType) => {
      const id = await booking();
      const before = snapshot(t);
      expectProblem(await raw(`/api/v1/bookings/${id}/cancel`, '', contentType, staff.cookie), 415, 'unsupported_media_type');
      unchanged(before);
      expect(bookingRow(t, id)!.status).toBe('provisional');
    },
  );

  it('accepts an empty form-encoded POST with a Bearer token, which no other site can send', async () => {
    const manager = await user(t, 'manager', 'kanri@example.jp');
    const { token } = (await call(t, 'POST', '/api/v1/api-tokens', { cookie: manager.cookie, body: { name: 'desk' } })).json() as { token: string };
    const id = await booking();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/bookings/${id}/cancel`, payload: '', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(bookingRow(t, id)!.status).toBe('cancelled');
  });

  it('answers an unknown API path with a problem+json 404', async () => {
    expectProblem(await call(t, 'GET', '/api/v1/no-such-thing'), 404, 'not_found');
    expectProblem(await call(t, 'POST', '/api/v1/bookings/1/teleport', { cookie: staff.cookie, body: {} }), 404, 'not_found');
  });
});

describe('a POST that needs no body', () => {
  async function booking() {
    const res = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: good });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: number }).id;
  }

  it('cancels with no body and no content type', async () => {
    const id = await booking();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/bookings/${id}/cancel`, headers: { cookie: member.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled' });
    expect(bookingRow(t, id)!.status).toBe('cancelled');
  });

  it('cancels with an empty application/json body', async () => {
    const id = await booking();
    const res = await raw(`/api/v1/bookings/${id}/cancel`, '', 'application/json', member.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(bookingRow(t, id)!.status).toBe('cancelled');
  });

  it('cancels with {}', async () => {
    const id = await booking();
    const res = await raw(`/api/v1/bookings/${id}/cancel`, '{}', 'application/json', member.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(bookingRow(t, id)!.status).toBe('cancelled');
  });

  it('logs out with no body, with an empty JSON body and with {}', async () => {
    for (const [payload, type] of [[undefined, undefined], ['', 'application/json'], ['{}', 'application/json']] as const) {
      const cookie = await t.login('kaiin@example.jp');
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, ...(type ? { 'content-type': type } : {}) }, ...(payload !== undefined ? { payload } : {}) });
      expect(res.statusCode).toBe(204);
    }
    // Only the sessions opened in beforeEach (staff and member) are left.
    expect(count(t.db, 'sessions')).toBe(2);
  });
});
