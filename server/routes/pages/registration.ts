import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { registrationValidUntil } from '../../domain/registration.js';
import { tokyoDate } from '../../domain/time.js';
import { GROUP_TYPES } from '../../services/registration-input.js';
import { isStaff } from '../../services/context.js';
import { ProblemError, ValidationError } from '../../errors.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import { translator } from '../../i18n/index.js';
import { forbiddenPage, pathId, toLogin } from './access.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FormErrors } from './forms.js';
import { APPLICATION_LABELS, APPLICATION_VALUES, applicationBody, renderRegistrationError } from './registration-form.js';

const QUEUE = '/manage/registrations';
const GROUPS = '/manage/groups';
/** How many decided applications the queue shows below the pending ones. */
const RECENT_DECISIONS = 20;

/**
 * Registration (利用登録) pages: the application form (online, or at the desk for staff) and the
 * manager's review queue. The services decide; these pages only ask and show.
 */
const registrationPages: FastifyPluginAsync = async (app) => {
  const { registrations, groups } = app.services;

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
    const values = { retentionDays: String(registrations.retentionDays()), ...extra.values };
    return reply.page('manage/registrations', { pending, decided, validUntilIfApproved, ...extra, values }, status);
  }

  /** Managers only: an anonymous visitor logs in first, anyone else is told the page is not theirs. */
  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | null> {
    if (!request.actor) return toLogin(request, reply, request.method === 'GET' ? request.url : QUEUE);
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

  /** How long a lapsed group's personal data is kept (30 to 3650 days; stated on the application form). */
  app.post(`${QUEUE}/retention`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const values = formValues(request.body, ['retentionDays']);
    const raw = (values.retentionDays ?? '').normalize('NFKC').trim();
    const t = translator(request.lang);
    const invalid = () => queue(request, reply, { errors: { retentionDays: t('review.retention.error', { min: 30, max: 3650 }) }, values }, 422);
    if (!/^\d{1,6}$/.test(raw)) return invalid();
    try {
      registrations.setRetention(request.actor, { retentionDays: Number(raw) });
      return seeOther(reply, QUEUE, 'flash.retentionSaved');
    } catch (error) {
      if (error instanceof ValidationError) return invalid();
      throw error;
    }
  });

  /** Registered groups for a manager: found by name, kana or number, each with its suspend or reinstate form. */
  app.get(GROUPS, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
    return reply.page('manage/groups', { q, groups: groups.manageable(request.actor, q) });
  });

  type One = { Params: { id: string } };

  function groupPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: { errors?: FormErrors; values?: Record<string, string> } = {}, status = 200) {
    const group = groups.get(request.actor, id);
    return reply.page('manage/group', { group, errors: extra.errors ?? {}, values: extra.values ?? {} }, status);
  }

  app.get<One>(`${GROUPS}/:id`, async (request, reply) => (await guard(request, reply)) ?? groupPage(request, reply, pathId(request.params.id)));

  /** Suspension: the group books as anyone else (general rates and windows) until reinstated; the reason is shown to it. */
  app.post<One>(`${GROUPS}/:id/suspend`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const id = pathId(request.params.id);
    const values = formValues(request.body, ['reason']);
    // One line (ReasonInput); the textarea's line breaks become spaces, as for a rejection.
    const reason = (values.reason ?? '').replace(/\s*[\r\n]+\s*/g, ' ');
    const t = translator(request.lang);
    try {
      registrations.suspend(request.actor, id, { reason });
      return seeOther(reply, `${GROUPS}/${id}`, 'flash.groupSuspended');
    } catch (error) {
      if (error instanceof ValidationError) {
        const e = error.errors.find((x) => x.path === 'reason') ?? error.errors[0];
        return groupPage(request, reply, id, { errors: { reason: e ? fieldMessage(e, t('manageGroups.reason'), t) : t('problem.validation_failed') }, values }, 422);
      }
      if (error instanceof ProblemError && error.code === 'invalid_state') return groupPage(request, reply, id, { errors: { [FORM_ERROR]: t('manageGroups.error.notActive') }, values }, 409);
      throw error;
    }
  });

  app.post<One>(`${GROUPS}/:id/reinstate`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const id = pathId(request.params.id);
    try {
      registrations.reinstate(request.actor, id);
      return seeOther(reply, `${GROUPS}/${id}`, 'flash.groupReinstated');
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'invalid_state') {
        return groupPage(request, reply, id, { errors: { [FORM_ERROR]: translator(request.lang)('manageGroups.error.notSuspended') } }, 409);
      }
      throw error;
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
