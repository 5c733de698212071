/**
 * The front desk's queries: bookings with whom they are for (names and phone numbers, which only
 * staff ever see), searches by number, name and phone, the day's money. Reads only; the desk's
 * writes go through the booking services and `insertPayment`.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Tx } from '../../db/client.js';
import { accounts, bookings, groups, payments, spaces } from '../../db/schema.js';

/** Paid so far: payments less refunds and voids, whenever they were made. */
const paidSql = sql<number>`coalesce((SELECT sum(CASE WHEN p.kind = 'payment' THEN p.amount_yen ELSE -p.amount_yen END) FROM payments p WHERE p.booking_id = "bookings"."id"), 0)`;

const deskColumns = {
  booking: bookings,
  spaceSlug: spaces.slug,
  accountName: accounts.name,
  accountPhone: accounts.phone,
  accountEmail: accounts.email,
  groupName: groups.name,
  groupPhone: groups.phone,
  paidYen: paidSql,
};

function deskSelect(db: Tx) {
  return db.select(deskColumns).from(bookings)
    .innerJoin(spaces, eq(spaces.id, bookings.spaceId))
    .leftJoin(accounts, eq(accounts.id, bookings.accountId))
    .leftJoin(groups, eq(groups.id, bookings.groupId));
}

/** `%text%` for LIKE, with the wildcards in the text itself escaped. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A phone column with its separators removed, to compare digits with digits. */
const digitsOf = (column: SQL | typeof accounts.phone): SQL => sql`replace(replace(replace(replace(coalesce(${column}, ''), '-', ''), ' ', ''), '(', ''), ')', '')`;

export function deskBooking(db: Tx, id: number) {
  return deskSelect(db).where(eq(bookings.id, id)).get();
}

/** A booking with its space's slug, whom it is for (names, phones) and what was paid on it. */
export type DeskRow = NonNullable<ReturnType<typeof deskBooking>>;

/** Every booking used on `date` (every status), in start order. */
export function deskBookingsOn(db: Tx, date: string): DeskRow[] {
  return deskSelect(db).where(eq(bookings.useDate, date)).orderBy(asc(bookings.startAt), asc(bookings.id)).all();
}

/** Bookings flagged for staff to call (a closure, a block), used on `fromDate` or later. */
export function needsContactFrom(db: Tx, fromDate: string, limit = 200): DeskRow[] {
  return deskSelect(db).where(and(eq(bookings.needsContact, true), gte(bookings.useDate, fromDate)))
    .orderBy(asc(bookings.startAt), asc(bookings.id)).limit(limit).all();
}

export function deskBookingsByIds(db: Tx, ids: readonly number[]): DeskRow[] {
  if (ids.length === 0) return [];
  return deskSelect(db).where(inArray(bookings.id, [...ids])).orderBy(asc(bookings.startAt), asc(bookings.id)).all();
}

/**
 * Who still has to pay: live bookings not paid in full, and cancelled ones whose cancellation
 * charge is not paid, used between `fromDate` and `toDate`.
 */
export function owingBetween(db: Tx, fromDate: string, toDate: string, limit = 200): DeskRow[] {
  return deskSelect(db).where(and(
    gte(bookings.useDate, fromDate),
    lte(bookings.useDate, toDate),
    or(
      and(inArray(bookings.status, ['provisional', 'confirmed']), sql`${bookings.totalYen} > ${paidSql}`),
      and(eq(bookings.status, 'cancelled'), sql`coalesce(${bookings.cancellationFeeYen}, 0) > ${paidSql}`),
    ),
  )).orderBy(sql`${bookings.deadlineAt} IS NULL`, asc(bookings.deadlineAt), asc(bookings.startAt)).limit(limit).all();
}

/**
 * Bookings found by what a caller at the desk knows: the booking, permit or receipt number; a
 * name (walk-in, account, group or its kana); a phone number (digits compared without separators).
 * Upcoming bookings first (soonest first), then past ones (latest first).
 */
