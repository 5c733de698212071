import { describe, expect, it } from 'vitest';
import { openingDay, type OpeningDay } from '../../server/domain/calendar.js';
import { DEFAULT_RULES } from '../../server/domain/rules.js';
import { at, toStored } from '../../server/domain/time.js';
import { minutesByBand, occupancy, type OccupancySpace, type SpaceInterval } from '../../server/reports/occupancy.js';

const SPACES: OccupancySpace[] = [
  { slug: 'training', name: '会議研修室（全面）', parts: ['training-a', 'training-b'], seasonFrom: null, seasonTo: null },
  { slug: 'training-a', name: '会議研修室A', parts: [], seasonFrom: null, seasonTo: null },
  { slug: 'training-b', name: '会議研修室B', parts: [], seasonFrom: null, seasonTo: null },
  { slug: 'small-1', name: '小会議室1', parts: [], seasonFrom: null, seasonTo: null },
  { slug: 'plaza', name: '円環広場', parts: [], seasonFrom: '05-01', seasonTo: '10-31' },
];

const day = (date: string, override?: { closed?: boolean; open?: string; close?: string }): OpeningDay =>
  openingDay(date, DEFAULT_RULES.calendar, override ? { date, closed: override.closed ?? false, open: override.open ?? null, close: override.close ?? null, reason: 'test' } : undefined);

const stretch = (spaceSlug: string, date: string, from: string, to: string): SpaceInterval =>
  ({ spaceSlug, startAt: toStored(at(date, from)), endAt: toStored(at(date, to)) });

function minutesOf(result: ReturnType<typeof occupancy>, slug: string) {
  const s = result.find((x) => x.slug === slug)!;
  return { open: s.openMinutes, booked: s.bookedMinutes, rate: s.rate };
}

// 2026-11-18 (Wed) and 2026-11-19 (Thu) are ordinary days, 09:00–22:00: 780 minutes each.
const TWO_DAYS = [day('2026-11-18'), day('2026-11-19')];

describe('occupancy', () => {
  it.each([
    // [what is booked, space asked about, booked minutes]
    ['the whole room', 'training', 120],
    ['the whole room', 'training-a', 120],
    ['the whole room', 'training-b', 120],
    ['the whole room', 'small-1', 0],
  ])('a booking of %s occupies %s for %i minutes', (_what, slug, booked) => {
    const result = occupancy({ spaces: SPACES, days: TWO_DAYS, blocks: [], bookings: [stretch('training', '2026-11-18', '10:00', '12:00')] });
    expect(minutesOf(result, slug as string)).toMatchObject({ open: 1560, booked });
  });

  it('a part booked alone occupies only that part, not the whole room or the other part', () => {
    const result = occupancy({ spaces: SPACES, days: TWO_DAYS, blocks: [], bookings: [stretch('training-a', '2026-11-18', '13:00', '15:30')] });
    expect(minutesOf(result, 'training-a').booked).toBe(150);
    expect(minutesOf(result, 'training').booked).toBe(0);
    expect(minutesOf(result, 'training-b').booked).toBe(0);
  });

  it('a part booked around a whole-room booking adds up without counting any minute twice', () => {
    const result = occupancy({
      spaces: SPACES, days: TWO_DAYS, blocks: [],
      bookings: [stretch('training', '2026-11-18', '09:00', '12:00'), stretch('training-a', '2026-11-18', '12:00', '14:00'), stretch('training-a', '2026-11-19', '18:00', '22:00')],
    });
    expect(minutesOf(result, 'training-a')).toEqual({ open: 1560, booked: 180 + 120 + 240, rate: 540 / 1560 });
  });

  it('a closed day counts no open hours, and a booking stranded on it counts none either', () => {
    // 2026-11-09 is the 2nd Monday: a regular closing day (定例休館日).
    const days = [day('2026-11-08'), day('2026-11-09'), day('2026-11-10')];
    expect(days[1]!.closed).toBe(true);
    const result = occupancy({ spaces: SPACES, days, blocks: [], bookings: [stretch('small-1', '2026-11-09', '10:00', '12:00'), stretch('small-1', '2026-11-10', '10:00', '12:00')] });
    expect(minutesOf(result, 'small-1')).toEqual({ open: 2 * 780, booked: 120, rate: 120 / 1560 });
  });

  it('a day a manager closed counts no open hours', () => {
    const result = occupancy({ spaces: SPACES, days: [day('2026-11-18', { closed: true }), day('2026-11-19')], blocks: [], bookings: [] });
    expect(minutesOf(result, 'small-1').open).toBe(780);
  });

  it('an extended day counts its extra hour (09:00–23:00), and an evening booking to 23:00 counts in full', () => {
    const result = occupancy({ spaces: SPACES, days: [day('2026-11-18', { open: '09:00', close: '23:00' })], blocks: [], bookings: [stretch('small-1', '2026-11-18', '21:00', '23:00')] });
    expect(minutesOf(result, 'small-1')).toEqual({ open: 840, booked: 120, rate: 120 / 840 });
  });

  it('a shortened day counts its shorter hours and clips a booking to them', () => {
    const result = occupancy({ spaces: SPACES, days: [day('2026-11-18', { open: '13:00', close: '17:00' })], blocks: [], bookings: [stretch('small-1', '2026-11-18', '12:00', '14:00')] });
    expect(minutesOf(result, 'small-1')).toEqual({ open: 240, booked: 60, rate: 0.25 });
  });

  it('a space out of season has no open hours and no rate (plaza in November)', () => {
    const result = occupancy({ spaces: SPACES, days: TWO_DAYS, blocks: [], bookings: [] });
    expect(minutesOf(result, 'plaza')).toEqual({ open: 0, booked: 0, rate: null });
  });

  it('a block takes hours out of the space, its parts and the room it is part of, but not other spaces', () => {
    const result = occupancy({ spaces: SPACES, days: TWO_DAYS, blocks: [stretch('training-a', '2026-11-18', '09:00', '12:00')], bookings: [] });
    expect(minutesOf(result, 'training-a').open).toBe(1560 - 180);
    expect(minutesOf(result, 'training').open).toBe(1560 - 180);
    expect(minutesOf(result, 'training-b').open).toBe(1560);
    expect(minutesOf(result, 'small-1').open).toBe(1560);
  });

  it('a fully booked day is 100%, never more', () => {
    const result = occupancy({ spaces: SPACES, days: [day('2026-11-18')], blocks: [], bookings: [stretch('training', '2026-11-18', '09:00', '22:00'), stretch('training-a', '2026-11-18', '09:00', '22:00')] });
    expect(minutesOf(result, 'training-a').rate).toBe(1);
  });
});

describe('minutesByBand', () => {
  it.each([
    ['09:00', '12:00', { morning: 180, afternoon: 0, evening: 0 }],
    ['11:00', '13:00', { morning: 60, afternoon: 60, evening: 0 }],
    ['17:30', '18:30', { morning: 0, afternoon: 30, evening: 30 }],
    ['18:00', '22:00', { morning: 0, afternoon: 0, evening: 240 }],
    // An extended hour after 22:00 is evening.
    ['21:00', '23:00', { morning: 0, afternoon: 0, evening: 120 }],
    ['09:00', '22:00', { morning: 180, afternoon: 360, evening: 240 }],
  ])('%s–%s', (start, end, expected) => {
    expect(minutesByBand(start, end, DEFAULT_RULES.bands)).toEqual(expected);
  });
});
