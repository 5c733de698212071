import { describe, expect, it } from 'vitest';
import { openingDay } from '../../server/domain/calendar.js';
import { DEFAULT_RULES } from '../../server/domain/rules.js';
import { addDays, at, daysBetween, toStored } from '../../server/domain/time.js';
import {
  computeReport, ratingAverage, registeredGroupsOn, type ReportBooking, type ReportInput, type ReportOpinion, type ReportPayment, type ReportRegistration, type ReportSurveyResponse,
} from '../../server/reports/figures.js';
import type { ReportDamageCase, ReportLoan } from '../../server/reports/equipment.js';
import { fiscalPeriod, monthPeriod, type ReportPeriod } from '../../server/reports/period.js';

let nextId = 1;

function booking(useDate: string, start: string, end: string, extra: Partial<ReportBooking> = {}): ReportBooking {
  return {
    id: nextId++, useDate, startAt: toStored(at(useDate, start)), endAt: toStored(at(useDate, end)), start, end,
    spaceSlug: 'small-1', spaceName: '小会議室1', category: 'general', channel: 'online', walkIn: false,
    status: 'confirmed', paymentStatus: 'paid', attendance: 'expected', purpose: '打ち合わせ', attendees: 5, actualAttendees: null,
    totalYen: 1000, paidYen: 1000, cancellationFeeYen: null, exemptionPercent: 0, exemptionReason: null, exemptionYen: 0, permitNo: null,
    equipment: [],
    ...extra,
  };
}

const pay = (bookingId: number, date: string, amountYen: number, kind: ReportPayment['kind'] = 'payment'): ReportPayment =>
  ({ receiptNo: `R-${nextId++}`, bookingId, kind, amountYen, date });

function input(period: ReportPeriod, rows: {
  bookings?: ReportBooking[]; payments?: ReportPayment[]; registrations?: ReportRegistration[]; opinions?: ReportOpinion[]; surveyResponses?: ReportSurveyResponse[];
  loans?: ReportLoan[]; damageCases?: ReportDamageCase[];
}): ReportInput {
  const days = Array.from({ length: daysBetween(period.from, period.to) + 1 }, (_, i) => openingDay(addDays(period.from, i), DEFAULT_RULES.calendar));
  return {
    period, generatedAt: '2026-12-05 10:00', center: '市民活動交流センター',
    spaces: [{ slug: 'small-1', name: '小会議室1', parts: [], seasonFrom: null, seasonTo: null }],
    days, blocks: [], bookings: rows.bookings ?? [], payments: rows.payments ?? [], registrations: rows.registrations ?? [],
    opinions: rows.opinions ?? [], surveyResponses: rows.surveyResponses ?? [], bands: DEFAULT_RULES.bands,
    equipmentTypes: [{ slug: 'projector', name: 'プロジェクター' }, { slug: 'screen', name: 'スクリーン' }, { slug: 'panel', name: '展示パネル' }],
    loans: rows.loans ?? [], damageCases: rows.damageCases ?? [],
  };
}

