import type { DateTime } from 'luxon';

/** Anything that holds a space for a while: a booking, a block, a request being checked. */
export interface Occupancy {
  id?: number | string;
  space: string;
  start: DateTime;
  end: DateTime;
}

/** A whole space's slug to its parts' slugs, e.g. training → [training-a, training-b]. */
export type PartsOf = ReadonlyMap<string, readonly string[]>;

export interface Interval {
  start: DateTime;
  end: DateTime;
}

/** Whether two half-open intervals `[start, end)` share an instant; touching ones do not. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start.toMillis() < b.end.toMillis() && b.start.toMillis() < a.end.toMillis();
}

/** The spaces that cannot be lent twice: a whole is its parts, a part (or plain space) itself. */
function atoms(space: string, partsOf: PartsOf, seen: ReadonlySet<string> = new Set()): Set<string> {
  const parts = partsOf.get(space);
  if (parts === undefined || parts.length === 0 || seen.has(space)) return new Set([space]);
  const inside = new Set([...seen, space]);
  return new Set(parts.flatMap((part) => [...atoms(part, partsOf, inside)]));
}

/**
 * Whether booking one space makes the other unavailable: the same space, a whole and one of its
 * parts, or a part and its whole. Two parts of the same whole do not collide.
 */
export function spacesCollide(a: string, b: string, partsOf: PartsOf): boolean {
  if (a === b) return true;
  const atomsOfB = atoms(b, partsOf);
  return [...atoms(a, partsOf)].some((atom) => atomsOfB.has(atom));
}

/**
 * What stands in the way of `request`. `ignoreId` is the booking being changed, which must not
 * conflict with itself; ids are compared strictly so a block never passes for a booking.
 */
export function findConflicts(
  request: Occupancy,
  existing: readonly Occupancy[],
  partsOf: PartsOf,
  ignoreId?: number | string,
): Occupancy[] {
  return existing.filter(
    (other) =>
      !(ignoreId !== undefined && other.id === ignoreId) &&
      spacesCollide(request.space, other.space, partsOf) &&
      overlaps(request, other),
  );
}

/** Sorts intervals and joins those that overlap or touch; empty intervals are dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .filter((i) => i.end.toMillis() > i.start.toMillis())
    .sort((x, y) => x.start.toMillis() - y.start.toMillis());
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start.toMillis() <= last.end.toMillis()) {
      if (end.toMillis() > last.end.toMillis()) last.end = end;
    } else {
      merged.push({ start, end });
    }
  }
  return merged;
}

/** When `space` is unavailable, counting bookings of its whole and of its parts; merged, sorted. */
export function busyIntervals(space: string, existing: readonly Occupancy[], partsOf: PartsOf): Interval[] {
  return mergeIntervals(existing.filter((other) => spacesCollide(space, other.space, partsOf)));
}

/** The gaps in `[open, close)` not covered by `busy`, which need not be sorted or merged. */
export function freeIntervals(open: DateTime, close: DateTime, busy: readonly Interval[]): Interval[] {
  const free: Interval[] = [];
  let cursor = open;
  for (const taken of mergeIntervals(busy)) {
    if (taken.end.toMillis() <= cursor.toMillis()) continue;
    if (taken.start.toMillis() >= close.toMillis()) break;
    if (taken.start.toMillis() > cursor.toMillis()) free.push({ start: cursor, end: taken.start });
    cursor = taken.end;
  }
  if (cursor.toMillis() < close.toMillis()) free.push({ start: cursor, end: close });
  return free;
}
