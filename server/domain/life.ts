import type { DateTime } from 'luxon';
import { lastOpenDayOnOrBefore, type OpeningDay } from './calendar.js';
import type { Attendance, BookingStatus, LifeRules, PaymentStatus } from './rules.js';
import { addDays, at, daysBetween, tokyoDate } from './time.js';

/** Tokyo calendar dates from `now`'s date to the date of use: 0 on the day, negative after it. */
export function daysBeforeUse(useDate: string, now: DateTime): number {
  return daysBetween(tokyoDate(now), useDate);
}

/** The percent of the nearest tier reached; a table without a 0-day tier charges in full on the day. */
function tierPercent(daysBefore: number, tiers: LifeRules['cancellationTiers']): number {
  const reached = tiers.filter((t) => daysBefore >= t.minDaysBefore);
  if (reached.length === 0) return 100;
  return reached.reduce((best, t) => (t.minDaysBefore > best.minDaysBefore ? t : best)).percent;
}

/** What the center keeps when a booking ends early, before anything is paid back. */
function chargePercent(input: {
  status: BookingStatus;
  paymentStatus: PaymentStatus;
  start: DateTime;
  now: DateTime;
  tiers: LifeRules['cancellationTiers'];
}): number {
  // An unpaid provisional booking never held the slot for sure: it would have expired anyway.
  if (input.status === 'provisional' && input.paymentStatus === 'unpaid') return 0;
  // After the start the 0-day tier applies, even on a later date (past midnight of a late use).
  const days = input.now >= input.start ? 0 : daysBeforeUse(tokyoDate(input.start), input.now);
  return tierPercent(days, input.tiers);
}

/** 10円未満切り捨て, in integers: `totalYen × percent` is exact, a float division is not. */
function floorTo10Yen(totalYen: number, percent: number): number {
  return Math.floor((totalYen * percent) / 1000) * 10;
}

/**
 * The charge for cancelling a live booking now, what is refunded of what was paid above it, and
 * what is still owed. Facility-caused cancellations (a closure, a weather warning) are free.
 */
export function cancellationCharge(input: {
  totalYen: number;
  paidYen: number;
  status: BookingStatus;
  paymentStatus: PaymentStatus;
  start: DateTime;
  now: DateTime;
  facilityCaused: boolean;
  tiers: LifeRules['cancellationTiers'];
}): { cancellationFeeYen: number; refundYen: number; balanceYen: number; percent: number } {
  const percent = input.facilityCaused ? 0 : chargePercent(input);
  const cancellationFeeYen = floorTo10Yen(input.totalYen, percent);
  return {
    cancellationFeeYen,
    refundYen: Math.max(0, input.paidYen - cancellationFeeYen),
    balanceYen: Math.max(0, cancellationFeeYen - input.paidYen),
    percent,
  };
}

/**
 * The fee for changing a booking: the first change made `freeChangeDaysBefore` or more days
 * before use is free; any other is charged as if the old booking were cancelled now.
 */
export function changeFee(input: {
  priorChanges: number;
  totalYen: number;
  status: BookingStatus;
  paymentStatus: PaymentStatus;
  start: DateTime;
  now: DateTime;
  rules: LifeRules;
}): number {
  const early = input.now < input.start && daysBeforeUse(tokyoDate(input.start), input.now) >= input.rules.freeChangeDaysBefore;
  if (input.priorChanges === 0 && early) return 0;
  return floorTo10Yen(input.totalYen, chargePercent({ ...input, tiers: input.rules.cancellationTiers }));
}

/**
 * When an unpaid provisional booking expires: the desk's closing time on the earlier of
 * `provisionalDays` after it was made and `provisionalDaysBeforeUse` before use, moved back over
 * closed days. It is never before the booking was made (a booking made late gets until the desk
 * closes that day, or until its start) and never after its start.
 */
export function provisionalDeadline(input: {
  createdAt: DateTime;
  start: DateTime;
  dayOf: (date: string) => OpeningDay;
  rules: LifeRules;
}): DateTime {
  const { createdAt, start, dayOf, rules } = input;
  const createdDate = tokyoDate(createdAt);
  const byAge = addDays(createdDate, rules.provisionalDays);
  const byUse = addDays(tokyoDate(start), -rules.provisionalDaysBeforeUse);
  const target = byAge < byUse ? byAge : byUse;
  // Walking back stops at the creation date: a deadline before the booking existed means none.
  const back = daysBetween(createdDate, target);
  const day = back < 0 ? null : lastOpenDayOnOrBefore(target, dayOf, back);
  const deadline = day === null ? null : closingTime(dayOf(day));
  if (deadline !== null && deadline > createdAt) return deadline < start ? deadline : start;

  const sameDay = closingTime(dayOf(createdDate));
  return sameDay !== null && sameDay > createdAt && sameDay < start ? sameDay : start;
}

function closingTime(day: OpeningDay): DateTime | null {
  return day.closed || day.close === null ? null : at(day.date, day.close);
}

/** Whether a provisional booking has lapsed unpaid; a paid or exempt one never does. */
export function isExpired(input: {
  status: BookingStatus;
  paymentStatus: PaymentStatus;
  deadline: DateTime | null;
  now: DateTime;
}): boolean {
  if (input.status !== 'provisional' || input.paymentStatus === 'paid' || input.paymentStatus === 'exempt') return false;
  return input.deadline !== null && input.now >= input.deadline;
}

/** Whether a live booking nobody checked in for is now a no-show (a late check-in undoes it). */
export function isNoShow(input: {
  status: BookingStatus;
  attendance: Attendance;
  start: DateTime;
  now: DateTime;
  rules: LifeRules;
}): boolean {
  if (input.status !== 'confirmed' && input.status !== 'provisional') return false;
  if (input.attendance !== 'expected') return false;
  return input.now >= input.start.plus({ minutes: input.rules.noShowAfterMinutes });
}

/**
 * The payment status after a payment: partial payments keep it unpaid. `exempt` means a 100%
 * exemption; it only makes the booking 'exempt' when it leaves nothing to pay.
 */
export function paymentStatusAfter(input: { totalYen: number; paidYen: number; exempt: boolean }): PaymentStatus {
  if (input.exempt && input.totalYen === 0) return 'exempt';
  return input.paidYen >= input.totalYen ? 'paid' : 'unpaid';
}