describe('fees by date of use, income by date of payment, across a month boundary', () => {
  // A December booking paid in November, a November booking paid in December, and a November
  // booking cancelled with a fee, whose refund of the rest is made in December.
  const december = booking('2026-12-01', '10:00', '12:00', { totalYen: 1200 });
  const november = booking('2026-11-30', '18:00', '20:00', { totalYen: 800 });
  const cancelled = booking('2026-11-28', '10:00', '12:00', { status: 'cancelled', totalYen: 1000, cancellationFeeYen: 500, paymentStatus: 'refunded' });
  const payments = [
    pay(december.id, '2026-11-30', 1200),
    pay(november.id, '2026-12-01', 800),
    pay(cancelled.id, '2026-11-20', 1000),
    pay(cancelled.id, '2026-12-02', 500, 'refund'),
  ];
  const rows = { bookings: [december, november, cancelled], payments };

  it.each([
    // [month, bookings in use, usage fees, cancellation fees, charged, paid in, refunded, income]
    ['2026-11', 1, 800, 500, 1300, 2200, 0, 2200],
    ['2026-12', 1, 1200, 0, 1200, 800, 500, 300],
  ])('%s', (month, live, usageYen, cancellationYen, chargedYen, paidIn, refunded, incomeYen) => {
    const r = computeReport(input(monthPeriod(month as string), rows));
    expect(r.bookings.live).toBe(live);
    expect(r.money).toMatchObject({ usageYen, cancellationYen, chargedYen, incomeYen });
    expect(r.money.payments.yen).toBe(paidIn);
    expect(r.money.refunds.yen).toBe(refunded);
  });

  it('a void takes its payment back out of the income of the day it is made', () => {
    const r = computeReport(input(monthPeriod('2026-12'), { ...rows, payments: [...payments, pay(november.id, '2026-12-03', 800, 'void')] }));
    expect(r.money.voids).toEqual({ count: 1, yen: 800 });
    expect(r.money.incomeYen).toBe(800 - 500 - 800);
  });

  it('the fiscal year adds up its months', () => {
    const r = computeReport(input(fiscalPeriod(2026), rows));
    expect(r.money.chargedYen).toBe(2500);
    expect(r.money.incomeYen).toBe(2500);
    expect(r.months.map((m) => m.month)).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(r.months.reduce((s, m) => s + m.chargedYen, 0)).toBe(r.money.chargedYen);
    expect(r.months.reduce((s, m) => s + m.incomeYen, 0)).toBe(r.money.incomeYen);
    expect(r.months.reduce((s, m) => s + m.live, 0)).toBe(r.bookings.live);
  });
});

describe('the figures of a month', () => {
  const rows = [
    booking('2026-11-18', '10:00', '12:00', { category: 'registered', attendance: 'checked_in', attendees: 10, actualAttendees: 8, channel: 'desk' }),
    booking('2026-11-21', '18:00', '21:00', { category: 'general', attendance: 'no_show', attendees: 4, channel: 'desk', walkIn: true }),
    booking('2026-11-23', '13:00', '15:00', { category: 'commercial', attendees: 20, exemptionPercent: 50, exemptionYen: 600, totalYen: 600 }),
    booking('2026-11-25', '13:00', '15:00', { status: 'provisional', paymentStatus: 'unpaid', totalYen: 400, paidYen: 0 }),
    booking('2026-11-26', '13:00', '15:00', { status: 'expired', paymentStatus: 'unpaid', totalYen: 400, paidYen: 0 }),
    booking('2026-11-27', '13:00', '15:00', { status: 'cancelled', cancellationFeeYen: 0, paymentStatus: 'unpaid', paidYen: 0 }),
  ];
  const r = computeReport(input(monthPeriod('2026-11'), { bookings: rows }));

  it('counts provisional and confirmed bookings as in use, and lists every booking', () => {
    expect(r.bookings).toMatchObject({ live: 4, provisional: 1, confirmed: 3, cancelled: 1, expired: 1, all: 6, minutes: 120 + 180 + 120 + 120 });
    expect(r.rows).toHaveLength(6);
  });

  it('counts planned and actual attendees by category', () => {
    const byCategory = Object.fromEntries(r.categories.map((c) => [c.category, c]));
    expect(byCategory.registered).toMatchObject({ bookings: 1, attendees: 10, actualAttendees: 8, checkedIn: 1, noShow: 0 });
    expect(byCategory.general).toMatchObject({ bookings: 2, attendees: 4 + 5, actualAttendees: 0, noShow: 1 });
    expect(byCategory.commercial).toMatchObject({ bookings: 1, attendees: 20 });
    expect(r.attendees).toEqual({ planned: 39, actual: 8, checkedIn: 1, noShow: 1 });
  });

  it('splits walk-ins from other desk bookings and from online ones', () => {
    expect(r.channels).toEqual({ online: { bookings: 2, minutes: 240 }, desk: { bookings: 1, minutes: 120 }, walkIn: { bookings: 1, minutes: 180 } });
  });

  it('puts a holiday in its own row of the heat map and evenings in their band', () => {
    // 2026-11-23 is 勤労感謝の日 (a Monday).
    const row = (key: string) => r.heatmap.rows.find((x) => x.row === key)!;
    expect(row('holiday').minutes).toEqual({ morning: 0, afternoon: 120, evening: 0 });
    expect(row('1').minutes.afternoon).toBe(0);
    expect(row('6').minutes.evening).toBe(180);
    expect(r.heatmap.weekendMinutes).toBe(180 + 120);
    expect(r.heatmap.eveningMinutes).toBe(180);
  });

  it('counts exemptions and what they waived', () => {
    expect(r.money.exemptions).toEqual({ half: 1, full: 0, waivedYen: 600 });
  });

  it('has no loans, equipment fees or damage cases when nothing was lent', () => {
    expect(r.equipment.total).toEqual({ loans: 0, units: 0, withBooking: 0, takeouts: 0, feeYen: 0, notPickedUp: 0 });
    expect(r.equipment.types.map((t) => [t.type, t.loans])).toEqual([['projector', 0], ['screen', 0], ['panel', 0]]);
    expect(r.equipment.damage).toMatchObject({ opened: { damaged: 0, lost: 0 }, cases: [] });
  });

  it('has no opinions and no survey ratings when none came in', () => {
    expect(r.opinions).toMatchObject({ received: 0, answered: 0, published: 0 });
    expect(r.surveys).toEqual({ responses: 0, ratings: { count: 0, sum: 0, average: null } });
  });
});

