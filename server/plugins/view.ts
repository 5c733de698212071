import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatters, isMessageKey, translator, type Lang, type MessageKey } from '../i18n/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VIEWS = join(ROOT, 'views');
const STATIC = join(ROOT, 'static');

/** The UI language chosen with `GET /lang/:lang` (absent: Japanese). */
export const LANG_COOKIE = 'hiroba_lang';
/** A one-shot message key carried over a redirect (post/redirect/get). */
const FLASH_COOKIE = 'hiroba_flash';

export type FlashKey = Extract<MessageKey, `flash.${string}`>;

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
  interface FastifyReply {
    /**
     * Renders `views/pages/<name>.eta` (inside the layout it names) with the request's language,
     * actor and CSRF token. `data.errors` and `data.values` default to `{}`.
     */
    page(name: string, data?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
    /** Shows a message on the next page this browser renders (after a 303). */
    flash(key: FlashKey): FastifyReply;
    /**
     * `page()` for pages anyone may see, kept rendered for anonymous visitors while `version` is
     * the same and until `untilMs`; `data()` runs only when the page has to be rendered again.
     * Signed-in visitors (whose pages carry their name and a CSRF token) always get a fresh render.
     */
    publicPage(name: string, cache: { key: string; version: string; untilMs: number }, data: () => Record<string, unknown>): Promise<FastifyReply>;
  }
}

/**
 * `/static/<file>?v=<hash of the file>`: the URL changes whenever the file does, so browsers may
 * cache assets for long without ever using a stale stylesheet after an upgrade.
 */
function assetUrls(): (file: string) => string {
  const versions = new Map<string, string>();
  return (file) => {
    let version = versions.get(file);
    if (version === undefined) {
      const path = join(STATIC, file);
      version = existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 10) : '';
      versions.set(file, version);
    }
    return `/static/${file}${version ? `?v=${version}` : ''}`;
  };
}

/** Server-rendered pages: Eta (escaping by default), one layout, the i18n layer. */
export default fp(async (app) => {
  const eta = new Eta({ views: VIEWS, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });
  // `production: true` caches compiled templates whatever NODE_ENV says.
  await app.register(view, { engine: { eta }, root: VIEWS, production: true });
  const asset = assetUrls();
  const secure = app.config.cookieSecure;

  app.decorateRequest('lang', 'ja');
  app.addHook('onRequest', async (request: FastifyRequest) => {
    request.lang = request.cookies[LANG_COOKIE] === 'en' ? 'en' : 'ja';
  });

  app.decorateReply('flash', function (this: FastifyReply, key: FlashKey) {
    return this.setCookie(FLASH_COOKIE, key, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 });
  });

  const rendered = new Map<string, { html: string; version: string; untilMs: number }>();
  app.decorateReply('publicPage', async function (this: FastifyReply, name: string, cache: { key: string; version: string; untilMs: number }, data: () => Record<string, unknown>) {
    const request = this.request;
    // A flash or a form's error state is for one visitor: only plain anonymous views are shared.
    if (request.actor || request.cookies[FLASH_COOKIE] !== undefined) return this.page(name, data());
    const key = `${request.lang}|${request.url}|${cache.key}`;
    const hit = rendered.get(key);
    if (hit && hit.version === cache.version && app.clock().toMillis() < hit.untilMs) {
      return this.header('cache-control', 'private, no-cache').type('text/html; charset=utf-8').send(hit.html);
    }
    const html = await renderPage(this, name, data());
    if (rendered.size >= 2000) rendered.clear();
    rendered.set(key, { html, version: cache.version, untilMs: cache.untilMs });
    return this.header('cache-control', 'private, no-cache').type('text/html; charset=utf-8').send(html);
  });

  async function renderPage(reply: FastifyReply, name: string, data: Record<string, unknown>): Promise<string> {
    const request = reply.request;
    const lang = request.lang;
    const path = request.url;
    // Only a known flash key is shown: the cookie is the browser's, so its text is never trusted.
    const flashKey = request.cookies[FLASH_COOKIE];
    if (flashKey !== undefined) reply.clearCookie(FLASH_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    const flash = flashKey && flashKey.startsWith('flash.') && isMessageKey(flashKey) ? flashKey : null;
    return reply.viewAsync(`pages/${name}`, {
      ...data,
      lang,
      t: translator(lang),
      f: formatters(lang),
      actor: request.actor,
      csrf: request.csrfToken(reply),
      path,
      pathname: path.split('?')[0],
      flash,
      asset,
      langSwitchUrl: `/lang/${lang === 'ja' ? 'en' : 'ja'}?next=${encodeURIComponent(path)}`,
      loginUrl: path === '/' || path.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(path)}`,
      errors: data.errors ?? {},
      values: data.values ?? {},
    });
  }

  app.decorateReply('page', async function (this: FastifyReply, name: string, data: Record<string, unknown> = {}, status = 200) {
    const request = this.request;
    const html = await renderPage(this, name, data);
    // Pages carry a CSRF token and, when signed in, personal data: never keep them in a shared cache.
    this.header('cache-control', request.actor ? 'no-store' : 'private, no-cache');
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });
}, { name: 'view', dependencies: ['csrf', 'auth'] });
