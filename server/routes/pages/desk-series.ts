import type { Formatters, MessageKey, Translate } from '../../i18n/index.js';
import { isDate } from '../../domain/time.js';
import { ProblemError } from '../../errors.js';
import type { BookingView } from '../../services/booking-view.js';
import type { SpaceService } from '../../services/spaces.js';
import { describeRepeat, skippedViews, weekdayOfMonth, type SkippedView, type Values } from './booking-form.js';
import type { BookerChoice } from './desk-book.js';

/**
 * A recurring series made at the desk for a group or an account holder (a walk-in books one date
 * at a time): the same repeat fields as `/book` — weekly, every two weeks or monthly on the same
 * weekday, a number of times or until a date — turned into an RRULE by booking-form.ts, and a
 * confirmation listing the dates booked and those skipped with the reason, before anything is stored.
 */

/** The repeat fields of the desk's form, carried through its confirmation. */
export const REPEAT_FIELDS = ['repeat', 'repeatEnd', 'count', 'until'] as const;

export type SeriesResult = { created: BookingView[]; skipped: { start: string; code: string; detail: string; opensAt?: string }[] };
export const isSeries = (r: BookingView | SeriesResult): r is SeriesResult => 'created' in r;

/** Whether the clerk may make the booking recurring: for a registered group, a member or an individual, never a walk-in. */
export function canRepeat(choice: BookerChoice | null): boolean {
  return choice?.kind === 'found';
}

/** The repeat fields' values as the form shows them: no repeat and a count by default. */
export function withRepeatDefaults(values: Values): Values {
  return { ...values, repeat: values.repeat ?? 'none', repeatEnd: values.repeatEnd ?? 'count' };
}

/** "Every month on the 2nd Wednesday" for the chosen date, or null before a date is chosen. */
export function monthlyExample(values: Values, t: Translate): string | null {
  if (!values.date || !isDate(values.date)) return null;
  const { n, weekday } = weekdayOfMonth(values.date);
  const day = t(`weekday.${weekday}` as MessageKey);
  return n === -1 ? t('booking.repeat.describeMonthlyLast', { weekday: day }) : t('booking.repeat.describeMonthly', { n, weekday: day });
}

/** What the confirmation shows of a series: how it repeats, each date booked with its fee, each date skipped and why. */
export function seriesView(result: SeriesResult, values: Values, ctx: { t: Translate; f: Formatters; spaces: SpaceService }) {
  return {
    description: describeRepeat(values, ctx.t, ctx.f),
    created: result.created,
    skipped: skippedViews(result.skipped, ctx),
    totalYen: result.created.reduce((sum, b) => sum + b.totalYen, 0),
  };
}

/** The dates of a refused series (none of them could be booked), each with its reason; empty for any other refusal. */
export function skippedOfRefusal(error: unknown, ctx: { t: Translate; f: Formatters; spaces: SpaceService }): SkippedView[] {
  if (!(error instanceof ProblemError) || !Array.isArray(error.extra.skipped)) return [];
  return skippedViews(error.extra.skipped as SeriesResult['skipped'], ctx);
}
