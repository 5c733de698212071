import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, isDate, tokyoDate } from '../../domain/time.js';
import { ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { formatters, translator, type MessageKey, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { Actor } from '../../services/context.js';
import type { DeskBooking } from '../../services/desk.js';
import { pathId } from './access.js';
import { backTo, spaceNames, staffOnly, yenOrCount } from './desk-access.js';
import deskBookingPages from './desk-book.js';
import { suspensionOf, typeNames } from './desk-loans.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FormErrors } from './forms.js';
import { dayAxis, timeline } from './timeline.js';

const RECEIPT_NO = /^[A-Z]\d{4}-\d{6}$/;
/** Minutes before its start from which a booking counts as "due now" on the board. */
const DUE_WITHIN_MINUTES = 60;

type Page = { errors?: FormErrors; values?: Record<string, string>; status?: number };

/**
 * A refusal of a small desk form (one field and a button in a table row) as messages: bad input
 * next to that field (`key`), any other refusal about the whole page. Faults of ours, and a
 * booking that does not exist, go to the error handler.
 */
function rowErrors(error: unknown, t: Translate, key: string, label: MessageKey, own: (e: FieldError) => string | null = () => null): { errors: FormErrors; status: number } {
  if (!(error instanceof ProblemError) || error.status >= 500 || error.code === 'not_found' || error.code === 'unauthenticated' || error.code === 'forbidden') throw error;
  if (error instanceof ValidationError) {
    const e = error.errors[0] ?? { path: key, message: 'invalid' };
    return { errors: { [key]: own(e) ?? fieldMessage(e, t(label), t) }, status: 422 };
  }
  return { errors: { [FORM_ERROR]: t(`problem.${error.code}`) }, status: error.status };
}

/** `?date=` of a desk page: a real date, today when absent, null when unusable. */
function dateParam(query: unknown, today: string): string | null {
  const raw = (query as Record<string, unknown> | undefined)?.date;
  if (raw === undefined || raw === '') return today;
  return typeof raw === 'string' && isDate(raw) && raw >= '2000-01-01' && raw <= '2099-12-31' ? raw : null;
}

/**
 * `/desk`: the front desk (窓口) — today's board, finding and opening any booking, taking and
 * voiding payments, refunds, check-in, the call list and the day's cash close. Booking at the
 * desk, changing and cancelling live in desk-book.ts.
 */
const deskPages: FastifyPluginAsync = async (app) => {
  const { desk, bookingLife, spaces, bookings: bookingService, loans, loanDesk } = app.services;

  function badDate(request: FastifyRequest, reply: FastifyReply) {
    const t = translator(request.lang);
    return reply.page('errors/error', { status: 400, heading: t('error.badDateTitle'), message: t('error.badDateBody') }, 400);
  }

  // ---- the board -----------------------------------------------------------------------------

  function renderBoard(request: FastifyRequest, reply: FastifyReply, actor: Actor, date: string, page: Page = {}) {
    const board = desk.board(actor, date);
    const now = app.clock();
    const { day, spaces: overview } = spaces.dayOverview(date);
    const names = spaceNames(spaces, request, date);
    const live = (b: DeskBooking) => b.status === 'provisional' || b.status === 'confirmed';
    const nowMs = now.toMillis();
    const bookings = board.bookings.map((b) => {
      const startMs = Date.parse(b.start);
      const endMs = Date.parse(b.end);
      const phase = !live(b) ? 'ended'
        : b.attendance === 'checked_in' ? 'checkedIn'
          : b.attendance === 'no_show' ? 'noShow'
            : nowMs >= endMs ? 'over'
              : nowMs >= startMs ? 'inUse'
                : startMs - nowMs <= DUE_WITHIN_MINUTES * 60_000 ? 'dueSoon' : 'later';
      return { ...b, phase, canCheckIn: live(b) && b.useDate === board.today && nowMs < endMs };
    });
    const liveToday = bookings.filter(live);
    const equipment = loanDesk.board(actor);
    return reply.page('desk/board', {
      ...board,
      equipment: { handOut: equipment.handOut.length, overdue: equipment.overdue.length, flagged: equipment.flagged.length },
      isToday: date === board.today,
      prevDate: addDays(date, -1),
      nextDate: addDays(date, 1),
      day,
      bookings,
      counts: {
        total: liveToday.length,
        checkedIn: liveToday.filter((b) => b.attendance === 'checked_in').length,
        expected: liveToday.filter((b) => b.attendance === 'expected').length,
        noShow: liveToday.filter((b) => b.attendance === 'no_show').length,
        owingYen: board.owing.reduce((sum, b) => sum + b.balanceYen, 0),
      },
      axis: day.open && day.close ? dayAxis(date, day.open, day.close) : null,
      timeline: overview.map((s) => {
        const a = s.availability;
        const usable = !a.closed && a.open !== null && a.close !== null;
        return {
          slug: s.slug, name: names[s.slug] ?? s.slug, usable, reason: a.reason,
          segments: usable ? timeline(date, a.open!, a.close!, a) : [],
          bookings: bookings.filter((b) => b.space === s.slug && live(b)),
        };
      }),
      spaceNames: names,
      errors: page.errors ?? {},
      values: page.values ?? {},
    }, page.status ?? 200);
  }

  app.get('/desk', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const date = dateParam(request.query, tokyoDate(app.clock()));
    if (date === null) return badDate(request, reply);
    return renderBoard(request, reply, actor, date);
  });

  // ---- finding a booking ---------------------------------------------------------------------

  app.get('/desk/bookings', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const raw = (request.query as Record<string, unknown> | undefined)?.q;
    const q = typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
    return reply.page('desk/search', {
      q, results: q === '' ? null : desk.searchBookings(actor, q), spaceNames: spaceNames(spaces, request),
    });
  });

  // ---- one booking ---------------------------------------------------------------------------

  function renderBooking(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, page: Page = {}) {
    const { booking, payments } = desk.booking(actor, id);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const receiptNo = typeof query.receipt === 'string' && RECEIPT_NO.test(query.receipt) ? query.receipt : null;
    const receipt = receiptNo === null ? null : payments.find((p) => p.receiptNo === receiptNo && p.kind === 'payment') ?? null;
    const today = tokyoDate(app.clock());
    const live = booking.status === 'provisional' || booking.status === 'confirmed';
    return reply.page('desk/booking', {
      booking, payments, receipt,
      loans: loanDesk.ofBooking(actor, id),
      suspension: suspensionOf(loans, bookingService.get(actor, id)),
      typeNames: typeNames(loans, request),
      live,
      canCheckIn: live && booking.useDate === today && app.clock().toMillis() < Date.parse(booking.end),
      focusPay: query.focus === 'pay' && booking.balanceYen > 0,
      spaceNames: spaceNames(spaces, request, booking.useDate),
      errors: page.errors ?? {},
      values: page.values ?? {},
    }, page.status ?? 200);
  }

  app.get<{ Params: { id: string } }>('/desk/bookings/:id', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    return renderBooking(request, reply, actor, pathId(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/payments', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const values = formValues(request.body, ['amountYen']);
    const t = translator(request.lang);
    try {
      const amountYen = yenOrCount(values.amountYen);
      if (amountYen === null || amountYen <= 0) {
        throw new ValidationError([{ path: 'amountYen', message: (values.amountYen ?? '').trim() === '' ? 'required' : 'amount' }]);
      }
      const paid = bookingLife.pay(actor, id, { amountYen, method: 'cash' });
      return seeOther(reply, `/desk/bookings/${id}?receipt=${paid.receiptNo}${paid.balanceYen > 0 ? '&focus=pay' : ''}`, 'flash.paymentTaken');
    } catch (error) {
      const { errors, status } = rowErrors(error, t, 'amountYen', 'desk.pay.amount', (e) => {
        const max = /^at most ¥(\d+) is owed$/.exec(e.message);
        if (max) return t('desk.pay.tooMuch', { max: formatters(request.lang).number(Number(max[1])) });
        return e.message === 'amount' ? t('desk.error.amount', { label: t('desk.pay.amount') }) : null;
      });
      return renderBooking(request, reply, actor, id, { errors, values, status });
    }
  });

  app.post<{ Params: { id: string } }>('/desk/payments/:id/void', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const paymentId = pathId(request.params.id);
    const key = `voidReason-${paymentId}`;
    const values = formValues(request.body, ['reason', 'booking']);
    const bookingId = pathId(values.booking ?? '');
    try {
      const done = desk.voidPayment(actor, paymentId, { reason: values.reason ?? '' });
      return seeOther(reply, `/desk/bookings/${done.bookingId}`, done.keptConfirmed ? 'flash.paymentVoidedUnpaid' : 'flash.paymentVoided');
    } catch (error) {
      if (bookingId < 0) throw error;
      const { errors, status } = rowErrors(error, translator(request.lang), key, 'desk.void.reason');
      return renderBooking(request, reply, actor, bookingId, { errors, values: { [key]: values.reason ?? '' }, status });
    }
  });

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/refunds', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const values = formValues(request.body, ['refundYen', 'refundReason']);
    const t = translator(request.lang);
    try {
      const amountYen = yenOrCount(values.refundYen);
      const problems: FieldError[] = [];
      if (amountYen === null || amountYen <= 0) problems.push({ path: 'refundYen', message: (values.refundYen ?? '').trim() === '' ? 'required' : 'amount' });
      if ((values.refundReason ?? '').trim() === '') problems.push({ path: 'refundReason', message: 'required' });
      if (problems.length > 0) throw new ValidationError(problems);
      desk.refund(actor, id, { amountYen, reason: values.refundReason });
      return seeOther(reply, `/desk/bookings/${id}`, 'flash.refundPaid');
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        for (const e of error.errors) {
          const field = e.path === 'amountYen' ? 'refundYen' : e.path === 'reason' ? 'refundReason' : e.path;
          const label = t(field === 'refundYen' ? 'desk.refund.amount' : 'desk.refund.reason');
          const max = /^at most ¥(\d+) can be refunded$/.exec(e.message);
          errors[field] ??= max ? t('desk.refund.tooMuch', { max: formatters(request.lang).number(Number(max[1])) })
            : e.message === 'amount' ? t('desk.error.amount', { label }) : fieldMessage(e, label, t);
        }
        return renderBooking(request, reply, actor, id, { errors, values, status: 422 });
      }
      const { errors, status } = rowErrors(error, t, 'refundYen', 'desk.refund.amount');
      return renderBooking(request, reply, actor, id, { errors, values, status });
    }
  });

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/exemption', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const values = formValues(request.body, ['exemptPercent', 'exemptReason']);
    const t = translator(request.lang);
    try {
      const percent = values.exemptPercent === '50' ? 50 : values.exemptPercent === '100' ? 100 : null;
      const problems: FieldError[] = [];
      if (percent === null) problems.push({ path: 'percent', message: 'choose' });
      if ((values.exemptReason ?? '').trim() === '') problems.push({ path: 'reason', message: 'required' });
      if (problems.length > 0) throw new ValidationError(problems);
      bookingLife.setExemption(actor, id, { percent, reason: values.exemptReason });
      return seeOther(reply, `/desk/bookings/${id}`, 'flash.exemptionSet');
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        for (const e of error.errors) {
          if (e.path === 'percent') errors.exemptPercent ??= t('desk.error.choose', { label: t('desk.exempt.percent') });
          else errors.exemptReason ??= fieldMessage(e, t('desk.exempt.reason'), t);
        }
        return renderBooking(request, reply, actor, id, { errors, values, status: 422 });
      }
      if (error instanceof ProblemError && error.code === 'invalid_state' && /already paid/.test(error.detail)) {
        return renderBooking(request, reply, actor, id, { errors: { [FORM_ERROR]: t('desk.exempt.paidTooMuch') }, values, status: 409 });
      }
      const { errors, status } = rowErrors(error, t, 'exemptReason', 'desk.exempt.reason');
      return renderBooking(request, reply, actor, id, { errors, values, status });
    }
  });

  // ---- check-in and the people to call, from the board or a booking's page -------------------

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/check-in', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const key = `attendees-${id}`;
    const raw = formValues(request.body, ['attendees']).attendees ?? '';
    const back = backTo(request.body, '/desk');
    const t = translator(request.lang);
    try {
      const attendees = yenOrCount(raw);
      if (attendees === null) throw new ValidationError([{ path: 'attendees', message: raw.trim() === '' ? 'required' : 'count' }]);
      bookingLife.checkIn(actor, id, { attendees });
      return seeOther(reply, back, 'flash.checkedIn');
    } catch (error) {
      const { errors, status } = rowErrors(error, t, key, 'desk.checkIn.attendees', (e) => (e.message === 'count' ? t('desk.error.count', { label: t('desk.checkIn.attendees') }) : null));
      if (back.startsWith('/desk/bookings/')) return renderBooking(request, reply, actor, id, { errors, values: { [key]: raw }, status });
      return renderBoard(request, reply, actor, tokyoDate(app.clock()), { errors, values: { [key]: raw }, status });
    }
  });

  app.post<{ Params: { id: string } }>('/desk/bookings/:id/contacted', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    desk.markContacted(actor, pathId(request.params.id));
    return seeOther(reply, backTo(request.body, `/desk/bookings/${pathId(request.params.id)}`), 'flash.contacted');
  });

  /** The call list: the bookings a closure or a block stranded (`?ids=`), or every one flagged for contact. */
  app.get('/desk/calls', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const raw = (request.query as Record<string, unknown> | undefined)?.ids;
    const ids = typeof raw === 'string' && /^\d{1,15}(,\d{1,15}){0,499}$/.test(raw) ? raw.split(',').map(Number) : undefined;
    const rows = desk.callList(actor, ids);
    return reply.page('desk/calls', { rows, ids: ids ? ids.join(',') : null, spaceNames: spaceNames(spaces, request) });
  });

  // ---- the day's cash close (日計表) -----------------------------------------------------------

  app.get('/desk/cash', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const today = tokyoDate(app.clock());
    const date = dateParam(request.query, today);
    if (date === null) return badDate(request, reply);
    return reply.page('desk/cash', {
      close: desk.cashClose(actor, date), today, isToday: date === today,
      prevDate: addDays(date, -1), nextDate: addDays(date, 1), spaceNames: spaceNames(spaces, request, date),
    });
  });

  await app.register(deskBookingPages);
};

export default deskPages;
