import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { NotFoundError, ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { translator, type MessageKey, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import { QUESTION_KINDS, TEXT_ANSWER_MAX } from '../../services/surveys.js';
import { siteOrigin } from '../calendars.js';
import { forbiddenPage, notFoundPage, pathId, toLogin } from './access.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FormErrors } from './forms.js';

const MANAGE = '/manage/surveys';
/** Question slots on the build form: a short survey, no script needed to add more. */
const SLOTS = 6;
const SURVEY_FIELDS = ['title', 'description', 'opensAt', 'closesAt'] as const;
const SLOT_FIELDS = ['kind', 'prompt', 'options', 'required'] as const;
const LABELS: Record<string, MessageKey> = {
  title: 'manageSurveys.field.title', description: 'manageSurveys.field.description',
  opensAt: 'manageSurveys.field.opensAt', closesAt: 'manageSurveys.field.closesAt',
  kind: 'manageSurveys.field.kind', prompt: 'manageSurveys.field.prompt', options: 'manageSurveys.field.options',
};

/** Only "answered this survey": no identifier, nothing that could follow the browser elsewhere. */
const answeredCookie = (id: number) => `hiroba_survey_${id}`;

function buildValues(body: unknown): Record<string, string> {
  const fields: string[] = [...SURVEY_FIELDS];
  for (let i = 1; i <= SLOTS; i++) for (const f of SLOT_FIELDS) fields.push(`q${i}.${f}`);
  return formValues(body, fields);
}

/** The build form as the service's body; a slot without a question is left out. Returns which slot each question came from. */
function surveyBody(v: Record<string, string>): { body: Record<string, unknown>; slots: number[] } {
  const questions: Record<string, unknown>[] = [];
  const slots: number[] = [];
  for (let i = 1; i <= SLOTS; i++) {
    const prompt = v[`q${i}.prompt`] ?? '';
    if (prompt.trim() === '') continue;
    const kind = v[`q${i}.kind`] ?? '';
    const options = (v[`q${i}.options`] ?? '').split(/\r?\n/).map((o) => o.trim()).filter((o) => o !== '');
    questions.push({ kind, prompt, options: kind === 'single' || kind === 'multiple' ? options : [], required: v[`q${i}.required`] === 'true' });
    slots.push(i);
  }
  return { body: { title: v.title ?? '', description: v.description ?? '', opensAt: v.opensAt ?? '', closesAt: v.closesAt ?? '', questions }, slots };
}

function buildErrors(error: ValidationError, slots: number[], t: Translate): FormErrors {
  const errors: FormErrors = {};
  for (const e of error.errors) {
    const m = /^questions\.(\d+)\.(\w+)/.exec(e.path);
    const key = m ? `q${slots[Number(m[1])]}.${m[2]}` : e.path;
    const labelKey = LABELS[m ? m[2]! : e.path];
    if (e.path === 'questions') errors['q1.prompt'] ??= t('manageSurveys.error.noQuestion');
    else if (labelKey === undefined) errors[FORM_ERROR] ??= t('problem.validation_failed');
    else if (e.message === 'at least two options') errors[key] ??= t('manageSurveys.error.twoOptions');
    else if (e.message === 'must be after the opening') errors[key] ??= t('manageSurveys.error.closesAfterOpens');
    else if (e.message === 'a date and a time') errors[key] ??= t('manageSurveys.error.dateTime', { label: t(labelKey) });
    else errors[key] ??= fieldMessage(e, t(labelKey), t);
  }
  return errors;
}

function answerErrors(error: ValidationError, t: Translate): FormErrors {
  const errors: FormErrors = {};
  for (const e of error.errors) {
    const m = /^answers\.(\d+)$/.exec(e.path);
    if (!m) {
      errors[FORM_ERROR] ??= t(e.message === 'required' ? 'survey.error.empty' : 'problem.validation_failed');
      continue;
    }
    const key = `q${m[1]}`;
    if (e.message === 'required') errors[key] ??= t('survey.error.required');
    else if (e.message === 'a rating from 1 to 5') errors[key] ??= t('survey.error.rating');
    else if (e.message === 'not one of the options') errors[key] ??= t('survey.error.option');
    else errors[key] ??= fieldMessage(e as FieldError, t('survey.answerLabel'), t);
  }
  return errors;
}

/** アンケート: the manager's builder, results, CSV and printable QR page; the public answer form. */
const surveyPages: FastifyPluginAsync = async (app) => {
  const { surveys } = app.services;

  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | null> {
    if (!request.actor) return toLogin(request, reply, request.method === 'GET' ? request.url : MANAGE);
    if (request.actor.role !== 'manager') return forbiddenPage(reply, 'error.managersOnly');
    return null;
  }

  const listPage = (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    reply.page('surveys/manage', { surveys: surveys.list(request.actor), slots: SLOTS, kinds: QUESTION_KINDS, ...extra }, status);

  app.get(MANAGE, async (request, reply) => (await guard(request, reply)) ?? listPage(request, reply));

  app.post(MANAGE, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const values = buildValues(request.body);
    const { body, slots } = surveyBody(values);
    try {
      const created = surveys.create(request.actor, body);
      return seeOther(reply, `${MANAGE}/${created.id}`, 'flash.surveyCreated');
    } catch (error) {
      if (error instanceof ValidationError) return listPage(request, reply, { errors: buildErrors(error, slots, translator(request.lang)), values }, 422);
      throw error;
    }
  });

  async function managed(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, f: (id: number) => Promise<FastifyReply> | FastifyReply) {
    const refused = await guard(request, reply);
    if (refused) return refused;
    try {
      return await f(pathId(request.params.id));
    } catch (error) {
      if (error instanceof NotFoundError) return notFoundPage(reply);
      throw error;
    }
  }

  const linkOf = (request: FastifyRequest, path: string) => `${siteOrigin(request) ?? ''}${path}`;

  const resultsPage = (request: FastifyRequest, reply: FastifyReply, id: number, extra: Record<string, unknown> = {}, status = 200) => {
    const results = surveys.results(request.actor, id);
    return reply.page('surveys/results', { ...results, link: linkOf(request, results.survey.path), ...extra }, status);
  };

  app.get<{ Params: { id: string } }>(`${MANAGE}/:id`, async (request, reply) => managed(request, reply, (id) => resultsPage(request, reply, id)));

  // Closing early and reopening: the state changes, the answers stay.
  app.post<{ Params: { id: string } }>(`${MANAGE}/:id/close`, { preHandler: verifyCsrf }, async (request, reply) => managed(request, reply, (id) => {
    try {
      surveys.close(request.actor, id);
      return seeOther(reply, `${MANAGE}/${id}`, 'flash.surveyClosed');
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'invalid_state') {
        return resultsPage(request, reply, id, { errors: { [FORM_ERROR]: translator(request.lang)('manageSurveys.error.notOpen') } }, 409);
      }
      throw error;
    }
  }));

  app.post<{ Params: { id: string } }>(`${MANAGE}/:id/reopen`, { preHandler: verifyCsrf }, async (request, reply) => managed(request, reply, (id) => {
    const values = formValues(request.body, ['closesAt']);
    const t = translator(request.lang);
    try {
      surveys.reopen(request.actor, id, { closesAt: values.closesAt ?? '' });
      return seeOther(reply, `${MANAGE}/${id}`, 'flash.surveyReopened');
    } catch (error) {
      if (error instanceof ValidationError) {
        const e = error.errors[0];
        const label = t('manageSurveys.field.reopenUntil');
        const message = e?.message === 'must be in the future' ? t('manageSurveys.error.future', { label }) : t('manageSurveys.error.dateTime', { label });
        return resultsPage(request, reply, id, { errors: { closesAt: message }, values }, 422);
      }
      if (error instanceof ProblemError && error.code === 'invalid_state') return resultsPage(request, reply, id, { errors: { [FORM_ERROR]: t('manageSurveys.error.notClosed') } }, 409);
      throw error;
    }
  }));

  /** The edit form filled from the survey as stored (Tokyo times, one slot a question). */
  function storedValues(survey: ReturnType<typeof surveys.get>): Record<string, string> {
    const values: Record<string, string> = {
      title: survey.title, description: survey.description, opensAt: survey.opensAt.slice(0, 16), closesAt: survey.closesAt.slice(0, 16),
    };
    survey.questions.forEach((q, i) => {
      const slot = `q${i + 1}`;
      values[`${slot}.kind`] = q.kind;
      values[`${slot}.prompt`] = q.prompt;
      values[`${slot}.options`] = q.options.join('\n');
      if (q.required) values[`${slot}.required`] = 'true';
    });
    return values;
  }

  const editPage = (request: FastifyRequest, reply: FastifyReply, id: number, extra: Record<string, unknown> = {}, status = 200) => {
    const survey = surveys.get(request.actor, id);
    return reply.page('surveys/edit', { survey, slots: SLOTS, kinds: QUESTION_KINDS, values: storedValues(survey), ...extra }, status);
  };

  app.get<{ Params: { id: string } }>(`${MANAGE}/:id/edit`, async (request, reply) => managed(request, reply, (id) => editPage(request, reply, id)));

  app.post<{ Params: { id: string } }>(`${MANAGE}/:id/edit`, { preHandler: verifyCsrf }, async (request, reply) => managed(request, reply, (id) => {
    const values = buildValues(request.body);
    const { body, slots } = surveyBody(values);
    const t = translator(request.lang);
    try {
      surveys.update(request.actor, id, body);
      return seeOther(reply, `${MANAGE}/${id}`, 'flash.surveyUpdated');
    } catch (error) {
      if (error instanceof ValidationError) return editPage(request, reply, id, { errors: buildErrors(error, slots, t), values }, 422);
      // Answered since the form was opened: the page now says why it cannot be edited.
      if (error instanceof ProblemError && error.code === 'invalid_state') return editPage(request, reply, id, {}, 409);
      throw error;
    }
  }));

  app.get<{ Params: { id: string } }>(`${MANAGE}/:id/print`, async (request, reply) => managed(request, reply, async (id) => {
    const survey = surveys.get(request.actor, id);
    const link = linkOf(request, survey.path);
    // Drawn here as SVG markup: nothing is fetched from elsewhere, and it prints sharp.
    const qr = await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return reply.page('surveys/print', { survey, link, qr });
  }));

  app.get<{ Params: { id: string } }>(`${MANAGE}/:id/results.csv`, async (request, reply) => managed(request, reply, (id) => {
    const { filename, body } = surveys.csv(request.actor, id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(body);
  }));

  const answerPage = (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Record<string, unknown> = {}, status = 200) => {
    const survey = surveys.bySlug(slug);
    const answered = request.cookies[answeredCookie(survey.id)] === '1';
    return reply.page('surveys/answer', { survey, answered, textMax: TEXT_ANSWER_MAX, selected: {}, ...extra }, status);
  };

  app.get<{ Params: { slug: string } }>('/s/:slug', async (request, reply) => {
    try {
      return await answerPage(request, reply, request.params.slug);
    } catch (error) {
      if (error instanceof NotFoundError) return notFoundPage(reply, 'survey.notFoundTitle', 'survey.notFoundBody');
      throw error;
    }
  });

  app.post<{ Params: { slug: string } }>('/s/:slug', { preHandler: verifyCsrf }, async (request, reply) => {
    const slug = request.params.slug;
    const raw = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const answers: Record<string, unknown> = {};
    const selected: Record<string, string[]> = {};
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
      const m = /^q(\d{1,9})$/.exec(key);
      if (!m) continue;
      answers[m[1]!] = value;
      const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
      selected[key] = list;
      if (list.length === 1) values[key] = list[0]!;
    }
    try {
      const survey = surveys.bySlug(slug);
      surveys.answer(slug, { answers });
      reply.setCookie(answeredCookie(survey.id), '1', { path: `/s/${slug}`, httpOnly: true, sameSite: 'lax', secure: app.config.cookieSecure, maxAge: 60 * 60 * 24 * 365 });
      return seeOther(reply, `/s/${slug}/thanks`);
    } catch (error) {
      if (error instanceof NotFoundError) return notFoundPage(reply, 'survey.notFoundTitle', 'survey.notFoundBody');
      const t = translator(request.lang);
      if (error instanceof ValidationError) return answerPage(request, reply, slug, { errors: answerErrors(error, t), values, selected }, 422);
      if (error instanceof ProblemError && error.code === 'closed') {
        return answerPage(request, reply, slug, { errors: { [FORM_ERROR]: t('survey.error.closed') } }, 422);
      }
      throw error;
    }
  });

  app.get<{ Params: { slug: string } }>('/s/:slug/thanks', async (request, reply) => {
    try {
      return await reply.page('surveys/thanks', { survey: surveys.bySlug(request.params.slug) });
    } catch (error) {
      if (error instanceof NotFoundError) return notFoundPage(reply, 'survey.notFoundTitle', 'survey.notFoundBody');
      throw error;
    }
  });
};

export default surveyPages;