export function searchBookings(db: Tx, query: string, today: string, limit = 50): DeskRow[] {
  const q = query.normalize('NFKC').trim();
  if (q === '') return [];
  const like = contains(q);
  const conditions: SQL[] = [
    sql`${bookings.walkInName} LIKE ${like} ESCAPE '\\'`,
    sql`${accounts.name} LIKE ${like} ESCAPE '\\'`,
    sql`${groups.name} LIKE ${like} ESCAPE '\\'`,
    sql`${groups.kana} LIKE ${like} ESCAPE '\\'`,
    sql`${bookings.permitNo} = ${q.toUpperCase()}`,
    sql`EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = "bookings"."id" AND p.receipt_no = ${q.toUpperCase()})`,
  ];
  if (/^\d{1,15}$/.test(q)) conditions.push(eq(bookings.id, Number(q)));
  const digits = q.replace(/[-\s()+]/g, '');
  if (/^\d{4,20}$/.test(digits)) {
    const d = contains(digits);
    conditions.push(
      sql`${digitsOf(sql`${bookings.walkInPhone}`)} LIKE ${d} ESCAPE '\\'`,
      sql`${digitsOf(accounts.phone)} LIKE ${d} ESCAPE '\\'`,
      sql`${digitsOf(sql`${groups.phone}`)} LIKE ${d} ESCAPE '\\'`,
    );
  }
  return deskSelect(db).where(or(...conditions))
    .orderBy(
      sql`CASE WHEN ${bookings.useDate} >= ${today} THEN 0 ELSE 1 END`,
      sql`CASE WHEN ${bookings.useDate} >= ${today} THEN ${bookings.startAt} END ASC`,
      desc(bookings.startAt),
    ).limit(limit).all();
}

export interface BookerRow {
  kind: 'group' | 'account';
  id: number;
  name: string;
  kana: string | null;
  phone: string | null;
  email: string | null;
  /** An account's role (individual or member); a group's registration status. */
  role: string;
  groupId: number | null;
  groupName: string | null;
  validUntil: string | null;
}

/**
 * Whom the desk may book for, found by name, kana, phone, e-mail or number: registered (or
 * lapsed) groups, and the individual and member accounts that are not disabled.
 */
export function searchBookers(db: Tx, query: string, limit = 30): BookerRow[] {
  const q = query.normalize('NFKC').trim();
  if (q === '') return [];
  const like = contains(q);
  const digits = q.replace(/[-\s()+]/g, '');
  const byPhone = /^\d{4,20}$/.test(digits) ? contains(digits) : null;
  const byId = /^\d{1,15}$/.test(q) ? Number(q) : null;

  const groupMatch: SQL[] = [sql`${groups.name} LIKE ${like} ESCAPE '\\'`, sql`${groups.kana} LIKE ${like} ESCAPE '\\'`];
  if (byPhone) groupMatch.push(sql`${digitsOf(sql`${groups.phone}`)} LIKE ${byPhone} ESCAPE '\\'`);
  if (byId !== null) groupMatch.push(eq(groups.id, byId));
  const found: BookerRow[] = db.select().from(groups)
    .where(and(inArray(groups.status, ['active', 'lapsed']), isNull(groups.personalDataDeletedAt), or(...groupMatch)))
    .orderBy(asc(groups.kana)).limit(limit).all()
    .map((g) => ({ kind: 'group' as const, id: g.id, name: g.name, kana: g.kana, phone: g.phone, email: null, role: g.status, groupId: g.id, groupName: g.name, validUntil: g.validUntil }));

  const member = alias(groups, 'member_group');
  const accountMatch: SQL[] = [sql`${accounts.name} LIKE ${like} ESCAPE '\\'`, sql`${accounts.email} LIKE ${like} ESCAPE '\\'`];
  if (byPhone) accountMatch.push(sql`${digitsOf(accounts.phone)} LIKE ${byPhone} ESCAPE '\\'`);
  if (byId !== null) accountMatch.push(eq(accounts.id, byId));
  const people = db.select({ account: accounts, groupName: member.name, validUntil: member.validUntil }).from(accounts)
    .leftJoin(member, eq(member.id, accounts.groupId))
    .where(and(inArray(accounts.role, ['individual', 'member']), isNull(accounts.disabledAt), or(...accountMatch)))
    .orderBy(asc(accounts.name), asc(accounts.id)).limit(limit).all();
  for (const p of people) {
    found.push({
      kind: 'account', id: p.account.id, name: p.account.name, kana: null, phone: p.account.phone, email: p.account.email,
      role: p.account.role, groupId: p.account.groupId, groupName: p.groupName, validUntil: p.validUntil,
    });
  }
  return found;
}

