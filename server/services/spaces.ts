import { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { openingDay, openingDays, type OpeningDay } from '../domain/calendar.js';
import { busyIntervals, freeIntervals, type Interval } from '../domain/conflicts.js';
import type { CalendarRules, PricingRules } from '../domain/rules.js';
import { addDays, at, daysBetween, fromStored, isDate, toApi, toStored, tokyoDate } from '../domain/time.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { blocksBetween, overrideOn, overridesBetween } from '../repositories/calendar.js';
import { liveOverlapping } from '../repositories/bookings.js';
import { partsMap, type SpaceRow } from '../repositories/reference.js';
import type { Deps } from './context.js';
import { parseInput } from './validate.js';
import { inSeason } from '../domain/calendar.js';

/** The opening day of any date, reading each override once. */
export function dayReader(db: Tx, rules: CalendarRules): (date: string) => OpeningDay {
  const cache = new Map<string, OpeningDay>();
  return (date) => {
    let day = cache.get(date);
    if (!day) {
      day = openingDay(date, rules, overrideOn(db, date));
      cache.set(date, day);
    }
    return day;
  };
}

// openingDays steps one day past `to`, and luxon writes the year 10000 as "+010000-01-01", which
// sorts before "9999-12-31": a range ending on that last day would loop forever.
const dateField = z.string().refine((s) => isDate(s) && s < '9999-12-31', 'a real date as YYYY-MM-DD');
const RangeQuery = z.object({ from: dateField, to: dateField })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  // zod runs object refinements even when a field failed its own, so an impossible date gets here.
  .refine((q) => !isDate(q.from) || !isDate(q.to) || q.from > q.to || daysBetween(q.from, q.to) <= 400, { message: 'at most 400 days at once', path: ['to'] });
const AvailabilityQuery = z.object({ space: z.string().max(50), date: dateField });

export interface SpaceView {
  slug: string;
  name: string;
  nameEn: string;
  capacity: number;
  parts: string[];
  ratesYen: { morning: number; afternoon: number; evening: number };
}

export interface DayAvailability {
  date: string;
  space: string;
  open: string | null;
  close: string | null;
  closed: boolean;
  holiday: string | null;
  reason: string | null;
  busy: { start: string; end: string }[];
  free: { start: string; end: string }[];
}

function toView(s: SpaceRow): SpaceView {
  return { slug: s.slug, name: s.name, nameEn: s.nameEn, capacity: s.capacity, parts: s.parts, ratesYen: s.ratesYen };
}

const asApi = (i: Interval) => ({ start: toApi(i.start), end: toApi(i.end) });

export function makeSpaceService(deps: Deps) {
  const { db, clock, reference } = deps;

  function availabilityOf(space: SpaceRow, all: SpaceRow[], day: OpeningDay, date: string): DayAvailability {
    const base = { date, space: space.slug, open: day.open, close: day.close, closed: day.closed, holiday: day.holiday, reason: day.reason };
    if (day.closed || !day.open || !day.close || !inSeason(date, space)) {
      return { ...base, closed: true, open: day.closed ? null : day.open, close: day.closed ? null : day.close, reason: day.reason ?? (inSeason(date, space) ? null : 'out_of_season'), busy: [], free: [] };
    }
    const parts = partsMap(all);
    const related = all.filter((o) => o.slug === space.slug || parts.get(space.slug)?.includes(o.slug) || parts.get(o.slug)?.includes(space.slug));
    const dayStart = at(date, '00:00');
    const dayEnd = at(addDays(date, 1), '00:00');
    const bySpaceId = new Map(all.map((s) => [s.id, s.slug]));
    const nowIso = toStored(clock());
    const occupancies = [
      ...liveOverlapping(db, related.map((r) => r.id), toStored(dayStart), toStored(dayEnd))
        // A provisional booking past its deadline is free already, even before the job marks it expired.
        .filter((b) => !(b.status === 'provisional' && b.deadlineAt !== null && b.deadlineAt <= nowIso))
        .map((b) => ({ space: bySpaceId.get(b.spaceId)!, start: fromStored(b.startAt), end: fromStored(b.endAt) })),
      ...blocksBetween(db, related.map((r) => r.id), toStored(dayStart), toStored(dayEnd))
        .map((b) => ({ space: bySpaceId.get(b.spaceId)!, start: fromStored(b.startAt), end: fromStored(b.endAt) })),
    ];
    const open = at(date, day.open);
    const close = at(date, day.close);
    const busy = busyIntervals(space.slug, occupancies, parts)
      .map((i) => ({ start: i.start < open ? open : i.start, end: i.end > close ? close : i.end }))
      .filter((i) => i.end > i.start);
    return { ...base, busy: busy.map(asApi), free: freeIntervals(open, close, busy).map(asApi) };
  }

  /**
   * Availability is the most asked question and changes only when the database does: answers are
   * kept until any write (this connection's total_changes, or another process's data_version), or
   * until the first payment deadline among them passes and frees that provisional slot.
   */
  const answered = new Map<string, { version: string; until: number | null; value: DayAvailability }>();
  // Read once per synchronous run: a page asking for a week of every space asks 56 times, and
  // nothing can write before the next microtask.
  let versionNow: string | undefined;
  const dataVersion = () => {
    if (versionNow !== undefined) return versionNow;
    const [changes, version] = db.$client.prepare('SELECT total_changes(), (SELECT data_version FROM pragma_data_version())').raw().get() as [number, number];
    versionNow = `${version}:${changes}`;
    queueMicrotask(() => { versionNow = undefined; });
    return versionNow;
  };
  function firstDeadline(space: SpaceRow, all: SpaceRow[], date: string, nowIso: string): string | null {
    const related = all.filter((o) => o.slug === space.slug || space.parts.includes(o.slug) || o.parts.includes(space.slug));
    const deadlines = liveOverlapping(db, related.map((r) => r.id), toStored(at(date, '00:00')), toStored(at(addDays(date, 1), '00:00')))
      .filter((b) => b.status === 'provisional' && b.deadlineAt !== null && b.deadlineAt > nowIso)
      .map((b) => b.deadlineAt!);
    return deadlines.length === 0 ? null : deadlines.sort()[0]!;
  }

  return {
    /** Changes whenever the database does: pages built from availability may be kept while it stays the same. */
    version(): string {
      return dataVersion();
    },

    /** The spaces with the general rates in force on `date` (today when omitted). */
    list(date?: string): SpaceView[] {
      return reference.spaces(date ?? tokyoDate(clock())).map(toView);
    },

    /** The pricing rules in force on `date` (today when omitted): the fee page states them in words. */
    pricing(date?: string): PricingRules {
      return reference.rules(date ?? tokyoDate(clock())).pricing;
    },

    /** The opening calendar for [from, to] (API.md `GET /calendar`). */
    calendar(query: unknown): OpeningDay[] {
      const { from, to } = parseInput(RangeQuery, query);
      return openingDays(from, to, (date) => reference.rules(date).calendar, overridesBetween(db, from, to));
    },

    /** Busy and free periods of one space on one date, a whole room counting its parts and vice versa. */
    availability(query: unknown): DayAvailability {
      // The answer kept for exactly this question, while nothing changed and no deadline passed.
      const raw = query as { space?: unknown; date?: unknown } | null;
      if (raw && typeof raw.space === 'string' && typeof raw.date === 'string') {
        const hit = answered.get(`${raw.space}|${raw.date}`);
        if (hit && hit.version === dataVersion() && (hit.until === null || clock().toMillis() < hit.until)) return hit.value;
      }
      const { space: slug, date } = parseInput(AvailabilityQuery, query);
      const all = reference.spaces(date);
      const space = all.find((s) => s.slug === slug);
      if (!space) throw new ValidationError([{ path: 'space', message: 'unknown space' }]);
      const version = dataVersion();
      const value = availabilityOf(space, all, reference.day(date), date);
      if (answered.size >= 10_000) answered.clear();
      const until = firstDeadline(space, all, date, toStored(clock()));
      answered.set(`${slug}|${date}`, { version, until: until === null ? null : fromStored(until).toMillis(), value });
      return value;
    },

    /** Every space's availability on a date: the home page's "today at a glance". */
    dayOverview(date: string): { day: OpeningDay; spaces: (SpaceView & { availability: DayAvailability })[] } {
      if (!isDate(date)) throw new NotFoundError('date');
      const all = reference.spaces(date);
      const day = reference.day(date);
      return { day, spaces: all.map((s) => ({ ...toView(s), availability: availabilityOf(s, all, day, date) })) };
    },
  };
}

export type SpaceService = ReturnType<typeof makeSpaceService>;
