import { DateTime } from 'luxon';
import rrulePkg from 'rrule';
import { ZONE, parseDate, tokyoDate } from './time.js';

// rrule ships CommonJS under an ESM "module" field that Node cannot load by name (NOTES.md).
const { RRule } = rrulePkg;

/** Thrown when an rrule string cannot be read or is not allowed (e.g. FREQ more often than DAILY, BYHOUR etc., DTSTART inside the rule). */
export class InvalidRecurrenceError extends Error {
  override readonly name = 'InvalidRecurrenceError';
}

/** More than this is a mistake or an attempt to hold a room indefinitely, never a real series. */
const MAX_OCCURRENCES = 400;

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const list = (item: string) => new RegExp(`^${item}(,${item})*$`);
const signed = '[+-]?\\d{1,2}';

// rrule's own parser accepts nonsense (BYDAY=XX becomes undefined, COUNT=abc a string), so every
// part is checked here first. Left out on purpose: BYHOUR/BYMINUTE/BYSECOND (an occurrence keeps
// the first one's wall-clock time), and BYSETPOS/BYYEARDAY/BYWEEKNO, which no series form needs
// and which can make a rule that never matches, which rrule searches for until the year 9999.
const PART_SYNTAX: Record<string, RegExp> = {
  FREQ: /^(YEARLY|MONTHLY|WEEKLY|DAILY)$/,
  INTERVAL: /^[1-9]\d{0,2}$/,
  COUNT: /^[1-9]\d{0,5}$/,
  UNTIL: /^\d{8}(T\d{6}Z?)?$/,
  BYDAY: list(`(${signed})?(${WEEKDAYS.join('|')})`),
  BYMONTHDAY: list(signed),
  BYMONTH: list('\\d{1,2}'),
  WKST: new RegExp(`^(${WEEKDAYS.join('|')})$`),
};

/** Numeric limits of each part (RFC 5545 §3.3.10); zero is never allowed. */
const PART_RANGE: Record<string, number> = { BYMONTHDAY: 31, BYMONTH: 12 };

function readRule(text: string): Map<string, string> {
  const body = text.trim().toUpperCase().replace(/^RRULE:/, '');
  if (body === '' || /[\r\n]/.test(body)) throw new InvalidRecurrenceError('a recurrence rule is one RRULE line');
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || extra !== undefined) throw new InvalidRecurrenceError(`not a rule part: ${part}`);
    if (key === 'FREQ' && /^(SECONDLY|MINUTELY|HOURLY)$/.test(value)) {
      throw new InvalidRecurrenceError(`a series repeats at most daily, not ${value}`);
    }
    const syntax = PART_SYNTAX[key];
    if (!syntax) throw new InvalidRecurrenceError(`rule part not allowed: ${key}`);
    if (!syntax.test(value)) throw new InvalidRecurrenceError(`not a valid ${key}: ${value}`);
    if (parts.has(key)) throw new InvalidRecurrenceError(`${key} given twice`);
    const limit = PART_RANGE[key];
    if (limit !== undefined && value.split(',').some((n) => Number(n) === 0 || Math.abs(Number(n)) > limit)) {
      throw new InvalidRecurrenceError(`${key} out of range: ${value}`);
    }
    parts.set(key, value);
  }
  const freq = parts.get('FREQ');
  if (!freq) throw new InvalidRecurrenceError('a rule needs FREQ');
  if (parts.has('COUNT') && parts.has('UNTIL')) throw new InvalidRecurrenceError('COUNT and UNTIL cannot both be given');
  if (Number(parts.get('COUNT') ?? 0) > MAX_OCCURRENCES) {
    throw new InvalidRecurrenceError(`a series has at most ${MAX_OCCURRENCES} occurrences`);
  }
  if (parts.has('BYMONTHDAY') && freq === 'WEEKLY') throw new InvalidRecurrenceError('BYMONTHDAY cannot be used with FREQ=WEEKLY');
  // "2WE" (the 2nd Wednesday) only means something within a month or a year.
  const numbered = (parts.get('BYDAY') ?? '').split(',').filter((d) => d.length > 2);
  if (numbered.length > 0 && freq !== 'MONTHLY' && freq !== 'YEARLY') {
    throw new InvalidRecurrenceError('a numbered BYDAY needs FREQ=MONTHLY or YEARLY');
  }
  if (numbered.some((d) => Number(d.slice(0, -2)) === 0)) throw new InvalidRecurrenceError('there is no 0th weekday');
  return parts;
}

