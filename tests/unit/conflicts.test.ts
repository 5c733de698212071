import { describe, expect, it } from 'vitest';
import {
  type Interval,
  type Occupancy,
  type PartsOf,
  busyIntervals,
  findConflicts,
  freeIntervals,
  overlaps,
  spacesCollide,
} from '../../server/domain/conflicts.js';
import { at, parseInstant, toApi } from '../../server/domain/time.js';

const DATE = '2026-07-15';
const partsOf: PartsOf = new Map([['training', ['training-a', 'training-b']]]);

const span = (from: string, to: string): Interval => ({ start: at(DATE, from), end: at(DATE, to) });
const booking = (id: number, space: string, from: string, to: string): Occupancy => ({ id, space, ...span(from, to) });
const clocks = (intervals: Interval[]): string[] =>
  intervals.map((i) => `${i.start.toFormat('HH:mm')}–${i.end.toFormat('HH:mm')}`);

describe('overlaps', () => {
  it.each([
    ['back-to-back, the second after', '10:00', '12:00', '12:00', '14:00', false],
    ['back-to-back, the second before', '10:00', '12:00', '08:00', '10:00', false],
    ['apart', '10:00', '12:00', '13:00', '14:00', false],
    ['sharing the last half hour', '10:00', '12:00', '11:30', '13:00', true],
    ['sharing the first half hour', '10:00', '12:00', '09:00', '10:30', true],
    ['one inside the other', '10:00', '12:00', '10:30', '11:00', true],
    ['one around the other', '10:00', '12:00', '09:00', '13:00', true],
    ['identical', '10:00', '12:00', '10:00', '12:00', true],
  ])('%s: %s–%s and %s–%s overlap is %s', (_name, a1, a2, b1, b2, expected) => {
    expect(overlaps(span(a1, a2), span(b1, b2))).toBe(expected);
    expect(overlaps(span(b1, b2), span(a1, a2))).toBe(expected);
  });

  it('compares instants, not the zone they are written in', () => {
    const utc = { start: parseInstant('2026-07-15T02:00Z'), end: parseInstant('2026-07-15T03:00Z') };
    expect(overlaps(utc, span('10:30', '11:30'))).toBe(true);
    expect(overlaps(utc, span('12:00', '13:00'))).toBe(false);
  });
});

describe('spacesCollide', () => {
  it.each([
    ['hall', 'hall', true],
    ['hall', 'small-1', false],
    ['training', 'training', true],
    ['training', 'training-a', true],
    ['training-b', 'training', true],
    ['training-a', 'training-b', false],
    ['training-a', 'training-a', true],
    ['training-a', 'hall', false],
  ])('%s and %s collide: %s', (a, b, expected) => {
    expect(spacesCollide(a, b, partsOf)).toBe(expected);
  });

  it('knows nothing of parts without a map', () => {
    expect(spacesCollide('training', 'training-a', new Map())).toBe(false);
  });
});

describe('findConflicts', () => {
  const existing: Occupancy[] = [
    booking(1, 'training-a', '10:00', '12:00'),
    booking(2, 'training-b', '13:00', '15:00'),
    booking(3, 'hall', '09:00', '22:00'),
    booking(4, 'training', '18:00', '20:00'),
  ];
  const ids = (found: Occupancy[]): (number | string | undefined)[] => found.map((o) => o.id);

  it.each([
    ['a whole room meets both halves', 'training', '09:00', '16:00', [1, 2]],
    ['a whole room starting when a half ends is free', 'training', '12:00', '13:00', []],
    ['a whole room ending when a half starts is free', 'training', '09:00', '10:00', []],
    ['a half meets its sibling’s time but not its sibling', 'training-b', '10:00', '12:00', []],
    ['a half meets the whole', 'training-a', '19:00', '21:00', [4]],
    ['a half starting when the whole ends is free', 'training-b', '20:00', '22:00', []],
    ['the same half overlapping is a conflict', 'training-a', '11:30', '13:00', [1]],
    ['another space is never a conflict', 'small-1', '09:00', '22:00', []],
  ])('%s (%s %s–%s)', (_name, space, from, to, expected) => {
    expect(ids(findConflicts({ space, ...span(from, to) }, existing, partsOf))).toEqual(expected);
  });

  it('ignores the booking being changed', () => {
    const moved = { id: 1, space: 'training-a', ...span('11:00', '13:00') };
    expect(ids(findConflicts(moved, existing, partsOf, 1))).toEqual([]);
    expect(ids(findConflicts(moved, existing, partsOf))).toEqual([1]);
  });

  it('compares ids strictly, so a block numbered like the booking still conflicts', () => {
    const withBlock = [...existing, { id: '1', space: 'training-a', ...span('12:00', '14:00') }];
    const moved = { id: 1, space: 'training-a', ...span('11:00', '13:00') };
    expect(ids(findConflicts(moved, withBlock, partsOf, 1))).toEqual(['1']);
  });
});