describe('registeredGroupsOn', () => {
  const reg = (groupId: number, extra: Partial<ReportRegistration>): ReportRegistration =>
    ({ groupId, kind: 'new', status: 'approved', submittedOn: '2026-04-01', decidedOn: '2026-04-02', validUntil: '2027-03-31', ...extra });

  it.each([
    ['approved and valid on the day', [reg(1, {})], '2026-11-30', 1],
    ['approved only after the day', [reg(1, { decidedOn: '2026-12-01' })], '2026-11-30', 0],
    ['still pending', [reg(1, { status: 'pending', decidedOn: null, validUntil: null })], '2026-11-30', 0],
    ['rejected', [reg(1, { status: 'rejected', validUntil: null })], '2026-11-30', 0],
    ['lapsed after March 31', [reg(1, { validUntil: '2026-03-31', decidedOn: '2025-04-02' })], '2026-04-30', 0],
    ['kept by a renewal pending on April 1', [reg(1, { validUntil: '2026-03-31', decidedOn: '2025-04-02' }), reg(1, { kind: 'renewal', status: 'pending', submittedOn: '2026-03-10', decidedOn: null, validUntil: null })], '2026-04-30', 1],
    ['two groups, each counted once', [reg(1, {}), reg(2, {}), reg(2, { kind: 'renewal', submittedOn: '2027-03-02', decidedOn: '2027-03-03', validUntil: '2028-03-31' })], '2026-11-30', 2],
  ])('%s', (_name, registrations, date, n) => {
    expect(registeredGroupsOn(registrations as ReportRegistration[], date as string)).toBe(n);
  });
});

