/**
 * Security headers on every kind of answer (pages.test.ts checks the CSP of the home page's
 * markup; this covers the other directives, the other answers and caching): a public page, a
 * signed-in page, API answers and errors, a static file and a feed. Then, generated from the
 * route table, every GET a signed-in person makes is answered `no-store`, so personal data never
 * lands in a browser's or a proxy's cache (the desk's and the center's computers are shared).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ROLES, TABLE, buildWorld, isApiPath, probe, splitKey, type World } from './access-table.js';

const registered = vi.hoisted(() => new Set<string>());
vi.mock('fastify', async (original) => (await import('../support/routes.js')).collectingRoutes(await original(), registered));

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w.t.close();
});

/** The CSP as directive → sources. */
function csp(res: LightMyRequestResponse): Map<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return new Map(header.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name!.toLowerCase(), sources];
  }));
}

function expectStrictHeaders(what: string, res: LightMyRequestResponse) {
  const policy = csp(res);
  expect(policy.get('default-src'), what).toEqual(["'self'"]);
  expect(policy.get('object-src'), what).toEqual(["'none'"]);
  expect(policy.get('base-uri'), what).toEqual(["'none'"]);
  expect(policy.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(policy.get('form-action'), what).toEqual(["'self'"]);
  const scripts = policy.get('script-src') ?? policy.get('default-src') ?? [];
  expect(scripts, what).not.toContain("'unsafe-inline'");
  expect(scripts, what).not.toContain("'unsafe-eval'");
  expect(scripts.filter((s) => s === '*' || s.endsWith(':')), what).toEqual([]); // no wildcard, data: or https:
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'], what).toContain(res.headers['referrer-policy']);
  // Browsers that do not read frame-ancestors: no framing either, not even by the site itself.
  expect(res.headers['x-frame-options'], what).toBe('DENY');
}

describe('security headers', () => {
  it('are strict on a public page, a signed-in page, API answers and errors, a static file and a feed', async () => {
    const { t, cookies } = w;
    const get = (url: string, cookie?: string) => t.app.inject({ url, headers: cookie ? { cookie } : {} });
    const answers: [string, LightMyRequestResponse][] = [
      ['a public page', await get('/')],
      ['a signed-in page', await get('/my/bookings', cookies.member)],
      ['a desk page', await get(`/desk/bookings/${w.booking}`, cookies.staff)],
      ['an API answer', await get('/api/v1/spaces')],
      ['a signed-in API answer', await get(`/api/v1/bookings/${w.booking}`, cookies.member)],
      ['an API refusal', await get(`/api/v1/bookings/${w.booking}`)],
      ['a page not found', await get('/no-such-page')],
      ['a PDF', await get(`/api/v1/bookings/${w.booking}/permit.pdf`, cookies.member)],
      ['a static file', await get('/static/css/hiroba.css')],
      ['a feed', await get('/calendars/spaces/small-1.ics')],
    ];
    expect(answers.map(([what, res]) => [what, res.statusCode])).toEqual([
      ['a public page', 200], ['a signed-in page', 200], ['a desk page', 200], ['an API answer', 200], ['a signed-in API answer', 200],
      ['an API refusal', 401], ['a page not found', 404], ['a PDF', 200], ['a static file', 200], ['a feed', 200],
    ]);
    for (const [what, res] of answers) expectStrictHeaders(what, res);
  });

  it('let an anonymous page be revalidated, but never store a signed-in one', async () => {
    const home = await w.t.app.inject('/');
    expect(home.headers['cache-control']).toBe('private, no-cache');
    const signedIn = await w.t.app.inject({ url: '/', headers: { cookie: w.cookies.individual } });
    expect(signedIn.headers['cache-control']).toBe('no-store');
  });
});

/** Answers that set their own caching on purpose: long-lived hashed assets, and feeds keyed by their URL (a token), not by a login. */
const OWN_CACHING = (path: string) => path.startsWith('/static/') || path.startsWith('/calendars/');
const SIGNED_IN_GETS = Object.entries(TABLE).filter(([key]) => splitKey(key)[0] === 'GET' && !OWN_CACHING(splitKey(key)[1]));

describe('every GET a signed-in person makes is answered no-store', () => {
  it('covers every GET route the app registers', () => {
    const gets = [...registered].filter((key) => splitKey(key)[0] === 'GET' && !OWN_CACHING(splitKey(key)[1]));
    expect(gets.length).toBeGreaterThan(60);
    expect(SIGNED_IN_GETS.map(([key]) => key).sort()).toEqual(gets.sort());
  });

  it.each(SIGNED_IN_GETS)('%s', async (key, row) => {
    // Each signed-in role the row lets in (its own answer may differ by role).
    const roles = ROLES.filter((r) => r !== 'anonymous' && row.access[r] === 'ok');
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      const { res } = await probe(w, key, row, role);
      const what = `${key} as ${role} (${res.statusCode}, ${String(res.headers['content-type'])})`;
      expect(String(res.headers['cache-control'] ?? ''), what).toMatch(/(^|[\s,])no-store([\s,]|$)/);
      if (!isApiPath(splitKey(key)[1]) && String(res.headers['content-type']).startsWith('text/html')) {
        expect(res.headers['cache-control'], what).toBe('no-store');
      }
    }
  });
});
