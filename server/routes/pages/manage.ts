import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, isDate, tokyoDate } from '../../domain/time.js';
import { ConflictError, ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { translator, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { Actor } from '../../services/context.js';
import { pathId } from './access.js';
import { managerOnly, spaceNames } from './desk-access.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FormErrors } from './forms.js';
import manageAdminPages from './manage-admin.js';
import manageSpacePages from './manage-spaces.js';

type Values = Record<string, string>;

/** Half hours from 00:00 to 23:30: a block may start and end at any of them. */
const ALL_HALF_HOURS = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`);
/** Opening hours a manager may set: 06:00 to 23:00 on the half hour. */
const HOURS = ALL_HALF_HOURS.filter((h) => h >= '06:00').concat('23:00').filter((h) => h <= '23:00');

const DAY_FIELDS = ['date', 'mode', 'open', 'close', 'reason', 'stranded'] as const;
const BLOCK_FIELDS = ['space', 'startDate', 'startTime', 'endDate', 'endTime', 'reason', 'stranded'] as const;

/** A stranded-booking choice from the form; anything else is the gentle default. */
const strandedOf = (raw: string | undefined): 'contact' | 'cancel' => (raw === 'cancel' ? 'cancel' : 'contact');

/** The service's messages about hours, as sentences next to the field they concern. */
function hoursMessage(e: FieldError, t: Translate): { field: string; message: string } {
  let match: RegExpExecArray | null;
  if (e.message === 'close must be after open') return { field: 'close', message: t('manage.days.error.closeAfterOpen') };
  if ((match = /^close may not be after (\d{2}:\d{2})$/.exec(e.message))) return { field: 'close', message: t('manage.days.error.latest', { time: match[1]! }) };
  if ((match = /^must be on the (\d+)-minute grid$/.exec(e.message))) return { field: e.path, message: t('manage.days.error.grid', { minutes: match[1]! }) };
  if (e.path === 'date') return { field: 'date', message: t('validation.date', { label: t('manage.days.date') }) };
  if (e.path === 'reason') return { field: 'reason', message: fieldMessage(e, t('manage.days.reason'), t) };
  return { field: FORM_ERROR, message: t('problem.validation_failed') };
}

/**
 * `/manage`: the manager's console — the index, hours and closures by date, blocks of one space
 * (each showing the bookings a change would strand, then flagging or cancelling them and giving
 * the call list). Rates, staff, tokens, the audit log and the rules are in manage-admin.ts.
 */
const managePages: FastifyPluginAsync = async (app) => {
  const { closures, desk, admin, spaces, registrations } = app.services;

  app.get('/manage', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    return reply.page('manage/index', {
      pending: registrations.list(actor, 'pending').length,
      overrides: admin.dayOverrides(actor).length,
      blocks: admin.blocks(actor).length,
      toCall: desk.callList(actor).length,
    });
  });

  // ---- hours and closures by date --------------------------------------------------------------

  function renderDays(request: FastifyRequest, reply: FastifyReply, actor: Actor, values: Values, extra: { errors?: FormErrors; stranded?: number[] } = {}, status = 200) {
    const today = tokyoDate(app.clock());
    const date = values.date && isDate(values.date) ? values.date : null;
    return reply.page('manage/days', {
      values, errors: extra.errors ?? {}, today, hours: HOURS,
      day: date ? spaces.calendar({ from: date, to: date })[0] ?? null : null,
      stranded: extra.stranded ? desk.callList(actor, extra.stranded) : null,
      overrides: admin.dayOverrides(actor),
      spaceNames: spaceNames(spaces, request),
    }, status);
  }

  app.get('/manage/days', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    const raw = (request.query as Record<string, unknown> | undefined)?.date;
    const date = typeof raw === 'string' && isDate(raw) ? raw : addDays(tokyoDate(app.clock()), 1);
    const day = spaces.calendar({ from: date, to: date })[0];
    return renderDays(request, reply, actor, {
      date, mode: day?.closed ? 'closed' : 'hours', open: day?.open ?? '09:00', close: day?.close ?? '22:00', reason: '', stranded: 'contact',
    });
  });

  app.post('/manage/days', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/days');
    if (!actor) return reply;
    const values = formValues(request.body, DAY_FIELDS);
    const confirm = (request.body as Record<string, unknown> | undefined)?.confirm === 'true';
    const t = translator(request.lang);
    const problems: FormErrors = {};
    const date = values.date?.trim() ?? '';
    if (!isDate(date)) problems.date = t(date === '' ? 'validation.required' : 'validation.date', { label: t('manage.days.date') });
    if (values.mode !== 'closed' && values.mode !== 'hours') problems.mode = t('desk.error.choose', { label: t('manage.days.mode') });
    if (values.mode === 'closed' && (values.reason ?? '').trim() === '') problems.reason = t('manage.days.error.reasonForClosing');
    if (values.mode === 'hours' && (!values.open || !values.close)) problems.close = t('desk.error.choose', { label: t('manage.days.hours') });
    if (Object.keys(problems).length > 0) return renderDays(request, reply, actor, values, { errors: problems }, 422);
    const reason = values.reason?.trim() ?? '';
    const body = values.mode === 'closed'
      ? { closed: true, reason, stranded: strandedOf(values.stranded) }
      : { open: values.open, close: values.close, ...(reason !== '' ? { reason } : {}), stranded: strandedOf(values.stranded) };
    try {
      const result = closures.setDay(actor, date, body, confirm);
      if (result.affected.length > 0) {
        return seeOther(reply, `/desk/calls?ids=${result.affected.map((a) => a.bookingId).join(',')}`, strandedOf(values.stranded) === 'cancel' ? 'flash.strandedCancelled' : 'flash.strandedFlagged');
      }
      return seeOther(reply, `/manage/days?date=${date}`, 'flash.dayChanged');
    } catch (error) {
      if (error instanceof ConflictError) {
        const ids = (error.extra.conflicts as { bookingId: number }[]).map((c) => c.bookingId);
        return renderDays(request, reply, actor, values, { stranded: ids }, 409);
      }
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        for (const e of error.errors) {
          const { field, message } = hoursMessage(e, t);
          errors[field] ??= message;
        }
        return renderDays(request, reply, actor, values, { errors }, 422);
      }
      throw error;
    }
  });

  // ---- blocks of one space -----------------------------------------------------------------------

  function renderBlocks(request: FastifyRequest, reply: FastifyReply, actor: Actor, values: Values, extra: { errors?: FormErrors; stranded?: number[] } = {}, status = 200) {
    const t = translator(request.lang);
    return reply.page('manage/blocks', {
      values, errors: extra.errors ?? {}, times: ALL_HALF_HOURS,
      spaceOptions: spaces.list().map((s) => ({ value: s.slug, label: request.lang === 'en' ? s.nameEn : s.name })),
      stranded: extra.stranded ? desk.callList(actor, extra.stranded) : null,
      blocks: admin.blocks(actor),
      spaceNames: spaceNames(spaces, request),
      chooseLabel: t('booking.spaceChoose'),
    }, status);
  }

  app.get('/manage/blocks', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    const tomorrow = addDays(tokyoDate(app.clock()), 1);
    return renderBlocks(request, reply, actor, { startDate: tomorrow, startTime: '09:00', endDate: tomorrow, endTime: '22:00', stranded: 'contact' });
  });

  app.post('/manage/blocks', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/blocks');
    if (!actor) return reply;
    const values = formValues(request.body, BLOCK_FIELDS);
    const confirm = (request.body as Record<string, unknown> | undefined)?.confirm === 'true';
    const t = translator(request.lang);
    const problems: FormErrors = {};
    const known = spaces.list().some((s) => s.slug === values.space);
    if (!known) problems.space = t('desk.error.choose', { label: t('manage.blocks.space') });
    for (const [field, label] of [['startDate', 'manage.blocks.startDate'], ['endDate', 'manage.blocks.endDate']] as const) {
      const v = values[field]?.trim() ?? '';
      if (!isDate(v)) problems[field] = t(v === '' ? 'validation.required' : 'validation.date', { label: t(label) });
    }
    for (const [field, label] of [['startTime', 'manage.blocks.startTime'], ['endTime', 'manage.blocks.endTime']] as const) {
      if (!ALL_HALF_HOURS.includes(values[field] ?? '')) problems[field] = t('desk.error.choose', { label: t(label) });
    }
    if ((values.reason ?? '').trim() === '') problems.reason = t('validation.required', { label: t('manage.blocks.reason') });
    if (Object.keys(problems).length === 0 && `${values.endDate}T${values.endTime}` <= `${values.startDate}T${values.startTime}`) {
      problems.endTime = t('manage.blocks.error.endAfterStart');
    }
    if (Object.keys(problems).length > 0) return renderBlocks(request, reply, actor, values, { errors: problems }, 422);
    const body = { start: `${values.startDate}T${values.startTime}`, end: `${values.endDate}T${values.endTime}`, reason: values.reason!.trim(), stranded: strandedOf(values.stranded) };
    try {
      const result = closures.addBlock(actor, values.space!, body, confirm);
      if (result.affected.length > 0) {
        return seeOther(reply, `/desk/calls?ids=${result.affected.map((a) => a.bookingId).join(',')}`, strandedOf(values.stranded) === 'cancel' ? 'flash.strandedCancelled' : 'flash.strandedFlagged');
      }
      return seeOther(reply, '/manage/blocks', 'flash.blockAdded');
    } catch (error) {
      if (error instanceof ConflictError) {
        const ids = (error.extra.conflicts as { bookingId: number }[]).map((c) => c.bookingId);
        return renderBlocks(request, reply, actor, values, { stranded: ids }, 409);
      }
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        for (const e of error.errors) {
          if (e.message === 'a block lasts at most a year') errors.endDate ??= t('manage.blocks.error.tooLong');
          else if (e.path === 'reason') errors.reason ??= fieldMessage(e, t('manage.blocks.reason'), t);
          else errors[FORM_ERROR] ??= t('problem.validation_failed');
        }
        return renderBlocks(request, reply, actor, values, { errors }, 422);
      }
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/manage/blocks/:id/remove', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/blocks');
    if (!actor) return reply;
    try {
      admin.removeBlock(actor, pathId(request.params.id));
    } catch (error) {
      // Lifted already (a second click): the list shows what is left.
      if (!(error instanceof ProblemError && error.code === 'not_found')) throw error;
    }
    return seeOther(reply, '/manage/blocks', 'flash.blockRemoved');
  });

  await app.register(manageAdminPages);
  await app.register(manageSpacePages);
};

export default managePages;
