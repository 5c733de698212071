import type { DateTime } from 'luxon';
import type { OpeningDay } from './calendar.js';
import { clockMinutes, tokyoClock, tokyoDate } from './time.js';

/*
 * Equipment loans (DESIGN.md, Equipment loans). Availability is counted per type, not per unit:
 * a loan reserves a quantity for an interval and the tagged units are chosen at check-out. The
 * pool of a type is its units that are available or on loan; a unit in repair, lost or retired
 * is out of it. Intervals are half-open [start, end) in epoch milliseconds.
 */

export type UnitState = 'available' | 'on_loan' | 'in_repair' | 'lost' | 'retired';
export type LoanStatus = 'reserved' | 'checked_out' | 'returned' | 'cancelled';
export type CaseStatus = 'open' | 'invoiced' | 'not_liable' | 'settled' | 'waived';

/** Units that loans can be counted against: a unit on loan comes back; one in repair, lost or retired does not. */
export function inPool(state: UnitState): boolean {
  return state === 'available' || state === 'on_loan';
}

/** One loan's hold on one type: `quantity` units over [start, end). */
export interface Holding {
  loanId: number;
  start: number;
  end: number;
  quantity: number;
}

/**
 * The interval a loan actually holds its units. A loan picked up early holds them from pick-up;
 * one checked out and not yet back holds them at least until `now` (overdue units are not free).
 * Returned and cancelled loans hold nothing.
 */
export function heldInterval(
  loan: { status: LoanStatus; start: number; end: number; checkedOutAt: number | null },
  now: number,
): { start: number; end: number } | null {
  if (loan.status === 'returned' || loan.status === 'cancelled') return null;
  if (loan.status === 'reserved') return { start: loan.start, end: loan.end };
  const start = Math.min(loan.start, loan.checkedOutAt ?? loan.start);
  return { start, end: Math.max(loan.end, now) };
}

/**
 * The most units held at any one moment of [from, to): a sweep over the holdings' starts and ends.
 * Back-to-back holdings (one ends when the next starts) never count together.
 */
export function peakHeld(holdings: readonly Holding[], from: number, to: number): number {
  if (!(to > from)) throw new Error('the interval must end after it starts');
  const events: [number, number][] = [];
  for (const h of holdings) {
    if (!Number.isSafeInteger(h.quantity) || h.quantity < 0) throw new Error('a holding quantity must be a non-negative integer');
    const start = Math.max(h.start, from);
    const end = Math.min(h.end, to);
    if (end <= start) continue;
    events.push([start, h.quantity], [end, -h.quantity]);
  }
  // At the same instant, ends come before starts: [9:00,12:00) and [12:00,15:00) never overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let held = 0;
  let peak = 0;
  for (const [, delta] of events) {
    held += delta;
    if (held > peak) peak = held;
  }
  return peak;
}

/** Units of a type free over the whole of [from, to): the pool less the peak held. Never below 0. */
export function freeUnits(pool: number, holdings: readonly Holding[], from: number, to: number): number {
  return Math.max(0, pool - peakHeld(holdings, from, to));
}

export interface EquipmentShortage {
  type: string;
  requested: number;
  available: number;
}

/**
 * Which requested types cannot be covered over [from, to): the answer of a 409. `pool` and
 * `holdings` are by type slug; `holdings` must not include the loan being checked.
 */
export function shortages(input: {
  items: readonly { type: string; quantity: number }[];
  pool: ReadonlyMap<string, number>;
  holdings: ReadonlyMap<string, readonly Holding[]>;
  from: number;
  to: number;
}): EquipmentShortage[] {
  const out: EquipmentShortage[] = [];
  for (const item of input.items) {
    const available = freeUnits(input.pool.get(item.type) ?? 0, input.holdings.get(item.type) ?? [], input.from, input.to);
    if (item.quantity > available) out.push({ type: item.type, requested: item.quantity, available });
  }
  return out;
}

/**
 * After the pool of a type shrinks (a unit damaged, lost or retired), the future loans it no
 * longer covers. Loans keep their claim in the order they were made (lower id first): a loan is
 * flagged when, with every earlier-made loan counted, its own quantity no longer fits.
 */
