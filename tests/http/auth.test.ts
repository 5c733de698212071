import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, PASSWORD, type TestApp } from '../support/app.js';
import { call, expectProblem, makeGroup } from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00');
});
afterEach(async () => {
  await t.close();
});

const login = (email: string, password: string, remoteAddress = '10.0.0.1') =>
  call(t, 'POST', '/api/v1/auth/login', { body: { email, password }, remoteAddress });

const sessionRows = () => t.db.$client.prepare('SELECT * FROM sessions ORDER BY created_at').all() as { id: string; account_id: number }[];

describe('health', () => {
  it('answers ok once the database is open and migrated', async () => {
    const res = await call(t, 'GET', '/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(count(t.db, 'spaces')).toBe(8);
  });
});

describe('login and logout', () => {
  it('logs in with an HttpOnly SameSite session cookie and stores the session', async () => {
    const id = await t.account('individual', 'hanako@example.jp');
    const res = await login('hanako@example.jp', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: { id, role: 'individual', groupId: null } });
    const cookie = res.cookies.find((c) => c.name === 'hiroba_session');
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(String(cookie!.sameSite).toLowerCase()).toMatch(/lax|strict/);
    const rows = sessionRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.account_id).toBe(id);
    // Only a hash of the token is stored: a stolen database holds no usable cookie.
    expect(rows[0]!.id).not.toBe(cookie!.value);
  });

  it('tells a member which group they belong to', async () => {
    const groupId = makeGroup(t, 'みどりの会');
    const id = await t.account('member', 'midori@example.jp', { groupId });
    const res = await login('midori@example.jp', PASSWORD);
    expect(res.json()).toEqual({ user: { id, role: 'member', groupId } });
    expect(sessionRows().map((r) => r.account_id)).toEqual([id]);
  });

  it('opens a new session with a new id at every login', async () => {
    await t.account('individual', 'hanako@example.jp');
    const first = (await login('hanako@example.jp', PASSWORD)).cookies.find((c) => c.name === 'hiroba_session')!.value;
    const second = (await login('hanako@example.jp', PASSWORD)).cookies.find((c) => c.name === 'hiroba_session')!.value;
    expect(second).not.toBe(first);
    const rows = sessionRows();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
  });

  it('refuses a wrong password with 401 unauthenticated and opens no session', async () => {
    await t.account('individual', 'hanako@example.jp');
    const res = await login('hanako@example.jp', 'not the password');
    expectProblem(res, 401, 'unauthenticated');
    expect(res.cookies.find((c) => c.name === 'hiroba_session')).toBeUndefined();
    expect(count(t.db, 'sessions')).toBe(0);
  });

  it('refuses an unknown e-mail address the same way as a wrong password', async () => {
    const res = await login('nobody@example.jp', PASSWORD);
    expectProblem(res, 401, 'unauthenticated');
    expect(count(t.db, 'sessions')).toBe(0);
  });

  it('logs out with 204, removing the session so the cookie no longer works', async () => {
    await t.account('individual', 'hanako@example.jp');
    const cookie = await t.login('hanako@example.jp');
    const before = await call(t, 'GET', '/api/v1/bookings?from=2026-12-01&to=2026-12-31', { cookie });
    expect(before.statusCode).toBe(200);
    const res = await call(t, 'POST', '/api/v1/auth/logout', { cookie });
    expect(res.statusCode).toBe(204);
    expect(count(t.db, 'sessions')).toBe(0);
    const after = await call(t, 'GET', '/api/v1/bookings?from=2026-12-01&to=2026-12-31', { cookie });
    expectProblem(after, 401, 'unauthenticated');
  });

  it('ends only the session it is sent with', async () => {
    await t.account('individual', 'hanako@example.jp');
    const phone = await t.login('hanako@example.jp');
    const laptop = await t.login('hanako@example.jp');
    expect((await call(t, 'POST', '/api/v1/auth/logout', { cookie: phone })).statusCode).toBe(204);
    expect(count(t.db, 'sessions')).toBe(1);
    expect((await call(t, 'GET', '/api/v1/bookings?from=2026-12-01&to=2026-12-31', { cookie: laptop })).statusCode).toBe(200);
  });

  it('treats an expired session as no session', async () => {
    await t.account('individual', 'hanako@example.jp');
    const cookie = await t.login('hanako@example.jp');
    t.clock.advance({ hours: t.config.sessionHours, minutes: 1 });
    expectProblem(await call(t, 'GET', '/api/v1/bookings?from=2026-12-01&to=2026-12-31', { cookie }), 401, 'unauthenticated');
  });
});

