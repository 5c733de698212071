import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { verifyCsrf } from '../../plugins/csrf.js';
import { sessionToken } from '../../plugins/auth.js';
import { formValues, parseForm, renderFormError, safeNext, seeOther, type FieldLabels } from './forms.js';

/** What the login form asks for; the service checks the password, this only that both were given. */
const LoginForm = z.object({
  email: z.string().trim().min(1, 'required').max(254, 'at most 254 characters'),
  password: z.string().min(1, 'required').max(1024, 'at most 1024 characters'),
});

const LOGIN_LABELS: FieldLabels = { email: 'login.email', password: 'login.password' };

/** `/login` and `/logout`: the CSRF-protected form pattern (see forms.ts) on its simplest form. */
const authPages: FastifyPluginAsync = async (app) => {
  const { auth } = app.services;

  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown> | undefined)?.next);
    if (request.actor) return reply.code(303).header('location', next ?? '/').send();
    return reply.page('auth/login', { next });
  });

  app.post('/login', { preHandler: verifyCsrf }, async (request, reply) => {
    const body = request.body as Record<string, unknown> | undefined;
    const next = safeNext(body?.next);
    const values = formValues(body, ['email']);
    try {
      const form = parseForm(LoginForm, body);
      const session = await auth.login({ email: form.email, password: form.password }, request.ip);
      // A session this browser already had is ended, so that logging in again leaves no stray row.
      const previous = sessionToken(request);
      if (previous) auth.logout(previous);
      reply.setSession(session.token, session.expiresAt);
      return seeOther(reply, next ?? '/', 'flash.loggedIn');
    } catch (error) {
      const retryAfter = (error as { extra?: { retryAfter?: unknown } }).extra?.retryAfter;
      return renderFormError(reply, 'auth/login', error, {
        labels: LOGIN_LABELS,
        values,
        data: { next },
        messages: { unauthenticated: 'login.failed', rate_limited: 'login.rateLimited' },
        params: { minutes: typeof retryAfter === 'number' ? Math.max(1, Math.ceil(retryAfter / 60)) : 15 },
      });
    }
  });

  app.post('/logout', { preHandler: verifyCsrf }, async (request, reply) => {
    const token = sessionToken(request);
    if (token) auth.logout(token);
    reply.clearSession();
    return seeOther(reply, '/', 'flash.loggedOut');
  });
};

export default authPages;