describe('busyIntervals', () => {
  it.each([
    ['a half is busy when it or the whole is booked', 'training-a', [
      booking(1, 'training-a', '10:00', '12:00'),
      booking(2, 'training-b', '11:00', '13:00'),
      booking(3, 'training', '18:00', '20:00'),
    ], ['10:00–12:00', '18:00–20:00']],
    ['the whole is busy when either half is booked, overlapping halves merged', 'training', [
      booking(1, 'training-a', '10:00', '12:00'),
      booking(2, 'training-b', '11:00', '13:00'),
      booking(3, 'small-1', '09:00', '22:00'),
    ], ['10:00–13:00']],
    ['back-to-back bookings merge into one busy period', 'hall', [
      booking(2, 'hall', '12:00', '14:00'),
      booking(1, 'hall', '10:00', '12:00'),
    ], ['10:00–14:00']],
    ['a booking inside another adds nothing', 'hall', [
      booking(1, 'hall', '10:00', '16:00'),
      booking(2, 'hall', '11:00', '12:00'),
      booking(3, 'hall', '18:00', '19:00'),
    ], ['10:00–16:00', '18:00–19:00']],
    ['unsorted bookings come out sorted', 'hall', [
      booking(3, 'hall', '18:00', '19:00'),
      booking(1, 'hall', '09:00', '10:00'),
      booking(2, 'hall', '13:00', '14:30'),
    ], ['09:00–10:00', '13:00–14:30', '18:00–19:00']],
    ['nothing booked means nothing busy', 'hall', [], []],
  ])('%s', (_name, space, existing, expected) => {
    expect(clocks(busyIntervals(space, existing, partsOf))).toEqual(expected);
  });

  it('does not change the bookings it merges', () => {
    const first = booking(1, 'hall', '10:00', '12:00');
    busyIntervals('hall', [first, booking(2, 'hall', '11:00', '14:00')], partsOf);
    expect(toApi(first.end)).toBe('2026-07-15T12:00:00+09:00');
  });
});

describe('freeIntervals', () => {
  const open = at(DATE, '09:00');
  const close = at(DATE, '22:00');
  it.each([
    ['a free day is one interval from open to close', [], ['09:00–22:00']],
    ['a booking from opening leaves the rest', [span('09:00', '12:00')], ['12:00–22:00']],
    ['a booking to closing leaves the start', [span('18:00', '22:00')], ['09:00–18:00']],
    ['a booking in the middle leaves both sides', [span('12:00', '14:00')], ['09:00–12:00', '14:00–22:00']],
    ['a day booked from end to end has nothing free', [span('09:00', '22:00')], []],
    [
      'back-to-back bookings leave no empty gap',
      [span('10:00', '12:00'), span('12:00', '14:00')],
      ['09:00–10:00', '14:00–22:00'],
    ],
    ['busy time outside the hours is ignored', [span('07:00', '09:00'), span('22:00', '23:00')], ['09:00–22:00']],
    ['busy time across the opening is clipped', [span('08:00', '10:00')], ['10:00–22:00']],
    ['busy time across the closing is clipped', [span('21:00', '23:00')], ['09:00–21:00']],
    [
      'unsorted overlapping busy time is merged first',
      [span('15:00', '17:00'), span('10:00', '11:00'), span('16:00', '18:00')],
      ['09:00–10:00', '11:00–15:00', '18:00–22:00'],
    ],
  ])('%s', (_name, busy, expected) => {
    expect(clocks(freeIntervals(open, close, busy))).toEqual(expected);
  });

  it('a free slot starts exactly when a busy one ends', () => {
    const [first, second] = freeIntervals(open, close, [span('10:00', '12:00')]);
    expect(first?.end.toMillis()).toBe(at(DATE, '10:00').toMillis());
    expect(second?.start.toMillis()).toBe(at(DATE, '12:00').toMillis());
  });

  it('an extended day is free until 23:00', () => {
    expect(clocks(freeIntervals(open, at(DATE, '23:00'), [span('21:00', '22:00')]))).toEqual(['09:00–21:00', '22:00–23:00']);
  });
});
