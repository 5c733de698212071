/**
 * Cross-site request forgery, generated from the routes the app registers (rows of
 * access-table.ts): every HTML form POST refuses a request without the `_csrf` field that matches
 * the CSRF cookie, and every JSON API write sent with a session cookie refuses what a cross-site
 * form can send (urlencoded, multipart, text/plain). A new form or API write is covered as soon as
 * it has its row in the table, which access-control.test.ts makes sure of.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLES, TABLE, buildWorld, classify, isApiPath, isFormPost, probe, splitKey, type RoleName, type Row, type World } from './access-table.js';

const registered = vi.hoisted(() => new Set<string>());
vi.mock('fastify', async (original) => (await import('../support/routes.js')).collectingRoutes(await original(), registered));

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w.t.close();
});

/** The signed-in role the row allows first: the one that would really use the form. */
function allowedRole(row: Row): RoleName {
  const role = ROLES.find((r) => r !== 'anonymous' && row.access[r] === 'ok');
  if (!role) throw new Error('no signed-in role may use this route');
  return role;
}

const FORMS = Object.entries(TABLE).filter(([key]) => isFormPost(key));
const API_POSTS = Object.entries(TABLE).filter(([key]) => splitKey(key)[0] === 'POST' && splitKey(key)[1].startsWith('/api/'));

it('covers every form and every API POST the app registers', () => {
  const forms = [...registered].filter(isFormPost);
  const apiPosts = [...registered].filter((key) => splitKey(key)[0] === 'POST' && splitKey(key)[1].startsWith('/api/'));
  expect(forms.length).toBeGreaterThan(40);
  expect(apiPosts.length).toBeGreaterThan(30);
  // Feeds and reports are GET only: nothing outside the API and the pages takes a POST.
  expect([...registered].filter((key) => splitKey(key)[0] !== 'GET' && !isApiPath(splitKey(key)[1]) && !isFormPost(key))).toEqual([]);
  expect(FORMS.map(([key]) => key).sort()).toEqual(forms.sort());
  expect(API_POSTS.map(([key]) => key).sort()).toEqual(apiPosts.sort());
});

describe('every HTML form refuses a post without its CSRF token', () => {
  it.each(FORMS)('%s', async (key, row) => {
    const role = allowedRole(row);
    for (const csrf of ['missing', 'wrong', 'no-cookie'] as const) {
      const { res, changed } = await probe(w, key, row, role, { csrf });
      expect(res.statusCode, `${csrf} token as ${role}`).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      // The CSRF refusal (the form has expired), not the page that says the role may not do this.
      expect(res.body).toContain('フォームの有効期限');
      expect(res.body).not.toContain('権限がありません');
      expect(changed, `${csrf} token as ${role}`).toEqual([]);
      expect(res.headers['set-cookie'] ?? '').not.toMatch(/hiroba_session=[^;]/);
    }
    // The same post with the token goes through to the role check and the form: the 403s above were the token's.
    const { res } = await probe(w, key, row, role, { csrf: 'valid' });
    expect(classify(key, res), `with the token as ${role}`).toBe('ok');
  });
});

describe('every API POST refuses, with a session cookie, a body a cross-site form can send', () => {
  it.each(API_POSTS)('%s', async (key, row) => {
    const role = allowedRole(row);
    for (const encoding of ['form', 'multipart', 'text'] as const) {
      const { res, changed } = await probe(w, key, row, role, { encoding });
      expect(res.statusCode, `${encoding} as ${role}`).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(changed, `${encoding} as ${role}`).toEqual([]);
    }
    const { res } = await probe(w, key, row, role, { encoding: 'json' });
    expect(classify(key, res), `as JSON as ${role}`).toBe('ok');
  });
});
