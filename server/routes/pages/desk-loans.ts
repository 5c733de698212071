import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, InvalidStateError, ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { formatters, translator, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { Actor } from '../../services/context.js';
import { TAKEOUT_MAX_DAYS, type CaseView, type LoanService } from '../../services/loans.js';
import type { BookerRow } from '../../repositories/desk.js';
import type { DeskLoan } from '../../services/loan-desk.js';
import { pathId } from './access.js';
import { backTo, spaceNames, staffOnly } from './desk-access.js';
import { equipmentChoices } from './equipment-form.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FormErrors } from './forms.js';
import { DESK_TIMES, takeoutBody, takeoutRefusal, takeoutValues } from './takeout-form.js';

/** The desk's take-out form (持ち出しの受付): a registered group, found by search, takes equipment out. */
const TAKEOUT = '/desk/loans/takeout';

/** At most this many units come back in one return form (the service's own limit). */
const MAX_ROWS = 50;
const CONDITIONS = ['ok', 'damaged', 'lost', 'later'] as const;
type Condition = (typeof CONDITIONS)[number];

type Page = { errors?: FormErrors; values?: Record<string, string>; units?: string[]; status?: number };

/** `?cases=1,2` or `?flagged=3`: numbers carried over a redirect; anything else is no list. */
export function idList(raw: unknown): number[] {
  return typeof raw === 'string' && /^\d{1,15}(,\d{1,15}){0,99}$/.test(raw) ? raw.split(',').map(Number) : [];
}

/** The values of a repeated form field (checkboxes): one string, several, or none. */
function listOf(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
}

/** Equipment type slug → its name in the page's language. */
export function typeNames(loans: LoanService, request: FastifyRequest): Record<string, string> {
  return Object.fromEntries(loans.catalog().map((e) => [e.type, request.lang === 'en' ? e.nameEn : e.name]));
}

/**
 * The damage cases that keep the borrower of a booking (its group, or the individual) from
 * borrowing, for the desk to see before booking or handing anything out. A walk-in has none.
 */
export function suspensionOf(loans: LoanService, who: { groupId: number | null; accountId: number | null }): CaseView[] {
  if (who.groupId !== null) return loans.suspension({ groupId: who.groupId, accountId: null });
  if (who.accountId !== null) return loans.suspension({ groupId: null, accountId: who.accountId });
  return [];
}

/**
 * The check-out form's choices: for each type on the loan, its units at the desk now, with the
 * system's pick (the lowest free tags, as `POST /loans/{id}/checkout` would choose) checked, or
 * what the clerk had checked when the form comes back with an error.
 */
function checkoutChoices(units: ReturnType<LoanService['units']>, loan: DeskLoan, chosen?: readonly string[]) {
  return loan.items.map((item) => {
    const free = units.filter((u) => u.type === item.type && u.state === 'available').sort((a, b) => a.tag.localeCompare(b.tag));
    return {
      type: item.type, quantity: item.quantity, short: free.length < item.quantity,
      units: free.map((u, i) => ({ tag: u.tag, note: u.note, checked: chosen ? chosen.includes(u.tag) : i < item.quantity })),
    };
  });
}

/** A check-out refused for one unit, in the clerk's words. */
function unitMessage(e: FieldError, t: Translate, names: Record<string, string>): string {
  let m: RegExpExecArray | null;
  if (e.message === 'required') return t('deskLoans.checkout.error.none');
  if ((m = /^(\d+) (\S+) are on this loan; (\d+) were given$/.exec(e.message))) {
    return t('deskLoans.checkout.error.count', { type: names[m[2]!] ?? m[2]!, n: m[1]!, given: m[3]! });
  }
  if ((m = /^(.+) is not equipment of this loan$/.exec(e.message))) return t('deskLoans.checkout.error.notThisLoan', { tag: m[1]! });
  if ((m = /^(.+) is listed twice$/.exec(e.message))) return t('deskLoans.checkout.error.twice', { tag: m[1]! });
  if ((m = /^(.+) is (on loan|in repair|lost|retired)$/.exec(e.message))) {
    return t('deskLoans.checkout.error.unitState', { tag: m[1]!, state: t(`unitState.${m[2]!.replace(' ', '_') as 'on_loan'}`) });
  }
  return t('validation.invalid', { label: t('deskLoans.checkout.units') });
}

/**
 * `/desk/loans`: the desk's equipment screen (備品の貸出・返却) — what to hand out today, what is
 * out and overdue, the loans to call about — and one loan's page with its check-out and return
 * forms. The loan service decides; these pages only ask and show.
 */
const deskLoanPages: FastifyPluginAsync = async (app) => {
  const { loans, loanDesk, spaces, desk, groups } = app.services;

  /** A refusal that is not bad input: our own sentence about the whole form. */
  function refusal(error: unknown, t: Translate, message: (e: ProblemError) => string | null = () => null): { errors: FormErrors; status: number } {
    if (!(error instanceof ProblemError) || error.status >= 500 || error.code === 'not_found' || error.code === 'unauthenticated' || error.code === 'forbidden') throw error;
    return { errors: { [FORM_ERROR]: message(error) ?? t(`problem.${error.code}`) }, status: error.status };
  }

  app.get('/desk/loans', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const board = loanDesk.board(actor);
    return reply.page('desk/loans', {
      ...board,
      counts: { handOut: board.handOut.length, out: board.out.length, overdue: board.overdue.length, flagged: board.flagged.length },
      typeNames: typeNames(loans, request),
      spaceNames: spaceNames(spaces, request),
    });
  });

  function renderLoan(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, page: Page = {}) {
    const loan = loanDesk.loan(actor, id);
    const nowMs = app.clock().toMillis();
    const canCheckOut = loan.status === 'reserved' && Date.parse(loan.end) > nowMs;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const cases = loan.damageCases.map((caseId) => loans.getCase(actor, caseId));
    const opened = idList(query.cases);
    const flaggedIds = idList(query.flagged);
    return reply.page('desk/loan', {
      loan,
      canCheckOut,
      early: canCheckOut && Date.parse(loan.start) > nowMs,
      over: loan.status === 'reserved' && !canCheckOut,
      // A take-out not yet picked up can be cancelled at the desk (a booking's equipment leaves with the booking).
      canCancel: loan.kind === 'takeout' && loan.status === 'reserved',
      choices: canCheckOut ? checkoutChoices(loans.units(actor), loan, page.units) : [],
      outUnits: loan.units.filter((u) => u.returnedAt === null),
      cases,
      openedCases: cases.filter((c) => opened.includes(c.id)),
      flagged: flaggedIds.length > 0 ? loanDesk.loansByIds(actor, flaggedIds).filter((l) => l.needsAttention !== null) : [],
      suspension: loan.status === 'reserved' ? suspensionOf(loans, loan) : [],
      typeNames: typeNames(loans, request),
      spaceNames: spaceNames(spaces, request),
      errors: page.errors ?? {},
      values: page.values ?? {},
    }, page.status ?? 200);
  }

  /** The group a take-out is for (`?group=12`, or the form's hidden field): one the desk may serve, or none. */
  function groupOf(actor: Actor, raw: string | undefined): BookerRow | null {
    if (raw === undefined || !/^\d{1,15}$/.test(raw)) return null;
    try {
      return desk.booker(actor, `group:${raw}`);
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'not_found') return null;
      throw error;
    }
  }

  /** Groups found by name, kana, phone or number; a member's account found leads to its group. */
  function searchGroups(actor: Actor, q: string): BookerRow[] {
    const found = desk.searchBookers(actor, q);
    const byId = new Map<number, BookerRow>();
    for (const r of found) if (r.kind === 'group') byId.set(r.id, r);
    for (const r of found) {
      if (r.kind !== 'account' || r.groupId === null || byId.has(r.groupId)) continue;
      const g = groupOf(actor, String(r.groupId));
      if (g) byId.set(g.id, g);
    }
    return [...byId.values()];
  }

  function renderTakeout(request: FastifyRequest, reply: FastifyReply, actor: Actor, page: { values?: Record<string, string>; errors?: FormErrors; q?: string; status?: number } = {}) {
    const values = page.values ?? {};
    const group = groupOf(actor, values.group);
    const q = page.q ?? '';
    const registered = group !== null && groups.get(actor, group.id).registered;
    return reply.page('desk/takeout', {
      group,
      registered,
      suspension: group ? suspensionOf(loans, { groupId: group.id, accountId: null }) : [],
      results: group === null && q !== '' ? searchGroups(actor, q) : null,
      q,
      values: { startDate: '', startTime: '', endDate: '', endTime: '', ...values },
      errors: page.errors ?? {},
      maxDays: TAKEOUT_MAX_DAYS,
      times: DESK_TIMES,
      equipment: group ? equipmentChoices(loans.catalog(), { t: translator(request.lang), f: formatters(request.lang), lang: request.lang, free: true, withHallOnly: false }) : [],
    }, page.status ?? 200);
  }

  app.get(TAKEOUT, async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
    return renderTakeout(request, reply, actor, { q, values: typeof query.group === 'string' ? { group: query.group } : {} });
  });

  /** A take-out for a registered group: the loan service checks the group, the days, the desk's hours, the window and the pool. */
  app.post(TAKEOUT, { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply, TAKEOUT);
    if (!actor) return reply;
    const t = translator(request.lang);
    const f = formatters(request.lang);
    const values = takeoutValues(request.body, loans.catalog(), ['group']);
    const group = groupOf(actor, values.group);
    if (!group) return renderTakeout(request, reply, actor, { values, errors: { [FORM_ERROR]: t('deskLoans.takeout.error.chooseGroup') }, status: 422 });
    const parsed = takeoutBody(values, t);
    if (!parsed.ok) return renderTakeout(request, reply, actor, { values, errors: parsed.errors, status: 422 });
    try {
      const { id } = loans.create(actor, { groupId: group.id, ...parsed.body });
      return seeOther(reply, `/desk/loans/${id}`, 'flash.deskTakeoutReserved');
    } catch (error) {
      const refused = takeoutRefusal(error, parsed.body.items, t, f, {
        notRegistered: t('deskLoans.takeout.error.notRegistered', { name: group.name }),
        suspended: (ids) => t('deskLoans.takeout.error.suspended', { cases: ids.map((id) => t('deskLoans.caseNo', { id })).join(t('booking.listSeparator')) }),
      });
      return renderTakeout(request, reply, actor, { values, errors: refused.errors, status: refused.status });
    }
  });

  app.get<{ Params: { id: string } }>('/desk/loans/:id', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    return renderLoan(request, reply, actor, pathId(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/desk/loans/:id/checkout', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply, '/desk/loans');
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const units = listOf(body.units).slice(0, MAX_ROWS);
    const values = formValues(body, ['pickedUpBy']);
    const pickedUpBy = values.pickedUpBy?.trim() ?? '';
    const t = translator(request.lang);
    try {
      if (units.length === 0) throw new ValidationError([{ path: 'units', message: 'required' }]);
      loans.checkout(actor, id, { units, ...(pickedUpBy !== '' ? { pickedUpBy } : {}) });
      return seeOther(reply, `/desk/loans/${id}`, 'flash.deskLoanCheckedOut');
    } catch (error) {
      if (error instanceof ValidationError) {
        const names = typeNames(loans, request);
        const errors: FormErrors = {};
        const unitErrors: string[] = [];
        for (const e of error.errors) {
          if (e.path === 'pickedUpBy') errors.pickedUpBy ??= fieldMessage(e, t('deskLoans.checkout.pickedUpBy'), t);
          else unitErrors.push(unitMessage(e, t, names));
        }
        if (unitErrors.length > 0) errors.units = unitErrors.join(' ');
        return renderLoan(request, reply, actor, id, { errors, values, units, status: 422 });
      }
      const { errors, status } = refusal(error, t, (e) => {
        if (e instanceof ConflictError) {
          // Before the start the units may still be promised to a loan that ends first; after it, one is simply not back yet.
          const loan = loanDesk.loan(actor, id);
          return Date.parse(loan.start) > app.clock().toMillis()
            ? t('deskLoans.checkout.error.early', { start: formatters(request.lang).dateTime(loan.start) })
            : t('deskLoans.checkout.error.notAtDesk');
        }
        if (e.code === 'invalid_state') return t(/period is over/.test(e.detail) ? 'deskLoans.checkout.error.over' : 'deskLoans.checkout.error.state');
        return null;
      });
      return renderLoan(request, reply, actor, id, { errors, values, units, status });
    }
  });

  app.post<{ Params: { id: string } }>('/desk/loans/:id/return', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply, '/desk/loans');
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const t = translator(request.lang);
    // One row a unit: `unit-<i>` (its tag), `condition-<i>` and `note-<i>`.
    const rows: { i: number; tag: string; condition: string; note: string }[] = [];
    const values: Record<string, string> = {};
    for (let i = 0; i < MAX_ROWS && typeof body[`unit-${i}`] === 'string'; i++) {
      const row = formValues(body, [`unit-${i}`, `condition-${i}`, `note-${i}`]);
      rows.push({ i, tag: row[`unit-${i}`]!, condition: row[`condition-${i}`] ?? '', note: row[`note-${i}`] ?? '' });
      Object.assign(values, row);
    }
    const errors: FormErrors = {};
    for (const r of rows) {
      if (!CONDITIONS.includes(r.condition as Condition)) errors[`condition-${r.i}`] = t('deskLoans.return.error.choose', { tag: r.tag });
    }
    const back = rows.filter((r) => r.condition !== 'later');
    if (Object.keys(errors).length === 0 && back.length === 0) errors[FORM_ERROR] = t('deskLoans.return.error.none');
    if (Object.keys(errors).length > 0) return renderLoan(request, reply, actor, id, { errors, values, status: 422 });
    try {
      const done = loans.return(actor, id, {
        units: back.map((r) => ({ tag: r.tag, condition: r.condition, ...(r.note.trim() !== '' ? { note: r.note } : {}) })),
      });
      const query = new URLSearchParams();
      if (done.damageCases.length > 0) query.set('cases', done.damageCases.join(','));
      if (done.flaggedLoans.length > 0) query.set('flagged', done.flaggedLoans.join(','));
      const flash = done.damageCases.length > 0 ? 'flash.deskLoanReturnedCases' : done.status === 'returned' ? 'flash.deskLoanReturned' : 'flash.deskLoanPartlyReturned';
      const search = query.toString().replace(/%2C/g, ',');
      return seeOther(reply, `/desk/loans/${id}${search ? `?${search}` : ''}`, flash);
    } catch (error) {
      if (error instanceof ValidationError) {
        for (const e of error.errors) {
          const match = /^units\.(\d+)\.(\w+)$/.exec(e.path);
          const row = match ? back[Number(match[1])] : undefined;
          if (!row) { errors[FORM_ERROR] ??= t('problem.validation_failed'); continue; }
          let m: RegExpExecArray | null;
          if (/is not out on this loan$/.test(e.message)) errors[`condition-${row.i}`] ??= t('deskLoans.return.error.notOut', { tag: row.tag });
          else if (/is listed twice$/.test(e.message)) errors[`condition-${row.i}`] ??= t('deskLoans.return.error.twice', { tag: row.tag });
          else if (e.message === 'say what happened') errors[`note-${row.i}`] ??= t('deskLoans.return.error.note', { tag: row.tag });
          else if ((m = /^(note|condition)$/.exec(match![2]!))) errors[`${m[1]}-${row.i}`] ??= fieldMessage(e, t('deskLoans.return.noteOf', { tag: row.tag }), t);
          else errors[FORM_ERROR] ??= t('problem.validation_failed');
        }
        return renderLoan(request, reply, actor, id, { errors, values, status: 422 });
      }
      const refused = refusal(error, t, (e) => (e.code === 'invalid_state' ? t('deskLoans.return.error.state') : null));
      return renderLoan(request, reply, actor, id, { errors: refused.errors, values, status: refused.status });
    }
  });

  /** A take-out not yet picked up, cancelled at the desk (the clerk ticks that the borrower asked for it). */
  app.post<{ Params: { id: string } }>('/desk/loans/:id/cancel', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply, '/desk/loans');
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const t = translator(request.lang);
    const loan = loanDesk.loan(actor, id);
    if (loan.kind !== 'takeout') return renderLoan(request, reply, actor, id, { errors: { [FORM_ERROR]: t('deskLoans.cancel.error.bookingLoan') }, status: 409 });
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.confirm !== 'yes') return renderLoan(request, reply, actor, id, { errors: { confirm: t('deskLoans.cancel.error.confirm') }, status: 422 });
    try {
      loans.cancel(actor, id);
      return seeOther(reply, `/desk/loans/${id}`, 'flash.deskTakeoutCancelled');
    } catch (error) {
      if (error instanceof InvalidStateError) return renderLoan(request, reply, actor, id, { errors: { [FORM_ERROR]: t('deskLoans.cancel.error.state') }, status: 409 });
      throw error;
    }
  });

  /** Staff reached the borrower of a flagged loan (or the pool recovered): the flag goes. */
  app.post<{ Params: { id: string } }>('/desk/loans/:id/clear-flag', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await staffOnly(request, reply, '/desk/loans');
    if (!actor) return reply;
    const id = pathId(request.params.id);
    try {
      loans.clearFlag(actor, id);
    } catch (error) {
      // Cleared already (a second click, or a colleague): the page shows it as it is.
      if (!(error instanceof ProblemError && error.code === 'invalid_state')) throw error;
    }
    return seeOther(reply, backTo(request.body, `/desk/loans/${id}`), 'flash.deskLoanFlagCleared');
  });
};

export default deskLoanPages;