export function uncoveredLoans(pool: number, holdings: readonly Holding[]): number[] {
  const kept: Holding[] = [];
  const flagged: number[] = [];
  for (const h of [...holdings].sort((a, b) => a.loanId - b.loanId)) {
    if (peakHeld([...kept, h], h.start, h.end) > pool) flagged.push(h.loanId);
    else kept.push(h);
  }
  return flagged;
}

export type LoanProblem =
  | { code: 'validation_failed'; path: string; message: string }
  | { code: 'closed'; path: string; message: string };

/**
 * A take-out (持ち出し) loan: only for a registered group, for at most `maxDays` days, starting in
 * the future, picked up and brought back at the desk while the center is open.
 */
export function checkTakeout(input: {
  start: DateTime;
  end: DateTime;
  now: DateTime;
  registered: boolean;
  maxDays: number;
  dayOf: (date: string) => OpeningDay;
}): LoanProblem[] {
  const { start, end, now } = input;
  const problems: LoanProblem[] = [];
  if (!input.registered) problems.push({ code: 'validation_failed', path: 'groupId', message: 'only registered groups take equipment out' });
  if (end.toMillis() <= start.toMillis()) {
    problems.push({ code: 'validation_failed', path: 'end', message: 'end must be after start' });
    return problems;
  }
  if (start.toMillis() < now.toMillis()) problems.push({ code: 'validation_failed', path: 'start', message: 'start is in the past' });
  if (end.toMillis() - start.toMillis() > input.maxDays * 24 * 60 * 60 * 1000) {
    problems.push({ code: 'validation_failed', path: 'end', message: `a take-out lasts at most ${input.maxDays} days` });
  }
  if (problems.length > 0) return problems;
  for (const [path, moment] of [['start', start], ['end', end]] as const) {
    const day = input.dayOf(tokyoDate(moment));
    const minutes = clockMinutes(tokyoClock(moment));
    if (day.closed || day.open === null || day.close === null) {
      problems.push({ code: 'closed', path, message: `the desk is closed on ${tokyoDate(moment)}${day.reason ? ` (${day.reason})` : ''}` });
    } else if (minutes < clockMinutes(day.open) || minutes > clockMinutes(day.close)) {
      problems.push({ code: 'closed', path, message: `the desk is open ${day.open}–${day.close} on ${tokyoDate(moment)}` });
    }
  }
  return problems;
}

/** From a case's opening until it is found not liable, settled or waived, the borrower cannot borrow. */
export function suspendsBorrowing(status: CaseStatus): boolean {
  return status === 'open' || status === 'invoiced';
}

export function borrowingSuspended(cases: readonly { status: CaseStatus }[]): boolean {
  return cases.some((c) => suspendsBorrowing(c.status));
}

/**
 * A manager's assessment: the cost of repair (or replacement) in whole yen, never above the unit's
 * replacement value; not liable means nothing is owed.
 */
export function checkAssessment(input: { costYen: number; liable: boolean; replacementYen: number }): string | null {
  const { costYen, replacementYen } = input;
  if (!Number.isSafeInteger(costYen)) return 'costYen must be whole yen';
  if (costYen < 0) return 'costYen must not be negative';
  if (costYen > replacementYen) return `costYen is capped at the replacement value (¥${replacementYen.toLocaleString('en-US')})`;
  if (input.liable && costYen === 0) return 'a liable borrower owes a cost above 0 (or assess as not liable)';
  return null;
}

/** What an assessment moves the case to. */
export function assessedStatus(liable: boolean): CaseStatus {
  return liable ? 'invoiced' : 'not_liable';
}

/** Which transitions a manager may make from a status. */
export function canTransition(from: CaseStatus, action: 'assess' | 'settle' | 'waive'): boolean {
  switch (action) {
    case 'assess': return from === 'open';
    case 'settle': return from === 'invoiced';
    case 'waive': return from === 'open' || from === 'invoiced';
  }
}
