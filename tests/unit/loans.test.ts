import { describe, expect, it } from 'vitest';
import {
  type CaseStatus,
  type Holding,
  type LoanStatus,
  type UnitState,
  assessedStatus,
  borrowingSuspended,
  canTransition,
  checkAssessment,
  checkTakeout,
  freeUnits,
  heldInterval,
  inPool,
  peakHeld,
  shortages,
  suspendsBorrowing,
  uncoveredLoans,
} from '../../server/domain/loans.js';
import { openingDay } from '../../server/domain/calendar.js';
import { DEFAULT_RULES } from '../../server/domain/rules.js';
import { at, parseInstant } from '../../server/domain/time.js';

const DATE = '2026-07-15';

/** Epoch milliseconds of a Tokyo wall-clock time on DATE. */
const t = (clock: string): number => at(DATE, clock).toMillis();
/** A holding written as [loanId, from, to, quantity] on DATE. */
const hold = ([loanId, from, to, quantity]: readonly [number, string, string, number]): Holding => ({
  loanId,
  start: t(from),
  end: t(to),
  quantity,
});
const holds = (rows: readonly (readonly [number, string, string, number])[]): Holding[] => rows.map(hold);

describe('inPool', () => {
  it.each([
    ['available', true],
    ['on_loan', true],
    ['in_repair', false],
    ['lost', false],
    ['retired', false],
  ] as const)('a unit %s counts in the pool: %s', (state, expected) => {
    expect(inPool(state)).toBe(expected);
  });
});

