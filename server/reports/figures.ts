/**
 * The report's figures, computed once from plain rows: the PDF, both CSVs and the managers' page
 * all print this object and nothing else, so they cannot disagree (DESIGN.md, "Reports").
 *
 * Which date counts: bookings, attendees, occupancy and fees charged (使用料・取消料) by the date of
 * use; income (収入) by the date money moved at the desk — payments less refunds and voids. A fee
 * for a November booking paid in October is October's income and November's charge.
 *
 * Opinions count in the month they were received (受付日), with whether they are answered when the
 * report is made; published answers in the month they were published (公開日). Survey responses
 * and their ratings count in the month they were submitted. Equipment loans and damage cases:
 * equipment.ts.
 */
import type { OpeningDay } from '../domain/calendar.js';
import type { Attendance, Band, BandRules, BookingStatus, Category, Channel, PaymentStatus } from '../domain/rules.js';
import { computeEquipment, type EquipmentFigures, type ReportDamageCase, type ReportEquipmentLine, type ReportEquipmentType, type ReportLoan } from './equipment.js';
import { BANDS, HEAT_ROWS, heatRowOf, minutesByBand, occupancy, type HeatRow, type OccupancySpace, type SpaceInterval, type SpaceOccupancy } from './occupancy.js';
import { monthPeriod, monthsOf, periodNames, type ReportPeriod } from './period.js';

/** One booking of the period, as the bookings CSV lists it. */
export interface ReportBooking {
  id: number;
  useDate: string;
  startAt: string;
  endAt: string;
  /** Tokyo wall-clock "HH:MM". */
  start: string;
  end: string;
  spaceSlug: string;
  spaceName: string;
  category: Category;
  channel: Channel;
  /** A desk booking for a person without an account. */
  walkIn: boolean;
  status: BookingStatus;
  paymentStatus: PaymentStatus;
  attendance: Attendance;
  purpose: string;
  attendees: number;
  actualAttendees: number | null;
  totalYen: number;
  /** Payments less refunds and voids, whenever they were made. */
  paidYen: number;
  cancellationFeeYen: number | null;
  exemptionPercent: number;
  exemptionReason: string | null;
  /** What the exemption took off the fee (the 減免 line). */
  exemptionYen: number;
  permitNo: string | null;
  /** The equipment lines of its fee (none for most bookings). */
  equipment: ReportEquipmentLine[];
}

export interface ReportPayment {
  receiptNo: string;
  bookingId: number;
  kind: 'payment' | 'refund' | 'void';
  amountYen: number;
  /** The Tokyo date the money moved. */
  date: string;
}

export interface ReportRegistration {
  groupId: number;
  kind: 'new' | 'renewal';
  status: 'pending' | 'approved' | 'rejected';
  submittedOn: string;
  decidedOn: string | null;
  validUntil: string | null;
}

export const OPINION_CATEGORIES = ['facility', 'booking', 'staff', 'events', 'other'] as const;
export type OpinionCategory = (typeof OPINION_CATEGORIES)[number];

/** One opinion received or published in the period: no text, no contact. */
export interface ReportOpinion {
  category: OpinionCategory;
  status: 'new' | 'in_review' | 'answered' | 'closed';
  /** It carries an answer (a draft does not count). */
  hasAnswer: boolean;
  /** Tokyo dates. */
  receivedOn: string;
  publishedOn: string | null;
}

/** One survey response, any survey, with the sum and number of its rating (1–5) answers. */
export interface ReportSurveyResponse {
  submittedOn: string;
  ratingSum: number;
  ratingCount: number;
}

/** Everything a report is computed from. */
export interface ReportInput {
  period: ReportPeriod;
  /** When the report was made, Tokyo "YYYY-MM-DD HH:MM". */
  generatedAt: string;
  center: string;
  spaces: readonly OccupancySpace[];
  days: readonly OpeningDay[];
  blocks: readonly SpaceInterval[];
  bookings: readonly ReportBooking[];
  payments: readonly ReportPayment[];
  registrations: readonly ReportRegistration[];
  opinions: readonly ReportOpinion[];
  surveyResponses: readonly ReportSurveyResponse[];
  equipmentTypes: readonly ReportEquipmentType[];
  /** Loans starting in the period, not cancelled. */
  loans: readonly ReportLoan[];
  /** Damage cases opened, assessed or closed in the period. */
  damageCases: readonly ReportDamageCase[];
  bands: BandRules;
}

