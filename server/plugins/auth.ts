import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../services/context.js';
import { UnauthenticatedError } from '../errors.js';

export const SESSION_COOKIE = 'hiroba_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** How the actor was recognised: API writes by cookie must be JSON (CSRF), bearer writes need not. */
    authVia: 'cookie' | 'bearer' | null;
  }
  interface FastifyReply {
    setSession(token: string, expiresAt: string): FastifyReply;
    clearSession(): FastifyReply;
  }
}

/** Recognises the actor from the session cookie or an `Authorization: Bearer` API token. */
export default fp(async (app) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
      const actor = match ? app.services.auth.actorForApiToken(match[1]!) : null;
      // A bad token is an error, not a silent anonymous request: the integrator must know.
      if (!actor) throw new UnauthenticatedError('invalid API token');
      request.actor = actor;
      request.authVia = 'bearer';
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      request.actor = app.services.auth.actorForSession(token);
      if (request.actor) request.authVia = 'cookie';
    }
  });

  const secure = app.config.cookieSecure;
  app.decorateReply('setSession', function (this: FastifyReply, token: string, expiresAt: string) {
    return this.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(expiresAt) });
  });
  app.decorateReply('clearSession', function (this: FastifyReply) {
    return this.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  });
}, { name: 'auth', dependencies: ['services'] });

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE];
}