describe('peakHeld and freeUnits', () => {
  it.each([
    // name, pool, holdings, window, peak, free
    { name: 'nothing held', pool: 3, holdings: [], window: ['09:00', '22:00'], peak: 0, free: 3 },
    { name: 'back-to-back 9–12 and 12–15', pool: 1, holdings: [[1, '09:00', '12:00', 1], [2, '12:00', '15:00', 1]], window: ['09:00', '15:00'], peak: 1, free: 0 },
    { name: 'back-to-back 9–12 and 12–15, pool 2', pool: 2, holdings: [[1, '09:00', '12:00', 1], [2, '12:00', '15:00', 1]], window: ['09:00', '15:00'], peak: 1, free: 1 },
    { name: 'back-to-back with quantities 2 and 2', pool: 3, holdings: [[1, '09:00', '12:00', 2], [2, '12:00', '15:00', 2]], window: ['09:00', '15:00'], peak: 2, free: 1 },
    { name: 'window touching a holding only at its end', pool: 1, holdings: [[1, '12:00', '15:00', 1]], window: ['09:00', '12:00'], peak: 0, free: 1 },
    { name: 'window starting where a holding ends', pool: 1, holdings: [[1, '09:00', '12:00', 1]], window: ['12:00', '15:00'], peak: 0, free: 1 },
    { name: 'window one minute into a holding', pool: 1, holdings: [[1, '12:00', '15:00', 1]], window: ['09:00', '12:01'], peak: 1, free: 0 },
    { name: 'holding wider than the window', pool: 2, holdings: [[1, '08:00', '16:00', 1]], window: ['09:00', '15:00'], peak: 1, free: 1 },
    { name: 'nested 10–11 inside 9–15', pool: 3, holdings: [[1, '09:00', '15:00', 1], [2, '10:00', '11:00', 1]], window: ['09:00', '15:00'], peak: 2, free: 1 },
    { name: 'identical intervals', pool: 3, holdings: [[1, '10:00', '12:00', 1], [2, '10:00', '12:00', 1]], window: ['09:00', '15:00'], peak: 2, free: 1 },
    { name: 'same start, different ends', pool: 3, holdings: [[1, '09:00', '12:00', 1], [2, '09:00', '10:00', 1]], window: ['09:00', '15:00'], peak: 2, free: 1 },
    { name: 'partial overlap 9–12 and 11–14', pool: 3, holdings: [[1, '09:00', '12:00', 1], [2, '11:00', '14:00', 1]], window: ['09:00', '14:00'], peak: 2, free: 1 },
    { name: 'partial overlap, window after the shared hour', pool: 3, holdings: [[1, '09:00', '12:00', 1], [2, '11:00', '14:00', 1]], window: ['12:00', '14:00'], peak: 1, free: 2 },
    { name: 'partial overlap with quantities 2 and 3', pool: 6, holdings: [[1, '09:00', '12:00', 2], [2, '11:00', '14:00', 3]], window: ['09:00', '14:00'], peak: 5, free: 1 },
    // Both overlap the window but never each other: the peak is 1, not 2.
    { name: 'A 9–11 and B 12–14 in window 9–14', pool: 2, holdings: [[1, '09:00', '11:00', 1], [2, '12:00', '14:00', 1]], window: ['09:00', '14:00'], peak: 1, free: 1 },
    // A∩B and B∩C, but not A∩C: at most two at once, not three.
    { name: 'chain A 9–12, B 11–14, C 13–15', pool: 3, holdings: [[1, '09:00', '12:00', 1], [2, '11:00', '14:00', 1], [3, '13:00', '15:00', 1]], window: ['09:00', '15:00'], peak: 2, free: 1 },
    { name: 'A 9–11, B 12–14, C 10–13 bridging both', pool: 3, holdings: [[1, '09:00', '11:00', 1], [2, '12:00', '14:00', 1], [3, '10:00', '13:00', 1]], window: ['09:00', '14:00'], peak: 2, free: 1 },
    { name: 'three at once 11–12', pool: 3, holdings: [[1, '09:00', '12:00', 1], [2, '10:00', '14:00', 1], [3, '11:00', '13:00', 1]], window: ['09:00', '14:00'], peak: 3, free: 0 },
    { name: 'three at once, window outside the shared hour', pool: 3, holdings: [[1, '09:00', '12:00', 1], [2, '10:00', '14:00', 1], [3, '11:00', '13:00', 1]], window: ['12:00', '14:00'], peak: 2, free: 1 },
    { name: 'zero-quantity holding', pool: 1, holdings: [[1, '09:00', '12:00', 0]], window: ['09:00', '12:00'], peak: 0, free: 1 },
    { name: 'zero-quantity beside a real one', pool: 2, holdings: [[1, '09:00', '12:00', 0], [2, '10:00', '11:00', 1]], window: ['09:00', '12:00'], peak: 1, free: 1 },
    { name: 'last unit: pool 3, two held', pool: 3, holdings: [[1, '09:00', '12:00', 1], [2, '10:00', '12:00', 1]], window: ['10:00', '11:00'], peak: 2, free: 1 },
    { name: 'last unit: pool 3, three held', pool: 3, holdings: [[1, '09:00', '12:00', 1], [2, '10:00', '12:00', 1], [3, '10:30', '11:30', 1]], window: ['10:00', '11:00'], peak: 3, free: 0 },
    { name: 'last unit: pool 3, one loan of 3', pool: 3, holdings: [[1, '09:00', '12:00', 3]], window: ['10:00', '11:00'], peak: 3, free: 0 },
    { name: 'pool shrank below what is held', pool: 1, holdings: [[1, '09:00', '12:00', 1], [2, '10:00', '12:00', 1]], window: ['09:00', '12:00'], peak: 2, free: 0 },
    { name: 'pool shrank to 0', pool: 0, holdings: [[1, '09:00', '12:00', 1]], window: ['09:00', '12:00'], peak: 1, free: 0 },
  ] as const)('$name: peak $peak, free $free', ({ pool, holdings, window, peak, free }) => {
    const hs = holds(holdings);
    expect(peakHeld(hs, t(window[0]), t(window[1]))).toBe(peak);
    expect(freeUnits(pool, hs, t(window[0]), t(window[1]))).toBe(free);
  });

  it('does not depend on the order of the holdings', () => {
    const hs = holds([[1, '09:00', '12:00', 1], [2, '12:00', '15:00', 2], [3, '11:00', '13:00', 1], [4, '14:00', '16:00', 1]]);
    // 11–12: 1+1 = 2; 12–13: 2+1 = 3; 14–15: 2+1 = 3.
    expect(peakHeld(hs, t('09:00'), t('16:00'))).toBe(3);
    expect(peakHeld([...hs].reverse(), t('09:00'), t('16:00'))).toBe(3);
  });

  it('counts a unit in repair out of the pool: 3 units, one in repair, one held → 1 free', () => {
    const units: UnitState[] = ['available', 'on_loan', 'in_repair'];
    const hs = holds([[1, '10:00', '12:00', 1]]);
    expect(freeUnits(3, hs, t('10:00'), t('12:00'))).toBe(2);
    const pool = units.filter(inPool).length;
    expect(pool).toBe(2);
    expect(freeUnits(pool, hs, t('10:00'), t('12:00'))).toBe(1);
  });

  it.each([
    ['ends when it starts', '12:00', '12:00'],
    ['ends before it starts', '12:00', '11:00'],
  ])('refuses a window that %s', (_name, from, to) => {
    expect(() => peakHeld([], t(from), t(to))).toThrow('the interval must end after it starts');
    expect(() => freeUnits(3, [], t(from), t(to))).toThrow('the interval must end after it starts');
  });

  it.each([
    ['negative', -1],
    ['fractional', 0.5],
    ['not a number', Number.NaN],
  ])('refuses a %s holding quantity', (_name, quantity) => {
    expect(() => peakHeld([{ loanId: 1, start: t('09:00'), end: t('12:00'), quantity }], t('09:00'), t('12:00'))).toThrow(
      'a holding quantity must be a non-negative integer',
    );
  });
});

