import type { FastifyPluginAsync } from 'fastify';
import { ValidationError } from '../../errors.js';
import { translator } from '../../i18n/index.js';
import { sessionToken } from '../../plugins/auth.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import { formErrors, formValues, renderFormError, seeOther, type FieldLabels } from './forms.js';

const SIGNUP_LABELS: FieldLabels = { name: 'signup.name', email: 'signup.email', password: 'signup.password', phone: 'signup.phone' };
/** What is shown again after a failure: never the password. */
const SHOWN = ['name', 'email', 'phone'] as const;
const TAKEN = 'this e-mail address is already registered';

/** `/signup`: an individual account (一般利用者) that books online within the general window. */
const signupPages: FastifyPluginAsync = async (app) => {
  const { auth } = app.services;

  app.get('/signup', async (request, reply) => {
    if (request.actor) {
      const ownBookings = request.actor.role === 'individual' || request.actor.role === 'member';
      return reply.code(303).header('location', ownBookings ? '/my/bookings' : '/').send();
    }
    return reply.page('signup/form');
  });

  app.post('/signup', { preHandler: verifyCsrf }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = formValues(body, SHOWN);
    const password = typeof body.password === 'string' ? body.password : '';
    try {
      await auth.createIndividual({
        name: values.name ?? '', email: values.email ?? '', phone: values.phone ?? '',
        // Never trimmed: spaces may be part of a password.
        password,
      });
      // The new account is logged in at once, with the same credentials, as a login would.
      const session = await auth.login({ email: values.email ?? '', password }, request.ip);
      const previous = sessionToken(request);
      if (previous) auth.logout(previous);
      reply.setSession(session.token, session.expiresAt);
      return seeOther(reply, '/my/bookings', 'flash.signedUp');
    } catch (error) {
      if (error instanceof ValidationError) {
        const t = translator(request.lang);
        const errors = formErrors(new ValidationError(error.errors.filter((e) => e.message !== TAKEN)), t, SIGNUP_LABELS);
        if (error.errors.some((e) => e.message === TAKEN)) errors.email = t('signup.error.emailTaken');
        return reply.page('signup/form', { values, errors }, 422);
      }
      return renderFormError(reply, 'signup/form', error, { labels: SIGNUP_LABELS, values });
    }
  });
};

export default signupPages;
