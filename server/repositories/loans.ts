import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { damageCases, equipmentTypes, equipmentUnits, loanItems, loans, loanUnits } from '../../db/schema.js';
import type { Holding, LoanStatus } from '../domain/loans.js';
import { heldInterval } from '../domain/loans.js';
import { fromStored, toStored } from '../domain/time.js';

export type EquipmentTypeRow = typeof equipmentTypes.$inferSelect;
export type UnitRow = typeof equipmentUnits.$inferSelect;
export type LoanRow = typeof loans.$inferSelect;
export type CaseRow = typeof damageCases.$inferSelect;

/** Loans never last longer than this, so a lower bound on start_at keeps overlap queries on the index. */
const LONGEST_LOAN_DAYS = 8;

export function equipmentTypeRows(db: Tx): EquipmentTypeRow[] {
  return db.select().from(equipmentTypes).orderBy(asc(equipmentTypes.sortOrder), asc(equipmentTypes.id)).all();
}

/** Units by type and state: the inventory in one query. */
export function unitCounts(db: Tx): { typeId: number; state: UnitRow['state']; n: number }[] {
  return db.select({ typeId: equipmentUnits.typeId, state: equipmentUnits.state, n: sql<number>`count(*)` })
    .from(equipmentUnits).groupBy(equipmentUnits.typeId, equipmentUnits.state).all();
}

/** Units in the pool (available or on loan) by type slug. */
export function poolByType(db: Tx): Map<string, number> {
  const rows = db.select({ slug: equipmentTypes.slug, n: sql<number>`count(${equipmentUnits.id})` })
    .from(equipmentTypes)
    .leftJoin(equipmentUnits, and(eq(equipmentUnits.typeId, equipmentTypes.id), inArray(equipmentUnits.state, ['available', 'on_loan'])))
    .groupBy(equipmentTypes.id).all();
  return new Map(rows.map((r) => [r.slug, r.n]));
}

/**
 * What live loans hold, by type slug, over [fromIso, toIso): reserved loans overlapping it, and
 * every loan still checked out (it holds its units until it comes back). `exceptLoanIds` leaves
 * out the loans being moved or checked.
 */
export function holdingsOverlapping(db: Tx, fromIso: string, toIso: string, nowMs: number, exceptLoanIds: readonly number[] = []): Map<string, Holding[]> {
  const lowerBound = toStored(fromStored(fromIso).minus({ days: LONGEST_LOAN_DAYS }));
  const rows = db.select({
    id: loans.id, status: loans.status, startAt: loans.startAt, endAt: loans.endAt, checkedOutAt: loans.checkedOutAt,
    slug: equipmentTypes.slug, quantity: loanItems.quantity,
  }).from(loans)
    .innerJoin(loanItems, eq(loanItems.loanId, loans.id))
    .innerJoin(equipmentTypes, eq(equipmentTypes.id, loanItems.typeId))
    .where(or(
      eq(loans.status, 'checked_out'),
      and(eq(loans.status, 'reserved'), sql`${loans.startAt} > ${lowerBound}`, sql`${loans.startAt} < ${toIso}`, sql`${loans.endAt} > ${fromIso}`),
    )).all();
  const out = new Map<string, Holding[]>();
  for (const r of rows) {
    if (exceptLoanIds.includes(r.id)) continue;
    const held = heldInterval({
      status: r.status, start: fromStored(r.startAt).toMillis(), end: fromStored(r.endAt).toMillis(),
      checkedOutAt: r.checkedOutAt === null ? null : fromStored(r.checkedOutAt).toMillis(),
    }, nowMs);
    if (!held) continue;
    const list = out.get(r.slug) ?? [];
    list.push({ loanId: r.id, start: held.start, end: held.end, quantity: r.quantity });
    out.set(r.slug, list);
  }
  return out;
}

/** Future and current reserved loans of one type, with what each holds: what a smaller pool must still cover. */
export function reservedHoldingsOfType(db: Tx, typeId: number, fromIso: string): Holding[] {
  return db.select({ id: loans.id, startAt: loans.startAt, endAt: loans.endAt, quantity: loanItems.quantity })
    .from(loans).innerJoin(loanItems, eq(loanItems.loanId, loans.id))
    .where(and(eq(loanItems.typeId, typeId), eq(loans.status, 'reserved'), sql`${loans.endAt} > ${fromIso}`)).all()
    .map((r) => ({ loanId: r.id, start: fromStored(r.startAt).toMillis(), end: fromStored(r.endAt).toMillis(), quantity: r.quantity }));
}

export function findLoan(db: Tx, id: number): LoanRow | undefined {
  return Number.isSafeInteger(id) ? db.select().from(loans).where(eq(loans.id, id)).get() : undefined;
}

export interface LoanItemRow { loanId: number; type: string; name: string; nameEn: string; quantity: number; feeYen: number }

export function itemsOfLoans(db: Tx, loanIds: readonly number[]): LoanItemRow[] {
  if (loanIds.length === 0) return [];
  return db.select({ loanId: loanItems.loanId, type: equipmentTypes.slug, name: equipmentTypes.name, nameEn: equipmentTypes.nameEn, quantity: loanItems.quantity, feeYen: equipmentTypes.feeYen })
    .from(loanItems).innerJoin(equipmentTypes, eq(equipmentTypes.id, loanItems.typeId))
    .where(inArray(loanItems.loanId, [...loanIds])).orderBy(asc(equipmentTypes.sortOrder)).all();
}

