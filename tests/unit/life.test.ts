import { describe, expect, it } from 'vitest';
import type { OpeningDay } from '../../server/domain/calendar.js';
import {
  cancellationCharge,
  changeFee,
  daysBeforeUse,
  isExpired,
  isNoShow,
  paymentStatusAfter,
  provisionalDeadline,
} from '../../server/domain/life.js';
import { DEFAULT_RULES, type BookingStatus, type PaymentStatus } from '../../server/domain/rules.js';
import { parseInstant, toApi } from '../../server/domain/time.js';

const LIFE = DEFAULT_RULES.life;
const t = parseInstant;

describe('daysBeforeUse', () => {
  it.each([
    { now: '2026-12-13T10:00', use: '2026-12-20', days: 7 },
    { now: '2026-12-19T23:59', use: '2026-12-20', days: 1 },
    // Midnight in Tokyo is 15:00 UTC the day before: the count follows Tokyo's date.
    { now: '2026-12-19T15:00Z', use: '2026-12-20', days: 0 },
    { now: '2026-12-26T10:00', use: '2027-01-05', days: 10 },
    { now: '2026-12-21T10:00', use: '2026-12-20', days: -1 },
  ])('counts $days Tokyo dates from $now to $use', ({ now, use, days }) => {
    expect(daysBeforeUse(use, t(now))).toBe(days);
  });
});

describe('cancellationCharge', () => {
  const START = '2026-12-20T14:00';
  const base = {
    totalYen: 2000,
    paidYen: 0,
    status: 'confirmed' as BookingStatus,
    paymentStatus: 'unpaid' as PaymentStatus,
    start: t(START),
    facilityCaused: false,
    tiers: LIFE.cancellationTiers,
  };

  it.each([
    { when: '7 days before use', now: '2026-12-13T10:00', percent: 0 },
    { when: 'late on the 7th day before use', now: '2026-12-13T23:59', percent: 0 },
    { when: '6 days before use', now: '2026-12-14T00:00', percent: 50 },
    { when: '1 day before use', now: '2026-12-19T21:00', percent: 50 },
    { when: 'on the day of use, before the start', now: '2026-12-20T09:00', percent: 100 },
    { when: 'at the start', now: START, percent: 100 },
    { when: 'the day after the start', now: '2026-12-21T10:00', percent: 100 },
  ])('charges $percent% when cancelled $when', ({ now, percent }) => {
    const result = cancellationCharge({ ...base, now: t(now) });
    expect(result.percent).toBe(percent);
    expect(result.cancellationFeeYen).toBe(20 * percent);
  });

  // A use that runs past midnight (an extended day) is still "after the start" the next day.
  it('charges in full after a start late in the evening, past midnight', () => {
    const result = cancellationCharge({ ...base, start: t('2026-12-20T22:00'), now: t('2026-12-21T00:30') });
    expect(result.percent).toBe(100);
  });

  it.each([
    { case: '50% of ¥1,234 floors to ¥610', totalYen: 1234, paidYen: 0, now: '2026-12-15T10:00', fee: 610, refund: 0, balance: 610 },
    { case: 'paid ¥2,000 of ¥2,000 at 50% refunds ¥1,000', totalYen: 2000, paidYen: 2000, now: '2026-12-15T10:00', fee: 1000, refund: 1000, balance: 0 },
    { case: 'paid ¥500 of ¥2,000 at 100% still owes ¥1,500', totalYen: 2000, paidYen: 500, now: '2026-12-20T10:00', fee: 2000, refund: 0, balance: 1500 },
    { case: 'paid ¥2,000 at 0% refunds everything', totalYen: 2000, paidYen: 2000, now: '2026-12-01T10:00', fee: 0, refund: 2000, balance: 0 },
    { case: '100% of ¥2,345 keeps the unrounded ¥5 out', totalYen: 2345, paidYen: 2345, now: '2026-12-20T10:00', fee: 2340, refund: 5, balance: 0 },
  ])('$case', ({ totalYen, paidYen, now, fee, refund, balance }) => {
    const result = cancellationCharge({ ...base, totalYen, paidYen, now: t(now) });
    expect(result).toMatchObject({ cancellationFeeYen: fee, refundYen: refund, balanceYen: balance });
  });

  it('lets an unpaid provisional booking cancel free on the day', () => {
    const result = cancellationCharge({ ...base, status: 'provisional', now: t('2026-12-20T10:00') });
    expect(result).toEqual({ cancellationFeeYen: 0, refundYen: 0, balanceYen: 0, percent: 0 });
  });

  // Partial payments keep a booking 'unpaid' and provisional, so it is still free, and the part paid comes back.
  it('refunds a partial payment on a provisional booking cancelled on the day', () => {
    const result = cancellationCharge({ ...base, status: 'provisional', paidYen: 500, now: t('2026-12-20T10:00') });
    expect(result).toEqual({ cancellationFeeYen: 0, refundYen: 500, balanceYen: 0, percent: 0 });
  });

  it('makes a facility-caused cancellation free and refunds all that was paid', () => {
    const result = cancellationCharge({ ...base, paidYen: 2000, paymentStatus: 'paid', facilityCaused: true, now: t('2026-12-20T10:00') });
    expect(result).toEqual({ cancellationFeeYen: 0, refundYen: 2000, balanceYen: 0, percent: 0 });
  });

  it('charges nothing for an exempt booking whose total is 0, even on the day', () => {
    const result = cancellationCharge({ ...base, totalYen: 0, paymentStatus: 'exempt', now: t('2026-12-20T10:00') });
    expect(result).toEqual({ cancellationFeeYen: 0, refundYen: 0, balanceYen: 0, percent: 100 });
  });

  it('reads tiers given in any order', () => {
    const tiers = [...LIFE.cancellationTiers].reverse();
    expect(cancellationCharge({ ...base, tiers, now: t('2026-12-15T10:00') }).percent).toBe(50);
    expect(cancellationCharge({ ...base, tiers, now: t('2026-12-01T10:00') }).percent).toBe(0);
  });
});