/** One group the desk may book for (registered or lapsed, its data not erased), by number. */
export function findGroupBooker(db: Tx, id: number): BookerRow | undefined {
  const g = db.select().from(groups)
    .where(and(eq(groups.id, id), inArray(groups.status, ['active', 'lapsed']), isNull(groups.personalDataDeletedAt))).get();
  return g && { kind: 'group', id: g.id, name: g.name, kana: g.kana, phone: g.phone, email: null, role: g.status, groupId: g.id, groupName: g.name, validUntil: g.validUntil };
}

/** One individual or member account the desk may book for (not disabled), by number. */
export function findAccountBooker(db: Tx, id: number): BookerRow | undefined {
  const member = alias(groups, 'member_group');
  const p = db.select({ account: accounts, groupName: member.name, validUntil: member.validUntil }).from(accounts)
    .leftJoin(member, eq(member.id, accounts.groupId))
    .where(and(eq(accounts.id, id), inArray(accounts.role, ['individual', 'member']), isNull(accounts.disabledAt))).get();
  return p && {
    kind: 'account', id: p.account.id, name: p.account.name, kana: null, phone: p.account.phone, email: p.account.email,
    role: p.account.role, groupId: p.account.groupId, groupName: p.groupName, validUntil: p.validUntil,
  };
}

export type PaymentRow = typeof payments.$inferSelect;

/** A booking's money in the order it moved. */
export function paymentsOf(db: Tx, bookingId: number): (PaymentRow & { receivedByName: string | null })[] {
  return db.select({ payment: payments, receivedByName: accounts.name }).from(payments)
    .leftJoin(accounts, eq(accounts.id, payments.receivedBy))
    .where(eq(payments.bookingId, bookingId)).orderBy(asc(payments.createdAt), asc(payments.id)).all()
    .map((r) => ({ ...r.payment, receivedByName: r.receivedByName }));
}

export function findPayment(db: Tx, id: number): PaymentRow | undefined {
  return db.select().from(payments).where(eq(payments.id, id)).get();
}

/** The void of a payment, if it was voided. */
export function voidFor(db: Tx, paymentId: number): PaymentRow | undefined {
  return db.select().from(payments).where(and(eq(payments.kind, 'void'), eq(payments.voidsPaymentId, paymentId))).get();
}

/**
 * The money of one day (the cash close, 日計表): every payment, refund and void made in
 * [fromIso, toIso), with its booking's category, space and booker, and who took it.
 */
export function moneyBetween(db: Tx, fromIso: string, toIso: string) {
  const clerk = alias(accounts, 'clerk');
  const voided = alias(payments, 'voided');
  return db.select({
    id: payments.id, receiptNo: payments.receiptNo, kind: payments.kind, amountYen: payments.amountYen, method: payments.method,
    note: payments.note, createdAt: payments.createdAt, voidsPaymentId: payments.voidsPaymentId, voidsReceiptNo: voided.receiptNo,
    bookingId: bookings.id, category: bookings.category, useDate: bookings.useDate, spaceSlug: spaces.slug,
    walkInName: bookings.walkInName, accountName: accounts.name, groupName: groups.name, receivedByName: clerk.name,
  }).from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .innerJoin(spaces, eq(spaces.id, bookings.spaceId))
    .leftJoin(accounts, eq(accounts.id, bookings.accountId))
    .leftJoin(groups, eq(groups.id, bookings.groupId))
    .leftJoin(clerk, eq(clerk.id, payments.receivedBy))
    .leftJoin(voided, eq(voided.id, payments.voidsPaymentId))
    .where(and(gte(payments.createdAt, fromIso), lt(payments.createdAt, toIso)))
    .orderBy(asc(payments.createdAt), asc(payments.id)).all();
}

export type MoneyRow = ReturnType<typeof moneyBetween>[number];
