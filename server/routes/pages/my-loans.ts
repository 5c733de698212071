import { DateTime } from 'luxon';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, isDate, tokyoDate, ZONE } from '../../domain/time.js';
import { InvalidStateError, ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { formatters, translator, type Formatters, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { Actor } from '../../services/context.js';
import { TAKEOUT_MAX_DAYS, type CaseView, type LoanView } from '../../services/loans.js';
import { accountHolder, forbiddenPage, pathId } from './access.js';
import { END_TIMES, START_TIMES, clockOf } from './booking-form.js';
import {
  EQUIPMENT_LABELS, equipmentChoices, equipmentError, equipmentField, equipmentFieldNames, equipmentItemsOf, equipmentList,
  equipmentName, shortageMessages,
} from './equipment-form.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FieldLabels, type FormErrors } from './forms.js';

/** The take-out form's own fields (the equipment fields come from the catalogue). */
const TAKEOUT_FIELDS = ['startDate', 'startTime', 'endDate', 'endTime'] as const;
const TAKEOUT_LABELS: FieldLabels = {
  startDate: 'myLoans.field.startDate', startTime: 'myLoans.field.startTime', endDate: 'myLoans.field.endDate', endTime: 'myLoans.field.endTime',
  ...EQUIPMENT_LABELS,
};
/** Pick-up and return happen at the desk: any half hour of the usual opening day, 09:00 to 22:00. */
const DESK_TIMES = [...new Set([...START_TIMES, ...END_TIMES])].sort();
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

/** Sentences for what the loan service says about a take-out's times, by field. */
function takeoutTimeMessage(e: FieldError, t: Translate, f: Formatters): { field: string; message: string } {
  const m = e.message;
  const dateField = e.path === 'end' ? 'endDate' : 'startDate';
  const timeField = e.path === 'end' ? 'endTime' : 'startTime';
  let match: RegExpExecArray | null;
  if (m === 'required') return { field: dateField, message: t('validation.required', { label: t(TAKEOUT_LABELS[dateField]!) }) };
  if (m === 'start is in the past') return { field: 'startDate', message: t('myLoans.error.past') };
  if (m === 'end must be after start') return { field: 'endDate', message: t('myLoans.error.endAfterStart') };
  if ((match = /^a take-out lasts at most (\d+) days$/.exec(m))) return { field: 'endDate', message: t('myLoans.error.tooLong', { days: match[1]! }) };
  if ((match = /^the desk is closed on (\d{4}-\d{2}-\d{2})(?: \((.+)\))?$/.exec(m))) {
    const date = f.date(match[1]!);
    return { field: dateField, message: match[2] ? t('myLoans.error.closedBecause', { date, reason: f.reason(match[2]) }) : t('myLoans.error.closedDay', { date }) };
  }
  if ((match = /^the desk is open (\d{2}:\d{2})–(\d{2}:\d{2}) on (\d{4}-\d{2}-\d{2})$/.exec(m))) {
    return { field: timeField, message: t('myLoans.error.hours', { open: match[1]!, close: match[2]!, date: f.date(match[3]!) }) };
  }
  return { field: dateField, message: t('validation.invalid', { label: t(TAKEOUT_LABELS[dateField]!) }) };
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
    const values = formValues(request.body, [...TAKEOUT_FIELDS, ...equipmentFieldNames(loans.catalog())]);
    const errors: FieldError[] = [];
    for (const [dateField, timeField] of [['startDate', 'startTime'], ['endDate', 'endTime']] as const) {
      const date = values[dateField]?.trim() ?? '';
      if (date === '') errors.push({ path: dateField, message: 'required' });
      else if (!isDate(date)) errors.push({ path: dateField, message: 'a real date as YYYY-MM-DD' });
      const time = clockOf(values[timeField]);
      if (!time || !DESK_TIMES.includes(time)) errors.push({ path: timeField, message: 'choose' });
    }
    const items = equipmentItemsOf(values, errors);
    if (items.length === 0 && !errors.some((e) => e.path.startsWith('equipment-'))) errors.push({ path: FORM_ERROR, message: 'no items' });
    if (errors.length > 0) return renderList(request, reply, actor, values, formErrorsOf(errors, t), 422);
    try {
      loans.create(actor, { start: `${values.startDate!.trim()}T${clockOf(values.startTime)}`, end: `${values.endDate!.trim()}T${clockOf(values.endTime)}`, items });
      return seeOther(reply, '/my/loans', 'flash.takeoutReserved');
    } catch (error) {
      if (!(error instanceof ProblemError) || error.status >= 500 || error.code === 'not_found' || error.code === 'forbidden') throw error;
      return renderList(request, reply, actor, values, refusal(error, items, t, f), error.status);
    }
  });

  /** Form mistakes found before asking the service, as sentences by field. */
  function formErrorsOf(list: FieldError[], t: Translate): FormErrors {
    const errors: FormErrors = {};
    for (const e of list) {
      if (e.path === FORM_ERROR) errors[FORM_ERROR] ??= t('bookEquipment.error.noItems');
      else if (e.message === 'choose') errors[e.path] ??= t('booking.error.choose', { label: t(TAKEOUT_LABELS[e.path]!) });
      else if (e.path.startsWith('equipment-')) errors[e.path] ??= equipmentError(e, t)!.message;
      else errors[e.path] ??= fieldMessage(e, t(TAKEOUT_LABELS[e.path]!), t);
    }
    return errors;
  }

  /** A refusal of the loan service as sentences next to the field it is about. */
  function refusal(error: ProblemError, items: readonly { type: string }[], t: Translate, f: Formatters): FormErrors {
    const errors: FormErrors = {};
    const put = (field: string, message: string) => {
      if (field !== FORM_ERROR && TAKEOUT_LABELS[field] === undefined) errors[FORM_ERROR] ??= message;
      else errors[field] ??= message;
    };
    switch (error.code) {
      case 'validation_failed':
      case 'closed': {
        const list = error instanceof ValidationError ? error.errors : ((error.extra.errors as FieldError[] | undefined) ?? []);
        for (const e of list) {
          const about = equipmentError(e, t, items);
          if (about) put(about.type === null ? FORM_ERROR : equipmentField(about.type), about.message);
          else if (e.path === 'groupId') put(FORM_ERROR, t('myLoans.takeoutOnlyRegistered'));
          else if (e.path === 'start' || e.path === 'end') { const m = takeoutTimeMessage(e, t, f); put(m.field, m.message); }
          else put(FORM_ERROR, t('problem.validation_failed'));
        }
        if (Object.keys(errors).length === 0) errors[FORM_ERROR] = t(`problem.${error.code}`);
        break;
      }
      case 'window_not_open': {
        const opensAt = typeof error.extra.opensAt === 'string' ? error.extra.opensAt : null;
        put('startDate', opensAt ? t('myLoans.error.window', { opensAt: f.dateTime(opensAt) }) : t('problem.window_not_open'));
        break;
      }
      case 'conflict': {
        const short = shortageMessages(error.extra.conflicts, t);
        for (const s of short) put(equipmentField(s.type), s.message);
        if (short.length === 0) errors[FORM_ERROR] = t('problem.conflict');
        break;
      }
      case 'borrowing_suspended':
        errors[FORM_ERROR] = t('bookEquipment.error.suspended');
        break;
      default:
        errors[FORM_ERROR] = t(`problem.${error.code}`);
    }
    return errors;
  }

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
