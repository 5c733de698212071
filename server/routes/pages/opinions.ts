import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, ValidationError } from '../../errors.js';
import { translator } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import { OPINION_BODY_MAX, OPINION_CATEGORIES, OPINION_STATUSES } from '../../services/opinions.js';
import { forbiddenPage, notFoundPage, pathId, toLogin } from './access.js';
import { formErrors, formValues, renderFormError, seeOther, type FieldLabels } from './forms.js';

const MANAGE = '/manage/opinions';
const FIELDS = ['category', 'body', 'contact.name', 'contact.email', 'contact.phone'] as const;
const LABELS: FieldLabels = {
  category: 'opinion.field.category',
  body: 'opinion.field.body',
  'contact.name': 'opinion.field.name',
  'contact.email': 'opinion.field.email',
  'contact.phone': 'opinion.field.phone',
};
const ANSWER_LABELS: FieldLabels = { answer: 'manageOpinions.field.answer', publishedBody: 'manageOpinions.field.publishedBody' };
const RETENTION_LABELS: FieldLabels = { retentionDays: 'manageOpinions.field.retentionDays' };
const RECEIPT = /^O\d{4}-\d{6}$/;

/** The form's flat fields as the service's body; empty contact fields are left out. */
function opinionBody(body: unknown): Record<string, unknown> {
  const v = formValues(body, [...FIELDS, 'website']);
  const contact: Record<string, string> = {};
  for (const key of ['name', 'email', 'phone'] as const) {
    const value = v[`contact.${key}`];
    if (value !== undefined && value.trim() !== '') contact[key] = value;
  }
  return { category: v.category ?? '', body: v.body ?? '', contact, ...(v.website !== undefined ? { website: v.website } : {}) };
}

/** 意見箱: the public form, its thanks page, the published answers, and the staff's triage. */
const opinionPages: FastifyPluginAsync = async (app) => {
  const { opinions } = app.services;
  const categories = OPINION_CATEGORIES;

  const newPage = (reply: FastifyReply, data: Record<string, unknown> = {}, status = 200) =>
    reply.page('opinions/new', { categories, maxLength: OPINION_BODY_MAX, ...data }, status);

  app.get('/opinions/new', async (_request, reply) => newPage(reply));

  app.post('/opinions/new', { preHandler: verifyCsrf }, async (request, reply) => {
    const values = formValues(request.body, FIELDS);
    try {
      const { receiptNo } = opinions.submit(opinionBody(request.body), request.ip);
      return seeOther(reply, `/opinions/thanks?no=${receiptNo}`);
    } catch (error) {
      return renderFormError(reply, 'opinions/new', error, { labels: LABELS, values, data: { categories, maxLength: OPINION_BODY_MAX } });
    }
  });

  app.get<{ Querystring: { no?: string } }>('/opinions/thanks', async (request, reply) => {
    const no = request.query.no;
    return reply.page('opinions/thanks', { receiptNo: typeof no === 'string' && RECEIPT.test(no) ? no : null });
  });

  app.get('/opinions', async (_request, reply) => reply.page('opinions/published', { opinions: opinions.published() }));

  /** Staff and managers; an anonymous visitor logs in first. */
  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | null> {
    if (!request.actor) return toLogin(request, reply, request.method === 'GET' ? request.url : MANAGE);
    if (request.actor.role !== 'staff' && request.actor.role !== 'manager') return forbiddenPage(reply, 'manageOpinions.staffOnly');
    return null;
  }

  app.get<{ Querystring: { status?: string; category?: string } }>(MANAGE, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    return listPage(request, reply, {});
  });

  function listPage(request: FastifyRequest<{ Querystring: { status?: string; category?: string } }>, reply: FastifyReply, extra: Record<string, unknown>, status = 200) {
    const query = (request.query ?? {}) as { status?: string; category?: string };
    const filter = { status: query.status ?? '', category: query.category ?? '' };
    return reply.page('opinions/manage', {
      opinions: opinions.list(request.actor, filter), filter, categories, statuses: OPINION_STATUSES,
      isManager: request.actor?.role === 'manager', retentionDays: opinions.retentionDays(), ...extra,
    }, status);
  }

  function detailPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: Record<string, unknown> = {}, status = 200) {
    const opinion = opinions.get(request.actor, id);
    const values = { answer: opinion.answerDraft ?? '', publishedBody: opinion.publishedBody ?? opinion.body, status: opinion.status, ...(extra.values as Record<string, string> | undefined) };
    return reply.page('opinions/detail', { opinion, statuses: OPINION_STATUSES, isManager: request.actor?.role === 'manager', ...extra, values }, status);
  }

  app.get<{ Params: { id: string } }>(`${MANAGE}/:id`, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    try {
      return await detailPage(request, reply, pathId(request.params.id));
    } catch (error) {
      if (error instanceof NotFoundError) return notFoundPage(reply);
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>(`${MANAGE}/:id/status`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const id = pathId(request.params.id);
    try {
      opinions.setStatus(request.actor, id, { status: formValues(request.body, ['status']).status ?? '' });
      return seeOther(reply, `${MANAGE}/${id}`, 'flash.opinionStatusChanged');
    } catch (error) {
      if (error instanceof NotFoundError) return notFoundPage(reply);
      if (error instanceof ValidationError) return detailPage(request, reply, id, { errors: { _form: translator(request.lang)('problem.validation_failed') } }, 422);
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>(`${MANAGE}/:id/answer`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const id = pathId(request.params.id);
    const values = formValues(request.body, ['answer', 'publishedBody', 'publish']);
    const publish = values.publish === 'true';
    try {
      opinions.answer(request.actor, id, {
        answer: values.answer ?? '', publish, ...(publish && values.publishedBody !== undefined ? { publishedBody: values.publishedBody } : {}),
      });
      return seeOther(reply, `${MANAGE}/${id}`, publish ? 'flash.opinionPublished' : 'flash.opinionDraftSaved');
    } catch (error) {
      if (error instanceof NotFoundError) return notFoundPage(reply);
      if (error instanceof ValidationError) {
        return detailPage(request, reply, id, { errors: formErrors(error, translator(request.lang), ANSWER_LABELS), values }, 422);
      }
      throw error;
    }
  });

  app.post(`${MANAGE}/retention`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    if (request.actor!.role !== 'manager') return forbiddenPage(reply, 'error.managersOnly');
    const values = formValues(request.body, ['retentionDays']);
    const raw = values.retentionDays ?? '';
    try {
      opinions.setRetention(request.actor, { retentionDays: /^\d{1,5}$/.test(raw) ? Number(raw) : raw });
      return seeOther(reply, MANAGE, 'flash.opinionRetentionSaved');
    } catch (error) {
      if (error instanceof ValidationError) {
        return listPage(request as FastifyRequest<{ Querystring: { status?: string; category?: string } }>, reply, { errors: formErrors(error, translator(request.lang), RETENTION_LABELS), values }, 422);
      }
      throw error;
    }
  });
};

export default opinionPages;
