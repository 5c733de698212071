import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import { checkOnlineCutoff, checkWindow, furthestOpenDate, quotaExceeded, windowOpensAt } from '../../server/domain/windows.js';
import { DEFAULT_RULES, type Category } from '../../server/domain/rules.js';
import { addDays, toApi } from '../../server/domain/time.js';

const rules = DEFAULT_RULES.windows;

/** An instant kept in the zone it was written in, so UTC `now`s stay UTC inside the code under test. */
const instant = (iso: string): DateTime => DateTime.fromISO(iso, { setZone: true });

describe('windowOpensAt', () => {
  it.each([
    { useDate: '2027-06-15', category: 'registered', opensAt: '2026-12-01T09:00:00+09:00' },
    { useDate: '2027-06-15', category: 'general', opensAt: '2027-03-01T09:00:00+09:00' },
    { useDate: '2027-06-15', category: 'commercial', opensAt: '2027-05-01T09:00:00+09:00' },
    { useDate: '2027-06-01', category: 'registered', opensAt: '2026-12-01T09:00:00+09:00' },
    // The 31st of a 31-day month belongs to its own month, not the next.
    { useDate: '2027-05-31', category: 'registered', opensAt: '2026-11-01T09:00:00+09:00' },
    { useDate: '2027-05-31', category: 'general', opensAt: '2027-02-01T09:00:00+09:00' },
    { useDate: '2027-05-31', category: 'commercial', opensAt: '2027-04-01T09:00:00+09:00' },
    // M−6 of March is September of the year before; M−3 of March is the December before.
    { useDate: '2027-03-31', category: 'registered', opensAt: '2026-09-01T09:00:00+09:00' },
    { useDate: '2027-03-31', category: 'general', opensAt: '2026-12-01T09:00:00+09:00' },
    { useDate: '2027-02-28', category: 'registered', opensAt: '2026-08-01T09:00:00+09:00' },
    { useDate: '2028-02-29', category: 'registered', opensAt: '2027-08-01T09:00:00+09:00' },
    { useDate: '2026-12-31', category: 'registered', opensAt: '2026-06-01T09:00:00+09:00' },
    // January 1st is inside the year-end closure, and the window still opens on it.
    { useDate: '2027-02-10', category: 'commercial', opensAt: '2027-01-01T09:00:00+09:00' },
  ] as const)('opens $category bookings for $useDate at $opensAt', ({ useDate, category, opensAt }) => {
    expect(toApi(windowOpensAt(useDate, category, rules))).toBe(opensAt);
  });

  it('refuses a use date that is not a real date', () => {
    expect(() => windowOpensAt('2027-02-30', 'general', rules)).toThrow();
  });
});

describe('checkWindow', () => {
  it.each([
    { now: '2026-12-01T08:59:00+09:00', category: 'registered', open: false },
    { now: '2026-12-01T08:59:59.999+09:00', category: 'registered', open: false },
    { now: '2026-12-01T09:00:00+09:00', category: 'registered', open: true },
    // The 1st in Tokyo is still the 30th in UTC.
    { now: '2026-11-30T23:59:00Z', category: 'registered', open: false },
    { now: '2026-12-01T00:00:00Z', category: 'registered', open: true },
    { now: '2027-06-15T10:00:00+09:00', category: 'registered', open: true },
    { now: '2027-02-28T23:00:00+09:00', category: 'general', open: false },
    { now: '2027-03-01T08:59:00+09:00', category: 'general', open: false },
    { now: '2027-03-01T09:00:00+09:00', category: 'general', open: true },
    { now: '2027-03-01T09:00:00+09:00', category: 'commercial', open: false },
    { now: '2027-04-30T23:59:00+09:00', category: 'commercial', open: false },
    { now: '2027-05-01T09:00:00+09:00', category: 'commercial', open: true },
  ] as const)('at $now, $category bookings for 2027-06-15 are open: $open', ({ now, category, open }) => {
    const result = checkWindow({ useDate: '2027-06-15', category, now: instant(now), rules });
    if (open) {
      expect(result).toBeNull();
    } else {
      expect(result?.code).toBe('window_not_open');
      expect(toApi(result!.opensAt)).toBe(toApi(windowOpensAt('2027-06-15', category, rules)));
    }
  });

  it('names the opening instant when the window is not yet open', () => {
    const result = checkWindow({ useDate: '2027-06-15', category: 'registered', now: instant('2026-12-01T08:59:00+09:00'), rules });
    expect(result).not.toBeNull();
    expect(result!.code).toBe('window_not_open');
    expect(toApi(result!.opensAt)).toBe('2026-12-01T09:00:00+09:00');
  });
});

