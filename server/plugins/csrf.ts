import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newToken } from '../services/secrets.js';
import { ProblemError } from '../errors.js';

const CSRF_COOKIE = 'hiroba_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token every POST form carries in its `_csrf` field. */
    csrfToken(reply: FastifyReply): string;
  }
}

/**
 * CSRF for HTML forms: a random token in an HttpOnly, SameSite cookie that each form repeats in
 * `_csrf` (double submit). Another site can neither read the cookie nor set the field. The JSON
 * API is protected differently: a cookie-authenticated write must be `application/json`, which a
 * cross-site form cannot send.
 */
export default fp(async (app) => {
  app.decorateRequest('csrfToken', function (this: FastifyRequest, reply: FastifyReply) {
    let token = this.cookies[CSRF_COOKIE];
    if (!token || token.length < 20) {
      token = newToken();
      this.cookies[CSRF_COOKIE] = token;
      reply.setCookie(CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.cookieSecure });
    }
    return token;
  });
}, { name: 'csrf' });

/** preHandler for form posts: refuses a request whose `_csrf` does not match the cookie. */
export async function verifyCsrf(request: FastifyRequest): Promise<void> {
  const cookie = request.cookies[CSRF_COOKIE] ?? '';
  const body = request.body as Record<string, unknown> | undefined;
  const field = typeof body?._csrf === 'string' ? body._csrf : '';
  const a = Buffer.from(cookie);
  const b = Buffer.from(field);
  if (cookie.length < 20 || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ProblemError('forbidden', 'the form has expired; reload the page and try again');
  }
}