export interface CountAndMinutes {
  bookings: number;
  minutes: number;
}

export interface Figures {
  from: string;
  to: string;
  bookings: { live: number; provisional: number; confirmed: number; cancelled: number; expired: number; all: number; minutes: number };
  occupancy: {
    spaces: SpaceOccupancy[];
    /** Over the spaces that are not made of parts (a whole room's bookings already count in its parts). */
    openMinutes: number;
    bookedMinutes: number;
    rate: number | null;
  };
  heatmap: { rows: { row: HeatRow; openDays: number; minutes: Record<Band, number> }[]; totalMinutes: number; eveningMinutes: number; weekendMinutes: number };
  categories: (CountAndMinutes & { category: Category; attendees: number; actualAttendees: number; checkedIn: number; noShow: number })[];
  attendees: { planned: number; actual: number; checkedIn: number; noShow: number };
  money: {
    usageYen: number;
    cancellationYen: number;
    chargedYen: number;
    cancelledWithFee: number;
    exemptions: { half: number; full: number; waivedYen: number };
    payments: { count: number; yen: number };
    refunds: { count: number; yen: number };
    voids: { count: number; yen: number };
    incomeYen: number;
  };
  channels: { online: CountAndMinutes; desk: CountAndMinutes; walkIn: CountAndMinutes };
  registrations: { newApplications: number; renewals: number; approvals: number; rejections: number; registeredGroups: number; asOf: string };
  opinions: {
    /** Received in the period (受付日基準). */
    received: number;
    /** Of those, answered: status answered or closed, with an answer. */
    answered: number;
    /** Answers published in the period (公開日基準), whenever the opinion was received. */
    published: number;
    categories: { category: OpinionCategory; received: number; answered: number }[];
  };
  surveys: {
    /** Responses submitted in the period, every survey. */
    responses: number;
    /** The rating answers (1–5) of those responses; the average rounded to 2 places, null when none. */
    ratings: { count: number; sum: number; average: number | null };
  };
  equipment: EquipmentFigures;
}

export interface MonthFigures {
  month: string;
  live: number;
  minutes: number;
  occupancyRate: number | null;
  attendees: number;
  actualAttendees: number;
  chargedYen: number;
  incomeYen: number;
  opinionsReceived: number;
  opinionsAnswered: number;
  opinionsPublished: number;
  surveyResponses: number;
  ratingCount: number;
  ratingAverage: number | null;
  loans: number;
  loanUnits: number;
  equipmentFeeYen: number;
  damageOpened: number;
}

export interface ReportData extends Figures {
  period: ReportPeriod;
  names: { wareki: string; seireki: string };
  center: string;
  generatedAt: string;
  /** A fiscal year's months, April to March; empty for a month. */
  months: MonthFigures[];
  /** Every booking of the period, every status, by date and time of use. */
  rows: ReportBooking[];
}

const LIVE: readonly BookingStatus[] = ['provisional', 'confirmed'];
export const isLive = (b: { status: BookingStatus }) => LIVE.includes(b.status);
const minutesOf = (b: { startAt: string; endAt: string }) => (Date.parse(b.endAt) - Date.parse(b.startAt)) / 60_000;
const within = (date: string, from: string, to: string) => date >= from && date <= to;

/** Groups registered on `date`: an approval decided by then that covers it, or one lapsed with a renewal pending (DESIGN.md, "Registration"). */
export function registeredGroupsOn(registrations: readonly ReportRegistration[], date: string): number {
  const byGroup = new Map<number, ReportRegistration[]>();
  for (const r of registrations) byGroup.set(r.groupId, [...(byGroup.get(r.groupId) ?? []), r]);
  let n = 0;
  for (const rs of byGroup.values()) {
    const approvals = rs.filter((r) => r.status === 'approved' && r.decidedOn !== null && r.decidedOn <= date);
    if (approvals.some((a) => a.validUntil !== null && a.validUntil >= date)) n++;
    else if (approvals.length > 0 && rs.some((r) => r.kind === 'renewal' && r.submittedOn <= date && (r.decidedOn === null || r.decidedOn > date))) n++;
  }
  return n;
}

/** The average of `count` ratings summing to `sum`, to 2 places; null when there are none. */
export function ratingAverage(sum: number, count: number): number | null {
  return count > 0 ? Math.round((sum / count) * 100) / 100 : null;
}