describe('checkOnlineCutoff', () => {
  it.each([
    { useDate: '2026-12-10', now: '2026-12-07T23:00:00+09:00', lastOnlineDate: null },
    { useDate: '2026-12-10', now: '2026-12-07T23:59:59+09:00', lastOnlineDate: null },
    { useDate: '2026-12-10', now: '2026-12-07T14:59:00Z', lastOnlineDate: null }, // 23:59 Tokyo
    { useDate: '2026-12-10', now: '2026-12-08T00:00:00+09:00', lastOnlineDate: '2026-12-07' },
    // Still Dec 7 in UTC, but 01:00 on Dec 8 in Tokyo: only two days before use.
    { useDate: '2026-12-10', now: '2026-12-07T16:00:00Z', lastOnlineDate: '2026-12-07' },
    { useDate: '2026-12-10', now: '2026-12-10T09:00:00+09:00', lastOnlineDate: '2026-12-07' },
    { useDate: '2026-12-10', now: '2026-12-11T09:00:00+09:00', lastOnlineDate: '2026-12-07' },
    { useDate: '2026-12-10', now: '2026-11-01T09:00:00+09:00', lastOnlineDate: null },
    // Counting across New Year's Eve and the end of February.
    { useDate: '2027-01-02', now: '2026-12-30T12:00:00+09:00', lastOnlineDate: null },
    { useDate: '2027-01-02', now: '2026-12-31T12:00:00+09:00', lastOnlineDate: '2026-12-30' },
    { useDate: '2027-03-01', now: '2027-02-26T12:00:00+09:00', lastOnlineDate: null },
    { useDate: '2027-03-01', now: '2027-02-27T12:00:00+09:00', lastOnlineDate: '2027-02-26' },
  ])('for use on $useDate at $now, the last online date passed is $lastOnlineDate', ({ useDate, now, lastOnlineDate }) => {
    const result = checkOnlineCutoff({ useDate, now: instant(now), rules });
    expect(result).toEqual(lastOnlineDate === null ? null : { code: 'online_cutoff', lastOnlineDate });
  });
});

describe('furthestOpenDate', () => {
  it.each([
    { category: 'registered', now: '2026-12-01T08:59:00+09:00', furthest: '2027-05-31' },
    { category: 'registered', now: '2026-12-01T09:00:00+09:00', furthest: '2027-06-30' },
    { category: 'registered', now: '2026-11-30T23:59:00Z', furthest: '2027-05-31' },
    { category: 'registered', now: '2026-12-01T00:00:00Z', furthest: '2027-06-30' },
    { category: 'registered', now: '2026-08-31T23:00:00+09:00', furthest: '2027-02-28' },
    { category: 'registered', now: '2027-08-15T12:00:00+09:00', furthest: '2028-02-29' },
    { category: 'general', now: '2026-11-30T15:00:00Z', furthest: '2027-02-28' }, // 00:00 Tokyo on the 1st
    { category: 'general', now: '2026-12-15T12:00:00+09:00', furthest: '2027-03-31' },
    { category: 'commercial', now: '2026-12-15T12:00:00+09:00', furthest: '2027-01-31' },
    { category: 'commercial', now: '2026-12-31T23:59:00+09:00', furthest: '2027-01-31' },
    { category: 'commercial', now: '2027-01-01T09:00:00+09:00', furthest: '2027-02-28' },
  ] as const)('at $now, $category bookings are open up to $furthest', ({ category, now, furthest }) => {
    expect(furthestOpenDate(category, instant(now), rules)).toBe(furthest);
  });

  it('agrees with windowOpensAt: the furthest date is open and the day after it is not', () => {
    const categories: Category[] = ['registered', 'general', 'commercial'];
    // Every 13 hours 17 minutes across two years, so the 08:59/09:00 edge and month ends are hit.
    let now = instant('2026-01-01T00:00:00+09:00');
    const until = instant('2028-01-01T00:00:00+09:00');
    let checked = 0;
    while (now < until) {
      for (const category of categories) {
        const furthest = furthestOpenDate(category, now, rules);
        expect(windowOpensAt(furthest, category, rules) <= now).toBe(true);
        expect(windowOpensAt(addDays(furthest, 1), category, rules) > now).toBe(true);
        checked++;
      }
      now = now.plus({ hours: 13, minutes: 17 });
    }
    expect(checked).toBeGreaterThan(3000);
  });
});

describe('quotaExceeded', () => {
  it.each([
    { live: 0, quota: 4, exceeded: false },
    { live: 3, quota: 4, exceeded: false },
    { live: 4, quota: 4, exceeded: true },
    { live: 5, quota: 4, exceeded: true },
    { live: 0, quota: 0, exceeded: true },
    { live: 100, quota: null, exceeded: false },
  ])('with $live live bookings and a quota of $quota, one more exceeds it: $exceeded', ({ live, quota, exceeded }) => {
    expect(quotaExceeded(live, quota)).toBe(exceeded);
  });

  it('refuses a count that is not a non-negative integer', () => {
    expect(() => quotaExceeded(-1, 4)).toThrow();
    expect(() => quotaExceeded(1.5, 4)).toThrow();
  });
});
