import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isDate, tokyoDate } from '../../domain/time.js';
import { InvalidStateError, ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { formatters, translator } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { BookingView } from '../../services/booking-view.js';
import type { Actor } from '../../services/context.js';
import type { BookerRow } from '../../repositories/desk.js';
import { pathId } from './access.js';
import {
  BOOKING_LABELS, END_TIMES, SLOT_FIELDS, START_TIMES, bookingBody, refusalErrors, slotBody, timeOptions, valuesFromQuery, type Values,
} from './booking-form.js';
import { spaceNames, staffOnly } from './desk-access.js';
import { suspensionOf } from './desk-loans.js';
import { equipmentChoices, equipmentFieldNames, equipmentList } from './equipment-form.js';
import { REPEAT_FIELDS, canRepeat, isSeries, monthlyExample, seriesView, skippedOfRefusal, withRepeatDefaults, type SeriesResult } from './desk-series.js';
import type { SkippedView } from './booking-form.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FieldLabels, type FormErrors } from './forms.js';

/** The fields of the desk's booking form, carried through its confirmation. */
export const DESK_FIELDS = [
  'booker', 'walkInName', 'walkInPhone', ...SLOT_FIELDS, 'commercial', 'admissionFeeYen', 'overrideReason', 'exemptionPercent', 'exemptionReason',
  ...REPEAT_FIELDS,
] as const;

const DESK_LABELS: FieldLabels = {
  ...BOOKING_LABELS,
  walkInName: 'desk.book.walkInName', walkInPhone: 'desk.book.walkInPhone', overrideReason: 'desk.book.overrideReason',
  exemptionPercent: 'desk.book.exemptionPercent', exemptionReason: 'desk.book.exemptionReason',
};
const CHANGE_FIELDS = [...SLOT_FIELDS, 'overrideReason'] as const;
const CHANGE_LABELS: FieldLabels = Object.fromEntries(CHANGE_FIELDS.map((f) => [f, DESK_LABELS[f]!]));

/** Where the booking service's paths are shown on the desk's form. */
const FIELD_OF_PATH: Readonly<Record<string, string>> = {
  'walkIn.name': 'walkInName', 'walkIn.phone': 'walkInPhone', 'exemption.reason': 'exemptionReason', 'exemption.percent': 'exemptionPercent',
};
const PHONE = /^[0-9+\-() ]{6,20}$/;

/** Whom the desk books for: a walk-in (name and phone on the form), or a group or account found by search. */
export type BookerChoice = { kind: 'walkIn' } | { kind: 'found'; row: BookerRow };

/**
 * The desk's booking pages: booking for a walk-in or a found group or account (two steps: who,
 * then what and when; then a confirmation with the fee lines), and changing and cancelling any
 * booking, each showing what it costs first.
 */
const deskBookingPages: FastifyPluginAsync = async (app) => {
  const { bookings, bookingLife, desk, spaces, groups, loans } = app.services;

  function choiceOf(actor: Actor, ref: string | undefined): BookerChoice | null {
    if (ref === 'walk-in') return { kind: 'walkIn' };
    if (ref === undefined || ref === '') return null;
    try {
      return { kind: 'found', row: desk.booker(actor, ref) };
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'not_found') return null;
      throw error;
    }
  }

  function spaceOptions(request: FastifyRequest, date: string) {
    const t = translator(request.lang);
    return spaces.list(date).map((s) => ({ value: s.slug, label: t('booking.spaceOption', { name: request.lang === 'en' ? s.nameEn : s.name, capacity: s.capacity }) }));
  }

  /** The values a form starts from: the slot the board linked (space, date, times), today by default. */
  function startValues(query: unknown): Values {
    const { repeat: _r, repeatEnd: _e, ...values } = valuesFromQuery(query);
    values.date ??= tokyoDate(app.clock());
    return values;
  }

  /**
   * Whether the booker borrows equipment free (a registered group, or a member of one): only the
   * words next to the equipment fields depend on it; the confirmation shows the lines the service priced.
   */
  function borrowsFree(request: FastifyRequest, actor: Actor, choice: BookerChoice | null): boolean {
    if (choice?.kind !== 'found' || choice.row.groupId === null) return false;
    if (choice.row.kind === 'account' && choice.row.role !== 'member') return false;
    try {
      return groups.get(actor, choice.row.groupId).registered;
    } catch (error) {
      request.log.warn({ err: error, groupId: choice.row.groupId }, 'group not readable for the desk booking form');
      return false;
    }
  }

  function renderBook(request: FastifyRequest, reply: FastifyReply, actor: Actor, values: Values, extra: { errors?: FormErrors; q?: string; skipped?: SkippedView[] } = {}, status = 200) {
    const choice = choiceOf(actor, values.booker);
    // series: a group or an account holder (never a walk-in) may book recurring dates at the desk.
    const repeat = canRepeat(choice) ? { canRepeat: true, values: withRepeatDefaults(values), monthlyExample: monthlyExample(values, translator(request.lang)) } : null;
    const date = values.date && isDate(values.date) ? values.date : tokyoDate(app.clock());
    const q = extra.q ?? '';
    const carry = Object.fromEntries(['space', 'date', 'start', 'end'].filter((k) => values[k]).map((k) => [k, values[k]!]));
    return reply.page('desk/book', {
      choice, values: repeat?.values ?? values, errors: extra.errors ?? {}, q,
      canRepeat: repeat !== null, monthlyExample: repeat?.monthlyExample ?? null, skipped: extra.skipped ?? [],
      // equipment: desk and manager — a group, or a member booking for it, borrows as the group.
      suspension: choice?.kind === 'found'
        ? suspensionOf(loans, choice.row.kind === 'group' || choice.row.groupId !== null ? { groupId: choice.row.groupId, accountId: null } : { groupId: null, accountId: choice.row.id })
        : [],
      results: choice === null && q !== '' ? desk.searchBookers(actor, q) : null,
      carry, carryQuery: new URLSearchParams(carry).toString(),
      spaceOptions: spaceOptions(request, date),
      startTimes: timeOptions(START_TIMES, values.start),
      endTimes: timeOptions(END_TIMES, values.end),
      equipment: choice ? equipmentChoices(loans.catalog(), { t: translator(request.lang), f: formatters(request.lang), lang: request.lang, free: borrowsFree(request, actor, choice) }) : [],
    }, status);
  }

  /** The `POST /bookings` body of the desk's form; mistakes of form are collected field by field. */
  function deskBody(values: Values, choice: BookerChoice) {
    const errors: FieldError[] = [];
    let base: ReturnType<typeof bookingBody> | undefined;
    try {
      base = bookingBody(values, canRepeat(choice));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(...error.errors);
    }
    const who: Record<string, unknown> = {};
    if (choice.kind === 'walkIn') {
      const name = values.walkInName?.trim() ?? '';
      const phone = values.walkInPhone?.normalize('NFKC').trim() ?? '';
      if (name === '') errors.push({ path: 'walkInName', message: 'required' });
      if (phone === '') errors.push({ path: 'walkInPhone', message: 'required' });
      else if (!PHONE.test(phone)) errors.push({ path: 'walkInPhone', message: 'phone number' });
      who.walkIn = { name, phone };
    } else if (choice.row.kind === 'group') {
      who.groupId = choice.row.id;
    } else {
      who.accountId = choice.row.id;
    }
    const override = values.overrideReason?.trim() ?? '';
    if (override !== '') who.overrideReason = override;
    const percent = values.exemptionPercent === '50' ? 50 : values.exemptionPercent === '100' ? 100 : null;
    if (percent !== null) {
      const reason = values.exemptionReason?.trim() ?? '';
      if (reason === '') errors.push({ path: 'exemptionReason', message: 'required' });
      who.exemption = { percent, reason };
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return { ...base!, ...who };
  }

  /** A refusal as messages by field (booking-form.ts), with the desk's own fields. */
  function refusal(request: FastifyRequest, actor: Actor, values: Values, error: unknown, labels = DESK_LABELS): FormErrors {
    const remapped = error instanceof ValidationError
      ? new ValidationError(error.errors.map((e) => ({ ...e, path: FIELD_OF_PATH[e.path] ?? e.path })))
      : error;
    return refusalErrors(remapped, { t: translator(request.lang), f: formatters(request.lang), role: actor.role, spaces, values, labels }).errors;
  }

  const submitted = (request: FastifyRequest): Values => formValues(request.body, [...DESK_FIELDS, ...equipmentFieldNames(loans.catalog())]);

  app.get('/desk/book', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const values = startValues(query);
    if (typeof query.booker === 'string') values.booker = query.booker;
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
    return renderBook(request, reply, actor, values, { q });
  });

  app.post('/desk/book/edit', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply, '/desk/book');
    if (!actor) return reply;
    return renderBook(request, reply, actor, submitted(request));
  });

  app.post('/desk/book/confirm', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply, '/desk/book');
    if (!actor) return reply;
    const values = submitted(request);
    const choice = choiceOf(actor, values.booker);
    if (!choice) return renderBook(request, reply, actor, values, { errors: { [FORM_ERROR]: translator(request.lang)('desk.book.chooseBooker') } }, 422);
    try {
      const result = bookings.create(actor, deskBody(values, choice), { dryRun: true }) as BookingView | SeriesResult;
      const series = isSeries(result) ? seriesView(result, values, { t: translator(request.lang), f: formatters(request.lang), spaces }) : null;
      const booking = isSeries(result) ? result.created[0]! : result;
      const date = values.date ?? tokyoDate(app.clock());
      const equipmentText = booking.equipment.length > 0 ? equipmentList(translator(request.lang), booking.equipment) : null;
      return reply.page('desk/book-confirm', { values, choice, booking, series, equipmentText, spaceNames: spaceNames(spaces, request, date) });
    } catch (error) {
      const skipped = skippedOfRefusal(error, { t: translator(request.lang), f: formatters(request.lang), spaces });
      return renderBook(request, reply, actor, values, { errors: refusal(request, actor, values, error), skipped }, 422);
    }
  });

  app.post('/desk/book', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply, '/desk/book');
    if (!actor) return reply;
    const values = submitted(request);
    const choice = choiceOf(actor, values.booker);
    if (!choice) return renderBook(request, reply, actor, values, { errors: { [FORM_ERROR]: translator(request.lang)('desk.book.chooseBooker') } }, 422);
    try {
      const result = bookings.create(actor, deskBody(values, choice)) as BookingView | SeriesResult;
      // A series: its first date's page, from which the desk takes payment date by date.
      if (isSeries(result)) return seeOther(reply, `/desk/bookings/${result.created[0]!.id}`, 'flash.deskSeriesBooked');
      return seeOther(reply, `/desk/bookings/${result.id}${result.totalYen > 0 ? '?focus=pay' : ''}`, 'flash.deskBooked');
    } catch (error) {
      const skipped = skippedOfRefusal(error, { t: translator(request.lang), f: formatters(request.lang), spaces });
      return renderBook(request, reply, actor, values, { errors: refusal(request, actor, values, error), skipped }, 422);
    }
  });

  // ---- change ------------------------------------------------------------------------------------

  function valuesOf(b: BookingView): Values {
    const f = formatters('ja');
    return { space: b.space, date: b.useDate, start: f.time(b.start), end: f.time(b.end), attendees: String(b.attendees), purpose: b.purpose };
  }

  function changeBody(values: Values) {
    const errors: FieldError[] = [];
    const slot = slotBody(values, errors);
    if (errors.length > 0) throw new ValidationError(errors);
    const override = values.overrideReason?.trim() ?? '';
    return { ...slot, ...(override !== '' ? { overrideReason: override } : {}) };
  }

  function renderChange(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, values: Values | null, errors: FormErrors = {}, status = 200) {
    const { booking } = desk.booking(actor, id);
    const view = bookings.get(actor, id);
    const shown = values ?? valuesOf(view);
    const date = shown.date && isDate(shown.date) ? shown.date : view.useDate;
    return reply.page('desk/change', {
      booking, values: shown, errors,
      live: booking.status === 'provisional' || booking.status === 'confirmed',
      spaceNames: spaceNames(spaces, request, view.useDate),
      spaceOptions: spaceOptions(request, date),
      startTimes: timeOptions(START_TIMES, shown.start),
      endTimes: timeOptions(END_TIMES, shown.end),
    }, status);
  }

  function changeRefused(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, values: Values, error: unknown) {
    if (error instanceof InvalidStateError) {
      return renderChange(request, reply, actor, id, values, { [FORM_ERROR]: translator(request.lang)('desk.notLive') }, 409);
    }
    return renderChange(request, reply, actor, id, values, refusal(request, actor, values, error, CHANGE_LABELS), 422);
  }

  app.get<{ Params: { id: string } }>('/desk/bookings/:id/change', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    return renderChange(request, reply, actor, pathId(request.params.id), null);
  });

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/change/edit', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    return renderChange(request, reply, actor, pathId(request.params.id), formValues(request.body, CHANGE_FIELDS));
  });

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/change/confirm', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const values = formValues(request.body, CHANGE_FIELDS);
    try {
      const before = bookings.get(actor, id);
      const changed = bookingLife.change(actor, id, changeBody(values), { dryRun: true });
      return reply.page('desk/change-confirm', { before, changed, values, spaceNames: spaceNames(spaces, request, before.useDate) });
    } catch (error) {
      return changeRefused(request, reply, actor, id, values, error);
    }
  });

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/change', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const values = formValues(request.body, CHANGE_FIELDS);
    try {
      bookingLife.change(actor, id, changeBody(values));
      return seeOther(reply, `/desk/bookings/${id}`, 'flash.bookingChanged');
    } catch (error) {
      return changeRefused(request, reply, actor, id, values, error);
    }
  });

  // ---- cancel ------------------------------------------------------------------------------------

  function renderCancel(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, values: Values = {}, errors: FormErrors = {}, status = 200) {
    const { booking } = desk.booking(actor, id);
    const live = booking.status === 'provisional' || booking.status === 'confirmed';
    return reply.page('desk/cancel', {
      booking, live, values, errors,
      usual: live ? bookingLife.cancel(actor, id, {}, { dryRun: true }) : null,
      facility: live ? bookingLife.cancel(actor, id, { facilityCaused: true }, { dryRun: true }) : null,
      spaceNames: spaceNames(spaces, request, booking.useDate),
    }, status);
  }

  app.get<{ Params: { id: string } }>('/desk/bookings/:id/cancel', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    return renderCancel(request, reply, actor, pathId(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/cancel', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const values = formValues(request.body, ['reason', 'facilityCaused']);
    const reason = values.reason?.trim() ?? '';
    const t = translator(request.lang);
    try {
      const done = bookingLife.cancel(actor, id, { ...(reason === '' ? {} : { reason }), facilityCaused: values.facilityCaused === 'true' });
      return seeOther(reply, `/desk/bookings/${id}`, done.refundYen > 0 ? 'flash.cancelledRefund' : done.balanceYen > 0 ? 'flash.cancelledOwing' : 'flash.bookingCancelled');
    } catch (error) {
      if (error instanceof InvalidStateError) return renderCancel(request, reply, actor, id, values, { [FORM_ERROR]: t('desk.notLive') }, 409);
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        for (const e of error.errors) {
          if (e.path === 'reason') errors.reason ??= fieldMessage(e, t('desk.cancel.reason'), t);
          else errors[FORM_ERROR] ??= t('problem.validation_failed');
        }
        return renderCancel(request, reply, actor, id, values, errors, 422);
      }
      throw error;
    }
  });
};

export default deskBookingPages;
