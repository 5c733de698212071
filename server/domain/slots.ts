import type { DateTime } from 'luxon';
import type { OpeningDay } from './calendar.js';
import { inSeason } from './calendar.js';
import { overlaps } from './conflicts.js';
import type { LifeRules, SpaceInfo } from './rules.js';
import { ZONE, at, tokyoDate } from './time.js';

/** Why a requested interval cannot be booked. The lead maps messages to i18n keys. */
export type SlotProblem =
  | { code: 'validation_failed'; path: 'start' | 'end'; message: string }
  | { code: 'closed'; message: string; reason: string | null };

/** A period a manager took one space out of use (maintenance, the center's own event, a shelter). */
export interface Block {
  start: DateTime;
  end: DateTime;
  reason: string;
}

export interface SlotRequest {
  start: DateTime;
  end: DateTime;
  now: DateTime;
  /** The opening day of the start's Tokyo date. */
  day: OpeningDay;
  space: Pick<SpaceInfo, 'seasonFrom' | 'seasonTo' | 'slug'>;
  /** Blocks of this space (and of its whole or parts, if the caller counts those). */
  blocks: readonly Block[];
  life: LifeRules;
}

function onGrid(dt: DateTime, gridMinutes: number): boolean {
  const local = dt.setZone(ZONE);
  const sinceMidnight = local.diff(local.startOf('day'), 'milliseconds').milliseconds;
  return sinceMidnight % (gridMinutes * 60_000) === 0;
}

/** Whether `end` lies on the start's Tokyo date, midnight at its end included. */
function sameDay(start: DateTime, end: DateTime): boolean {
  const date = tokyoDate(start);
  return tokyoDate(end) === date || end.toMillis() === at(date, '24:00').toMillis();
}

function shapeProblems(input: SlotRequest): SlotProblem[] {
  const { start, end, now, life } = input;
  const problems: SlotProblem[] = [];
  const invalid = (path: 'start' | 'end', message: string): void => {
    problems.push({ code: 'validation_failed', path, message });
  };
  if (!onGrid(start, life.gridMinutes)) invalid('start', `start must be on the ${life.gridMinutes}-minute grid`);
  if (!onGrid(end, life.gridMinutes)) invalid('end', `end must be on the ${life.gridMinutes}-minute grid`);
  const minutes = end.diff(start, 'minutes').minutes;
  if (minutes <= 0) invalid('end', 'end must be after start');
  else if (minutes < life.minBookingMinutes) invalid('end', `a booking lasts at least ${life.minBookingMinutes} minutes`);
  if (start.toMillis() <= now.toMillis()) invalid('start', 'start must be in the future');
  if (minutes > 0 && !sameDay(start, end)) invalid('end', 'a booking must start and end on the same date');
  return problems;
}

function closedProblems(input: SlotRequest): SlotProblem[] {
  const { start, end, day, space, blocks } = input;
  const problems: SlotProblem[] = [];
  if (day.closed || day.open === null || day.close === null) {
    problems.push({ code: 'closed', message: `the center is closed on ${day.date}`, reason: day.reason });
  } else if (
    start.toMillis() < at(day.date, day.open).toMillis() ||
    end.toMillis() > at(day.date, day.close).toMillis()
  ) {
    problems.push({
      code: 'closed',
      message: `the center is open ${day.open}–${day.close} on ${day.date}`,
      reason: day.reason,
    });
  }
  if (!inSeason(day.date, space)) {
    problems.push({
      code: 'closed',
      message: `${space.slug} can be booked ${space.seasonFrom ?? '01-01'} – ${space.seasonTo ?? '12-31'} only`,
      reason: null,
    });
  }
  if (end.toMillis() > start.toMillis()) {
    for (const block of blocks) {
      if (overlaps({ start, end }, block)) {
        const message = `${space.slug} is not available: ${block.reason}`;
        problems.push({ code: 'closed', message, reason: block.reason });
      }
    }
  }
  return problems;
}

/**
 * Every reason the interval `[start, end)` cannot be booked of `space`; empty when it can.
 * Checks the shape (grid, length, future, one date) and then the calendar, season and blocks,
 * so a form can show all of them at once.
 */
export function checkSlot(input: SlotRequest): SlotProblem[] {
  if (tokyoDate(input.start) !== input.day.date) {
    // A caller bug rather than a user's mistake: the wrong day would approve the wrong hours.
    throw new Error(`checkSlot was given the opening day ${input.day.date} for a start on ${tokyoDate(input.start)}`);
  }
  return [...shapeProblems(input), ...closedProblems(input)];
}
