/**
 * The report's equipment figures (備品の貸出と破損): loans by type, with bookings and taken out,
 * the equipment fees charged, and the damage cases and their money.
 *
 * Which date counts: a loan in the period of its start (開始日基準), like a booking's date of use;
 * equipment fees with the booking they were charged on (利用日基準, before any exemption, as the
 * fee lines show them); a damage case in the period it was opened, assessed, or closed (settled,
 * waived or found not liable) — each figure counts the event of its own date.
 */
import type { CaseStatus } from '../domain/loans.js';

/** An equipment type as the report names it, in the catalogue's order. */
export interface ReportEquipmentType {
  slug: string;
  name: string;
}

/** One loan that is not cancelled, with what it lends. */
export interface ReportLoan {
  id: number;
  kind: 'booking' | 'takeout';
  status: 'reserved' | 'checked_out' | 'returned';
  /** The Tokyo date it starts. */
  startOn: string;
  /** Its end, Tokyo "YYYY-MM-DD HH:MM": still reserved after its end, it was never picked up. */
  endsAt: string;
  items: { type: string; quantity: number }[];
}

/** One equipment line of a booking's fee, as charged (free at the registered rate). */
export interface ReportEquipmentLine {
  type: string;
  quantity: number;
  amountYen: number;
}

/** A damage case, with the Tokyo dates of its events. */
export interface ReportDamageCase {
  id: number;
  /** The unit's asset tag and its type's slug. */
  unit: string;
  type: string;
  kind: 'damaged' | 'lost';
  status: CaseStatus;
  /** The assessed cost; null until assessed (0 when not liable). */
  costYen: number | null;
  invoiceNo: string | null;
  openedOn: string;
  assessedOn: string | null;
  closedOn: string | null;
}

export interface EquipmentTypeFigures {
  type: string;
  name: string;
  /** Loans starting in the period, and the units they lend. */
  loans: number;
  units: number;
  withBooking: number;
  takeouts: number;
  /** Equipment fees on bookings used in the period. */
  feeYen: number;
}

export interface EquipmentFigures {
  types: EquipmentTypeFigures[];
  total: {
    loans: number;
    units: number;
    withBooking: number;
    takeouts: number;
    feeYen: number;
    /** Loans of the period still reserved after their end when the report was made: nobody came for them. */
    notPickedUp: number;
  };
  damage: {
    /** Opened in the period. */
    opened: { damaged: number; lost: number };
    /** Assessed in the period with the borrower liable: the invoices. */
    invoiced: { count: number; yen: number };
    /** Assessed in the period as not liable (normal wear, force majeure). */
    notLiable: number;
    /** Settled (paid) in the period. */
    settled: { count: number; yen: number };
    /** Waived in the period, with what was assessed before (0 if never assessed). */
    waived: { count: number; yen: number };
    /** Every case opened, assessed or closed in the period, by the date it was opened. */
    cases: ReportDamageCase[];
  };
}

const within = (date: string | null, from: string, to: string) => date !== null && date >= from && date <= to;

/** The equipment figures of [from, to]: `bookings` are the live bookings used in it. */
export function computeEquipment(args: {
  types: readonly ReportEquipmentType[];
  loans: readonly ReportLoan[];
  bookings: readonly { equipment: readonly ReportEquipmentLine[] }[];
  damageCases: readonly ReportDamageCase[];
  from: string;
  to: string;
  /** When the report was made, Tokyo "YYYY-MM-DD HH:MM". */
  generatedAt: string;
}): EquipmentFigures {
  const { from, to } = args;
  const loans = args.loans.filter((l) => within(l.startOn, from, to));
  const fees = new Map<string, number>();
  for (const b of args.bookings) for (const e of b.equipment) fees.set(e.type, (fees.get(e.type) ?? 0) + e.amountYen);

  const types = args.types.map((t) => {
    const lending = loans.filter((l) => l.items.some((i) => i.type === t.slug));
    return {
      type: t.slug, name: t.name,
      loans: lending.length,
      units: lending.reduce((s, l) => s + l.items.filter((i) => i.type === t.slug).reduce((n, i) => n + i.quantity, 0), 0),
      withBooking: lending.filter((l) => l.kind === 'booking').length,
      takeouts: lending.filter((l) => l.kind === 'takeout').length,
      feeYen: fees.get(t.slug) ?? 0,
    };
  });

  const cases = args.damageCases
    .filter((c) => within(c.openedOn, from, to) || within(c.assessedOn, from, to) || within(c.closedOn, from, to))
    .sort((a, b) => (a.openedOn < b.openedOn ? -1 : a.openedOn > b.openedOn ? 1 : a.id - b.id));
  const opened = cases.filter((c) => within(c.openedOn, from, to));
  // Assessed liable means invoiced, whatever became of the invoice since (settled, waived).
  const invoiced = cases.filter((c) => within(c.assessedOn, from, to) && c.invoiceNo !== null);
  const closed = (status: CaseStatus) => cases.filter((c) => c.status === status && within(c.closedOn, from, to));
  const sumCost = (list: readonly ReportDamageCase[]) => list.reduce((s, c) => s + (c.costYen ?? 0), 0);

  return {
    types,
    total: {
      loans: loans.length,
      units: types.reduce((s, t) => s + t.units, 0),
      withBooking: loans.filter((l) => l.kind === 'booking').length,
      takeouts: loans.filter((l) => l.kind === 'takeout').length,
      feeYen: types.reduce((s, t) => s + t.feeYen, 0),
      notPickedUp: loans.filter((l) => l.status === 'reserved' && l.endsAt < args.generatedAt).length,
    },
    damage: {
      opened: { damaged: opened.filter((c) => c.kind === 'damaged').length, lost: opened.filter((c) => c.kind === 'lost').length },
      invoiced: { count: invoiced.length, yen: sumCost(invoiced) },
      notLiable: closed('not_liable').length,
      settled: { count: closed('settled').length, yen: sumCost(closed('settled')) },
      waived: { count: closed('waived').length, yen: sumCost(closed('waived')) },
      cases,
    },
  };
}