describe('heldInterval', () => {
  const loan = (status: LoanStatus, checkedOutAt: string | null) => ({
    status,
    start: t('10:00'),
    end: t('12:00'),
    checkedOutAt: checkedOutAt === null ? null : t(checkedOutAt),
  });

  it.each([
    { name: 'reserved, before it starts', status: 'reserved', checkedOutAt: null, now: '08:00', held: ['10:00', '12:00'] },
    // Never picked up: it holds its own interval, not up to now.
    { name: 'reserved, now after its end', status: 'reserved', checkedOutAt: null, now: '13:00', held: ['10:00', '12:00'] },
    { name: 'checked out on time', status: 'checked_out', checkedOutAt: '10:00', now: '11:00', held: ['10:00', '12:00'] },
    { name: 'checked out early', status: 'checked_out', checkedOutAt: '09:30', now: '11:00', held: ['09:30', '12:00'] },
    { name: 'checked out late', status: 'checked_out', checkedOutAt: '10:30', now: '11:00', held: ['10:00', '12:00'] },
    { name: 'checked out, now exactly at its end', status: 'checked_out', checkedOutAt: '10:00', now: '12:00', held: ['10:00', '12:00'] },
    { name: 'checked out and overdue', status: 'checked_out', checkedOutAt: '10:00', now: '13:30', held: ['10:00', '13:30'] },
    { name: 'checked out early and overdue', status: 'checked_out', checkedOutAt: '09:00', now: '14:00', held: ['09:00', '14:00'] },
    { name: 'checked out with no pick-up time', status: 'checked_out', checkedOutAt: null, now: '11:00', held: ['10:00', '12:00'] },
    { name: 'returned', status: 'returned', checkedOutAt: '10:00', now: '11:00', held: null },
    { name: 'returned after it was overdue', status: 'returned', checkedOutAt: '10:00', now: '13:00', held: null },
    { name: 'cancelled', status: 'cancelled', checkedOutAt: null, now: '08:00', held: null },
  ] as const)('$name → $held', ({ status, checkedOutAt, now, held }) => {
    expect(heldInterval(loan(status, checkedOutAt), t(now))).toEqual(held === null ? null : { start: t(held[0]), end: t(held[1]) });
  });
});

