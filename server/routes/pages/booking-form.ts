import { DateTime } from 'luxon';
import { addDays, isDate, ZONE } from '../../domain/time.js';
import { ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { isMessageKey, type Formatters, type MessageKey, type MessageParams, type Translate } from '../../i18n/index.js';
import type { Role } from '../../services/context.js';
import type { SpaceService } from '../../services/spaces.js';
import {
  EQUIPMENT_LABELS, equipmentError, equipmentField, equipmentItemsOf, shortageMessages, shortageReason, suspendingCaseNumbers,
} from './equipment-form.js';
import { FORM_ERROR, fieldMessage, type FieldLabels, type FormErrors } from './forms.js';

/**
 * The booking forms (a new booking, a change) as HTML sees them: a date, two times from a list of
 * half hours and plain text fields, turned into the body `bookings.create` and `bookingLife.change`
 * read; and every refusal of those services turned into sentences next to the field it is about.
 */

export type Values = Record<string, string>;

export const SLOT_FIELDS = ['space', 'date', 'start', 'end', 'attendees', 'purpose'] as const;
export const BOOKING_FIELDS = [...SLOT_FIELDS, 'commercial', 'admissionFeeYen', 'repeat', 'repeatEnd', 'count', 'until'] as const;

export const BOOKING_LABELS: FieldLabels = {
  space: 'booking.space', date: 'booking.date', start: 'booking.start', end: 'booking.end',
  attendees: 'booking.attendees', purpose: 'booking.purpose', commercial: 'booking.commercial',
  admissionFeeYen: 'booking.admissionFee', repeat: 'booking.repeat', count: 'booking.count', until: 'booking.until',
  ...EQUIPMENT_LABELS,
};

/** Where a service's error path is shown on the form. */
const FIELD_OF_PATH: Readonly<Record<string, string>> = {
  'use.admissionFeeYen': 'admissionFeeYen', 'use.commercial': 'commercial', 'recurrence.rrule': 'repeat', recurrence: 'repeat',
};

/** Half hours of the default opening day; a time outside it (an extended evening) is added where a booking has one. */
function halfHours(from: string, to: string): string[] {
  const times: string[] = [];
  for (let m = clockToMinutes(from); m <= clockToMinutes(to); m += 30) {
    times.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  }
  return times;
}
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const clockToMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
export const START_TIMES = halfHours('09:00', '21:00');
export const END_TIMES = halfHours('10:00', '22:00');

/** The options of a time select, keeping a value that is not in the list (so it is never lost). */
export function timeOptions(list: readonly string[], value: string | undefined): string[] {
  return value && CLOCK.test(value) && !list.includes(value) ? [...list, value].sort() : [...list];
}

export const REPEATS = ['none', 'weekly', 'biweekly', 'monthly'] as const;
export type Repeat = (typeof REPEATS)[number];
const MAX_COUNT = 52;
const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** "2WE": the date's weekday counted in its month; the 5th is "the last" (-1), which every month has. */
export function weekdayOfMonth(date: string): { n: number; weekday: number } {
  const dt = DateTime.fromISO(date, { zone: ZONE });
  const n = Math.ceil(dt.day / 7);
  return { n: n === 5 ? -1 : n, weekday: dt.weekday };
}

/** A person's number: full-width digits, spaces and thousands separators are fine. */
function wholeNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const normalized = raw.normalize('NFKC').trim().replace(/[,\s]/g, '');
  return /^\d{1,9}$/.test(normalized) ? Number(normalized) : null;
}

/** A time from a select, or from a grid link's `YYYY-MM-DDTHH:MM`. */
export function clockOf(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const clock = raw.length > 5 ? raw.slice(11, 16) : raw;
  return CLOCK.test(clock) ? clock : undefined;
}

/** The form's values from `GET /book?space=&date=&start=&end=` (the space grid links free cells so). */
export function valuesFromQuery(query: unknown): Values {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const values: Values = { repeat: 'none', repeatEnd: 'count' };
  if (typeof q.space === 'string' && /^[a-z0-9-]{1,50}$/.test(q.space)) values.space = q.space;
  const startText = typeof q.start === 'string' ? q.start : '';
  const date = typeof q.date === 'string' && isDate(q.date) ? q.date : isDate(startText.slice(0, 10)) ? startText.slice(0, 10) : undefined;
  if (date) values.date = date;
  const start = clockOf(q.start);
  const end = clockOf(q.end);
  if (start) values.start = start;
  if (end) values.end = end;
  else if (start && clockToMinutes(start) + 60 <= clockToMinutes('23:00')) {
    // A free cell says where the booking starts; an hour is the shortest booking.
    values.end = halfHours(start, '23:00')[2]!;
  }
  return values;
}

