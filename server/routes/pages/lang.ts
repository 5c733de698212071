import type { FastifyPluginAsync } from 'fastify';
import { isLang } from '../../i18n/index.js';
import { LANG_COOKIE } from '../../plugins/view.js';
import { safeNext } from './forms.js';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** `GET /lang/:lang?next=/path`: the language switch in the header; a link, so it works without script. */
const langRoutes: FastifyPluginAsync = async (app) => {
  app.get('/lang/:lang', async (request, reply) => {
    const { lang } = request.params as { lang: string };
    if (!isLang(lang)) return reply.callNotFound();
    reply.setCookie(LANG_COOKIE, lang, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.cookieSecure, maxAge: ONE_YEAR_SECONDS,
    });
    const next = safeNext((request.query as Record<string, unknown> | undefined)?.next) ?? '/';
    return reply.code(303).header('location', next).send();
  });
};

export default langRoutes;