describe('shortages', () => {
  const pool = new Map([
    ['projector', 3],
    ['wireless-mic', 2],
    ['portable-pa', 1],
    ['panel', 20],
  ]);
  const holdings = new Map<string, Holding[]>([
    ['projector', holds([[1, '09:00', '12:00', 1], [2, '10:00', '13:00', 1]])],
    ['wireless-mic', holds([[1, '09:00', '12:00', 2]])],
    ['panel', holds([[3, '13:00', '15:00', 20]])],
  ]);

  it.each([
    { name: 'everything fits', items: [{ type: 'projector', quantity: 1 }, { type: 'portable-pa', quantity: 1 }, { type: 'panel', quantity: 20 }], expected: [] },
    { name: 'the last projector', items: [{ type: 'projector', quantity: 1 }], expected: [] },
    { name: 'one projector too many', items: [{ type: 'projector', quantity: 2 }], expected: [{ type: 'projector', requested: 2, available: 1 }] },
    { name: 'no mic left', items: [{ type: 'wireless-mic', quantity: 1 }], expected: [{ type: 'wireless-mic', requested: 1, available: 0 }] },
    { name: 'more than the pool', items: [{ type: 'portable-pa', quantity: 2 }], expected: [{ type: 'portable-pa', requested: 2, available: 1 }] },
    { name: 'an unknown type', items: [{ type: 'hologram', quantity: 1 }], expected: [{ type: 'hologram', requested: 1, available: 0 }] },
    { name: 'nothing of an unknown type', items: [{ type: 'hologram', quantity: 0 }], expected: [] },
    {
      name: 'several types at once, in request order',
      items: [
        { type: 'wireless-mic', quantity: 1 },
        { type: 'portable-pa', quantity: 1 },
        { type: 'projector', quantity: 3 },
        { type: 'hologram', quantity: 2 },
        { type: 'panel', quantity: 20 },
      ],
      expected: [
        { type: 'wireless-mic', requested: 1, available: 0 },
        { type: 'projector', requested: 3, available: 1 },
        { type: 'hologram', requested: 2, available: 0 },
      ],
    },
  ] as const)('$name over 10:00–12:00', ({ items, expected }) => {
    expect(shortages({ items, pool, holdings, from: t('10:00'), to: t('12:00') })).toEqual(expected);
  });

  it.each([
    // The panels are all held 13–15: a window ending at 13:00 does not touch them.
    { from: '12:00', to: '13:00', expected: [] },
    { from: '12:00', to: '13:30', expected: [{ type: 'panel', requested: 1, available: 0 }] },
    { from: '15:00', to: '16:00', expected: [] },
  ])('a panel over $from–$to → $expected', ({ from, to, expected }) => {
    expect(shortages({ items: [{ type: 'panel', quantity: 1 }], pool, holdings, from: t(from), to: t(to) })).toEqual(expected);
  });

  it('the last unit: pool 3, two held → request 1 fits; three held → available 0', () => {
    const two = new Map([['projector', holds([[1, '10:00', '12:00', 2]])]]);
    const three = new Map([['projector', holds([[1, '10:00', '12:00', 2], [2, '11:00', '12:00', 1]])]]);
    const input = { items: [{ type: 'projector', quantity: 1 }], pool, from: t('10:00'), to: t('12:00') };
    expect(shortages({ ...input, holdings: two })).toEqual([]);
    expect(shortages({ ...input, holdings: three })).toEqual([{ type: 'projector', requested: 1, available: 0 }]);
  });

  it('a unit going into repair takes the pool from 3 to 2 and the last unit with it', () => {
    const held = new Map([['projector', holds([[1, '10:00', '12:00', 2]])]]);
    const input = { items: [{ type: 'projector', quantity: 1 }], holdings: held, from: t('10:00'), to: t('12:00') };
    expect(shortages({ ...input, pool: new Map([['projector', 3]]) })).toEqual([]);
    expect(shortages({ ...input, pool: new Map([['projector', 2]]) })).toEqual([{ type: 'projector', requested: 1, available: 0 }]);
  });
});