export interface SlotBody {
  space: string | undefined;
  start: string;
  end: string;
  purpose: string | undefined;
  attendees: number | undefined;
}

/** Space, date, times, headcount and purpose as the services read them; form mistakes are collected in `errors`. */
export function slotBody(values: Values, errors: FieldError[]): SlotBody {
  const date = values.date?.trim() ?? '';
  if (date === '') errors.push({ path: 'date', message: 'required' });
  else if (!isDate(date)) errors.push({ path: 'date', message: 'a real date as YYYY-MM-DD' });
  const start = clockOf(values.start);
  const end = clockOf(values.end);
  if (!start) errors.push({ path: 'start', message: 'choose' });
  if (!end) errors.push({ path: 'end', message: 'choose' });
  else if (start && clockToMinutes(end) <= clockToMinutes(start)) errors.push({ path: 'end', message: 'end must be after start' });
  const attendeesText = values.attendees?.trim() ?? '';
  const attendees = wholeNumber(attendeesText);
  if (attendeesText === '') errors.push({ path: 'attendees', message: 'required' });
  else if (attendees === null || attendees < 1) errors.push({ path: 'attendees', message: 'attendees' });
  if (!values.space) errors.push({ path: 'space', message: 'choose' });
  return {
    space: values.space || undefined,
    start: `${date}T${start ?? ''}`,
    end: `${date}T${end ?? ''}`,
    purpose: values.purpose,
    attendees: attendees ?? undefined,
  };
}

/** The rrule of the repeat section, or undefined for a single booking. */
function recurrenceOf(values: Values, errors: FieldError[]): { rrule: string } | undefined {
  const repeat = (REPEATS as readonly string[]).includes(values.repeat ?? '') ? (values.repeat as Repeat) : 'none';
  if (repeat === 'none' || !values.date || !isDate(values.date)) return undefined;
  let rule: string;
  if (repeat === 'monthly') {
    const { n, weekday } = weekdayOfMonth(values.date);
    rule = `FREQ=MONTHLY;BYDAY=${n}${WEEKDAY_CODES[weekday - 1]}`;
  } else {
    rule = repeat === 'biweekly' ? 'FREQ=WEEKLY;INTERVAL=2' : 'FREQ=WEEKLY';
  }
  if (values.repeatEnd === 'until') {
    const until = values.until?.trim() ?? '';
    if (until === '') errors.push({ path: 'until', message: 'required' });
    else if (!isDate(until)) errors.push({ path: 'until', message: 'a real date as YYYY-MM-DD' });
    else if (until <= values.date) errors.push({ path: 'until', message: 'until' });
    else return { rrule: `${rule};UNTIL=${until.replace(/-/g, '')}` };
    return undefined;
  }
  const countText = values.count?.trim() ?? '';
  const count = wholeNumber(countText);
  if (countText === '') errors.push({ path: 'count', message: 'required' });
  else if (count === null || count < 2 || count > MAX_COUNT) errors.push({ path: 'count', message: 'count' });
  else return { rrule: `${rule};COUNT=${count}` };
  return undefined;
}

/** The `POST /bookings` body of the booking form; a series only for those who may make one. */
export function bookingBody(values: Values, allowSeries: boolean) {
  const errors: FieldError[] = [];
  const slot = slotBody(values, errors);
  const feeText = values.admissionFeeYen?.trim() ?? '';
  const fee = feeText === '' ? 0 : wholeNumber(feeText);
  if (fee === null) errors.push({ path: 'admissionFeeYen', message: 'admission' });
  const recurrence = allowSeries ? recurrenceOf(values, errors) : undefined;
  const equipment = equipmentItemsOf(values, errors);
  if (errors.length > 0) throw new ValidationError(errors);
  return {
    ...slot,
    use: { commercial: values.commercial === 'true', admissionFeeYen: fee ?? 0 },
    ...(recurrence ? { recurrence } : {}),
    ...(equipment.length > 0 ? { equipment } : {}),
  };
}

/** How a series repeats, in words: 毎週火曜日・4回. */
export function describeRepeat(values: Values, t: Translate, f: Formatters): string | null {
  const repeat = values.repeat as Repeat | undefined;
  if (!repeat || repeat === 'none' || !values.date || !isDate(values.date)) return null;
  const { n, weekday } = weekdayOfMonth(values.date);
  const day = t(`weekday.${weekday}` as MessageKey);
  const how = repeat === 'monthly'
    ? (n === -1 ? t('booking.repeat.describeMonthlyLast', { weekday: day }) : t('booking.repeat.describeMonthly', { n, weekday: day }))
    : t(repeat === 'weekly' ? 'booking.repeat.describeWeekly' : 'booking.repeat.describeBiweekly', { weekday: day });
  const until = values.repeatEnd === 'until' && values.until && isDate(values.until)
    ? t('booking.repeat.describeUntil', { date: f.date(values.until) })
    : t('booking.repeat.describeCount', { n: values.count ?? '' });
  return `${how}${t('booking.repeat.describeJoin')}${until}`;
}