const isAnswered = (o: ReportOpinion) => (o.status === 'answered' || o.status === 'closed') && o.hasAnswer;

function countAndMinutes(list: readonly ReportBooking[]): CountAndMinutes {
  return { bookings: list.length, minutes: list.reduce((s, b) => s + minutesOf(b), 0) };
}

/** The figures of the bookings used, and the money moved, from `from` to `to` (inclusive). */
export function computeFigures(input: ReportInput, from: string, to: string): Figures {
  const all = input.bookings.filter((b) => within(b.useDate, from, to));
  const live = all.filter(isLive);
  const days = input.days.filter((d) => within(d.date, from, to));
  const holidayOf = new Map(input.days.map((d) => [d.date, d.holiday]));

  const spaces = occupancy({ spaces: input.spaces, days, blocks: input.blocks, bookings: live });
  const leaves = spaces.filter((s) => !input.spaces.find((x) => x.slug === s.slug)?.parts.length);
  const openMinutes = leaves.reduce((s, x) => s + x.openMinutes, 0);
  const bookedMinutes = leaves.reduce((s, x) => s + x.bookedMinutes, 0);

  const heat = new Map<HeatRow, Record<Band, number>>(HEAT_ROWS.map((r) => [r, { morning: 0, afternoon: 0, evening: 0 }]));
  for (const b of live) {
    const cell = heat.get(heatRowOf(b.useDate, holidayOf.get(b.useDate) ?? null))!;
    const split = minutesByBand(b.start, b.end, input.bands);
    for (const band of BANDS) cell[band] += split[band];
  }
  const openDays = new Map<HeatRow, number>();
  for (const d of days) if (!d.closed) openDays.set(heatRowOf(d.date, d.holiday), (openDays.get(heatRowOf(d.date, d.holiday)) ?? 0) + 1);
  const heatRows = HEAT_ROWS.map((row) => ({ row, openDays: openDays.get(row) ?? 0, minutes: heat.get(row)! }));
  const sumBands = (m: Record<Band, number>) => m.morning + m.afternoon + m.evening;

  const categories = (['registered', 'general', 'commercial'] as const).map((category) => {
    const list = live.filter((b) => b.category === category);
    const checked = list.filter((b) => b.attendance === 'checked_in');
    return {
      category, ...countAndMinutes(list),
      attendees: list.reduce((s, b) => s + b.attendees, 0),
      actualAttendees: checked.reduce((s, b) => s + (b.actualAttendees ?? 0), 0),
      checkedIn: checked.length,
      noShow: list.filter((b) => b.attendance === 'no_show').length,
    };
  });

  const cancelled = all.filter((b) => b.status === 'cancelled');
  const usageYen = live.reduce((s, b) => s + b.totalYen, 0);
  const cancellationYen = cancelled.reduce((s, b) => s + (b.cancellationFeeYen ?? 0), 0);
  const moved = input.payments.filter((p) => within(p.date, from, to));
  const sumOf = (kind: ReportPayment['kind']) => {
    const list = moved.filter((p) => p.kind === kind);
    return { count: list.length, yen: list.reduce((s, p) => s + p.amountYen, 0) };
  };
  const payments = sumOf('payment');
  const refunds = sumOf('refund');
  const voids = sumOf('void');
  const exempted = live.filter((b) => b.exemptionPercent > 0);

  const received = input.opinions.filter((o) => within(o.receivedOn, from, to));
  const responses = input.surveyResponses.filter((r) => within(r.submittedOn, from, to));
  const ratingCount = responses.reduce((s, r) => s + r.ratingCount, 0);
  const ratingSum = responses.reduce((s, r) => s + r.ratingSum, 0);

  const registrations = input.registrations;
  return {
    from, to,
    bookings: {
      live: live.length,
      provisional: all.filter((b) => b.status === 'provisional').length,
      confirmed: all.filter((b) => b.status === 'confirmed').length,
      cancelled: cancelled.length,
      expired: all.filter((b) => b.status === 'expired').length,
      all: all.length,
      minutes: live.reduce((s, b) => s + minutesOf(b), 0),
    },
    occupancy: { spaces, openMinutes, bookedMinutes, rate: openMinutes > 0 ? bookedMinutes / openMinutes : null },
    heatmap: {
      rows: heatRows,
      totalMinutes: heatRows.reduce((s, r) => s + sumBands(r.minutes), 0),
      eveningMinutes: heatRows.reduce((s, r) => s + r.minutes.evening, 0),
      weekendMinutes: heatRows.filter((r) => r.row === '6' || r.row === '7' || r.row === 'holiday').reduce((s, r) => s + sumBands(r.minutes), 0),
    },
    categories,
    attendees: {
      planned: categories.reduce((s, c) => s + c.attendees, 0),
      actual: categories.reduce((s, c) => s + c.actualAttendees, 0),
      checkedIn: categories.reduce((s, c) => s + c.checkedIn, 0),
      noShow: categories.reduce((s, c) => s + c.noShow, 0),
    },
    money: {
      usageYen, cancellationYen, chargedYen: usageYen + cancellationYen,
      cancelledWithFee: cancelled.filter((b) => (b.cancellationFeeYen ?? 0) > 0).length,
      exemptions: {
        half: exempted.filter((b) => b.exemptionPercent === 50).length,
        full: exempted.filter((b) => b.exemptionPercent === 100).length,
        waivedYen: exempted.reduce((s, b) => s + b.exemptionYen, 0),
      },
      payments, refunds, voids,
      incomeYen: payments.yen - refunds.yen - voids.yen,
    },
    channels: {
      online: countAndMinutes(live.filter((b) => b.channel === 'online')),
      desk: countAndMinutes(live.filter((b) => b.channel === 'desk' && !b.walkIn)),
      walkIn: countAndMinutes(live.filter((b) => b.channel === 'desk' && b.walkIn)),
    },
    registrations: {
      newApplications: registrations.filter((r) => r.kind === 'new' && within(r.submittedOn, from, to)).length,
      renewals: registrations.filter((r) => r.kind === 'renewal' && within(r.submittedOn, from, to)).length,
      approvals: registrations.filter((r) => r.status === 'approved' && r.decidedOn !== null && within(r.decidedOn, from, to)).length,
      rejections: registrations.filter((r) => r.status === 'rejected' && r.decidedOn !== null && within(r.decidedOn, from, to)).length,
      registeredGroups: registeredGroupsOn(registrations, to),
      asOf: to,
    },
    opinions: {
      received: received.length,
      answered: received.filter(isAnswered).length,
      published: input.opinions.filter((o) => o.publishedOn !== null && within(o.publishedOn, from, to)).length,
      categories: OPINION_CATEGORIES.map((category) => {
        const list = received.filter((o) => o.category === category);
        return { category, received: list.length, answered: list.filter(isAnswered).length };
      }),
    },
    surveys: { responses: responses.length, ratings: { count: ratingCount, sum: ratingSum, average: ratingAverage(ratingSum, ratingCount) } },
    equipment: computeEquipment({ types: input.equipmentTypes, loans: input.loans, bookings: live, damageCases: input.damageCases, from, to, generatedAt: input.generatedAt }),
  };
}

