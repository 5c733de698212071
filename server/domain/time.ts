import { DateTime, FixedOffsetZone, Settings } from 'luxon';

// An invalid date must fail loudly, never roll over (2026-02-30 is not March 2).
Settings.throwOnInvalid = true;

/** The facility's zone by its IANA name (for calendars and documents that name it). */
export const ZONE_NAME = 'Asia/Tokyo';

/**
 * The facility's zone: every civil date and wall-clock time in Hiroba is Tokyo's. Japan has kept
 * UTC+9 without daylight saving since 1951, so a fixed offset is exactly Asia/Tokyo for every date
 * Hiroba handles — and luxon computes it without an Intl lookup per instant, which was the largest
 * single cost of a booking request. A unit test checks it against the IANA zone.
 */
export const ZONE = FixedOffsetZone.instance(9 * 60);

declare module 'luxon' {
  interface TSSettings {
    throwOnInvalid: true;
  }
}

/** Thrown when a date or time string cannot be read as a real instant. */
export class InvalidTimeError extends Error {
  override readonly name = 'InvalidTimeError';
}

const ISO_WITH_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Reads an ISO 8601 date-time. Without an offset it is Tokyo wall-clock time (API.md).
 * Rejects impossible dates (2026-02-30) and 24:00 instead of rolling them over.
 */
export function parseInstant(text: string): DateTime {
  if (!ISO_WITH_TIME.test(text)) throw new InvalidTimeError(`not an ISO 8601 date-time: ${text}`);
  try {
    return DateTime.fromISO(text, { zone: ZONE, setZone: false }).setZone(ZONE);
  } catch {
    throw new InvalidTimeError(`not a real date-time: ${text}`);
  }
}

/** Reads a civil date `YYYY-MM-DD`, rejecting impossible ones. */
export function parseDate(text: string): string {
  if (!ISO_DATE.test(text)) throw new InvalidTimeError(`not a date: ${text}`);
  try {
    DateTime.fromISO(text, { zone: ZONE });
  } catch {
    throw new InvalidTimeError(`not a real date: ${text}`);
  }
  return text;
}

export function isDate(text: string): boolean {
  try {
    parseDate(text);
    return true;
  } catch {
    return false;
  }
}

export function isClockTime(text: string): boolean {
  return HH_MM.test(text);
}

/** A stored instant: UTC, fixed width, so that text order is time order. */
export function toStored(dt: DateTime): string {
  return dt.toUTC().toISO({ suppressMilliseconds: false, includeOffset: true })!;
}

export function fromStored(text: string): DateTime {
  return DateTime.fromISO(text, { zone: 'utc' }).setZone(ZONE);
}

/** An instant as the API shows it: Tokyo time with `+09:00`. */
export function toApi(dt: DateTime): string {
  return dt.setZone(ZONE).toISO({ suppressMilliseconds: true })!;
}

/** The Tokyo civil date of an instant. */
export function tokyoDate(dt: DateTime): string {
  return dt.setZone(ZONE).toISODate()!;
}

/** Tokyo wall-clock "HH:MM" of an instant. */
export function tokyoClock(dt: DateTime): string {
  return dt.setZone(ZONE).toFormat('HH:mm');
}

/** The instant at a Tokyo date and "HH:MM" (which may be "24:00" for the end of the day). */
export function at(date: string, clock: string): DateTime {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return DateTime.fromISO(date, { zone: ZONE }).startOf('day').plus({ hours: h, minutes: m });
}

/** Civil-date arithmetic in UTC milliseconds: exact for dates (no zone, no DST) and far cheaper than luxon. */
function civilMillis(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

export function addDays(date: string, days: number): string {
  return new Date(civilMillis(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** ISO weekday of a civil date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return new Date(civilMillis(date)).getUTCDay() || 7;
}

/** Whole Tokyo calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((civilMillis(to) - civilMillis(from)) / 86_400_000);
}

/** Minutes since Tokyo midnight for "HH:MM". */
export function clockMinutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** The fiscal year (年度) a date belongs to: April 1 – March 31, named by the year it starts. */
export function fiscalYear(date: string): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m >= 4 ? y : y - 1;
}

/** The last day of a fiscal year. */
export function fiscalYearEnd(fy: number): string {
  return `${fy + 1}-03-31`;
}