describe('changeFee', () => {
  const base = {
    totalYen: 2000,
    status: 'confirmed' as BookingStatus,
    paymentStatus: 'paid' as PaymentStatus,
    start: t('2026-12-20T14:00'),
    rules: LIFE,
  };

  it.each([
    { change: 'a first change 7 days before use', priorChanges: 0, now: '2026-12-13T10:00', fee: 0 },
    { change: 'a first change 6 days before use', priorChanges: 0, now: '2026-12-14T10:00', fee: 1000 },
    { change: 'a second change 10 days before use (the 0% tier)', priorChanges: 1, now: '2026-12-10T10:00', fee: 0 },
    { change: 'a second change 3 days before use', priorChanges: 1, now: '2026-12-17T10:00', fee: 1000 },
    { change: 'a third change on the day', priorChanges: 2, now: '2026-12-20T10:00', fee: 2000 },
  ])('charges ¥$fee for $change', ({ priorChanges, now, fee }) => {
    expect(changeFee({ ...base, priorChanges, now: t(now) })).toBe(fee);
  });

  it('floors a charged change to 10 yen', () => {
    expect(changeFee({ ...base, totalYen: 1234, priorChanges: 0, now: t('2026-12-14T10:00') })).toBe(610);
  });

  it('lets an unpaid provisional booking change free however late', () => {
    expect(changeFee({ ...base, status: 'provisional', paymentStatus: 'unpaid', priorChanges: 3, now: t('2026-12-19T10:00') })).toBe(0);
  });
});

