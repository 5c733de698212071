/**
 * Occupancy (稼働率) and use by weekday × band, as pure functions over plain intervals.
 *
 * Open hours of a space come from the opening calendar (closed days count nothing, extended days
 * count their extra hours), less the times the space is out of season or blocked (a block of the
 * space, of a room it is part of, or of one of its parts makes it unbookable). Booked hours are the
 * union of its live bookings and those of any room it is part of — a whole-room booking occupies
 * its parts — clipped to the open hours, so a rate never passes 100%.
 */
import type { OpeningDay } from '../domain/calendar.js';
import { inSeason } from '../domain/calendar.js';
import type { Band, BandRules } from '../domain/rules.js';
import { at, clockMinutes, isoWeekday } from '../domain/time.js';

export interface OccupancySpace {
  slug: string;
  name: string;
  /** The slugs of its parts, for a whole room (training = training-a + training-b). */
  parts: readonly string[];
  seasonFrom: string | null;
  seasonTo: string | null;
}

/** A stretch of a space's time: a live booking or a block. Instants are stored UTC ISO strings. */
export interface SpaceInterval {
  spaceSlug: string;
  startAt: string;
  endAt: string;
}

export interface SpaceOccupancy {
  slug: string;
  name: string;
  openMinutes: number;
  bookedMinutes: number;
  /** bookedMinutes / openMinutes, or null when the space had no open hours (out of season). */
  rate: number | null;
}

type Span = [number, number];

/** Sorted, merged spans. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/** `spans` (merged) less `holes` (merged). */
function subtract(spans: Span[], holes: Span[]): Span[] {
  const out: Span[] = [];
  for (const [s, e] of spans) {
    let cursor = s;
    for (const [hs, he] of holes) {
      if (he <= cursor || hs >= e) continue;
      if (hs > cursor) out.push([cursor, hs]);
      cursor = Math.max(cursor, he);
    }
    if (cursor < e) out.push([cursor, e]);
  }
  return out;
}

/** Total length of the overlap of two merged span lists. */
function overlap(a: Span[], b: Span[]): number {
  let total = 0;
  let j = 0;
  for (const [s, e] of a) {
    while (j < b.length && b[j]![1] <= s) j++;
    for (let k = j; k < b.length && b[k]![0] < e; k++) total += Math.max(0, Math.min(e, b[k]![1]) - Math.max(s, b[k]![0]));
  }
  return total;
}

const length = (spans: Span[]) => spans.reduce((sum, [s, e]) => sum + (e - s), 0);
const spanOf = (i: SpaceInterval): Span => [Date.parse(i.startAt), Date.parse(i.endAt)];

/** Each open day's hours as instants, computed once for every space. */
export function openSpans(days: readonly OpeningDay[]): { date: string; span: Span }[] {
  return days.filter((d) => !d.closed && d.open !== null && d.close !== null)
    .map((d) => ({ date: d.date, span: [at(d.date, d.open!).toMillis(), at(d.date, d.close!).toMillis()] as Span }));
}

export function occupancy(args: {
  spaces: readonly OccupancySpace[];
  days: readonly OpeningDay[];
  blocks: readonly SpaceInterval[];
  /** Live bookings (provisional or confirmed). */
  bookings: readonly SpaceInterval[];
}): SpaceOccupancy[] {
  const open = openSpans(args.days);
  return args.spaces.map((space) => {
    const wholes = args.spaces.filter((s) => s.parts.includes(space.slug)).map((s) => s.slug);
    const occupiers = new Set([space.slug, ...wholes]);
    const related = new Set([...occupiers, ...space.parts]);
    const openHere = merge(open.filter((d) => inSeason(d.date, space)).map((d) => d.span));
    const available = subtract(openHere, merge(args.blocks.filter((b) => related.has(b.spaceSlug)).map(spanOf)));
    const booked = merge(args.bookings.filter((b) => occupiers.has(b.spaceSlug)).map(spanOf));
    const openMinutes = length(available) / 60_000;
    const bookedMinutes = overlap(available, booked) / 60_000;
    return { slug: space.slug, name: space.name, openMinutes, bookedMinutes, rate: openMinutes > 0 ? bookedMinutes / openMinutes : null };
  });
}

export const BANDS: readonly Band[] = ['morning', 'afternoon', 'evening'];

/** Rows of the heat map: Monday … Sunday, then national holidays (which take the place of their weekday). */
export const HEAT_ROWS = ['1', '2', '3', '4', '5', '6', '7', 'holiday'] as const;
export type HeatRow = (typeof HEAT_ROWS)[number];

export function heatRowOf(date: string, holiday: string | null): HeatRow {
  return holiday !== null ? 'holiday' : (String(isoWeekday(date)) as HeatRow);
}

/**
 * Minutes of a booking in each band. Bands are wall-clock: morning until `afternoonFrom`,
 * afternoon until `eveningFrom`, evening after (an extended hour after 22:00 is evening).
 */
export function minutesByBand(startClock: string, endClock: string, bands: BandRules): Record<Band, number> {
  const s = clockMinutes(startClock);
  const e = endClock === '00:00' ? 24 * 60 : clockMinutes(endClock);
  const a = clockMinutes(bands.afternoonFrom);
  const v = clockMinutes(bands.eveningFrom);
  const part = (from: number, to: number) => Math.max(0, Math.min(e, to) - Math.max(s, from));
  return { morning: part(0, a), afternoon: part(a, v), evening: part(v, 24 * 60) };
}