describe('opinions and surveys', () => {
  const opinion = (receivedOn: string, extra: Partial<ReportOpinion> = {}): ReportOpinion =>
    ({ category: 'facility', status: 'new', hasAnswer: false, receivedOn, publishedOn: null, ...extra });
  const response = (submittedOn: string, ratings: number[]): ReportSurveyResponse =>
    ({ submittedOn, ratingSum: ratings.reduce((s, x) => s + x, 0), ratingCount: ratings.length });

  const opinions = [
    opinion('2026-10-31', { status: 'answered', hasAnswer: true, publishedOn: '2026-11-02' }), // October's, published in November
    opinion('2026-11-01', { status: 'answered', hasAnswer: true, publishedOn: '2026-11-05' }),
    opinion('2026-11-10', { category: 'staff', status: 'closed', hasAnswer: true, publishedOn: '2026-12-01' }),
    opinion('2026-11-12', { category: 'staff', status: 'closed' }), // closed without an answer
    opinion('2026-11-20', { category: 'other', status: 'in_review' }), // a draft is not an answer
    opinion('2026-11-30', { category: 'booking' }),
    opinion('2026-12-01', { category: 'booking' }),
  ];
  const surveyResponses = [
    response('2026-10-31', [1]),
    response('2026-11-01', [5, 4]),
    response('2026-11-15', [3]),
    response('2026-11-30', []), // a response with no rating question answered
    response('2026-12-01', [2, 2, 2, 2]),
  ];
  const rows = { opinions, surveyResponses };

  it('counts the month\'s opinions by category, the answered among them, and answers published in the month', () => {
    const r = computeReport(input(monthPeriod('2026-11'), rows));
    expect(r.opinions).toMatchObject({ received: 5, answered: 2, published: 2 });
    expect(Object.fromEntries(r.opinions.categories.map((c) => [c.category, [c.received, c.answered]]))).toEqual({
      facility: [1, 1], booking: [1, 0], staff: [2, 1], events: [0, 0], other: [1, 0],
    });
  });

  it('counts the month\'s survey responses and averages their ratings', () => {
    const r = computeReport(input(monthPeriod('2026-11'), rows));
    expect(r.surveys).toEqual({ responses: 3, ratings: { count: 3, sum: 12, average: 4 } });
    expect(computeReport(input(monthPeriod('2026-10'), rows)).surveys).toEqual({ responses: 1, ratings: { count: 1, sum: 1, average: 1 } });
  });

  it('has no average (回答なし) for a month without ratings, and rounds to two places', () => {
    expect(computeReport(input(monthPeriod('2026-09'), rows)).surveys.ratings.average).toBeNull();
    expect(ratingAverage(0, 0)).toBeNull();
    expect(ratingAverage(13, 3)).toBe(4.33);
    expect(ratingAverage(5, 3)).toBe(1.67);
  });

  it('the fiscal year sums its months, the average weighted by the number of ratings', () => {
    const r = computeReport(input(fiscalPeriod(2026), rows));
    const month = (m: string) => r.months.find((x) => x.month === m)!;
    expect(month('2026-11')).toMatchObject({ opinionsReceived: 5, opinionsAnswered: 2, opinionsPublished: 2, surveyResponses: 3, ratingCount: 3, ratingAverage: 4 });
    expect(month('2026-12')).toMatchObject({ opinionsReceived: 1, opinionsPublished: 1, surveyResponses: 1, ratingCount: 4, ratingAverage: 2 });
    expect(month('2027-01')).toMatchObject({ opinionsReceived: 0, surveyResponses: 0, ratingCount: 0, ratingAverage: null });
    expect(r.opinions.received).toBe(r.months.reduce((s, m) => s + m.opinionsReceived, 0));
    expect(r.opinions.answered).toBe(r.months.reduce((s, m) => s + m.opinionsAnswered, 0));
    expect(r.opinions.published).toBe(r.months.reduce((s, m) => s + m.opinionsPublished, 0));
    expect(r.surveys.responses).toBe(r.months.reduce((s, m) => s + m.surveyResponses, 0));
    // (1 + 12 + 8) / 8, not the mean of the monthly averages (1 + 4 + 2) / 3.
    expect(r.surveys.ratings).toEqual({ count: 8, sum: 21, average: 2.63 });
  });
});