// The seeded calendar around the year end of 2026, written out so the dates are visible here:
// 12-14 and 12-28 are the 2nd and 4th Mondays (定例休館日), 12-29 – 01-03 the year-end closure.
const CLOSED = new Set(['2026-12-14', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
const CLOSE: Readonly<Record<string, string>> = { '2026-12-11': '17:00', '2026-12-09': '23:00' };

function dayOf(date: string): OpeningDay {
  if (CLOSED.has(date)) return { date, open: null, close: null, closed: true, holiday: null, reason: '休館' };
  return { date, open: '09:00', close: CLOSE[date] ?? '22:00', closed: false, holiday: null, reason: null };
}

describe('provisionalDeadline', () => {
  it.each([
    { case: '7 days after it was made comes first', made: '2026-12-01T10:00', use: '2026-12-20T14:00', deadline: '2026-12-08T22:00' },
    { case: 'that day is extended to 23:00', made: '2026-12-02T10:00', use: '2026-12-20T14:00', deadline: '2026-12-09T23:00' },
    { case: 'the day before use comes first', made: '2026-12-01T10:00', use: '2026-12-05T10:00', deadline: '2026-12-04T22:00' },
    { case: 'the day before use is a closed Monday', made: '2026-12-10T10:00', use: '2026-12-15T10:00', deadline: '2026-12-13T22:00' },
    // 01-02 (7 days after) is before 01-04 (the day before use); 12-29 – 01-03 are closed, and so is
    // 12-28, the 4th Monday of December 2026, so the deadline walks back to Sunday 12-27.
    { case: 'it falls in the year-end closure', made: '2026-12-26T10:00', use: '2027-01-05T10:00', deadline: '2026-12-27T22:00' },
    { case: 'that day closes early', made: '2026-12-04T10:00', use: '2026-12-25T14:00', deadline: '2026-12-11T17:00' },
    { case: 'it is made the day before use, during opening hours', made: '2026-12-04T15:00', use: '2026-12-05T10:00', deadline: '2026-12-04T22:00' },
    { case: 'it is made the day before use, after closing', made: '2026-12-04T22:30', use: '2026-12-05T10:00', deadline: '2026-12-05T10:00' },
    { case: 'it is made on the day of use', made: '2026-12-05T10:00', use: '2026-12-05T14:00', deadline: '2026-12-05T14:00' },
    { case: 'it is made during the closure for just after it', made: '2026-12-30T12:00', use: '2027-01-04T10:00', deadline: '2027-01-04T10:00' },
    { case: 'it is made during the closure for well after it', made: '2026-12-30T12:00', use: '2027-01-10T10:00', deadline: '2027-01-06T22:00' },
  ])('expires when $case', ({ made, use, deadline }) => {
    const result = provisionalDeadline({ createdAt: t(made), start: t(use), dayOf, rules: LIFE });
    expect(toApi(result)).toBe(toApi(t(deadline)));
  });

  it('is never after the start, even when the rules allow paying on the day of use', () => {
    const rules = { ...LIFE, provisionalDaysBeforeUse: 0 };
    const result = provisionalDeadline({ createdAt: t('2026-12-01T10:00'), start: t('2026-12-05T10:00'), dayOf, rules });
    expect(toApi(result)).toBe('2026-12-05T10:00:00+09:00');
  });

  it('uses the same day when made in the morning for the next day', () => {
    const result = provisionalDeadline({ createdAt: t('2026-12-04T08:00'), start: t('2026-12-05T10:00'), dayOf, rules: LIFE });
    expect(toApi(result)).toBe('2026-12-04T22:00:00+09:00');
  });
});

describe('isExpired', () => {
  const deadline = t('2026-12-08T22:00');
  it.each([
    { case: 'an unpaid provisional booking a minute before the deadline', status: 'provisional', payment: 'unpaid', now: '2026-12-08T21:59', expired: false },
    { case: 'an unpaid provisional booking at the deadline', status: 'provisional', payment: 'unpaid', now: '2026-12-08T22:00', expired: true },
    { case: 'a paid provisional booking after the deadline', status: 'provisional', payment: 'paid', now: '2026-12-09T10:00', expired: false },
    { case: 'an exempt provisional booking after the deadline', status: 'provisional', payment: 'exempt', now: '2026-12-09T10:00', expired: false },
    { case: 'a confirmed unpaid booking after the deadline', status: 'confirmed', payment: 'unpaid', now: '2026-12-09T10:00', expired: false },
    { case: 'a cancelled booking after the deadline', status: 'cancelled', payment: 'unpaid', now: '2026-12-09T10:00', expired: false },
  ] as const)('treats $case as expired: $expired', ({ status, payment, now, expired }) => {
    expect(isExpired({ status, paymentStatus: payment, deadline, now: t(now) })).toBe(expired);
  });

  it('never expires a booking without a deadline', () => {
    expect(isExpired({ status: 'provisional', paymentStatus: 'unpaid', deadline: null, now: t('2030-01-01T00:00') })).toBe(false);
  });
});

describe('isNoShow', () => {
  const start = t('2026-12-20T14:00');
  it.each([
    { case: 'a confirmed booking 29 minutes after start', status: 'confirmed', attendance: 'expected', now: '2026-12-20T14:29', noShow: false },
    { case: 'a confirmed booking 30 minutes after start', status: 'confirmed', attendance: 'expected', now: '2026-12-20T14:30', noShow: true },
    { case: 'a provisional booking 30 minutes after start', status: 'provisional', attendance: 'expected', now: '2026-12-20T14:30', noShow: true },
    { case: 'a checked-in booking hours after start', status: 'confirmed', attendance: 'checked_in', now: '2026-12-20T18:00', noShow: false },
    { case: 'a booking already marked no-show', status: 'confirmed', attendance: 'no_show', now: '2026-12-20T18:00', noShow: false },
    { case: 'a cancelled booking after start', status: 'cancelled', attendance: 'expected', now: '2026-12-20T18:00', noShow: false },
    { case: 'an expired booking after start', status: 'expired', attendance: 'expected', now: '2026-12-20T18:00', noShow: false },
  ] as const)('treats $case as a no-show: $noShow', ({ status, attendance, now, noShow }) => {
    expect(isNoShow({ status, attendance, start, now: t(now), rules: LIFE })).toBe(noShow);
  });
});

describe('paymentStatusAfter', () => {
  it.each([
    { case: 'nothing paid yet', totalYen: 2000, paidYen: 0, exempt: false, status: 'unpaid' },
    { case: 'a partial payment', totalYen: 2000, paidYen: 500, exempt: false, status: 'unpaid' },
    { case: 'payment in full', totalYen: 2000, paidYen: 2000, exempt: false, status: 'paid' },
    { case: 'more than the total', totalYen: 2000, paidYen: 2500, exempt: false, status: 'paid' },
    { case: 'a 100% exemption', totalYen: 0, paidYen: 0, exempt: true, status: 'exempt' },
    // A flag that disagrees with the amount must not waive money still owed.
    { case: 'an exemption flag with money still owed', totalYen: 1000, paidYen: 0, exempt: true, status: 'unpaid' },
  ])('gives $status after $case', ({ totalYen, paidYen, exempt, status }) => {
    expect(paymentStatusAfter({ totalYen, paidYen, exempt })).toBe(status);
  });
});
