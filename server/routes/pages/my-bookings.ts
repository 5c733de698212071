import { DateTime } from 'luxon';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isDate, tokyoDate } from '../../domain/time.js';
import { InvalidStateError, ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { formatters, translator } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { BookingView } from '../../services/booking-view.js';
import type { Actor } from '../../services/context.js';
import { accountHolder, pathId } from './access.js';
import {
  BOOKING_LABELS, END_TIMES, SLOT_FIELDS, START_TIMES, defaultRange, refusalErrors, slotBody, timeOptions, type Values,
} from './booking-form.js';
import { equipmentList } from './equipment-form.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FieldLabels, type FormErrors } from './forms.js';

const CHANGE_LABELS: FieldLabels = Object.fromEntries(SLOT_FIELDS.map((f) => [f, BOOKING_LABELS[f]!]));
/** A series or a list never has more dates than this (domain/recurrence.ts): anything else in the query is not ours. */
const MAX_COUNT_SHOWN = 400;

/**
 * A booking as the person should see it now: a provisional booking past its deadline has lapsed,
 * even before the next write or the periodic job records it as expired (the availability of the
 * space already treats it as free).
 */
function asOf(b: BookingView, now: DateTime): BookingView {
  if (b.status !== 'provisional' || !b.deadline) return b;
  if (DateTime.fromISO(b.deadline, { setZone: true }).toMillis() > now.toMillis()) return b;
  const { deadline: _lapsed, ...rest } = b;
  return { ...rest, status: 'expired' };
}

const isLive = (b: BookingView) => b.status === 'provisional' || b.status === 'confirmed';

/**
 * `/my/bookings`: a person's bookings (a member's: the group's), one booking with its fee lines and
 * deadline, and changing or cancelling it — each showing what it costs before it is done.
 */
const myBookingPages: FastifyPluginAsync = async (app) => {
  const { bookings, bookingLife, spaces } = app.services;

  const owner = (request: FastifyRequest, reply: FastifyReply) => accountHolder(request, reply, '/my/bookings');

  function spaceNames(request: FastifyRequest): Record<string, string> {
    return Object.fromEntries(spaces.list().map((s) => [s.slug, request.lang === 'en' ? s.nameEn : s.name]));
  }

  /** What the views name: spaces by slug, and a booking's equipment as one line (プロジェクター 2台、スクリーン 1台). */
  function names(request: FastifyRequest) {
    const t = translator(request.lang);
    return {
      spaceNames: spaceNames(request),
      equipmentText: (items: readonly { type: string; quantity: number }[]) => equipmentList(t, items),
    };
  }

  /** Says that a booking is no longer live (cancelled, expired), with a way back to it. */
  function notLive(reply: FastifyReply, booking: BookingView) {
    return reply.page('my/not-live', { booking }, 409);
  }

  // ---- the list --------------------------------------------------------------------------------

  app.get('/my/bookings', async (request, reply) => {
    const actor = await owner(request, reply);
    if (!actor) return reply;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const now = app.clock();
    const range = defaultRange(tokyoDate(now));
    const from = typeof query.from === 'string' && query.from !== '' ? query.from : range.from;
    const to = typeof query.to === 'string' && query.to !== '' ? query.to : range.to;
    if (!isDate(from) || !isDate(to) || from > to) {
      const t = translator(request.lang);
      return reply.page('errors/error', { status: 400, heading: t('error.badDateTitle'), message: t('myBookings.badRange') }, 400);
    }
    const all = bookings.list(actor, { from, to }).map((b) => asOf(b, now));
    const ends = (b: BookingView) => DateTime.fromISO(b.end, { setZone: true }).toMillis();
    const upcoming = all.filter((b) => ends(b) > now.toMillis()).sort((a, b) => a.start.localeCompare(b.start));
    const past = all.filter((b) => ends(b) <= now.toMillis()).sort((a, b) => b.start.localeCompare(a.start));
    // After a series was booked: how many dates were booked and skipped (numbers only, shown once more on reload).
    const counted = (raw: unknown) => (typeof raw === 'string' && /^\d{1,3}$/.test(raw) && Number(raw) <= MAX_COUNT_SHOWN ? Number(raw) : null);
    const booked = counted(query.booked);
    const skipped = counted(query.skipped);
    return reply.page('my/list', {
      upcoming, past, from, to, ...names(request),
      seriesResult: booked !== null && skipped !== null ? { booked, skipped } : null,
      isMember: actor.groupId !== null,
    });
  });

  // ---- one booking ------------------------------------------------------------------------------

  app.get<{ Params: { id: string } }>('/my/bookings/:id', async (request, reply) => {
    const actor = await owner(request, reply);
    if (!actor) return reply;
    const booking = asOf(bookings.get(actor, pathId(request.params.id)), app.clock());
    const receipts = app.services.documents.receiptsOf(actor, booking.id);
    return reply.page('my/detail', { booking, ...names(request), live: isLive(booking), receipts });
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
    return slot;
  }

  function renderChangeForm(request: FastifyRequest, reply: FastifyReply, booking: BookingView, values: Values, errors: FormErrors = {}, status = 200) {
    const t = translator(request.lang);
    const date = values.date && isDate(values.date) ? values.date : booking.useDate;
    return reply.page('my/change', {
      booking, values, errors, ...names(request),
      spaceOptions: spaces.list(date).map((s) => ({ value: s.slug, label: t('booking.spaceOption', { name: request.lang === 'en' ? s.nameEn : s.name, capacity: s.capacity }) })),
      startTimes: timeOptions(START_TIMES, values.start),
      endTimes: timeOptions(END_TIMES, values.end),
      today: tokyoDate(app.clock()),
    }, status);
  }

  function renderChangeRefusal(request: FastifyRequest, reply: FastifyReply, actor: Actor, booking: BookingView, values: Values, error: unknown) {
    if (error instanceof InvalidStateError) return notLive(reply, asOf(bookings.get(actor, booking.id), app.clock()));
    const { errors } = refusalErrors(error, { t: translator(request.lang), f: formatters(request.lang), role: actor.role, spaces, values, labels: CHANGE_LABELS });
    return renderChangeForm(request, reply, booking, values, errors, 422);
  }

  app.get<{ Params: { id: string } }>('/my/bookings/:id/change', async (request, reply) => {
    const actor = await owner(request, reply);
    if (!actor) return reply;
    const booking = asOf(bookings.get(actor, pathId(request.params.id)), app.clock());
    if (!isLive(booking)) return notLive(reply, booking);
    return renderChangeForm(request, reply, booking, valuesOf(booking));
  });

  app.post<{ Params: { id: string } }>('/my/bookings/:id/change/edit', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await owner(request, reply);
    if (!actor) return reply;
    const booking = asOf(bookings.get(actor, pathId(request.params.id)), app.clock());
    if (!isLive(booking)) return notLive(reply, booking);
    return renderChangeForm(request, reply, booking, formValues(request.body, SLOT_FIELDS));
  });

  app.post<{ Params: { id: string } }>('/my/bookings/:id/change/confirm', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await owner(request, reply);
    if (!actor) return reply;
    const booking = bookings.get(actor, pathId(request.params.id));
    const values = formValues(request.body, SLOT_FIELDS);
    try {
      const changed = bookingLife.change(actor, booking.id, changeBody(values), { dryRun: true });
      return reply.page('my/change-confirm', { booking, changed, values, ...names(request) });
    } catch (error) {
      return renderChangeRefusal(request, reply, actor, booking, values, error);
    }
  });

  app.post<{ Params: { id: string } }>('/my/bookings/:id/change', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await owner(request, reply);
    if (!actor) return reply;
    const booking = bookings.get(actor, pathId(request.params.id));
    const values = formValues(request.body, SLOT_FIELDS);
    try {
      bookingLife.change(actor, booking.id, changeBody(values));
      return seeOther(reply, `/my/bookings/${booking.id}`, 'flash.bookingChanged');
    } catch (error) {
      return renderChangeRefusal(request, reply, actor, booking, values, error);
    }
  });

  // ---- cancel ------------------------------------------------------------------------------------

  function renderCancel(request: FastifyRequest, reply: FastifyReply, actor: Actor, booking: BookingView, values: Values = {}, errors: FormErrors = {}, status = 200) {
    const preview = bookingLife.cancel(actor, booking.id, {}, { dryRun: true });
    return reply.page('my/cancel', { booking, preview, values, errors, ...names(request) }, status);
  }

  app.get<{ Params: { id: string } }>('/my/bookings/:id/cancel', async (request, reply) => {
    const actor = await owner(request, reply);
    if (!actor) return reply;
    const booking = asOf(bookings.get(actor, pathId(request.params.id)), app.clock());
    if (!isLive(booking)) return notLive(reply, booking);
    return renderCancel(request, reply, actor, booking);
  });

  app.post<{ Params: { id: string } }>('/my/bookings/:id/cancel', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await owner(request, reply);
    if (!actor) return reply;
    const booking = bookings.get(actor, pathId(request.params.id));
    const values = formValues(request.body, ['reason']);
    const reason = values.reason?.trim() ?? '';
    try {
      bookingLife.cancel(actor, booking.id, reason === '' ? {} : { reason });
      return seeOther(reply, `/my/bookings/${booking.id}`, 'flash.bookingCancelled');
    } catch (error) {
      if (error instanceof InvalidStateError) return notLive(reply, asOf(bookings.get(actor, booking.id), app.clock()));
      if (error instanceof ValidationError) {
        const t = translator(request.lang);
        const errors: FormErrors = {};
        for (const e of error.errors) {
          if (e.path === 'reason') errors.reason ??= fieldMessage(e, t('cancel.reason'), t);
          else errors[FORM_ERROR] ??= t('problem.validation_failed');
        }
        return renderCancel(request, reply, actor, booking, values, errors, 422);
      }
      if (error instanceof ProblemError && error.status < 500 && error.code !== 'not_found') {
        return renderCancel(request, reply, actor, booking, values, { [FORM_ERROR]: translator(request.lang)(`problem.${error.code}`) }, error.status);
      }
      throw error;
    }
  });
};

export default myBookingPages;