describe('equipment: loans by their start, fees by the date of use, damage cases by the date of each step', () => {
  const loan = (id: number, kind: ReportLoan['kind'], status: ReportLoan['status'], startOn: string, endsAt: string, items: ReportLoan['items']): ReportLoan =>
    ({ id, kind, status, startOn, endsAt, items });
  const loans = [
    loan(1, 'booking', 'returned', '2026-11-02', '2026-11-02 12:00', [{ type: 'projector', quantity: 2 }, { type: 'screen', quantity: 1 }]),
    loan(2, 'booking', 'reserved', '2026-11-03', '2026-11-03 12:00', [{ type: 'projector', quantity: 1 }]), // nobody came for it
    loan(3, 'takeout', 'checked_out', '2026-11-30', '2026-12-02 17:00', [{ type: 'panel', quantity: 8 }]), // November's, ending in December
    loan(4, 'takeout', 'reserved', '2026-12-10', '2026-12-11 17:00', [{ type: 'projector', quantity: 1 }]),
  ];
  const caseOf = (id: number, extra: Partial<ReportDamageCase>): ReportDamageCase => ({
    id, unit: `PJ-0${id}`, type: 'projector', kind: 'damaged', status: 'open', costYen: null, invoiceNo: null, openedOn: '2026-11-05', assessedOn: null, closedOn: null, ...extra,
  });
  const damageCases = [
    caseOf(1, { openedOn: '2026-10-20', assessedOn: '2026-10-25', closedOn: '2026-11-04', status: 'settled', costYen: 12000, invoiceNo: 'D2026-0001' }), // settled in November
    caseOf(2, { openedOn: '2026-11-05', assessedOn: '2026-11-08', status: 'invoiced', costYen: 30000, invoiceNo: 'D2026-0002' }),
    caseOf(3, { openedOn: '2026-11-06', assessedOn: '2026-11-06', closedOn: '2026-11-06', status: 'not_liable', costYen: 0 }),
    caseOf(4, { openedOn: '2026-11-07', kind: 'lost', closedOn: '2026-11-20', status: 'waived' }),
    caseOf(5, { openedOn: '2026-11-28' }),
    caseOf(6, { openedOn: '2026-12-01' }),
  ];
  const bookings = [
    booking('2026-11-02', '09:00', '12:00', { equipment: [{ type: 'projector', quantity: 2, amountYen: 1000 }, { type: 'screen', quantity: 1, amountYen: 200 }] }),
    booking('2026-11-03', '10:00', '12:00', { category: 'registered', equipment: [{ type: 'projector', quantity: 1, amountYen: 0 }] }),
    booking('2026-11-04', '10:00', '12:00', { status: 'cancelled', equipment: [{ type: 'projector', quantity: 1, amountYen: 500 }] }),
  ];
  const rows = { loans, damageCases, bookings };

  it('counts November\'s loans and units by type, with bookings and taken out, and those never picked up', () => {
    const r = computeReport(input(monthPeriod('2026-11'), rows));
    expect(r.equipment.types).toEqual([
      { type: 'projector', name: 'プロジェクター', loans: 2, units: 3, withBooking: 2, takeouts: 0, feeYen: 1000 },
      { type: 'screen', name: 'スクリーン', loans: 1, units: 1, withBooking: 1, takeouts: 0, feeYen: 200 },
      { type: 'panel', name: '展示パネル', loans: 1, units: 8, withBooking: 0, takeouts: 1, feeYen: 0 },
    ]);
    // A cancelled booking's equipment fee is not charged.
    expect(r.equipment.total).toEqual({ loans: 3, units: 12, withBooking: 2, takeouts: 1, feeYen: 1200, notPickedUp: 1 });
  });

  it('counts each step of a damage case in the month it happened, with its money', () => {
    const r = computeReport(input(monthPeriod('2026-11'), rows));
    expect(r.equipment.damage).toMatchObject({
      opened: { damaged: 3, lost: 1 }, invoiced: { count: 1, yen: 30000 }, notLiable: 1, settled: { count: 1, yen: 12000 }, waived: { count: 1, yen: 0 },
    });
    expect(r.equipment.damage.cases.map((c) => c.id)).toEqual([1, 2, 3, 4, 5]);
    const october = computeReport(input(monthPeriod('2026-10'), rows)).equipment.damage;
    expect(october).toMatchObject({ opened: { damaged: 1, lost: 0 }, invoiced: { count: 1, yen: 12000 }, settled: { count: 0, yen: 0 } });
  });

  it('sums the fiscal year over its months', () => {
    const r = computeReport(input(fiscalPeriod(2026), rows));
    const month = (m: string) => r.months.find((x) => x.month === m)!;
    expect(month('2026-11')).toMatchObject({ loans: 3, loanUnits: 12, equipmentFeeYen: 1200, damageOpened: 4 });
    expect(month('2026-12')).toMatchObject({ loans: 1, loanUnits: 1, equipmentFeeYen: 0, damageOpened: 1 });
    expect(r.equipment.total.loans).toBe(r.months.reduce((s, m) => s + m.loans, 0));
    expect(r.equipment.damage.cases).toHaveLength(6);
  });
});
