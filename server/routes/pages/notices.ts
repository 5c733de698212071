import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { parseInstant } from '../../domain/time.js';
import { NotFoundError, ValidationError, type FieldError } from '../../errors.js';
import { translator, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import { forbiddenPage, notFoundPage, pathId, toLogin } from './access.js';
import { fieldMessage, formValues, seeOther, type FieldLabels, type FormErrors } from './forms.js';

const PAGE = '/manage/notices';
const VALUES = ['title', 'body', 'publishFrom', 'publishUntil'] as const;
const LABELS: FieldLabels = {
  title: 'manageNotices.field.title',
  body: 'manageNotices.field.body',
  publishFrom: 'manageNotices.field.publishFrom',
  publishUntil: 'manageNotices.field.publishUntil',
};

/** Where a notice stands now: the manager's list says which ones visitors see. */
export type NoticeStatus = 'scheduled' | 'current' | 'past' | 'removed';

export function noticeStatus(n: { publishFrom: string; publishUntil: string | null; removed: boolean }, now: DateTime): NoticeStatus {
  if (n.removed) return 'removed';
  const nowMs = now.toMillis();
  if (DateTime.fromISO(n.publishFrom, { setZone: true }).toMillis() > nowMs) return 'scheduled';
  if (n.publishUntil !== null && DateTime.fromISO(n.publishUntil, { setZone: true }).toMillis() <= nowMs) return 'past';
  return 'current';
}

/** The form's body for the service: its own fields only (the service refuses others), an empty date-time left out. */
function noticeBody(body: unknown): Record<string, string> {
  const values = formValues(body, VALUES);
  const input: Record<string, string> = {};
  for (const field of VALUES) {
    const value = values[field];
    if (value === undefined) continue;
    if ((field === 'publishFrom' || field === 'publishUntil') && value.trim() === '') continue;
    input[field] = value;
  }
  // A missing field must still be reported as missing, not as an unknown shape.
  input.title ??= '';
  input.body ??= '';
  return input;
}

/**
 * The date-times checked here first: the service names only one of them when either is unreadable.
 * A bad date-time is reported with the text fields left empty, so the manager sees every problem at once.
 */
function dateTimeProblems(input: Record<string, string>): FieldError[] {
  const problems: FieldError[] = [];
  for (const field of ['publishFrom', 'publishUntil'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    try {
      parseInstant(value);
    } catch {
      problems.push({ path: field, message: 'a date and a time' });
    }
  }
  if (problems.length === 0) return [];
  for (const field of ['title', 'body'] as const) if ((input[field] ?? '').trim() === '') problems.push({ path: field, message: 'required' });
  return problems;
}

/** The service's messages by field, in the visitor's language; the date-times get sentences of their own. */
function noticeErrors(error: ValidationError, t: Translate): FormErrors {
  const errors: FormErrors = {};
  for (const e of error.errors) {
    const labelKey = LABELS[e.path];
    if (labelKey === undefined) {
      errors._form ??= t('problem.validation_failed');
      continue;
    }
    const label = t(labelKey);
    if (e.message === 'must be after the start of publication') errors[e.path] ??= t('manageNotices.error.untilAfterFrom', { label });
    else if (e.path === 'publishFrom' || e.path === 'publishUntil') errors[e.path] ??= t('manageNotices.error.dateTime', { label });
    else errors[e.path] ??= fieldMessage(e, label, t);
  }
  return errors;
}

/** お知らせ: a manager writes, schedules and removes the notices the home page shows. */
const noticePages: FastifyPluginAsync = async (app) => {
  const { notices } = app.services;

  /** Managers only: an anonymous visitor logs in first, anyone else is told the page is not theirs. */
  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | null> {
    if (!request.actor) return toLogin(request, reply, PAGE);
    if (request.actor.role !== 'manager') return forbiddenPage(reply, 'error.managersOnly');
    return null;
  }

  function listPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FormErrors; values?: Record<string, string> } = {}, status = 200) {
    const now = app.clock();
    const all = notices.all(request.actor).map((n) => ({ ...n, status: noticeStatus(n, now) }));
    return reply.page('notices/manage', { notices: all, ...extra }, status);
  }

  app.get(PAGE, async (request, reply) => (await guard(request, reply)) ?? listPage(request, reply));

  app.post(PAGE, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    const values = formValues(request.body, VALUES);
    try {
      const input = noticeBody(request.body);
      const problems = dateTimeProblems(input);
      if (problems.length > 0) throw new ValidationError(problems);
      notices.create(request.actor, input);
      return seeOther(reply, PAGE, 'flash.noticeCreated');
    } catch (error) {
      if (error instanceof ValidationError) return listPage(request, reply, { errors: noticeErrors(error, translator(request.lang)), values }, 422);
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>(`${PAGE}/:id/remove`, { preHandler: verifyCsrf }, async (request, reply) => {
    const refused = await guard(request, reply);
    if (refused) return refused;
    try {
      notices.remove(request.actor, pathId(request.params.id));
      return seeOther(reply, PAGE, 'flash.noticeRemoved');
    } catch (error) {
      // Removed already (a second click, another manager): nothing left to remove.
      if (error instanceof NotFoundError) return notFoundPage(reply, 'manageNotices.notFoundTitle', 'manageNotices.notFoundBody');
      throw error;
    }
  });
};

export default noticePages;