describe('uncoveredLoans', () => {
  it.each([
    { name: 'nothing held', pool: 1, holdings: [], flagged: [] },
    // The later-made loan (id 2) loses its claim even though it starts first.
    { name: 'pool 1, two overlapping: the later-made is flagged even if it starts earlier', pool: 1, holdings: [[1, '10:00', '12:00', 1], [2, '09:00', '11:00', 1]], flagged: [2] },
    { name: 'pool 2, the same two', pool: 2, holdings: [[1, '10:00', '12:00', 1], [2, '09:00', '11:00', 1]], flagged: [] },
    { name: 'pool 1, back-to-back', pool: 1, holdings: [[1, '09:00', '12:00', 1], [2, '12:00', '15:00', 1]], flagged: [] },
    { name: 'pool 1, apart', pool: 1, holdings: [[1, '09:00', '11:00', 1], [2, '12:00', '14:00', 1]], flagged: [] },
    { name: 'pool 1, a loan of 2', pool: 1, holdings: [[1, '09:00', '12:00', 2]], flagged: [1] },
    { name: 'pool 1, a loan of 2 and a later loan of 1', pool: 1, holdings: [[1, '09:00', '12:00', 2], [2, '10:00', '11:00', 1]], flagged: [1] },
    { name: 'pool 2, a loan of 1 then a loan of 2', pool: 2, holdings: [[1, '09:00', '12:00', 1], [2, '11:00', '13:00', 2]], flagged: [2] },
    { name: 'pool 0, everything', pool: 0, holdings: [[5, '09:00', '10:00', 1], [3, '11:00', '12:00', 1]], flagged: [3, 5] },
    { name: 'pool 1, a later loan bridging two kept ones', pool: 1, holdings: [[1, '09:00', '11:00', 1], [2, '12:00', '14:00', 1], [3, '10:00', '13:00', 1]], flagged: [3] },
    { name: 'pool 1, two later loans each overlapping the first', pool: 1, holdings: [[1, '10:00', '13:00', 1], [2, '09:00', '11:00', 1], [3, '12:00', '14:00', 1]], flagged: [2, 3] },
    // Loan 2 is flagged, so it no longer holds anything: loan 3 overlaps only loan 2 and keeps its claim.
    { name: 'pool 1, a flagged loan does not count against later ones', pool: 1, holdings: [[1, '09:00', '11:00', 1], [2, '10:00', '13:00', 1], [3, '12:00', '14:00', 1]], flagged: [2] },
    // Pairwise overlaps of 3 with 1 and with 2 come at different times: 1+1 at most, fits in 2.
    { name: 'pool 2, a chain never three at once', pool: 2, holdings: [[1, '09:00', '11:00', 1], [2, '12:00', '14:00', 1], [3, '10:00', '13:00', 1]], flagged: [] },
    { name: 'pool 2, three at once 11–12', pool: 2, holdings: [[1, '09:00', '12:00', 1], [2, '10:00', '14:00', 1], [3, '11:00', '13:00', 1]], flagged: [3] },
    { name: 'pool 2, input out of id order', pool: 2, holdings: [[3, '11:00', '13:00', 1], [2, '10:00', '14:00', 1], [1, '09:00', '12:00', 1]], flagged: [3] },
  ] as const)('$name → $flagged', ({ pool, holdings, flagged }) => {
    expect(uncoveredLoans(pool, holds(holdings))).toEqual(flagged);
  });
});