describe('login rate limit', () => {
  it('answers 429 rate_limited to an address after 20 failed logins, while another address still logs in', async () => {
    expect(t.config.loginMaxFailures).toBe(20);
    await t.account('individual', 'hanako@example.jp');
    const other = await t.account('individual', 'taro@example.jp');
    for (let i = 0; i < 20; i++) {
      // Spread over many accounts: the limit is on the address, not only on one account.
      expectProblem(await login(`guess${i}@example.jp`, 'wrong password'), 401, 'unauthenticated');
    }
    const blocked = await login('hanako@example.jp', PASSWORD, '10.0.0.1');
    expectProblem(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(count(t.db, 'sessions')).toBe(0);

    const elsewhere = await login('taro@example.jp', PASSWORD, '10.0.0.2');
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.json()).toMatchObject({ user: { id: other } });
    expect(count(t.db, 'sessions')).toBe(1);
  });

  it('answers 429 for one account after 20 failed logins against it from many addresses', async () => {
    await t.account('individual', 'hanako@example.jp');
    await t.account('individual', 'taro@example.jp');
    for (let i = 0; i < 20; i++) {
      expectProblem(await login('hanako@example.jp', 'wrong password', `10.0.1.${i + 1}`), 401, 'unauthenticated');
    }
    expectProblem(await login('hanako@example.jp', PASSWORD, '10.0.2.1'), 429, 'rate_limited');
    expect(count(t.db, 'sessions')).toBe(0);
    // Another account from that fresh address is not affected.
    expect((await login('taro@example.jp', PASSWORD, '10.0.2.1')).statusCode).toBe(200);
    expect(count(t.db, 'sessions')).toBe(1);
  });

  it('does not count successful logins', async () => {
    await t.account('individual', 'hanako@example.jp');
    for (let i = 0; i < 25; i++) expect((await login('hanako@example.jp', PASSWORD)).statusCode).toBe(200);
    expect(count(t.db, 'sessions')).toBe(25);
  });

  it('lets the address try again once the 15-minute window has passed', async () => {
    await t.account('individual', 'hanako@example.jp');
    for (let i = 0; i < 20; i++) await login(`guess${i}@example.jp`, 'wrong password');
    expectProblem(await login('hanako@example.jp', PASSWORD), 429, 'rate_limited');
    t.clock.advance({ minutes: 15 });
    expect((await login('hanako@example.jp', PASSWORD)).statusCode).toBe(200);
  });
});

describe('POST /accounts', () => {
  const signup = { name: '山田 花子', email: 'Hanako.Yamada@example.jp', password: 'sakura-2026-haru', phone: '090-1234-5678' };

  it('creates an individual account with a scrypt hash and never the plain password', async () => {
    const res = await call(t, 'POST', '/api/v1/accounts', { body: signup });
    expect(res.statusCode).toBe(201);
    const { id } = res.json() as { id: number };
    expect(typeof id).toBe('number');
    const row = t.db.$client.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as Record<string, unknown>;
    expect(row).toMatchObject({ role: 'individual', name: '山田 花子', email: 'hanako.yamada@example.jp', group_id: null });
    expect(String(row.password_hash)).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain(signup.password);
    // The new account can log in with the address in any case.
    expect((await login('HANAKO.YAMADA@example.jp', signup.password)).statusCode).toBe(200);
  });

  it('refuses a duplicate e-mail address with 422 on the email field and stores nothing', async () => {
    expect((await call(t, 'POST', '/api/v1/accounts', { body: signup })).statusCode).toBe(201);
    const before = count(t.db, 'accounts');
    const res = await call(t, 'POST', '/api/v1/accounts', { body: { ...signup, email: 'hanako.yamada@EXAMPLE.jp', name: '別人' } });
    const problem = expectProblem(res, 422, 'validation_failed');
    expect(problem.errors?.map((e) => e.path)).toContain('email');
    expect(count(t.db, 'accounts')).toBe(before);
  });

  it.each([
    ['a short password', { password: 'short' }, 'password'],
    ['a malformed e-mail address', { email: 'not-an-address' }, 'email'],
    ['a missing phone', { phone: undefined }, 'phone'],
    ['a name with a NUL byte', { name: '山田\u0000花子' }, 'name'],
  ])('refuses %s with 422 on that field and creates nothing', async (_what, change, path) => {
    const res = await call(t, 'POST', '/api/v1/accounts', { body: { ...signup, ...change } });
    const problem = expectProblem(res, 422, 'validation_failed');
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect(count(t.db, 'accounts')).toBe(0);
  });

  it('never lets a signup choose its role: unknown fields are refused and nothing is stored', async () => {
    const before = count(t.db, 'accounts');
    const res = await call(t, 'POST', '/api/v1/accounts', { body: { ...signup, role: 'manager' } });
    expect(res.statusCode).toBe(422);
    expect(count(t.db, 'accounts')).toBe(before);
    expect(t.db.$client.prepare("SELECT count(*) FROM accounts WHERE role = 'manager'").pluck().get()).toBe(0);
  });
});

