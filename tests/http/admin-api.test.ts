import { describe, expect, it } from 'vitest';
import { count, PASSWORD, appPerTest } from '../support/app.js';
import { auditActions, bookingRow, body, call, expectProblem, user } from './helpers.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. small-1 costs ¥200 an hour in the morning; two
// hours at the general rate in the heating season are ¥480.

const app = appPerTest('2026-12-01T10:00', { sessionHours: 24 * 30 });

describe('staff accounts', () => {
  it('a manager creates a clerk, and disabling the clerk deletes their sessions so the cookie stops working', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const created = await call(a, 'POST', '/api/v1/staff-accounts', { cookie: manager.cookie, body: { name: '窓口 太郎', email: 'taro@example.jp', password: PASSWORD, phone: '03-0000-0000' } });
    expect(created.statusCode, created.body).toBe(201);
    const clerkId = (created.json() as { id: number }).id;
    const clerkCookie = await a.login('taro@example.jp');
    await a.login('taro@example.jp'); // a second device
    expect((await call(a, 'GET', '/api/v1/cash-close?date=2026-12-01', { cookie: clerkCookie })).statusCode).toBe(200);
    const list = (await call(a, 'GET', '/api/v1/staff-accounts', { cookie: manager.cookie })).json() as { id: number; sessions: number }[];
    expect(list.find((s) => s.id === clerkId)).toMatchObject({ sessions: 2 });

    const res = await call(a, 'POST', `/api/v1/staff-accounts/${clerkId}/disable`, { cookie: manager.cookie });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: clerkId, sessionsEnded: 2 });
    expect(a.db.$client.prepare('SELECT count(*) AS n FROM sessions WHERE account_id = ?').get(clerkId)).toEqual({ n: 0 });
    expect(a.db.$client.prepare('SELECT disabled_at FROM accounts WHERE id = ?').get(clerkId)).toEqual({ disabled_at: '2026-12-01T01:00:00.000Z' });
    expectProblem(await call(a, 'GET', '/api/v1/cash-close?date=2026-12-01', { cookie: clerkCookie }), 401, 'unauthenticated');
    expectProblem(await call(a, 'POST', '/api/v1/auth/login', { body: { email: 'taro@example.jp', password: PASSWORD } }), 401, 'unauthenticated');
    expect(auditActions(a, 'account.disable')).toMatchObject([{ actor_id: manager.id, entity_id: String(clerkId) }]);

    expect((await call(a, 'POST', `/api/v1/staff-accounts/${clerkId}/enable`, { cookie: manager.cookie })).statusCode).toBe(200);
    expect((await call(a, 'POST', '/api/v1/auth/login', { body: { email: 'taro@example.jp', password: PASSWORD } })).statusCode).toBe(200);
  });

  it('refuses to disable oneself, a citizen, or anything for a clerk', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const citizen = await user(a, 'individual', 'hanako@example.jp');
    expectProblem(await call(a, 'POST', `/api/v1/staff-accounts/${manager.id}/disable`, { cookie: manager.cookie }), 409, 'invalid_state');
    expectProblem(await call(a, 'POST', `/api/v1/staff-accounts/${citizen.id}/disable`, { cookie: manager.cookie }), 404, 'not_found');
    expectProblem(await call(a, 'POST', `/api/v1/staff-accounts/${manager.id}/disable`, { cookie: clerk.cookie }), 403, 'forbidden');
    expectProblem(await call(a, 'GET', '/api/v1/staff-accounts', { cookie: clerk.cookie }), 403, 'forbidden');
    expect(count(a.db, 'sessions')).toBe(3);
  });
});