describe('checkTakeout', () => {
  const dayOf = (date: string) => openingDay(date, DEFAULT_RULES.calendar);
  const NOW = '2027-06-01T09:00';

  it.each([
    // 2027-06-15 is a Tuesday; 2027-06-14 is the 2nd Monday of June (no holiday).
    { name: 'one day', start: '2027-06-15T10:00', end: '2027-06-16T10:00', now: NOW, registered: true, problems: [] },
    { name: 'exactly 7 days (7×24h)', start: '2027-06-15T10:00', end: '2027-06-22T10:00', now: NOW, registered: true, problems: [] },
    { name: '7 days and 1 minute', start: '2027-06-15T10:00', end: '2027-06-22T10:01', now: NOW, registered: true, problems: [['validation_failed', 'end']] },
    { name: '7 days and 30 minutes', start: '2027-06-15T10:00', end: '2027-06-22T10:30', now: NOW, registered: true, problems: [['validation_failed', 'end']] },
    { name: 'not registered', start: '2027-06-15T10:00', end: '2027-06-16T10:00', now: NOW, registered: false, problems: [['validation_failed', 'groupId']] },
    { name: 'not registered, on a closed day (only the first problems are named)', start: '2027-06-14T10:00', end: '2027-06-16T10:00', now: NOW, registered: false, problems: [['validation_failed', 'groupId']] },
    { name: 'start exactly now', start: '2027-06-01T09:00', end: '2027-06-01T22:00', now: NOW, registered: true, problems: [] },
    { name: 'start a minute in the past', start: '2027-06-01T09:00', end: '2027-06-01T22:00', now: '2027-06-01T09:01', registered: true, problems: [['validation_failed', 'start']] },
    { name: 'start in the past and too long', start: '2027-05-20T10:00', end: '2027-06-15T10:00', now: NOW, registered: true, problems: [['validation_failed', 'start'], ['validation_failed', 'end']] },
    { name: 'end before start', start: '2027-06-15T10:00', end: '2027-06-15T09:30', now: NOW, registered: true, problems: [['validation_failed', 'end']] },
    { name: 'end equal to start', start: '2027-06-15T10:00', end: '2027-06-15T10:00', now: NOW, registered: true, problems: [['validation_failed', 'end']] },
    { name: 'not registered and end before start', start: '2027-06-15T10:00', end: '2027-06-15T09:00', now: NOW, registered: false, problems: [['validation_failed', 'groupId'], ['validation_failed', 'end']] },
    // Opening hours are 09:00–22:00 every day, weekends included.
    { name: 'start at opening, end at closing', start: '2027-06-15T09:00', end: '2027-06-15T22:00', now: NOW, registered: true, problems: [] },
    { name: 'start a minute before opening', start: '2027-06-15T08:59', end: '2027-06-15T22:00', now: NOW, registered: true, problems: [['closed', 'start']] },
    { name: 'end a minute after closing', start: '2027-06-15T09:00', end: '2027-06-15T22:01', now: NOW, registered: true, problems: [['closed', 'end']] },
    { name: 'both outside the hours', start: '2027-06-15T07:00', end: '2027-06-16T23:00', now: NOW, registered: true, problems: [['closed', 'start'], ['closed', 'end']] },
    { name: 'end at midnight', start: '2027-06-15T09:00', end: '2027-06-16T00:00', now: NOW, registered: true, problems: [['closed', 'end']] },
    { name: 'Saturday 09:00 to Sunday 22:00', start: '2027-06-19T09:00', end: '2027-06-20T22:00', now: NOW, registered: true, problems: [] },
    // Instants written in UTC are judged by Tokyo's clock: 00:00Z is 09:00 in Tokyo.
    { name: 'start 00:00Z (09:00 Tokyo)', start: '2027-06-15T00:00Z', end: '2027-06-15T13:00Z', now: NOW, registered: true, problems: [] },
    { name: 'start 23:59Z the day before (08:59 Tokyo)', start: '2027-06-14T23:59Z', end: '2027-06-15T13:00Z', now: NOW, registered: true, problems: [['closed', 'start']] },
    { name: 'end 13:01Z (22:01 Tokyo)', start: '2027-06-15T00:00Z', end: '2027-06-15T13:01Z', now: NOW, registered: true, problems: [['closed', 'end']] },
    { name: 'start on the 2nd Monday', start: '2027-06-14T10:00', end: '2027-06-15T10:00', now: NOW, registered: true, problems: [['closed', 'start']] },
    { name: 'end on the 2nd Monday', start: '2027-06-12T10:00', end: '2027-06-14T10:00', now: NOW, registered: true, problems: [['closed', 'end']] },
    { name: 'over the 2nd Monday, both ends open', start: '2027-06-13T10:00', end: '2027-06-15T10:00', now: NOW, registered: true, problems: [] },
    { name: 'start on the 4th Monday', start: '2027-06-28T10:00', end: '2027-06-29T10:00', now: NOW, registered: true, problems: [['closed', 'start']] },
    { name: 'the 1st Monday is open', start: '2027-06-07T10:00', end: '2027-06-08T10:00', now: NOW, registered: true, problems: [] },
    { name: 'start on 12/29', start: '2027-12-29T10:00', end: '2027-12-30T10:00', now: NOW, registered: true, problems: [['closed', 'start'], ['closed', 'end']] },
    { name: 'end on 12/29', start: '2027-12-28T10:00', end: '2027-12-29T10:00', now: NOW, registered: true, problems: [['closed', 'end']] },
    { name: 'end on 1/3', start: '2027-12-28T10:00', end: '2028-01-03T10:00', now: NOW, registered: true, problems: [['closed', 'end']] },
    { name: 'over the whole year-end closure, exactly 7 days', start: '2027-12-28T10:00', end: '2028-01-04T10:00', now: NOW, registered: true, problems: [] },
    // 2027-01-11 is the 2nd Monday and 成人の日: the center opens, and closes on Tuesday instead.
    { name: 'start on a holiday 2nd Monday', start: '2027-01-11T10:00', end: '2027-01-13T10:00', now: '2026-12-01T09:00', registered: true, problems: [] },
    { name: 'end on the Tuesday after a holiday 2nd Monday', start: '2027-01-11T10:00', end: '2027-01-12T10:00', now: '2026-12-01T09:00', registered: true, problems: [['closed', 'end']] },
  ] as const)('$name → $problems', ({ start, end, now, registered, problems }) => {
    const result = checkTakeout({ start: parseInstant(start), end: parseInstant(end), now: parseInstant(now), registered, maxDays: 7, dayOf });
    expect(result.map((p) => [p.code, p.path])).toEqual(problems);
  });

  it('names the closing and the opening hours in its messages', () => {
    const closed = checkTakeout({
      start: parseInstant('2027-06-14T10:00'),
      end: parseInstant('2027-06-15T23:00'),
      now: parseInstant(NOW),
      registered: true,
      maxDays: 7,
      dayOf,
    });
    expect(closed).toEqual([
      { code: 'closed', path: 'start', message: 'the desk is closed on 2027-06-14 (定例休館日)' },
      { code: 'closed', path: 'end', message: 'the desk is open 09:00–22:00 on 2027-06-15' },
    ]);
  });

  it('reads maxDays from its input', () => {
    const input = { start: parseInstant('2027-06-15T10:00'), end: parseInstant('2027-06-18T10:00'), now: parseInstant(NOW), registered: true, dayOf };
    expect(checkTakeout({ ...input, maxDays: 3 })).toEqual([]);
    expect(checkTakeout({ ...input, maxDays: 2 })).toEqual([
      { code: 'validation_failed', path: 'end', message: 'a take-out lasts at most 2 days' },
    ]);
  });
});