describe('API tokens', () => {
  it('lets a manager issue a token that works as a Bearer credential', async () => {
    const managerId = await t.account('manager', 'kanri@example.jp');
    const cookie = await t.login('kanri@example.jp');
    const res = await call(t, 'POST', '/api/v1/api-tokens', { cookie, body: { name: '窓口タブレット' } });
    expect(res.statusCode).toBe(201);
    const { token } = res.json() as { token: string };
    expect(token.length).toBeGreaterThanOrEqual(20);
    const row = t.db.$client.prepare('SELECT * FROM api_tokens').get() as { account_id: number; token_hash: string; name: string };
    expect(row).toMatchObject({ account_id: managerId, name: '窓口タブレット' });
    expect(row.token_hash).not.toBe(token);

    const used = await call(t, 'GET', '/api/v1/bookings?from=2026-12-01&to=2026-12-31', { headers: { authorization: `Bearer ${token}` } });
    expect(used.statusCode).toBe(200);
    expect(used.json()).toEqual([]);
    // A manager's token can do what the manager can: here, a calendar change.
    const put = await call(t, 'PUT', '/api/v1/calendar/2026-12-16', { headers: { authorization: `Bearer ${token}` }, body: { open: '09:00', close: '20:00', reason: '設備点検' } });
    expect(put.statusCode).toBe(200);
    expect(count(t.db, 'day_overrides')).toBe(1);
  });

  it('refuses to issue a token to an individual with 403', async () => {
    await t.account('individual', 'hanako@example.jp');
    const cookie = await t.login('hanako@example.jp');
    expectProblem(await call(t, 'POST', '/api/v1/api-tokens', { cookie, body: { name: 'mine' } }), 403, 'forbidden');
    expect(count(t.db, 'api_tokens')).toBe(0);
  });

  it('refuses to issue a token to staff who are not managers', async () => {
    await t.account('staff', 'madoguchi@example.jp');
    const cookie = await t.login('madoguchi@example.jp');
    expectProblem(await call(t, 'POST', '/api/v1/api-tokens', { cookie, body: { name: 'desk' } }), 403, 'forbidden');
    expect(count(t.db, 'api_tokens')).toBe(0);
  });

  it('refuses to issue a token without a login with 401', async () => {
    expectProblem(await call(t, 'POST', '/api/v1/api-tokens', { body: { name: 'anon' } }), 401, 'unauthenticated');
    expect(count(t.db, 'api_tokens')).toBe(0);
  });

  it.each([
    ['an unknown token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed token', 'Bearer not a token'],
    ['another scheme', 'Basic aGFuYWtvOnBhc3N3b3Jk'],
  ])('answers 401 to %s, even on a public endpoint', async (_what, authorization) => {
    const res = await call(t, 'GET', '/api/v1/spaces', { headers: { authorization } });
    expectProblem(res, 401, 'unauthenticated');
    const write = await call(t, 'POST', '/api/v1/bookings', { headers: { authorization }, body: { space: 'small-1' } });
    expectProblem(write, 401, 'unauthenticated');
    expect(count(t.db, 'bookings')).toBe(0);
  });

  it('stops a revoked token from working', async () => {
    await t.account('manager', 'kanri@example.jp');
    const cookie = await t.login('kanri@example.jp');
    const { token } = (await call(t, 'POST', '/api/v1/api-tokens', { cookie, body: { name: 'old' } })).json() as { token: string };
    t.db.$client.prepare("UPDATE api_tokens SET revoked_at = '2026-12-01T01:00:00.000Z'").run();
    expectProblem(await call(t, 'GET', '/api/v1/bookings?from=2026-12-01&to=2026-12-31', { headers: { authorization: `Bearer ${token}` } }), 401, 'unauthenticated');
  });
});
