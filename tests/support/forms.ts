import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';

/**
 * GETs a page with a form and returns its `_csrf` token with the cookie header to post it with
 * (the caller's cookies plus the CSRF cookie the page set), as a browser would.
 */
export async function openForm(a: TestApp, url: string, cookie = ''): Promise<{ token: string; cookie: string; res: LightMyRequestResponse; page: LightMyRequestResponse }> {
  const res = await a.app.inject({ url, headers: cookie ? { cookie } : {} });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  if (!token) throw new Error(`no _csrf field on ${url} (${res.statusCode})`);
  const csrf = res.cookies.find((c) => c.name === 'hiroba_csrf')?.value;
  return { token, res, page: res, cookie: [cookie, csrf ? `hiroba_csrf=${csrf}` : ''].filter(Boolean).join('; ') };
}

/** POSTs a form as `application/x-www-form-urlencoded`, the way browsers send HTML forms. */
export function postForm(a: TestApp, url: string, fields: Record<string, string>, cookie: string): Promise<LightMyRequestResponse> {
  return a.app.inject({
    method: 'POST', url, payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
  });
}

/** An account of the role, logged in, with a page's form open: what posting that page's forms needs. */
export async function signedInForm(a: TestApp, role: 'individual' | 'member' | 'staff' | 'manager', email: string, url: string) {
  const id = await a.account(role, email);
  const session = await a.login(email);
  const form = await openForm(a, url, session);
  return { id, session, token: form.token, cookie: form.cookie, page: form.page };
}