describe('suspension of borrowing', () => {
  it.each([
    ['open', true],
    ['invoiced', true],
    ['not_liable', false],
    ['settled', false],
    ['waived', false],
  ] as const)('a case %s suspends borrowing: %s', (status, expected) => {
    expect(suspendsBorrowing(status)).toBe(expected);
  });

  it.each([
    { cases: [], suspended: false },
    { cases: ['settled'], suspended: false },
    { cases: ['not_liable', 'settled', 'waived'], suspended: false },
    { cases: ['open'], suspended: true },
    { cases: ['invoiced'], suspended: true },
    { cases: ['settled', 'waived', 'open'], suspended: true },
    { cases: ['not_liable', 'invoiced'], suspended: true },
  ] as const)('cases $cases → suspended $suspended', ({ cases, suspended }) => {
    expect(borrowingSuspended(cases.map((status) => ({ status })))).toBe(suspended);
  });
});

describe('checkAssessment', () => {
  const CAPPED = 'costYen is capped at the replacement value (¥50,000)';
  it.each([
    { costYen: 0, liable: false, replacementYen: 50000, problem: null },
    { costYen: 0, liable: true, replacementYen: 50000, problem: 'a liable borrower owes a cost above 0 (or assess as not liable)' },
    { costYen: 1, liable: true, replacementYen: 50000, problem: null },
    { costYen: 12000, liable: true, replacementYen: 50000, problem: null },
    { costYen: 49999, liable: true, replacementYen: 50000, problem: null },
    { costYen: 50000, liable: true, replacementYen: 50000, problem: null },
    { costYen: 50001, liable: true, replacementYen: 50000, problem: CAPPED },
    { costYen: 50001, liable: false, replacementYen: 50000, problem: CAPPED },
    { costYen: 1000000, liable: true, replacementYen: 50000, problem: CAPPED },
    { costYen: -1, liable: true, replacementYen: 50000, problem: 'costYen must not be negative' },
    { costYen: -1, liable: false, replacementYen: 50000, problem: 'costYen must not be negative' },
    { costYen: 0.5, liable: true, replacementYen: 50000, problem: 'costYen must be whole yen' },
    { costYen: 1000.5, liable: true, replacementYen: 50000, problem: 'costYen must be whole yen' },
    { costYen: -0.5, liable: true, replacementYen: 50000, problem: 'costYen must be whole yen' },
    { costYen: Number.NaN, liable: true, replacementYen: 50000, problem: 'costYen must be whole yen' },
    { costYen: Number.POSITIVE_INFINITY, liable: true, replacementYen: 50000, problem: 'costYen must be whole yen' },
    { costYen: 0, liable: false, replacementYen: 0, problem: null },
    { costYen: 1, liable: true, replacementYen: 0, problem: 'costYen is capped at the replacement value (¥0)' },
  ])('¥$costYen, liable $liable, replacement ¥$replacementYen → $problem', ({ costYen, liable, replacementYen, problem }) => {
    expect(checkAssessment({ costYen, liable, replacementYen })).toBe(problem);
  });

  it.each([
    [true, 'invoiced'],
    [false, 'not_liable'],
  ] as const)('an assessment with liable %s moves the case to %s', (liable, status) => {
    expect(assessedStatus(liable)).toBe(status);
  });
});

describe('canTransition', () => {
  const table: Record<CaseStatus, Record<'assess' | 'settle' | 'waive', boolean>> = {
    open: { assess: true, settle: false, waive: true },
    invoiced: { assess: false, settle: true, waive: true },
    not_liable: { assess: false, settle: false, waive: false },
    settled: { assess: false, settle: false, waive: false },
    waived: { assess: false, settle: false, waive: false },
  };
  const rows = Object.entries(table).flatMap(([from, actions]) =>
    Object.entries(actions).map(([action, allowed]) => ({ from: from as CaseStatus, action: action as 'assess' | 'settle' | 'waive', allowed })),
  );

  it('covers every status × action', () => {
    expect(rows).toHaveLength(15);
  });

  it.each(rows)('$action from $from: $allowed', ({ from, action, allowed }) => {
    expect(canTransition(from, action)).toBe(allowed);
  });
});
