import { DateTime } from 'luxon';
import type { Category, WindowRules } from './rules.js';
import { ZONE, addDays, at, daysBetween, parseDate, tokyoDate } from './time.js';

/**
 * When bookings for the month of `useDate` open to a category (優先予約): `opensAt` on the 1st of
 * the month `monthsAhead` before it. The 1st counts even when the center is closed, so no
 * calendar is needed here.
 */
export function windowOpensAt(useDate: string, category: Category, rules: WindowRules): DateTime {
  const monthsAhead = rules.monthsAhead[category];
  if (!Number.isSafeInteger(monthsAhead) || monthsAhead < 0) {
    throw new Error(`monthsAhead.${category} must be a non-negative integer`);
  }
  const firstOfOpeningMonth = firstOfMonth(parseDate(useDate)).minus({ months: monthsAhead }).toISODate()!;
  return at(firstOfOpeningMonth, rules.opensAt);
}

export function checkWindow(input: {
  useDate: string;
  category: Category;
  now: DateTime;
  rules: WindowRules;
}): null | { code: 'window_not_open'; opensAt: DateTime } {
  const opensAt = windowOpensAt(input.useDate, input.category, input.rules);
  return input.now.toMillis() < opensAt.toMillis() ? { code: 'window_not_open', opensAt } : null;
}

/**
 * Individuals may book online only while the use date is at least `onlineCutoffDays` Tokyo dates
 * away ("days before use" counts Tokyo calendar dates, not 24-hour periods); later, only at the desk.
 */
export function checkOnlineCutoff(input: {
  useDate: string;
  now: DateTime;
  rules: WindowRules;
}): null | { code: 'online_cutoff'; lastOnlineDate: string } {
  const { rules } = input;
  const useDate = parseDate(input.useDate);
  if (daysBetween(tokyoDate(input.now), useDate) >= rules.onlineCutoffDays) return null;
  return { code: 'online_cutoff', lastOnlineDate: addDays(useDate, -rules.onlineCutoffDays) };
}

/**
 * The last use date whose window is open at `now`: the end of the furthest month already opened.
 * Open-ended recurring series are cut here rather than booked into months nobody else can see yet.
 */
export function furthestOpenDate(category: Category, now: DateTime, rules: WindowRules): string {
  const today = tokyoDate(now);
  const thisMonth = firstOfMonth(today);
  // Before `opensAt` on the 1st, this month's opening has not happened yet.
  const openedThisMonth = now.toMillis() >= at(thisMonth.toISODate()!, rules.opensAt).toMillis();
  const furthestMonth = thisMonth.plus({ months: rules.monthsAhead[category] - (openedThisMonth ? 0 : 1) });
  return furthestMonth.endOf('month').toISODate()!;
}

/** True when one more live booking in the month would go over the quota; no quota is never exceeded. */
export function quotaExceeded(liveCountInMonth: number, quota: number | null): boolean {
  if (!Number.isSafeInteger(liveCountInMonth) || liveCountInMonth < 0) {
    throw new Error('liveCountInMonth must be a non-negative integer');
  }
  if (quota === null) return false;
  return liveCountInMonth + 1 > quota;
}

function firstOfMonth(date: string): DateTime {
  return DateTime.fromISO(date, { zone: ZONE }).startOf('month');
}
