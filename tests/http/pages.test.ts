import { describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { count, PASSWORD, type TestApp, appPerTest } from '../support/app.js';
import { spaceBlocks, spaces } from '../../db/schema.js';
import { at, toStored } from '../../server/domain/time.js';
import { openForm, postForm } from '../support/forms.js';

const app = appPerTest('2026-12-01T10:00');

/** The row of the spaces table whose row header is exactly `name`. */
function rowOf(html: string, name: string): string {
  const row = html.split('<tr').find((r) => new RegExp(`role="rowheader">\\s*${name.replace(/[()（）]/g, '\\$&')}\\s*<`).test(r));
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

/** Blocks a space directly in the database (bookings come later; a block occupies a space the same way). */
function block(app: TestApp, slug: string, date: string, from: string, to: string) {
  const space = app.db.select().from(spaces).all().find((s) => s.slug === slug)!;
  app.db.insert(spaceBlocks).values({
    spaceId: space.id, startAt: toStored(at(date, from)), endAt: toStored(at(date, to)), reason: 'test', createdAt: toStored(at(date, '00:00')),
  }).run();
}

function cookieValue(res: LightMyRequestResponse, name: string): string | undefined {
  return res.cookies.find((c) => c.name === name)?.value;
}

function setCookieHeader(res: LightMyRequestResponse, name: string): string {
  const header = res.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  return all.find((h) => h.startsWith(`${name}=`)) ?? '';
}

const openLoginForm = (a: TestApp) => openForm(a, '/login');

describe('the home page', () => {
  it('shows today in Japanese: the hours and every space with its capacity and rates', async () => {
    const a = await app('2026-12-01T10:00');
    const res = await a.app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="ja">');
    expect(res.body).toContain('<title>2026年12月1日(火)の空き状況 | 市民活動交流センター Hiroba</title>');
    expect(res.body).toContain('開館 09:00〜22:00');
    for (const name of ['ホール', '会議研修室（全面）', '会議研修室A', '会議研修室B', '小会議室1', '小会議室2', '談話・展示コーナー', '円環広場']) {
      expect(res.body).toContain(name);
    }
    const hall = rowOf(res.body, 'ホール');
    expect(hall).toContain('180人');
    expect(hall).toContain('¥2,000');
    expect(hall).toContain('¥2,400');
    expect(hall).toContain('09:00–22:00');
  });

  it('lists the free and the booked times of each space, a whole room being busy when a part is', async () => {
    const a = await app('2026-12-01T10:00');
    block(a, 'small-1', '2026-12-01', '13:00', '15:00');
    block(a, 'training-a', '2026-12-01', '09:00', '12:00');
    const res = await a.app.inject('/');
    const small = rowOf(res.body, '小会議室1');
    expect(small).toMatch(/<dt>空き<\/dt><dd>09:00–13:00、15:00–22:00<\/dd>/);
    expect(small).toMatch(/<dt>予約済み<\/dt><dd>13:00–15:00<\/dd>/);
    // The bar draws the same periods; it is hidden from screen readers, which read the text above.
    expect(small).toMatch(/<svg class="bar"[^>]*aria-hidden="true"/);
    expect(small).toMatch(/<rect class="bar__busy" x="30.769%" y="0" width="15.385%"/);
    expect(rowOf(res.body, '会議研修室（全面）')).toMatch(/<dt>予約済み<\/dt><dd>09:00–12:00<\/dd>/);
    expect(rowOf(res.body, '会議研修室B')).toMatch(/<dt>予約済み<\/dt><dd>予約なし<\/dd>/);
  });

  it('says the outdoor plaza cannot be used out of season', async () => {
    const a = await app('2026-12-01T10:00');
    const res = await a.app.inject('/');
    expect(rowOf(res.body, '円環広場')).toContain('利用できません（利用期間外）');
  });

  it('says so on a closed day, with the reason', async () => {
    const a = await app('2026-12-30T10:00');
    const res = await a.app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('休館日（年末年始休館）');
    expect(res.body).toContain('この日は休館日のため、施設は利用できません。');
    expect(res.body).not.toContain('開館 09:00');
    expect(res.body).not.toContain('class="bar"');
  });

  it('opens on a 2nd Monday that is a holiday, names the holiday and lists the substitute closing day', async () => {
    // 2027-01-11 is 成人の日: the center opens, and closes on Tuesday the 12th instead.
    const a = await app('2027-01-05T10:00');
    const res = await a.app.inject('/?date=2027-01-11');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2027年1月11日(月)の空き状況');
    expect(res.body).toContain('開館 09:00〜22:00');
    expect(res.body).toContain('祝日：成人の日');
    expect(res.body).not.toContain('class="badge"');
    expect(res.body).toMatch(/1月12日\(火\)<\/a><\/th>\s*<td>休館<\/td>\s*<td>定例休館日<\/td>/);
  });

  it('lists the closing days and holidays of the next 30 days', async () => {
    const a = await app('2026-12-01T10:00');
    const res = await a.app.inject('/');
    expect(res.body).toContain('2026年12月2日(水)から30日間の休館日・祝日');
    expect(res.body).toMatch(/12月14日\(月\)<\/a><\/th>\s*<td>休館<\/td>\s*<td>定例休館日<\/td>/);
    expect(res.body).toMatch(/12月29日\(火\)<\/a><\/th>\s*<td>休館<\/td>\s*<td>年末年始休館<\/td>/);
    expect(res.body).toMatch(/12月31日\(木\)<\/a><\/th>\s*<td>休館<\/td>\s*<td>年末年始休館<\/td>/);
    expect(res.body).not.toContain('1月1日(金)'); // 31 days ahead: outside the list
  });

  it('answers 400 for a date that does not exist, without echoing the input', async () => {
    const a = await app();
    const bad = await a.app.inject('/?date=2026-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<html lang="ja">');
    expect(bad.body).toContain('日付が正しくありません');
    const script = await a.app.inject(`/?date=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(script.statusCode).toBe(400);
    expect(script.body).not.toContain('<script>alert(1)</script>');
  });

  it('is in English with the language cookie', async () => {
    const a = await app('2026-12-01T10:00');
    const res = await a.app.inject({ url: '/', headers: { cookie: 'hiroba_lang=en' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<title>Availability on Tue, 1 Dec 2026 | Civic Activity Exchange Center Hiroba</title>');
    expect(res.body).toContain('Open 09:00–22:00');
    expect(res.body).toContain('Training room A');
    expect(res.body).toContain('Regular closing day');
    expect(res.body).not.toContain('ホーム');
    expect(res.body).not.toContain('空き状況');
  });
});

describe('the language switch', () => {
  it('sets a year-long HttpOnly cookie and goes back to the page it came from', async () => {
    const a = await app();
    const res = await a.app.inject(`/lang/en?next=${encodeURIComponent('/?date=2026-12-05')}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/?date=2026-12-05');
    const cookie = setCookieHeader(res, 'hiroba_lang');
    expect(cookie).toMatch(/^hiroba_lang=en;/);
    expect(cookie).toContain('Max-Age=31536000');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('never redirects to another site', async () => {
    const a = await app();
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/\r\nSet-Cookie: x=1', '']) {
      const res = await a.app.inject(`/lang/ja?next=${encodeURIComponent(next)}`);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location, next).toBe('/');
    }
  });

  it('answers 404 for a language it does not have', async () => {
    const a = await app();
    const res = await a.app.inject('/lang/fr?next=/');
    expect(res.statusCode).toBe(404);
    expect(setCookieHeader(res, 'hiroba_lang')).toBe('');
  });
});

describe('every page', () => {
  it('carries a CSP without inline script or style, nosniff and no framing', async () => {
    const a = await app();
    const res = await a.app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // The markup must work under that policy: no inline script, no style attributes.
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(res.body).not.toMatch(/\sstyle=/);
  });

  it('links a stylesheet that is served from /static/', async () => {
    const a = await app();
    const page = await a.app.inject('/');
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(page.body)?.[1];
    expect(href).toMatch(/^\/static\/css\/hiroba\.css\?v=[0-9a-f]{10}$/);
    const css = await a.app.inject(href!);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.body).toContain('"BIZ UDPGothic"');
  });

  it('has a skip link to the main content and a navigation landmark', async () => {
    const a = await app();
    const res = await a.app.inject('/');
    expect(res.body).toContain('<a class="skip-link" href="#main">本文へ移動</a>');
    expect(res.body).toContain('<main id="main"');
    expect(res.body).toContain('<nav class="site-nav" aria-label="メインメニュー">');
    expect(res.body).toContain('<a href="/" aria-current="page">ホーム</a>');
  });
});

describe('logging in', () => {
  it('shows a form with the CSRF token in a hidden _csrf field matching its cookie', async () => {
    const a = await app();
    const res = await a.app.inject('/login');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>ログイン | 市民活動交流センター Hiroba</title>');
    const token = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(res.body)?.[1];
    expect(token).toBeDefined();
    expect(cookieValue(res, 'hiroba_csrf')).toBe(token);
    expect(res.body).toContain('<label class="field__label" for="field-email">');
    expect(res.body).toContain('autocomplete="current-password"');
  });

  it('refuses a post without _csrf with 403 and opens no session', async () => {
    const a = await app();
    await a.account('member', 'hanako@example.jp');
    const { cookie } = await openLoginForm(a);
    const res = await postForm(a, '/login', { email: 'hanako@example.jp', password: PASSWORD }, cookie);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('フォームの有効期限');
    expect(setCookieHeader(res, 'hiroba_session')).toBe('');
    expect(count(a.db, 'sessions')).toBe(0);
  });

  it('refuses a post whose _csrf does not match the cookie', async () => {
    const a = await app();
    await a.account('member', 'hanako@example.jp');
    const { token, cookie } = await openLoginForm(a);
    const res = await postForm(a, '/login', { _csrf: `${token.slice(1)}x`, email: 'hanako@example.jp', password: PASSWORD }, cookie);
    expect(res.statusCode).toBe(403);
    expect(count(a.db, 'sessions')).toBe(0);
  });

  it('re-renders the form with 401, the email kept and a Japanese message for a wrong password', async () => {
    const a = await app();
    await a.account('member', 'hanako@example.jp');
    const { token, cookie } = await openLoginForm(a);
    const res = await postForm(a, '/login', { _csrf: token, email: 'hanako@example.jp', password: 'wrong password' }, cookie);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('value="hanako@example.jp"');
    expect(res.body).toMatch(/<div class="error-summary" role="alert"[\s\S]*メールアドレスまたはパスワードが違います/);
    expect(res.body).not.toContain('wrong password');
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(setCookieHeader(res, 'hiroba_session')).toBe('');
    expect(count(a.db, 'sessions')).toBe(0);
  });

  it('re-renders the form with 422 and a message tied to each empty field', async () => {
    const a = await app();
    const { token, cookie } = await openLoginForm(a);
    const res = await postForm(a, '/login', { _csrf: token, email: '  ', password: '' }, cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#field-email">メールアドレスを入力してください</a>');
    expect(res.body).toContain('<a href="#field-password">パスワードを入力してください</a>');
    expect(res.body).toMatch(/<p class="field__error" id="field-email-error">メールアドレスを入力してください<\/p>\s*<input[^>]*id="field-email"[^>]*aria-invalid="true" aria-describedby="field-email-error">/);
    expect(count(a.db, 'sessions')).toBe(0);
  });

  it('opens a session with an HttpOnly SameSite=Lax cookie and redirects home with 303', async () => {
    const a = await app();
    await a.account('member', 'hanako@example.jp', { name: '山田 花子' });
    const { token, cookie } = await openLoginForm(a);
    const res = await postForm(a, '/login', { _csrf: token, email: 'Hanako@Example.jp', password: PASSWORD }, cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const session = setCookieHeader(res, 'hiroba_session');
    expect(session).toContain('HttpOnly');
    expect(session).toContain('SameSite=Lax');
    expect(session).toContain('Path=/');
    expect(count(a.db, 'sessions')).toBe(1);

    const home = await a.app.inject({ url: '/', headers: { cookie: `${cookie}; hiroba_session=${cookieValue(res, 'hiroba_session')}; hiroba_flash=flash.loggedIn` } });
    expect(home.body).toContain('山田 花子 さん');
    expect(home.body).toContain('<div class="flash" role="status">');
    expect(home.body).toContain('ログインしました。');
    expect(home.body).toMatch(/<form method="post" action="\/logout"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(home.headers['cache-control']).toBe('no-store');
  });

  it('goes on to a same-site next page, and home instead of another site', async () => {
    const a = await app();
    await a.account('member', 'hanako@example.jp');
    const first = await openLoginForm(a);
    const ok = await postForm(a, '/login', { _csrf: first.token, email: 'hanako@example.jp', password: PASSWORD, next: '/?date=2026-12-05' }, first.cookie);
    expect(ok.headers.location).toBe('/?date=2026-12-05');
    const second = await openLoginForm(a);
    const evil = await postForm(a, '/login', { _csrf: second.token, email: 'hanako@example.jp', password: PASSWORD, next: '//evil.example/' }, second.cookie);
    expect(evil.statusCode).toBe(303);
    expect(evil.headers.location).toBe('/');
  });

  it('answers 429 with a Japanese message once the failures of one address reach the limit', async () => {
    const a = await app('2026-12-01T10:00', { loginMaxFailures: 2 });
    await a.account('member', 'hanako@example.jp');
    const { token, cookie } = await openLoginForm(a);
    for (let i = 0; i < 2; i++) {
      expect((await postForm(a, '/login', { _csrf: token, email: 'hanako@example.jp', password: 'wrong' }, cookie)).statusCode).toBe(401);
    }
    const res = await postForm(a, '/login', { _csrf: token, email: 'hanako@example.jp', password: PASSWORD }, cookie);
    expect(res.statusCode).toBe(429);
    expect(res.body).toContain('ログインの失敗が続いたため、一時的にログインを停止しています。15分ほど待ってから');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(count(a.db, 'sessions')).toBe(0);
  });

  it('escapes what the visitor sent: a next parameter and an email address are never echoed raw', async () => {
    const a = await app();
    const next = '/"><script>alert(1)</script>';
    const page = await a.app.inject(`/login?next=${encodeURIComponent(next)}`);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('value="/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const offsite = await a.app.inject(`/login?next=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(offsite.body).not.toContain('<script>alert(1)</script>');
    expect(offsite.body).not.toContain('name="next"'); // not a same-site path: dropped

    const { token, cookie } = await openLoginForm(a);
    const res = await postForm(a, '/login', { _csrf: token, email: '"><img src=x onerror=alert(1)>', password: 'x' }, cookie);
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  it('sends someone already logged in on to where they were going', async () => {
    const a = await app();
    await a.account('member', 'hanako@example.jp');
    const session = await a.login('hanako@example.jp');
    const res = await a.app.inject({ url: '/login?next=/%3Fdate%3D2026-12-05', headers: { cookie: session } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/?date=2026-12-05');
  });
});

describe('logging out', () => {
  it('deletes the session row, clears the cookie and redirects home with 303', async () => {
    const a = await app();
    await a.account('member', 'hanako@example.jp');
    const session = await a.login('hanako@example.jp');
    const { token, cookie } = await openForm(a, '/', session); // the logout form in the header
    expect(count(a.db, 'sessions')).toBe(1);
    const res = await postForm(a, '/logout', { _csrf: token }, cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(setCookieHeader(res, 'hiroba_session')).toMatch(/^hiroba_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(count(a.db, 'sessions')).toBe(0);
    const home = await a.app.inject({ url: '/', headers: { cookie: `${cookie}; hiroba_flash=flash.loggedOut` } });
    expect(home.body).toContain('ログアウトしました。');
    expect(home.body).toContain('>ログイン</a>');
  });

  it('keeps the session when the post has no CSRF token', async () => {
    const a = await app();
    await a.account('member', 'hanako@example.jp');
    const session = await a.login('hanako@example.jp');
    const res = await postForm(a, '/logout', {}, session);
    expect(res.statusCode).toBe(403);
    expect(count(a.db, 'sessions')).toBe(1);
  });
});

describe('flash messages', () => {
  it('show only known message keys, never the cookie’s own text', async () => {
    const a = await app();
    const res = await a.app.inject({ url: '/', headers: { cookie: 'hiroba_flash=%3Cb%3Ehi%3C%2Fb%3E' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('class="flash"');
    expect(res.body).not.toContain('<b>hi</b>');
  });
});

describe('error pages', () => {
  it('an unknown path gets an HTML 404 page in the visitor’s language', async () => {
    const a = await app();
    const ja = await a.app.inject('/no-such-page');
    expect(ja.statusCode).toBe(404);
    expect(ja.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(ja.body).toContain('<html lang="ja">');
    expect(ja.body).toContain('<title>ページが見つかりません | 市民活動交流センター Hiroba</title>');
    const en = await a.app.inject({ url: '/no-such-page', headers: { cookie: 'hiroba_lang=en' } });
    expect(en.body).toContain('<h1>Page not found</h1>');
  });

  it('a fault of ours is an HTML 500 page that does not reveal the error', async () => {
    const a = await app();
    a.app.services.spaces.dayOverview = () => {
      throw new Error('database exploded at /secret/path');
    };
    const res = await a.app.inject('/');
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('システムでエラーが発生しました。');
    expect(res.body).not.toContain('/secret/path');
  });

  it('an unknown path under /api/ still gets a problem+json 404', async () => {
    const a = await app();
    const res = await a.app.inject('/api/v1/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});
