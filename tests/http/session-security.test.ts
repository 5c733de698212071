/**
 * Sessions and cookies beyond what auth.test.ts, pages.test.ts and the admin tests already show
 * (a new id at each API login, API logout, expiry, disabling a clerk by API and by page, the
 * session cookie's HttpOnly/SameSite): no session fixation through the login form, the form logout
 * and a member's removal really ending sessions, the attributes of every cookie the app sets, the
 * `Secure` flag under COOKIE_SECURE, and what TRUST_PROXY does with the X-Forwarded-* headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { readConfig } from '../../server/config.js';
import { count, makeTestApp, PASSWORD, type TestApp } from '../support/app.js';
import { openForm, postForm } from '../support/forms.js';
import { call, makeGroup } from './helpers.js';

const BOOKINGS = '/api/v1/bookings?from=2026-12-01&to=2026-12-31';
const sessionOf = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'hiroba_session')?.value;

describe('session ids and ending sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp('2026-12-01T10:00');
    await t.account('individual', 'hanako@example.jp');
    await t.account('individual', 'taro@example.jp');
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives a new session id at a form login, never the session cookie the browser came with (no fixation)', async () => {
    // An attacker who planted a session cookie in the victim's browser must not share the victim's session.
    const planted = 'attacker-chosen-session-id-0123456789abcdefgh';
    const form = await openForm(t, '/login', `hiroba_session=${planted}`);
    const res = await postForm(t, '/login', { _csrf: form.token, email: 'hanako@example.jp', password: PASSWORD }, form.cookie);
    expect(res.statusCode).toBe(303);
    const issued = sessionOf(res);
    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);
    expect(issued!.length).toBeGreaterThanOrEqual(43); // 256 random bits in base64url
    expect((await call(t, 'GET', BOOKINGS, { cookie: `hiroba_session=${planted}` })).statusCode).toBe(401);
    expect((await call(t, 'GET', BOOKINGS, { cookie: `hiroba_session=${issued}` })).statusCode).toBe(200);
  });

  it('ends the session a browser already had when someone logs in on it again', async () => {
    const before = count(t.db, 'sessions');
    const hanako = await t.login('hanako@example.jp');
    // A login form opened before (in another tab): the browser still sends the first session with it.
    const form = await openForm(t, '/', hanako);
    // Another person logs in on the same shared computer: the first session must not linger.
    const res = await postForm(t, '/login', { _csrf: form.token, email: 'taro@example.jp', password: PASSWORD }, form.cookie);
    expect(res.statusCode).toBe(303);
    const taro = sessionOf(res)!;
    expect(`hiroba_session=${taro}`).not.toBe(hanako);
    expect((await call(t, 'GET', BOOKINGS, { cookie: hanako })).statusCode).toBe(401);
    expect((await call(t, 'GET', BOOKINGS, { cookie: `hiroba_session=${taro}` })).statusCode).toBe(200);
    expect(count(t.db, 'sessions')).toBe(before + 1);
  });

  it('logging out through the form ends the session: the old cookie is refused by the API with 401', async () => {
    const session = await t.login('hanako@example.jp');
    expect((await call(t, 'GET', BOOKINGS, { cookie: session })).statusCode).toBe(200);
    const form = await openForm(t, '/', session);
    const res = await postForm(t, '/logout', { _csrf: form.token }, form.cookie);
    expect(res.statusCode).toBe(303);
    const after = await call(t, 'GET', BOOKINGS, { cookie: session });
    expect(after.statusCode).toBe(401);
    expect((after.json() as { code: string }).code).toBe('unauthenticated');
    // The pages treat the old cookie as no login at all.
    const page = await t.app.inject({ url: '/my/bookings', headers: { cookie: session } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fmy%2Fbookings');
  });

  it('removing a member from a group ends every session of theirs', async () => {
    const groupId = makeGroup(t, '青空の会');
    await t.account('member', 'rep@example.jp', { groupId, isRepresentative: true });
    const memberId = await t.account('member', 'jiro@example.jp', { groupId });
    const rep = await t.login('rep@example.jp');
    const phone = await t.login('jiro@example.jp');
    const laptop = await t.login('jiro@example.jp');
    expect((await call(t, 'GET', BOOKINGS, { cookie: phone })).statusCode).toBe(200);
    const res = await call(t, 'DELETE', `/api/v1/groups/${groupId}/members/${memberId}`, { cookie: rep });
    expect(res.statusCode, res.body).toBe(200);
    expect(t.db.$client.prepare('SELECT count(*) FROM sessions WHERE account_id = ?').pluck().get(memberId)).toBe(0);
    for (const cookie of [phone, laptop]) expect((await call(t, 'GET', BOOKINGS, { cookie })).statusCode).toBe(401);
    expect((await call(t, 'POST', '/api/v1/auth/login', { body: { email: 'jiro@example.jp', password: PASSWORD } })).statusCode).toBe(401);
  });
});

/** Every cookie a visitor collects on the way: the CSRF cookie, the session, the flash message, the language, and their clearing. */
async function cookieJourney(t: TestApp) {
  const form = await t.app.inject('/login');
  const login = await postForm(t, '/login', { _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!, email: 'hanako@example.jp', password: PASSWORD }, `hiroba_csrf=${form.cookies.find((c) => c.name === 'hiroba_csrf')!.value}`);
  const session = `hiroba_session=${sessionOf(login)}`;
  const flashed = await t.app.inject({ url: '/', headers: { cookie: `${session}; hiroba_flash=flash.loggedIn` } });
  const lang = await t.app.inject('/lang/en?next=/');
  const home = await openForm(t, '/', session);
  const logout = await postForm(t, '/logout', { _csrf: home.token }, home.cookie);
  const api = await call(t, 'POST', '/api/v1/auth/login', { body: { email: 'hanako@example.jp', password: PASSWORD } });
  const apiLogout = await call(t, 'POST', '/api/v1/auth/logout', { cookie: `hiroba_session=${sessionOf(api)}` });
  const all = [form, login, flashed, lang, logout, api, apiLogout].flatMap((res) => res.cookies);
  expect(new Set(all.map((c) => c.name))).toEqual(new Set(['hiroba_csrf', 'hiroba_session', 'hiroba_flash', 'hiroba_lang']));
  // Both kinds: cookies that are set, and cookies that are cleared (an expired empty value).
  expect(all.some((c) => c.name === 'hiroba_session' && c.value === '')).toBe(true);
  expect(all.some((c) => c.name === 'hiroba_flash' && c.value === '')).toBe(true);
  return all;
}