/** One field error as a sentence: the booking's own rules first, then the shared ones (forms.ts). */
function bookingMessage(e: FieldError, label: string, t: Translate): string {
  const m = e.message;
  const say = (key: MessageKey, params: MessageParams = {}) => t(key, { label, ...params });
  let match: RegExpExecArray | null;
  if (m === 'choose' || m === 'unknown space') return say('booking.error.choose');
  if (m === 'attendees') return say('booking.error.attendees');
  if (m === 'admission') return say('booking.error.admissionFee');
  if (m === 'count') return say('booking.error.count', { max: MAX_COUNT });
  if (m === 'until') return say('booking.error.until');
  if (m === 'end must be after start') return say('booking.error.endAfterStart');
  if (m === 'start must be in the future') return say('booking.error.past');
  if (m === 'a booking must start and end on the same date') return say('booking.error.sameDay');
  if ((match = /^(?:start|end) must be on the (\d+)-minute grid$/.exec(m))) return say('booking.error.grid', { minutes: match[1]! });
  if ((match = /^a booking lasts at least (\d+) minutes$/.exec(m))) return say('booking.error.tooShort', { minutes: match[1]! });
  if ((match = /^online booking ends (\d+) days before use/.exec(m))) return say('booking.error.onlineCutoff', { days: match[1]! });
  if (e.path === 'recurrence.rrule') return say('booking.error.repeat');
  if (m === 'no date of the series could be booked') return say('booking.error.seriesNone');
  if (m.startsWith('Invalid input: expected number')) return say('booking.error.attendees');
  return fieldMessage(e, label, t);
}

/** A date's day in the calendar, to say why it is closed (a closure's reason, a regular closing day). */
type DayLookup = (date: string) => { closed: boolean; open: string | null; close: string | null; reason: string | null } | undefined;

export interface RefusalContext {
  t: Translate;
  f: Formatters;
  role: Role;
  spaces: SpaceService;
  values: Values;
  /** The fields the form shows; an error about another one becomes a message about the whole form. */
  labels?: FieldLabels;
}

export interface SkippedView {
  date: string;
  start: string;
  reason: string;
}

/** The opening day of each date from the calendar, read once for a whole series. */
function dayLookup(spaces: SpaceService, dates: string[]): DayLookup {
  if (dates.length === 0) return () => undefined;
  const sorted = [...dates].sort();
  try {
    const days = spaces.calendar({ from: sorted[0], to: sorted[sorted.length - 1] });
    const byDate = new Map(days.map((d) => [d.date, d]));
    return (date) => byDate.get(date);
  } catch {
    return () => undefined;
  }
}

/** Why each skipped date of a series was left out, in the page's language. */
export function skippedViews(skipped: { start: string; code: string; detail: string; opensAt?: string }[], ctx: Pick<RefusalContext, 't' | 'f' | 'spaces'>): SkippedView[] {
  const { t, f } = ctx;
  const dateOf = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(ZONE).toISODate()!;
  const day = dayLookup(ctx.spaces, skipped.map((s) => dateOf(s.start)));
  return skipped.map((s) => {
    const date = dateOf(s.start);
    const problemKey = `problem.${s.code}`;
    let reason = isMessageKey(problemKey) ? t(problemKey) : t('problem.validation_failed');
    if (s.code === 'conflict') {
      reason = shortageReason(s.detail, t) ?? reason;
    } else if (s.code === 'closed') {
      const d = day(date);
      if (d?.closed) reason = d.reason ? t('booking.skip.closedBecause', { reason: f.reason(d.reason) }) : t('booking.skip.closedDay');
    } else if (s.code === 'window_not_open') {
      const opensAt = s.opensAt;
      if (opensAt) reason = `${reason}${t('booking.skip.opensAt', { opensAt: f.dateTime(opensAt) })}`;
    }
    return { date, start: s.start, reason };
  });
}

/**
 * A refusal as messages by field: bad input next to its field, a closed date next to the date,
 * a taken slot next to the start, a headcount over capacity next to the attendees; quotas and
 * anything else about the whole form. Faults of ours (and 403/404) are rethrown.
 */