/** "2WE" on a date: the weekday, and where numbered, its place counted in the month (or the year). */
function isWeekdayOf(entry: string, day: DateTime, inYear: boolean): boolean {
  if (WEEKDAYS.indexOf(entry.slice(-2)) + 1 !== day.weekday) return false;
  if (entry.length === 2) return true;
  const n = Number(entry.slice(0, -2));
  const index = inYear ? day.ordinal : day.day;
  const length = inYear ? day.daysInYear : day.daysInMonth;
  return n > 0 ? Math.ceil(index / 7) === n : -Math.ceil((length - index + 1) / 7) === n;
}

/**
 * Whether a Tokyo date passes every BY* filter of the rule. Checking the first start this way
 * also proves the rule matches some date, so rrule never searches an empty rule to the year 9999.
 */
function isDateOfRule(parts: Map<string, string>, day: DateTime): boolean {
  const months = parts.get('BYMONTH')?.split(',').map(Number);
  if (months && !months.includes(day.month)) return false;
  const monthDays = parts.get('BYMONTHDAY')?.split(',').map(Number);
  if (monthDays && !monthDays.some((n) => n === day.day || n === day.day - day.daysInMonth - 1)) return false;
  const inYear = parts.get('FREQ') === 'YEARLY' && !months;
  const byDay = parts.get('BYDAY')?.split(',');
  return !byDay || byDay.some((entry) => isWeekdayOf(entry, day, inYear));
}

/**
 * The last Tokyo date UNTIL allows. A UTC form (…Z) is turned into its Tokyo date, a floating or
 * date-only form is read as written: either way the whole of that day is included, because people
 * mean "until March 31", not "until some instant on March 31".
 */
function untilDate(value: string): string {
  const date = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  const time = value.length > 8 ? `T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}` : '';
  try {
    if (value.endsWith('Z')) return tokyoDate(DateTime.fromISO(`${date}${time}`, { zone: 'utc' }));
    return DateTime.fromISO(`${date}${time}`, { zone: ZONE }).toISODate()!;
  } catch {
    throw new InvalidRecurrenceError(`not a real UNTIL date: ${value}`);
  }
}

/** Tokyo wall-clock time written as UTC: the "floating" form rrule computes with. */
function floating(dt: DateTime): Date {
  const t = dt.setZone(ZONE);
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
}

function fromFloating(date: Date): DateTime {
  const u = DateTime.fromJSDate(date, { zone: 'utc' });
  return DateTime.fromObject(
    { year: u.year, month: u.month, day: u.day, hour: u.hour, minute: u.minute, second: u.second },
    { zone: ZONE },
  );
}

/**
 * The occurrences of a series, first one at `start`, each with the same Tokyo wall-clock times.
 * Cut at `horizon` (inclusive Tokyo date) and before `maxMonths` after the first start, whichever
 * is earlier. Closures are not skipped here: the service checks every occurrence against the
 * calendar and reports why a date was left out.
 */
export function expandSeries(input: {
  rrule: string;
  start: DateTime;
  end: DateTime;
  horizon: string;
  maxMonths: number;
}): { start: DateTime; end: DateTime }[] {
  const parts = readRule(input.rrule);
  const first = input.start.setZone(ZONE);
  const durationMs = input.end.toMillis() - first.toMillis();
  if (durationMs <= 0) throw new InvalidRecurrenceError('an occurrence must end after it starts');
  // RFC 5545 leaves a DTSTART outside its own rule undefined; booking a date nobody asked for
  // (a Monday start for "every Tuesday") is worse than saying so.
  if (!isDateOfRule(parts, first)) {
    throw new InvalidRecurrenceError(`the first date ${tokyoDate(first)} is not a date of the rule`);
  }

  const until = parts.get('UNTIL');
  parts.delete('UNTIL');
  const horizon = parseDate(input.horizon);
  const lastDate = until !== undefined && untilDate(until) < horizon ? untilDate(until) : horizon;
  // Strictly before: twelve monthly occurrences make a year, not thirteen.
  const stop = first.plus({ months: input.maxMonths });

  const ruleText = [...parts].map(([key, value]) => `${key}=${value}`).join(';');
  // rrule stops at its UNTIL only once it finds a date beyond it; the first start being a date of
  // the rule guarantees one within the calendar's 400-year cycle.
  const cutoff = DateTime.min(DateTime.fromISO(lastDate, { zone: ZONE }).endOf('day'), stop.minus({ milliseconds: 1 }));
  const rule = new RRule({ ...RRule.parseString(ruleText), dtstart: floating(first), until: floating(cutoff) });
  const dates = rule.all((_, index) => index <= MAX_OCCURRENCES);
  if (dates.length > MAX_OCCURRENCES) {
    throw new InvalidRecurrenceError(`a series has at most ${MAX_OCCURRENCES} occurrences`);
  }

  return dates.map(fromFloating).map((s) => ({ start: s, end: s.plus({ milliseconds: durationMs }) }));
}
