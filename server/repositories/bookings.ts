import { and, asc, eq, gt, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { bookings, payments, spaces } from '../../db/schema.js';
import { toStored, fromStored } from '../domain/time.js';
import { prepared } from './prepared.js';

export type BookingRow = typeof bookings.$inferSelect;
export type NewBooking = typeof bookings.$inferInsert;

const LIVE = ['provisional', 'confirmed'] as const;

/**
 * Live bookings of the given spaces overlapping [fromIso, toIso). Bookings never last longer than
 * a day, so the lower bound on start_at lets the (space_id, start_at) index do the work (NOTES.md).
 */
export function liveOverlapping(db: Tx, spaceIds: readonly number[], fromIso: string, toIso: string): BookingRow[] {
  const query = prepared(db, 'liveOverlapping', (d) => d.select().from(bookings).where(and(
    sql`${bookings.spaceId} IN (SELECT value FROM json_each(${sql.placeholder('spaceIds')}))`,
    // `+status` keeps the planner off the status index, which would walk every live booking.
    sql`+${bookings.status} IN ('provisional', 'confirmed')`,
    gt(bookings.startAt, sql.placeholder('lowerBound')),
    lt(bookings.startAt, sql.placeholder('to')),
    gt(bookings.endAt, sql.placeholder('from')),
  )).orderBy(asc(bookings.startAt)).prepare());
  const lowerBound = toStored(fromStored(fromIso).minus({ days: 1 }));
  return query.all({ spaceIds: JSON.stringify(spaceIds), lowerBound, to: toIso, from: fromIso });
}

export function findBooking(db: Tx, id: number): BookingRow | undefined {
  return db.select().from(bookings).where(eq(bookings.id, id)).get();
}

export function insertBooking(db: Tx, row: NewBooking): BookingRow {
  return db.insert(bookings).values(row).returning().get();
}

export function updateBooking(db: Tx, id: number, set: Partial<NewBooking>): BookingRow {
  return db.update(bookings).set({ ...set, revision: sql`${bookings.revision} + 1` }).where(eq(bookings.id, id)).returning().get()!;
}

export interface BookingFilter {
  from: string;
  to: string;
  spaceId?: number;
  accountId?: number;
  groupId?: number;
}

/** Bookings whose use date is in [from, to], every status, optionally one person's or group's. */
export function listBookings(db: Tx, f: BookingFilter): BookingRow[] {
  const where: SQL[] = [gte(bookings.useDate, f.from), lte(bookings.useDate, f.to)];
  if (f.spaceId !== undefined) where.push(eq(bookings.spaceId, f.spaceId));
  if (f.accountId !== undefined) where.push(eq(bookings.accountId, f.accountId));
  if (f.groupId !== undefined) where.push(eq(bookings.groupId, f.groupId));
  return db.select().from(bookings).where(and(...where)).orderBy(asc(bookings.startAt), asc(bookings.id)).limit(5000).all();
}

/** Live bookings on a date (all spaces): what a change of the day's hours may strand. */
export function liveOnDate(db: Tx, date: string): BookingRow[] {
  return db.select().from(bookings).where(and(eq(bookings.useDate, date), inArray(bookings.status, [...LIVE]))).orderBy(asc(bookings.startAt)).all();
}

/** Provisional bookings whose payment deadline has passed. */
export function overdueProvisional(db: Tx, nowIso: string): BookingRow[] {
  const query = prepared(db, 'overdueProvisional', (d) => d.select().from(bookings)
    .where(and(eq(bookings.status, 'provisional'), lte(bookings.deadlineAt, sql.placeholder('now')))).prepare());
  return query.all({ now: nowIso });
}

/** Live bookings still `expected` whose start is at or before `cutoffIso`, within the last two days. */
export function dueForNoShow(db: Tx, cutoffIso: string, sinceIso: string): BookingRow[] {
  return db.select().from(bookings).where(and(
    inArray(bookings.status, [...LIVE]), eq(bookings.attendance, 'expected'),
    lte(bookings.startAt, cutoffIso), gt(bookings.startAt, sinceIso),
  )).all();
}

export function countLiveInMonth(db: Tx, spaceId: number, groupId: number, month: string, excludeId?: number): number {
  const row = db.select({ n: sql<number>`count(*)` }).from(bookings).where(and(
    eq(bookings.spaceId, spaceId), eq(bookings.groupId, groupId), inArray(bookings.status, [...LIVE]),
    gte(bookings.useDate, `${month}-01`), lte(bookings.useDate, `${month}-31`),
    excludeId === undefined ? undefined : sql`${bookings.id} <> ${excludeId}`,
  )).get();
  return row?.n ?? 0;
}

export function countProvisionalOfAccount(db: Tx, accountId: number, excludeId?: number): number {
  const row = db.select({ n: sql<number>`count(*)` }).from(bookings).where(and(
    eq(bookings.accountId, accountId), eq(bookings.status, 'provisional'),
    excludeId === undefined ? undefined : sql`${bookings.id} <> ${excludeId}`,
  )).get();
  return row?.n ?? 0;
}

export function paidYen(db: Tx, bookingId: number): number {
  const rows = db.select({ kind: payments.kind, amountYen: payments.amountYen }).from(payments).where(eq(payments.bookingId, bookingId)).all();
  return rows.reduce((sum, p) => sum + (p.kind === 'payment' ? p.amountYen : -p.amountYen), 0);
}

export function insertPayment(db: Tx, row: typeof payments.$inferInsert): void {
  db.insert(payments).values(row).run();
}

/**
 * The next number in a yearly sequence like R2026-000042. Numbers are zero-padded, so the highest
 * is the last in text order: a range on the unique index finds it without a scan (':' follows '9').
 */
function nextInSequence(highest: string | null | undefined, prefix: string): string {
  const n = highest ? Number(highest.slice(prefix.length)) : 0;
  return `${prefix}${String(n + 1).padStart(6, '0')}`;
}

export function nextReceiptNo(db: Tx, prefix: string): string {
  const row = db.select({ v: sql<string | null>`max(${payments.receiptNo})` }).from(payments)
    .where(and(gte(payments.receiptNo, prefix), lt(payments.receiptNo, `${prefix}:`))).get();
  return nextInSequence(row?.v, prefix);
}

export function nextPermitNo(db: Tx, prefix: string): string {
  const row = db.select({ v: sql<string | null>`max(${bookings.permitNo})` }).from(bookings)
    .where(and(gte(bookings.permitNo, prefix), lt(bookings.permitNo, `${prefix}:`))).get();
  return nextInSequence(row?.v, prefix);
}

export function spaceIdBySlug(db: Tx, slug: string): number | undefined {
  return db.select({ id: spaces.id }).from(spaces).where(eq(spaces.slug, slug)).get()?.id;
}
