/**
 * Usage reports for the city (DESIGN.md, "Reports"): one function reads the period's rows in one
 * snapshot and computes the report's data; the PDF, the CSVs, the managers' page and the
 * `npm run report` command all print that object.
 */
import { NotFoundError } from '../errors.js';
import { addDays, at, daysBetween, fiscalYear, toStored, tokyoDate, ZONE } from '../domain/time.js';
import { bookingsCsv, summaryCsv } from '../reports/csv.js';
import type { ReportEquipmentLine, ReportLoan } from '../reports/equipment.js';
import { computeReport, type ReportBooking, type ReportData } from '../reports/figures.js';
import { CENTER_NAME } from '../reports/labels.js';
import { fiscalPeriod, InvalidPeriodError, monthPeriod, periodKey, periodNames, type ReportPeriod } from '../reports/period.js';
import { REPORT_TITLE, reportPdf } from '../reports/report-pdf.js';
import {
  blocksOverlapping, bookingsUsedBetween, damageCasesBetween, equipmentTypeNames, loanItemsStartingBetween, monthsWithBookings, opinionsBetween,
  paymentsBetween, registrationsBefore, surveyResponsesBetween, type BookingReportRow,
} from '../repositories/reports.js';
import { requireManager, type Actor, type Deps } from './context.js';

/** A document ready to send or write: its bytes, its type, and a Japanese name with an ASCII fallback. */
export interface DocumentFile {
  filename: string;
  asciiFilename: string;
  contentType: string;
  body: Buffer;
}

export type ReportFormat = 'pdf' | 'csv' | 'summary.csv';

// Tokyo has a fixed offset (domain/time.ts), so a stored instant's Tokyo date and clock are plain
// arithmetic: a fiscal year's thousands of rows would otherwise spend most of the report in luxon.
const OFFSET_MS = ZONE.offset(0) * 60_000;
const tokyoIso = (stored: string) => new Date(Date.parse(stored) + OFFSET_MS).toISOString();

function exemptionYen(linesJson: string): number {
  const lines = JSON.parse(linesJson) as { label: string; amountYen: number }[];
  return lines.filter((l) => l.label.startsWith('減免')).reduce((s, l) => s - l.amountYen, 0);
}

interface EquipmentSnapshot {
  rateKind: string;
  pricing?: { equipmentMultiplier?: Record<string, number> };
  equipment?: { type: string; name: string; feeYen: number; quantity: number }[];
}

/**
 * A booking's equipment lines as charged: the snapshot says what was lent, and the fee line
 * "<name> ×<n>" (with a note such as （登録団体無料）) what it cost. Most bookings have none, so the
 * JSON is only parsed when it mentions equipment.
 */
export function equipmentLinesOf(pricingJson: string, linesJson: string): ReportEquipmentLine[] {
  if (!pricingJson.includes('"equipment"')) return [];
  const snapshot = JSON.parse(pricingJson) as EquipmentSnapshot;
  if (!snapshot.equipment?.length) return [];
  const lines = JSON.parse(linesJson) as { label: string; amountYen: number }[];
  return snapshot.equipment.map((e) => {
    const label = `${e.name} ×${e.quantity}`;
    const line = lines.find((l) => l.label === label || l.label.startsWith(`${label}（`));
    const multiplier = snapshot.pricing?.equipmentMultiplier?.[snapshot.rateKind] ?? 1;
    return { type: e.type, quantity: e.quantity, amountYen: line ? line.amountYen : e.feeYen * e.quantity * multiplier };
  });
}

/** Rows of loan items grouped into loans, with Tokyo dates. */
function reportLoans(rows: ReturnType<typeof loanItemsStartingBetween>): ReportLoan[] {
  const out = new Map<number, ReportLoan>();
  for (const r of rows) {
    let loan = out.get(r.id);
    if (!loan) {
      // Cancelled loans are not read (the query leaves them out).
      loan = { id: r.id, kind: r.kind, status: r.status as ReportLoan['status'], startOn: tokyoIso(r.startAt).slice(0, 10), endsAt: tokyoIso(r.endAt).slice(0, 16).replace('T', ' '), items: [] };
      out.set(r.id, loan);
    }
    loan.items.push({ type: r.type, quantity: r.quantity });
  }
  return [...out.values()];
}

function reportBooking(r: BookingReportRow): ReportBooking {
  return {
    id: r.id, useDate: r.useDate, startAt: r.startAt, endAt: r.endAt,
    start: tokyoIso(r.startAt).slice(11, 16), end: tokyoIso(r.endAt).slice(11, 16),
    spaceSlug: r.spaceSlug, spaceName: r.spaceName, category: r.category, channel: r.channel,
    walkIn: r.walkInName !== null && r.accountId === null && r.groupId === null,
    status: r.status, paymentStatus: r.paymentStatus, attendance: r.attendance, purpose: r.purpose,
    attendees: r.attendees, actualAttendees: r.actualAttendees, totalYen: r.totalYen, paidYen: r.paidYen,
    cancellationFeeYen: r.cancellationFeeYen, exemptionPercent: r.exemptionPercent, exemptionReason: r.exemptionReason,
    exemptionYen: r.exemptionPercent > 0 ? exemptionYen(r.linesJson) : 0, permitNo: r.permitNo,
    equipment: equipmentLinesOf(r.pricingJson, r.linesJson),
  };
}

