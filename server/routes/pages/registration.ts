import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { registrationValidUntil } from '../../domain/registration.js';
import { tokyoDate } from '../../domain/time.js';
import { GROUP_TYPES } from '../../services/registration-input.js';
import { isStaff } from '../../services/context.js';
import { ProblemError, ValidationError } from '../../errors.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import { translator } from '../../i18n/index.js';
import { forbiddenPage, pathId, toLogin } from './access.js';
import { fieldMessage, formValues, seeOther, type FormErrors } from './forms.js';
import { APPLICATION_LABELS, APPLICATION_VALUES, applicationBody, renderRegistrationError } from './registration-form.js';

const QUEUE = '/manage/registrations';
/** How many decided applications the queue shows below the pending ones. */
const RECENT_DECISIONS = 20;

/**
 * Registration (利用登録) pages: the application form (online, or at the desk for staff) and the
 * manager's review queue. The services decide; these pages only ask and show.
 */
const registrationPages: FastifyPluginAsync = async (app) => {
  const { registrations } = app.services;

  const formData = (request: FastifyRequest) => ({
    groupTypes: GROUP_TYPES,
    atDesk: isStaff(request.actor),
    isMember: request.actor?.groupId != null,
    retentionDays: registrations.retentionDays(),
  });

  app.get('/register', async (request, reply) => reply.page('registration/apply', formData(request)));

  app.post('/register', { preHandler: verifyCsrf }, async (request, reply) => {
    const values = formValues(request.body, APPLICATION_VALUES);
    try {
      await registrations.apply(request.actor, applicationBody(request.body));
      // Staff take the next application at the desk; an applicant is told what happens next.
      if (isStaff(request.actor)) return seeOther(reply, '/register', 'flash.registrationDesk');
      return seeOther(reply, '/register/thanks');
    } catch (error) {
      return renderRegistrationError(reply, 'registration/apply', error, { labels: APPLICATION_LABELS, values, data: formData(request) });
    }
  });

  app.get('/register/thanks', async (_request, reply) => reply.page('registration/thanks'));

  /** The queue: pending applications first (oldest first), then the latest decisions. */
  function queue(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FormErrors; values?: Record<string, string> } = {}, status = 200) {
    const pending = registrations.list(request.actor, 'pending');
    const decided = registrations.list(request.actor)
      .filter((r) => r.status !== 'pending')
      .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? '') || b.id - a.id)
      .slice(0, RECENT_DECISIONS);
    const validUntilIfApproved = registrationValidUntil(tokyoDate(app.clock()));
    return reply.page('manage/registrations', { pending, decided, validUntilIfApproved, ...extra }, status);
  }

  /** Managers only: an anonymous visitor logs in first, anyone else is told the page is not theirs. */
  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | null> {
    if (!request.actor) return toLogin(request, reply, QUEUE);
    if (request.actor.role !== 'manager') return forbiddenPage(reply, 'error.managersOnly');
    return null;
  }

  app.get(QUEUE, async (request, reply) => (await guard(request, reply)) ?? queue(request, reply));

  type Decision = { Params: { id: string } };

  app.post<Decision>(`${QUEUE}/:id/approve`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    try {
      registrations.approve(request.actor, pathId(request.params.id));
      return seeOther(reply, QUEUE, 'flash.registrationApproved');
    } catch (error) {
      return decisionFailed(request, reply, error);
    }
  });

  app.post<Decision>(`${QUEUE}/:id/reject`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const id = pathId(request.params.id);
    const raw = (request.body as Record<string, unknown> | undefined)?.reason;
    // The reason is one line (ReasonInput); a textarea is only room to write it, so its line breaks become spaces.
    const reason = typeof raw === 'string' ? raw.replace(/\s*[\r\n]+\s*/g, ' ') : raw;
    try {
      registrations.reject(request.actor, id, { reason });
      return seeOther(reply, QUEUE, 'flash.registrationRejected');
    } catch (error) {
      const t = translator(request.lang);
      if (error instanceof ValidationError && error.errors[0]) {
        // Tied to this application's reason box (partials/groups/textarea: id `field-reason-<id>`).
        const message = fieldMessage(error.errors[0], t('review.reason'), t);
        return queue(request, reply, { errors: { [`reason-${id}`]: message }, values: typeof raw === 'string' ? { [`reason-${id}`]: raw } : {} }, 422);
      }
      return decisionFailed(request, reply, error);
    }
  });

  /** Deciding twice (or a decision that no longer fits) shows the queue as it is now, with why. */
  function decisionFailed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
    if (error instanceof ProblemError && error.code === 'invalid_state') {
      return queue(request, reply, { errors: { _form: translator(request.lang)('review.alreadyDecided') } }, 409);
    }
    throw error;
  }
};

export default registrationPages;