describe('cookie attributes', () => {
  it('every cookie the app sets or clears is HttpOnly, SameSite=Lax on Path=/, and not Secure by default', async () => {
    const t = await makeTestApp('2026-12-01T10:00');
    try {
      await t.account('individual', 'hanako@example.jp');
      for (const c of await cookieJourney(t)) {
        expect({ name: c.name, httpOnly: c.httpOnly, sameSite: String(c.sameSite).toLowerCase(), path: c.path, secure: c.secure ?? false })
          .toEqual({ name: c.name, httpOnly: true, sameSite: 'lax', path: '/', secure: false });
      }
    } finally {
      await t.close();
    }
  });

  it('with COOKIE_SECURE=true every cookie, clearing ones included, carries Secure', async () => {
    const t = await makeTestApp('2026-12-01T10:00', { cookieSecure: true });
    try {
      await t.account('individual', 'hanako@example.jp');
      for (const c of await cookieJourney(t)) {
        expect({ name: c.name, secure: c.secure, httpOnly: c.httpOnly, sameSite: String(c.sameSite).toLowerCase() })
          .toEqual({ name: c.name, secure: true, httpOnly: true, sameSite: 'lax' });
      }
    } finally {
      await t.close();
    }
  });
});

/**
 * TRUST_PROXY, as it behaves (documented here because it matters when deploying):
 * - false (the default): X-Forwarded-For and X-Forwarded-Proto are ignored. The login limit counts
 *   the connection's address, so a client cannot escape it by inventing X-Forwarded-For values,
 *   and links the app writes (a group's feed address) use the connection's scheme.
 * - true: Fastify trusts every hop. The client address is the FIRST address of X-Forwarded-For
 *   and the scheme is X-Forwarded-Proto. That is right only behind a proxy that replaces the
 *   client's X-Forwarded-For (nginx `proxy_set_header X-Forwarded-For $remote_addr;`): a proxy that
 *   appends to it lets a client choose the address the per-address login limit counts (the
 *   per-account limit still holds).
 * - `Secure` on cookies comes only from COOKIE_SECURE, never from X-Forwarded-Proto: behind an HTTPS
 *   proxy set COOKIE_SECURE=true as well.
 */