/** The report's data for a period: the one source every output of it is printed from. */
export function loadReport(deps: Deps, period: ReportPeriod): ReportData {
  const { db, reference, clock } = deps;
  const fromIso = toStored(at(period.from, '00:00'));
  const toIso = toStored(at(addDays(period.to, 1), '00:00'));
  // One read transaction: every figure comes from the same snapshot, even while the desk writes.
  return db.transaction((tx) => {
    const days = Array.from({ length: daysBetween(period.from, period.to) + 1 }, (_, i) => reference.day(addDays(period.from, i)));
    return computeReport({
      period,
      generatedAt: tokyoIso(toStored(clock())).slice(0, 16).replace('T', ' '),
      center: CENTER_NAME,
      spaces: reference.spaces(period.from),
      days,
      blocks: blocksOverlapping(tx, fromIso, toIso),
      bookings: bookingsUsedBetween(tx, period.from, period.to).map(reportBooking),
      payments: paymentsBetween(tx, fromIso, toIso).map((p) => ({ receiptNo: p.receiptNo, bookingId: p.bookingId, kind: p.kind, amountYen: p.amountYen, date: tokyoIso(p.createdAt).slice(0, 10) })),
      registrations: registrationsBefore(tx, toIso).map((r) => ({
        groupId: r.groupId, kind: r.kind, status: r.status, validUntil: r.validUntil,
        submittedOn: tokyoIso(r.submittedAt).slice(0, 10), decidedOn: r.decidedAt === null ? null : tokyoIso(r.decidedAt).slice(0, 10),
      })),
      opinions: opinionsBetween(tx, fromIso, toIso).map((o) => ({
        category: o.category, status: o.status, hasAnswer: Boolean(o.hasAnswer),
        receivedOn: tokyoIso(o.createdAt).slice(0, 10), publishedOn: o.publishedAt === null ? null : tokyoIso(o.publishedAt).slice(0, 10),
      })),
      surveyResponses: surveyResponsesBetween(tx, fromIso, toIso).map((r) => ({ submittedOn: tokyoIso(r.submittedAt).slice(0, 10), ratingSum: r.ratingSum, ratingCount: r.ratingCount })),
      equipmentTypes: equipmentTypeNames(tx),
      loans: reportLoans(loanItemsStartingBetween(tx, fromIso, toIso)),
      damageCases: damageCasesBetween(tx, fromIso, toIso).map((c) => ({
        id: c.id, unit: c.unit, type: c.type, kind: c.kind, status: c.status, costYen: c.costYen, invoiceNo: c.invoiceNo,
        openedOn: tokyoIso(c.openedAt).slice(0, 10),
        assessedOn: c.assessedAt === null ? null : tokyoIso(c.assessedAt).slice(0, 10),
        closedOn: c.closedAt === null ? null : tokyoIso(c.closedAt).slice(0, 10),
      })),
      // One set of bands for the whole period: those in force on its first day.
      bands: reference.rules(period.from).bands,
    });
  }, { behavior: 'deferred' });
}

/** A period's file in one format, named for people (Japanese) and for old clients (ASCII). */
export async function reportFile(data: ReportData, format: ReportFormat): Promise<DocumentFile> {
  const key = periodKey(data.period);
  const label = data.period.kind === 'month' ? key : `${data.period.fiscalYear}年度`;
  if (format === 'pdf') {
    return { filename: `${REPORT_TITLE}_${label}.pdf`, asciiFilename: `hiroba-report-${key}.pdf`, contentType: 'application/pdf', body: await reportPdf(data) };
  }
  const csv = format === 'csv' ? bookingsCsv(data) : summaryCsv(data);
  const filename = format === 'csv' ? `予約一覧_${label}.csv` : `${REPORT_TITLE}_集計_${label}.csv`;
  return { filename, asciiFilename: `hiroba-${format === 'csv' ? 'bookings' : 'report'}-${key}${format === 'csv' ? '' : '.summary'}.csv`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(csv, 'utf8') };
}

function periodOf(kind: 'month' | 'fiscal', key: string): ReportPeriod {
  try {
    return kind === 'month' ? monthPeriod(key) : fiscalPeriod(key);
  } catch (err) {
    if (err instanceof InvalidPeriodError) throw new NotFoundError('report');
    throw err;
  }
}

export interface ReportIndex {
  months: { month: string; wareki: string; seireki: string; bookings: number }[];
  fiscalYears: { year: number; wareki: string; seireki: string }[];
}

export function makeReportService(deps: Deps) {
  return {
    /** `/reports/monthly/{YYYY-MM}.pdf|.csv|.summary.csv`: managers only. */
    async monthly(actor: Actor | null, month: string, format: ReportFormat): Promise<DocumentFile> {
      requireManager(actor);
      return reportFile(loadReport(deps, periodOf('month', month)), format);
    },

    /** `/reports/fiscal/{YYYY}.pdf|.summary.csv`: the fiscal year April – March, managers only. */
    async fiscal(actor: Actor | null, year: string, format: Exclude<ReportFormat, 'csv'>): Promise<DocumentFile> {
      requireManager(actor);
      return reportFile(loadReport(deps, periodOf('fiscal', year)), format);
    },

    /** The months a manager can download: every month of use with bookings, and the current one. */
    index(actor: Actor | null): ReportIndex {
      requireManager(actor);
      const counts = new Map(monthsWithBookings(deps.db).map((m) => [m.month, m.bookings]));
      const current = tokyoDate(deps.clock()).slice(0, 7);
      if (!counts.has(current)) counts.set(current, 0);
      const months = [...counts.keys()].sort().reverse()
        .map((month) => ({ month, ...periodNames(monthPeriod(month)), bookings: counts.get(month) ?? 0 }));
      const years = [...new Set(months.map((m) => fiscalYear(`${m.month}-01`)))].sort((a, b) => b - a);
      return { months, fiscalYears: years.map((year) => ({ year, ...periodNames(fiscalPeriod(year)) })) };
    },
  };
}