export interface LoanUnitRow { loanId: number; unitId: number; tag: string; type: string; checkedOutAt: string; returnedAt: string | null; condition: 'ok' | 'damaged' | 'lost' | null; note: string | null }

export function unitsOfLoans(db: Tx, loanIds: readonly number[]): LoanUnitRow[] {
  if (loanIds.length === 0) return [];
  return db.select({
    loanId: loanUnits.loanId, unitId: loanUnits.unitId, tag: equipmentUnits.tag, type: equipmentTypes.slug,
    checkedOutAt: loanUnits.checkedOutAt, returnedAt: loanUnits.returnedAt, condition: loanUnits.condition, note: loanUnits.note,
  }).from(loanUnits)
    .innerJoin(equipmentUnits, eq(equipmentUnits.id, loanUnits.unitId))
    .innerJoin(equipmentTypes, eq(equipmentTypes.id, equipmentUnits.typeId))
    .where(inArray(loanUnits.loanId, [...loanIds])).orderBy(asc(equipmentUnits.tag)).all();
}

export interface LoanFilter {
  groupId?: number;
  accountId?: number;
  bookingId?: number;
  statuses?: readonly LoanStatus[];
  /** Loans whose interval touches [from, to) (instants). */
  from?: string;
  to?: string;
  flagged?: boolean;
}

export function listLoans(db: Tx, f: LoanFilter, limit = 500): LoanRow[] {
  const where: SQL[] = [];
  if (f.groupId !== undefined) where.push(eq(loans.groupId, f.groupId));
  if (f.accountId !== undefined) where.push(eq(loans.accountId, f.accountId));
  if (f.bookingId !== undefined) where.push(eq(loans.bookingId, f.bookingId));
  if (f.statuses) where.push(inArray(loans.status, [...f.statuses]));
  if (f.from !== undefined) where.push(sql`${loans.endAt} > ${f.from}`);
  if (f.to !== undefined) where.push(sql`${loans.startAt} < ${f.to}`);
  if (f.flagged) where.push(sql`${loans.needsAttention} IS NOT NULL`);
  return db.select().from(loans).where(where.length ? and(...where) : undefined).orderBy(asc(loans.startAt), asc(loans.id)).limit(limit).all();
}

export function loansOfBooking(db: Tx, bookingId: number): LoanRow[] {
  return db.select().from(loans).where(eq(loans.bookingId, bookingId)).orderBy(asc(loans.id)).all();
}

export function unitByTag(db: Tx, tag: string): (UnitRow & { type: string }) | undefined {
  const row = db.select({ unit: equipmentUnits, type: equipmentTypes.slug }).from(equipmentUnits)
    .innerJoin(equipmentTypes, eq(equipmentTypes.id, equipmentUnits.typeId)).where(eq(equipmentUnits.tag, tag)).get();
  return row ? { ...row.unit, type: row.type } : undefined;
}

export function unitsOfType(db: Tx, typeId: number): UnitRow[] {
  return db.select().from(equipmentUnits).where(eq(equipmentUnits.typeId, typeId)).orderBy(asc(equipmentUnits.tag)).all();
}

export function allUnits(db: Tx): (UnitRow & { type: string })[] {
  return db.select({ unit: equipmentUnits, type: equipmentTypes.slug }).from(equipmentUnits)
    .innerJoin(equipmentTypes, eq(equipmentTypes.id, equipmentUnits.typeId))
    .orderBy(asc(equipmentTypes.sortOrder), asc(equipmentUnits.tag)).all().map((r) => ({ ...r.unit, type: r.type }));
}

/** Damage cases that stop a borrower (a group, or an individual account) from borrowing. */
export function suspendingCases(db: Tx, borrower: { groupId: number | null; accountId: number | null }): CaseRow[] {
  const who: SQL[] = [];
  if (borrower.groupId !== null) who.push(eq(damageCases.groupId, borrower.groupId));
  else if (borrower.accountId !== null) who.push(eq(damageCases.accountId, borrower.accountId));
  if (who.length === 0) return [];
  return db.select().from(damageCases).where(and(or(...who), inArray(damageCases.status, ['open', 'invoiced']))).orderBy(asc(damageCases.id)).all();
}

export function findCase(db: Tx, id: number): CaseRow | undefined {
  return Number.isSafeInteger(id) ? db.select().from(damageCases).where(eq(damageCases.id, id)).get() : undefined;
}

export interface CaseFilter { groupId?: number; accountId?: number; statuses?: readonly CaseRow['status'][]; loanIds?: readonly number[] }

export function listCases(db: Tx, f: CaseFilter, limit = 500): CaseRow[] {
  const where: SQL[] = [];
  if (f.groupId !== undefined) where.push(eq(damageCases.groupId, f.groupId));
  if (f.accountId !== undefined) where.push(eq(damageCases.accountId, f.accountId));
  if (f.statuses) where.push(inArray(damageCases.status, [...f.statuses]));
  if (f.loanIds) where.push(inArray(damageCases.loanId, [...f.loanIds]));
  return db.select().from(damageCases).where(where.length ? and(...where) : undefined).orderBy(desc(damageCases.openedAt), desc(damageCases.id)).limit(limit).all();
}

/** The next invoice number of a fiscal year: D2026-0001. */
export function nextInvoiceNo(db: Tx, prefix: string): string {
  const last = db.select({ no: damageCases.invoiceNo }).from(damageCases)
    .where(sql`${damageCases.invoiceNo} LIKE ${prefix + '%'}`).orderBy(desc(damageCases.invoiceNo)).limit(1).get();
  const n = last?.no ? Number(last.no.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(n).padStart(4, '0')}`;
}
