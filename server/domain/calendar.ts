import holidayJp from '@holiday-jp/holiday_jp';
import type { CalendarRules, SpaceInfo } from './rules.js';
import { addDays, clockMinutes, isClockTime, daysBetween, isoWeekday } from './time.js';

/** A manager's change to one date for the whole center (shorten, extend, open or close). */
export interface DayOverride {
  date: string;
  closed: boolean;
  open: string | null;
  close: string | null;
  reason: string | null;
}

/** What the center does on one Tokyo date. `open`/`close` are null exactly when `closed`. */
export interface OpeningDay {
  date: string;
  open: string | null;
  close: string | null;
  closed: boolean;
  /** The national holiday's name, whether or not the center is open. */
  holiday: string | null;
  reason: string | null;
}

export const REGULAR_CLOSING_REASON = '定例休館日';
export const YEAR_END_REASON = '年末年始休館';

// The package's type is a literal of every date, which a plain string cannot index.
const HOLIDAYS = holidayJp.holidays as Readonly<Record<string, { name: string } | undefined>>;

/**
 * The national holiday on a Tokyo date (振替休日 and 国民の休日 included), or null.
 * Looks the date up directly: the package's `isHoliday()` reads the server's zone.
 */
export function holidayName(date: string): string | null {
  return HOLIDAYS[date]?.name ?? null;
}

function weekday(date: string): number {
  return isoWeekday(date); // 1 = Monday … 7 = Sunday
}

function dayOfMonth(date: string): number {
  return Number(date.slice(8, 10));
}

function isClosingMonday(date: string, rules: CalendarRules): boolean {
  return weekday(date) === 1 && rules.closingMondays.includes(Math.ceil(dayOfMonth(date) / 7));
}

/** The weekday that takes the place of a closing Monday that fell on a holiday. */
function substituteFor(monday: string, holidayOf: (date: string) => string | null): string {
  let day = addDays(monday, 1);
  while (weekday(day) > 5 || holidayOf(day) !== null) day = addDays(day, 1);
  return day;
}

/**
 * Whether a date is a regular closing day (定例休館日): a listed nth Monday that is not a holiday,
 * or the first non-holiday weekday after such a Monday that was one.
 * `holidayOf` exists so tests can feed holiday runs the real data never has.
 */
export function isRegularClosingDay(
  date: string,
  rules: CalendarRules,
  holidayOf: (date: string) => string | null = holidayName,
): boolean {
  if (holidayOf(date) !== null || weekday(date) > 5) return false;
  if (isClosingMonday(date, rules)) return true;
  // A substitute lands at most a few days later; two weeks back covers any run of holidays.
  for (let back = 1; back <= 14; back++) {
    const monday = addDays(date, -back);
    if (isClosingMonday(monday, rules) && holidayOf(monday) !== null && substituteFor(monday, holidayOf) === date) {
      return true;
    }
  }
  return false;
}

/** Whether an MM-DD falls in an inclusive MM-DD range that may wrap over the new year. */
function inMonthDayRange(monthDay: string, from: string, to: string): boolean {
  return from <= to ? from <= monthDay && monthDay <= to : monthDay >= from || monthDay <= to;
}

/** Whether a date is in the year-end closure (12/29 – 1/3 by default, wrapping over the new year). */
export function isYearEndClosure(date: string, rules: CalendarRules): boolean {
  return inMonthDayRange(date.slice(5), rules.yearEndFrom, rules.yearEndTo);
}

/** The center's day: an override wins over the year-end closure, which wins over a regular closing. */
export function openingDay(date: string, rules: CalendarRules, override?: DayOverride): OpeningDay {
  const holiday = holidayName(date);
  if (override !== undefined) {
    if (override.closed) return { date, open: null, close: null, closed: true, holiday, reason: override.reason };
    return {
      date,
      open: override.open ?? rules.defaultOpen,
      close: override.close ?? rules.defaultClose,
      closed: false,
      holiday,
      reason: override.reason,
    };
  }
  if (isYearEndClosure(date, rules)) {
    return { date, open: null, close: null, closed: true, holiday, reason: YEAR_END_REASON };
  }
  if (isRegularClosingDay(date, rules)) {
    return { date, open: null, close: null, closed: true, holiday, reason: REGULAR_CLOSING_REASON };
  }
  return { date, open: rules.defaultOpen, close: rules.defaultClose, closed: false, holiday, reason: null };
}

/** Every day from `from` to `to`, both included; `rules` may name the calendar rules in force on each date. */
export function openingDays(
  from: string,
  to: string,
  rules: CalendarRules | ((date: string) => CalendarRules),
  overrides: ReadonlyMap<string, DayOverride>,
): OpeningDay[] {
  // Counted in days, not compared as strings: luxon writes year 10000 as "+010000-…", which sorts
  // before "9999-12-31" and would never end a string-compared loop.
  const days: OpeningDay[] = [];
  const n = daysBetween(from, to);
  for (let i = 0; i <= n; i++) {
    const date = addDays(from, i);
    days.push(openingDay(date, typeof rules === 'function' ? rules(date) : rules, overrides.get(date)));
  }
  return days;
}

/** Why an override cannot be saved; empty when it can. */
export function checkOverride(override: DayOverride, rules: CalendarRules): string[] {
  if (override.closed) return [];
  const open = override.open ?? rules.defaultOpen;
  const close = override.close ?? rules.defaultClose;
  if (!isClockTime(open) || !isClockTime(close)) return ['open and close must be HH:MM'];
  const problems: string[] = [];
  if (clockMinutes(close) <= clockMinutes(open)) problems.push('close must be after open');
  if (clockMinutes(close) > clockMinutes(rules.latestClose)) problems.push(`close may not be after ${rules.latestClose}`);
  return problems;
}

/**
 * Whether a space can be used on a date. The season is MM-DD, inclusive; a missing end means
 * open-ended on that side, and a season such as 11-01 – 03-31 wraps over the new year.
 */
export function inSeason(date: string, space: Pick<SpaceInfo, 'seasonFrom' | 'seasonTo'>): boolean {
  if (space.seasonFrom === null && space.seasonTo === null) return true;
  return inMonthDayRange(date.slice(5), space.seasonFrom ?? '01-01', space.seasonTo ?? '12-31');
}

/**
 * The latest open day on or before `date`, walking back over closed days; null when none is
 * found within `limit` days (the year-end closure alone is six days long).
 */
export function lastOpenDayOnOrBefore(
  date: string,
  dayOf: (date: string) => OpeningDay,
  limit = 31,
): string | null {
  for (let back = 0; back <= limit; back++) {
    const day = dayOf(addDays(date, -back));
    if (!day.closed) return day.date;
  }
  return null;
}
