import { DateTime } from 'luxon';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, tokyoDate, ZONE } from '../../domain/time.js';
import { InvalidStateError } from '../../errors.js';
import { formatters, translator, type Formatters, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { Actor } from '../../services/context.js';
import { TAKEOUT_MAX_DAYS, type CaseView, type LoanView } from '../../services/loans.js';
import { accountHolder, forbiddenPage, pathId } from './access.js';
import { equipmentChoices, equipmentList, equipmentName } from './equipment-form.js';
import { FORM_ERROR, seeOther, type FormErrors } from './forms.js';
import { DESK_TIMES, takeoutBody, takeoutRefusal, takeoutValues } from './takeout-form.js';
/** Finished loans are listed for this long; a group's older history is the desk's to look up. */
const PAST_DAYS = 120;

/** A loan as the list and the detail page show it. */
interface LoanRowView {
  id: number;
  kind: LoanView['kind'];
  status: LoanView['status'];
  overdue: boolean;
  needsAttention: boolean;
  bookingId: number | null;
  bookingDate: string | null;
  period: string;
  items: string;
  units: { tag: string; name: string; returnedAt: string | null; condition: 'ok' | 'damaged' | 'lost' | null }[];
  unitsText: string | null;
  checkedOutAt: string | null;
  returnedAt: string | null;
  cancellable: boolean;
}

/** `2026年12月15日(火) 13:00–16:00` within a day, `2026年12月15日(火) 10:00 〜 12月17日…` across days. */
function periodText(start: string, end: string, t: Translate, f: Formatters): string {
  const day = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(ZONE).toISODate()!;
  if (day(start) === day(end)) return `${f.date(day(start))} ${f.timeRange(start, end)}`;
  return t('myLoans.period', { start: f.dateTime(start), end: f.dateTime(end) });
}

function loanRow(l: LoanView, t: Translate, f: Formatters): LoanRowView {
  const out = l.units;
  return {
    id: l.id, kind: l.kind, status: l.status, overdue: l.overdue, needsAttention: l.needsAttention !== null,
    bookingId: l.bookingId,
    bookingDate: l.bookingId !== null ? DateTime.fromISO(l.start, { setZone: true }).setZone(ZONE).toISODate() : null,
    period: periodText(l.start, l.end, t, f),
    items: equipmentList(t, l.items),
    units: out.map((u) => ({ tag: u.tag, name: equipmentName(t, u.type), returnedAt: u.returnedAt, condition: u.condition })),
    unitsText: out.length > 0 ? t('myLoans.units', { n: out.length, tags: out.map((u) => u.tag).join(t('booking.listSeparator')) }) : null,
    checkedOutAt: l.checkedOutAt, returnedAt: l.returnedAt,
    // Equipment on a booking leaves with the booking (or at the desk); a take-out is the group's to cancel before pick-up.
    cancellable: l.kind === 'takeout' && l.status === 'reserved',
  };
}

function caseRow(c: CaseView, t: Translate) {
  return { ...c, unitText: t('myLoans.unitOf', { name: equipmentName(t, c.type), tag: c.unit }) };
}

/**
 * `/my/loans`: the equipment a person or their group borrows — with bookings and taken out — with
 * what was handed out and what is overdue, the damage cases and, while one suspends borrowing, a
 * banner saying so; a take-out form for members of registered groups, and cancelling a take-out
 * before it is picked up.
 */
const myLoanPages: FastifyPluginAsync = async (app) => {
  const { loans, groups } = app.services;

  const borrower = (request: FastifyRequest, reply: FastifyReply, back = '/my/loans') => accountHolder(request, reply, back);

  /** Whether the member's group is registered today (only words and the take-out form depend on it). */
  function registered(request: FastifyRequest, actor: Actor): boolean {
    if (actor.role !== 'member' || actor.groupId === null) return false;
    try {
      return groups.get(actor, actor.groupId).registered;
    } catch (error) {
      request.log.warn({ err: error, groupId: actor.groupId }, 'group not readable for the loans page');
      return false;
    }
  }

  function renderList(request: FastifyRequest, reply: FastifyReply, actor: Actor, values: Record<string, string> = {}, errors: FormErrors = {}, status = 200) {
    const t = translator(request.lang);
    const f = formatters(request.lang);
    const now = app.clock();
    const today = tokyoDate(now);
    const all = loans.list(actor, { from: addDays(today, -PAST_DAYS) }).map((l) => loanRow(l, t, f));
    const live = (l: LoanRowView) => l.status === 'reserved' || l.status === 'checked_out';
    const isMember = actor.role === 'member' && actor.groupId !== null;
    const suspension = loans.suspension(isMember ? { groupId: actor.groupId, accountId: null } : { groupId: null, accountId: actor.id }).map((c) => caseRow(c, t));
    return reply.page('my/loans', {
      values: { startDate: '', startTime: '', endDate: '', endTime: '', ...values },
      errors,
      isMember,
      registered: registered(request, actor),
      current: all.filter(live),
      past: all.filter((l) => !live(l)).reverse(),
      cases: loans.cases(actor).map((c) => caseRow(c, t)),
      suspension,
      maxDays: TAKEOUT_MAX_DAYS,
      times: DESK_TIMES,
      equipment: equipmentChoices(loans.catalog(), { t, f, lang: request.lang, free: true, withHallOnly: false }),
    }, status);
  }

  app.get('/my/loans', async (request, reply) => {
    const actor = await borrower(request, reply);
    if (!actor) return reply;
    return renderList(request, reply, actor);
  });

  /** A take-out (持ち出し): the loan service checks the group, the days, the desk's hours, the window and the pool. */
  app.post('/my/loans', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await borrower(request, reply);
    if (!actor) return reply;
    if (actor.role !== 'member' || actor.groupId === null) return forbiddenPage(reply, 'myLoans.takeoutOnlyMembers');
    const t = translator(request.lang);
    const f = formatters(request.lang);
    const values = takeoutValues(request.body, loans.catalog());
    const parsed = takeoutBody(values, t);
    if (!parsed.ok) return renderList(request, reply, actor, values, parsed.errors, 422);
    try {
      loans.create(actor, parsed.body);
      return seeOther(reply, '/my/loans', 'flash.takeoutReserved');
    } catch (error) {
      const refused = takeoutRefusal(error, parsed.body.items, t, f, {
        notRegistered: t('myLoans.takeoutOnlyRegistered'),
        suspended: () => t('bookEquipment.error.suspended'),
      });
      return renderList(request, reply, actor, values, refused.errors, refused.status);
    }
  });

  function renderLoan(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, errors: FormErrors = {}, status = 200) {
    const t = translator(request.lang);
    const f = formatters(request.lang);
    const loan = loans.get(actor, id);
    const caseIds = new Set(loan.damageCases);
    return reply.page('my/loan', {
      loan: loanRow(loan, t, f),
      cases: caseIds.size > 0 ? loans.cases(actor).filter((c) => caseIds.has(c.id)).map((c) => caseRow(c, t)) : [],
      errors,
    }, status);
  }

  app.get<{ Params: { id: string } }>('/my/loans/:id', async (request, reply) => {
    const actor = await borrower(request, reply);
    if (!actor) return reply;
    return renderLoan(request, reply, actor, pathId(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/my/loans/:id/cancel', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await borrower(request, reply);
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const t = translator(request.lang);
    // Seen first, so another group's loan is a 404 and not a refusal that says it exists.
    const loan = loans.get(actor, id);
    if (loan.kind !== 'takeout') return renderLoan(request, reply, actor, id, { [FORM_ERROR]: t('myLoans.bookingLoanNote') }, 409);
    try {
      loans.cancel(actor, id);
      return seeOther(reply, '/my/loans', 'flash.takeoutCancelled');
    } catch (error) {
      if (error instanceof InvalidStateError) return renderLoan(request, reply, actor, id, { [FORM_ERROR]: t('myLoans.notCancellable') }, 409);
      throw error;
    }
  });
};

export default myLoanPages;