describe('behind a proxy', () => {
  const failLogin = (t: TestApp, i: number, headers: Record<string, string>) =>
    call(t, 'POST', '/api/v1/auth/login', { body: { email: `guess${i}@example.jp`, password: 'wrong password' }, headers, remoteAddress: '10.0.0.1' });

  let groups = 0;
  async function feedUrl(t: TestApp, headers: Record<string, string>): Promise<string> {
    groups += 1;
    const groupId = makeGroup(t, `フィードの会${groups}`);
    const email = `rep${groupId}@example.jp`;
    await t.account('member', email, { groupId, isRepresentative: true });
    const res = await call(t, 'POST', `/api/v1/groups/${groupId}/calendar-token`, { cookie: await t.login(email), headers });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { url: string }).url;
  }

  it('without TRUST_PROXY ignores X-Forwarded-For and X-Forwarded-Proto', async () => {
    const t = await makeTestApp('2026-12-01T10:00', { loginMaxFailures: 3 });
    try {
      await t.account('individual', 'hanako@example.jp');
      for (let i = 0; i < 3; i++) expect((await failLogin(t, i, { 'x-forwarded-for': `203.0.113.${i + 1}` })).statusCode).toBe(401);
      // A fourth invented address does not help: the limit is on the connection's address.
      const blocked = await call(t, 'POST', '/api/v1/auth/login', { body: { email: 'hanako@example.jp', password: PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.99' }, remoteAddress: '10.0.0.1' });
      expect(blocked.statusCode).toBe(429);
      expect(count(t.db, 'sessions')).toBe(0);
      expect(await feedUrl(t, { 'x-forwarded-proto': 'https' })).toMatch(/^http:\/\/localhost(:\d+)?\/calendars\/groups\/[A-Za-z0-9_-]{43}\.ics$/);
    } finally {
      await t.close();
    }
  });

  it('with TRUST_PROXY=1 counts the address the one proxy appended, so a client cannot choose it', async () => {
    expect(readConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(readConfig({ TRUST_PROXY: '10.0.0.1, 10.0.1.0/24' }).trustProxy).toBe('10.0.0.1, 10.0.1.0/24');
    expect(() => readConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
    const t = await makeTestApp('2026-12-01T10:00', { loginMaxFailures: 3, trustProxy: 1 });
    try {
      await t.account('individual', 'hanako@example.jp');
      // The client writes its own X-Forwarded-For; the proxy appends the real address (198.51.100.7).
      for (let i = 0; i < 3; i++) expect((await failLogin(t, i, { 'x-forwarded-for': `192.0.2.${i + 1}, 198.51.100.7` })).statusCode).toBe(401);
      expect((await failLogin(t, 9, { 'x-forwarded-for': '192.0.2.200, 198.51.100.7' })).statusCode).toBe(429);
      // Another real client behind the same proxy is not blocked.
      const other = await call(t, 'POST', '/api/v1/auth/login', { body: { email: 'hanako@example.jp', password: PASSWORD }, headers: { 'x-forwarded-for': '198.51.100.7, 198.51.100.8' }, remoteAddress: '10.0.0.1' });
      expect(other.statusCode).toBe(200);
      expect(count(t.db, 'sessions')).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('with TRUST_PROXY takes the client address and scheme from the proxy, but Secure only from COOKIE_SECURE', async () => {
    const t = await makeTestApp('2026-12-01T10:00', { loginMaxFailures: 3, trustProxy: true });
    try {
      await t.account('individual', 'hanako@example.jp');
      for (let i = 0; i < 3; i++) expect((await failLogin(t, i, { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(401);
      // The limit now counts the address the proxy reports: that client is blocked …
      expect((await failLogin(t, 9, { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(429);
      // … while another client behind the same proxy (same connection address) still logs in.
      const other = await call(t, 'POST', '/api/v1/auth/login', { body: { email: 'hanako@example.jp', password: PASSWORD }, headers: { 'x-forwarded-for': '198.51.100.8', 'x-forwarded-proto': 'https' }, remoteAddress: '10.0.0.1' });
      expect(other.statusCode).toBe(200);
      // Every hop is trusted: with an appending proxy the first (client-written) address is the one counted.
      expect((await failLogin(t, 10, { 'x-forwarded-for': '198.51.100.7, 10.0.0.1' })).statusCode).toBe(429);
      expect((await failLogin(t, 11, { 'x-forwarded-for': '192.0.2.55, 198.51.100.7' })).statusCode).toBe(401);
      // The scheme of links follows X-Forwarded-Proto …
      expect(await feedUrl(t, { 'x-forwarded-proto': 'https' })).toMatch(/^https:\/\/localhost(:\d+)?\/calendars\/groups\//);
      // … but the cookie of that HTTPS login is not Secure: only COOKIE_SECURE sets it.
      const cookie = other.cookies.find((c) => c.name === 'hiroba_session');
      expect(cookie?.secure ?? false).toBe(false);
    } finally {
      await t.close();
    }
  });
});