describe('API tokens', () => {
  it('lists tokens without their secret and revokes one so it stops working', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const issued = await call(a, 'POST', '/api/v1/api-tokens', { cookie: manager.cookie, body: { name: '市の集計システム' } });
    const token = (issued.json() as { token: string }).token;
    expect((await call(a, 'GET', '/api/v1/staff-accounts', { headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const list = (await call(a, 'GET', '/api/v1/api-tokens', { cookie: manager.cookie })).json() as Record<string, unknown>[];
    expect(list).toMatchObject([{ name: '市の集計システム', revokedAt: null, accountName: `manager boss@example.jp` }]);
    expect(JSON.stringify(list)).not.toContain(token);
    const id = list[0]!.id as number;
    expect((await call(a, 'POST', `/api/v1/api-tokens/${id}/revoke`, { cookie: manager.cookie })).statusCode).toBe(200);
    expectProblem(await call(a, 'GET', '/api/v1/staff-accounts', { headers: { authorization: `Bearer ${token}` } }), 401, 'unauthenticated');
    expectProblem(await call(a, 'POST', `/api/v1/api-tokens/${id}/revoke`, { cookie: manager.cookie }), 409, 'invalid_state');
    expect(auditActions(a, 'api_token.revoke')).toHaveLength(1);
  });
});

describe('rates from a date', () => {
  it('a rate from a future date leaves an existing booking’s fee unchanged, while a booking used after that date pays the new rate', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const walkIn = { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' } };
    // Booked before the new fee table, for a date after it takes effect.
    const early = (await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2027-02-10T10:00', '2027-02-10T12:00', walkIn) })).json() as { id: number; totalYen: number };
    expect(early.totalYen).toBe(480);

    const res = await call(a, 'POST', '/api/v1/rates', { cookie: manager.cookie, body: { space: 'small-1', band: 'morning', hourlyYen: 300, effectiveFrom: '2027-02-01' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(a.db.$client.prepare("SELECT hourly_yen, effective_from FROM rate_bands r JOIN spaces s ON s.id = r.space_id WHERE s.slug = 'small-1' AND band = 'morning' ORDER BY effective_from").all())
      .toEqual([{ hourly_yen: 200, effective_from: '2000-01-01' }, { hourly_yen: 300, effective_from: '2027-02-01' }]);
    expect(auditActions(a, 'rate.schedule')).toHaveLength(1);

    // The existing booking keeps its fee, even when changed on its own space.
    expect(bookingRow(a, early.id)!.total_yen).toBe(480);
    const changed = await call(a, 'PATCH', `/api/v1/bookings/${early.id}`, { cookie: clerk.cookie, body: { attendees: 6 } });
    expect(changed.json()).toMatchObject({ totalYen: 480 });
    // A booking used before the date pays the old rate; one used after it the new one (¥600 + 20%).
    const before = (await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2027-01-20T10:00', '2027-01-20T12:00', walkIn) })).json() as { totalYen: number };
    const after = (await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2027-02-11T10:00', '2027-02-11T12:00', walkIn) })).json() as { totalYen: number };
    expect(before.totalYen).toBe(480);
    expect(after.totalYen).toBe(720);
    // The list of rates shows what is in force and what is scheduled.
    const rates = (await call(a, 'GET', '/api/v1/rates', { cookie: manager.cookie })).json() as { slug: string; bands: { band: string; current: { hourlyYen: number }; scheduled: { hourlyYen: number; effectiveFrom: string }[] }[] }[];
    expect(rates.find((s) => s.slug === 'small-1')!.bands[0]).toMatchObject({ band: 'morning', current: { hourlyYen: 200 }, scheduled: [{ hourlyYen: 300, effectiveFrom: '2027-02-01' }] });
  });

  it('refuses today or a past date, an odd amount, an unknown space, and clerks', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const rate = (extra: Record<string, unknown>) => ({ space: 'small-1', band: 'morning', hourlyYen: 300, effectiveFrom: '2027-04-01', ...extra });
    const before = count(a.db, 'rate_bands');
    expect(expectProblem(await call(a, 'POST', '/api/v1/rates', { cookie: manager.cookie, body: rate({ effectiveFrom: '2026-12-01' }) }), 422, 'validation_failed').errors).toMatchObject([{ path: 'effectiveFrom' }]);
    expectProblem(await call(a, 'POST', '/api/v1/rates', { cookie: manager.cookie, body: rate({ hourlyYen: 301 }) }), 422, 'validation_failed');
    expectProblem(await call(a, 'POST', '/api/v1/rates', { cookie: manager.cookie, body: rate({ space: 'attic' }) }), 422, 'validation_failed');
    expectProblem(await call(a, 'POST', '/api/v1/rates', { cookie: clerk.cookie, body: rate({}) }), 403, 'forbidden');
    expect(count(a.db, 'rate_bands')).toBe(before);
  });
});

describe('the audit log', () => {
  it('filters by who, what, which entity and date range', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const walkIn = { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' } };
    const b = (await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2026-12-10T10:00', '2026-12-10T12:00', walkIn) })).json() as { id: number };
    a.clock.set('2026-12-03T10:00');
    await call(a, 'POST', `/api/v1/bookings/${b.id}/payments`, { cookie: clerk.cookie, body: { amountYen: 480, method: 'cash' } });
    await call(a, 'POST', '/api/v1/rates', { cookie: manager.cookie, body: { space: 'hall', band: 'evening', hourlyYen: 2600, effectiveFrom: '2027-04-01' } });

    const entries = async (query: string) => {
      const res = await call(a, 'GET', `/api/v1/audit-log?${query}`, { cookie: manager.cookie });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { entries: { action: string; actorId: number | null; entityId: string }[] }).entries;
    };
    expect((await entries(`actor=${clerk.id}`)).map((e) => e.action)).toEqual(['payment.receive', 'booking.create', 'login']);
    expect((await entries('actor=boss')).map((e) => e.action)).toEqual(['rate.schedule', 'login']);
    expect((await entries('action=booking.create')).map((e) => e.entityId)).toEqual([String(b.id)]);
    expect((await entries('action=payment.')).map((e) => e.action)).toEqual(['payment.receive']);
    expect((await entries(`entity=booking&entityId=${b.id}`)).map((e) => e.action)).toEqual(['payment.receive', 'booking.create']);
    expect((await entries('from=2026-12-03&to=2026-12-03')).map((e) => e.action)).toEqual(['rate.schedule', 'payment.receive']);
    expect((await entries('from=2026-12-01&to=2026-12-01&action=login')).length).toBe(2);
    expectProblem(await call(a, 'GET', '/api/v1/audit-log?from=2026-12-05&to=2026-12-01', { cookie: manager.cookie }), 422, 'validation_failed');
    expectProblem(await call(a, 'GET', '/api/v1/audit-log', { cookie: clerk.cookie }), 403, 'forbidden');
  });
});

describe('rules as data', () => {
  it('replaces a section, validated, audited and in force at once; a calendar that strands bookings is refused', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const rules = (await call(a, 'GET', '/api/v1/rules', { cookie: manager.cookie })).json() as { key: string; value: Record<string, unknown> }[];
    const windows = rules.find((r) => r.key === 'windows')!.value;
    const res = await call(a, 'PUT', '/api/v1/rules/windows', { cookie: manager.cookie, body: { ...windows, onlineCutoffDays: 5 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(JSON.parse((a.db.$client.prepare("SELECT value_json FROM rule_versions WHERE key = 'windows' AND effective_from = '2026-12-01'").get() as { value_json: string }).value_json)).toMatchObject({ onlineCutoffDays: 5 });
    expect(auditActions(a, 'rules.set')).toHaveLength(1);
    expectProblem(await call(a, 'PUT', '/api/v1/rules/windows', { cookie: manager.cookie, body: { ...windows, onlineCutoffDays: -1 } }), 422, 'validation_failed');
    expectProblem(await call(a, 'PUT', '/api/v1/rules/nothing', { cookie: manager.cookie, body: {} }), 404, 'not_found');
    expectProblem(await call(a, 'PUT', '/api/v1/rules/windows', { cookie: clerk.cookie, body: windows }), 403, 'forbidden');

    // A booking on Thursday 10 December; closing every Thursday... is not a Monday rule, so shorten the day instead.
    await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2026-12-10T20:00', '2026-12-10T22:00', { walkIn: { name: '佐藤', phone: '090-1111-2222' } }) });
    const calendar = rules.find((r) => r.key === 'calendar')!.value;
    const refused = expectProblem(await call(a, 'PUT', '/api/v1/rules/calendar', { cookie: manager.cookie, body: { ...calendar, defaultClose: '21:00' } }), 409, 'conflict');
    expect(refused.conflicts).toHaveLength(1);
    expect(JSON.parse((a.db.$client.prepare("SELECT value_json FROM rule_versions WHERE key = 'calendar' ORDER BY effective_from DESC LIMIT 1").get() as { value_json: string }).value_json)).toMatchObject({ defaultClose: '22:00' });
  });
});