export function refusalErrors(error: unknown, ctx: RefusalContext): { errors: FormErrors; skipped: SkippedView[] } {
  if (!(error instanceof ProblemError) || error.status >= 500 || error.code === 'not_found' || error.code === 'forbidden' || error.code === 'unauthenticated') throw error;
  const { t, f, values } = ctx;
  const labels = ctx.labels ?? BOOKING_LABELS;
  const errors: FormErrors = {};
  const label = (field: string) => { const key = labels[field]; return key ? t(key) : ''; };
  const put = (field: string, message: string) => {
    if (labels[field] === undefined) errors[FORM_ERROR] ??= message;
    else errors[field] ??= message;
  };
  let skipped: SkippedView[] = [];

  switch (error.code) {
    case 'validation_failed': {
      const list = error instanceof ValidationError ? error.errors : ((error.extra.errors as FieldError[] | undefined) ?? []);
      // The equipment the form sent, in the order the service numbers it (`equipment.0.quantity`).
      const items = equipmentItemsOf(values, []);
      for (const e of list) {
        const about = equipmentError(e, t, items);
        if (about) {
          put(about.type === null ? FORM_ERROR : equipmentField(about.type), about.message);
          continue;
        }
        const field = FIELD_OF_PATH[e.path] ?? e.path;
        put(field, bookingMessage(e, label(field), t));
      }
      if (Array.isArray(error.extra.skipped)) skipped = skippedViews(error.extra.skipped as { start: string; code: string; detail: string; opensAt?: string }[], ctx);
      if (Object.keys(errors).length === 0) errors[FORM_ERROR] = t('problem.validation_failed');
      break;
    }
    case 'closed': {
      const reason = typeof error.extra.reason === 'string' ? error.extra.reason : null;
      let day: ReturnType<SpaceService['availability']> | undefined;
      try {
        day = values.space && values.date ? ctx.spaces.availability({ space: values.space, date: values.date }) : undefined;
      } catch {
        day = undefined;
      }
      if (day?.closed) {
        const why = day.reason ?? reason;
        put('date', why ? t('booking.error.closedBecause', { reason: f.reason(why) }) : t('booking.error.closedDay'));
      } else if (day && day.open && day.close && (clockOf(values.start) ?? '') < day.open) {
        put('start', t('booking.error.hours', { open: day.open, close: day.close }));
      } else if (day && day.open && day.close && (clockOf(values.end) ?? '') > day.close) {
        put('end', t('booking.error.hours', { open: day.open, close: day.close }));
      } else {
        put('start', reason ? t('booking.error.spaceUnavailable', { reason: f.reason(reason) }) : t('problem.closed'));
      }
      break;
    }
    case 'window_not_open': {
      const opensAt = typeof error.extra.opensAt === 'string' ? error.extra.opensAt : null;
      put('date', opensAt ? t('booking.error.windowOpensAt', { opensAt: f.dateTime(opensAt) }) : t('problem.window_not_open'));
      break;
    }
    case 'conflict': {
      const short = shortageMessages(error.extra.conflicts, t);
      if (short.length > 0) {
        for (const s of short) put(equipmentField(s.type), s.message);
        break;
      }
      const conflicts = Array.isArray(error.extra.conflicts) ? (error.extra.conflicts as { start?: unknown; end?: unknown }[]) : [];
      const ranges = [...new Set(conflicts
        .filter((c): c is { start: string; end: string } => typeof c.start === 'string' && typeof c.end === 'string')
        .map((c) => f.timeRange(c.start, c.end)))];
      put('start', ranges.length > 0 ? t('booking.error.conflictAt', { times: ranges.join(t('booking.listSeparator')) }) : t('problem.conflict'));
      break;
    }
    case 'capacity_exceeded': {
      const capacity = typeof error.extra.capacity === 'number' ? error.extra.capacity : null;
      put('attendees', capacity !== null ? t('booking.error.capacity', { label: label('attendees'), capacity }) : t('problem.capacity_exceeded'));
      break;
    }
    case 'quota_exceeded': {
      const quota = typeof error.extra.quota === 'number' ? error.extra.quota : null;
      errors[FORM_ERROR] = quota === null ? t('problem.quota_exceeded')
        : t(ctx.role === 'individual' ? 'booking.error.quotaIndividual' : 'booking.error.quotaGroup', { quota });
      break;
    }
    case 'borrowing_suspended': {
      // The desk is told which cases; the borrower is sent to their own cases (the page links them).
      const cases = suspendingCaseNumbers(error.extra, t);
      errors[FORM_ERROR] = ctx.role === 'staff' || ctx.role === 'manager'
        ? t('bookEquipment.error.suspendedDesk', { cases: cases || t('term.damageCase') })
        : t('bookEquipment.error.suspended');
      break;
    }
    default:
      errors[FORM_ERROR] = t(`problem.${error.code}`);
  }
  return { errors, skipped };
}

/** Today and a year on: the range "my bookings" shows unless asked otherwise. */
export function defaultRange(today: string): { from: string; to: string } {
  return { from: addDays(today, -30), to: addDays(today, 400) };
}