/** The one function every output of a report comes from. */
export function computeReport(input: ReportInput): ReportData {
  const { period } = input;
  const figures = computeFigures(input, period.from, period.to);
  const months = period.kind === 'fiscal'
    ? monthsOf(period).map((month) => {
      const m = monthPeriod(month);
      const f = computeFigures(input, m.from, m.to);
      return {
        month, live: f.bookings.live, minutes: f.bookings.minutes, occupancyRate: f.occupancy.rate,
        attendees: f.attendees.planned, actualAttendees: f.attendees.actual, chargedYen: f.money.chargedYen, incomeYen: f.money.incomeYen,
        opinionsReceived: f.opinions.received, opinionsAnswered: f.opinions.answered, opinionsPublished: f.opinions.published,
        surveyResponses: f.surveys.responses, ratingCount: f.surveys.ratings.count, ratingAverage: f.surveys.ratings.average,
        loans: f.equipment.total.loans, loanUnits: f.equipment.total.units, equipmentFeeYen: f.equipment.total.feeYen,
        damageOpened: f.equipment.damage.opened.damaged + f.equipment.damage.opened.lost,
      };
    })
    : [];
  const rows = input.bookings.filter((b) => within(b.useDate, period.from, period.to))
    .sort((a, b) => (a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : a.id - b.id));
  return {
    ...figures, period, names: periodNames(period), center: input.center, generatedAt: input.generatedAt, months, rows,
  };
}
