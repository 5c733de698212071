/**
 * The one query layer of reports and documents: the monthly and fiscal reports (PDF, CSVs), the
 * managers' list of months, permits and receipts read their rows here and nowhere else.
 */
import { and, asc, eq, gte, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  accounts, bookings, damageCases, equipmentTypes, equipmentUnits, groups, loanItems, loans, opinions, payments, registrations, spaceBlocks, spaces,
  surveyAnswers, surveyResponses,
} from '../../db/schema.js';

/** Paid so far: payments less refunds and voids, whenever they were made. */
const paidSql = sql<number>`coalesce((SELECT sum(CASE WHEN p.kind = 'payment' THEN p.amount_yen ELSE -p.amount_yen END) FROM payments p WHERE p.booking_id = ${bookings.id}), 0)`;

/** Bookings whose Tokyo date of use is in [from, to], every status, with their space and what was paid. */
export function bookingsUsedBetween(db: Tx, from: string, to: string) {
  return db.select({
    id: bookings.id, useDate: bookings.useDate, startAt: bookings.startAt, endAt: bookings.endAt,
    spaceSlug: spaces.slug, spaceName: spaces.name,
    category: bookings.category, channel: bookings.channel, walkInName: bookings.walkInName, accountId: bookings.accountId, groupId: bookings.groupId,
    status: bookings.status, paymentStatus: bookings.paymentStatus, attendance: bookings.attendance,
    purpose: bookings.purpose, attendees: bookings.attendees, actualAttendees: bookings.actualAttendees,
    totalYen: bookings.totalYen, linesJson: bookings.linesJson, pricingJson: bookings.pricingJson, cancellationFeeYen: bookings.cancellationFeeYen,
    exemptionPercent: bookings.exemptionPercent, exemptionReason: bookings.exemptionReason, permitNo: bookings.permitNo,
    paidYen: paidSql,
  }).from(bookings).innerJoin(spaces, eq(spaces.id, bookings.spaceId))
    .where(and(gte(bookings.useDate, from), lte(bookings.useDate, to)))
    .orderBy(asc(bookings.startAt), asc(bookings.id)).all();
}

export type BookingReportRow = ReturnType<typeof bookingsUsedBetween>[number];

/** Money moved at the desk in [fromIso, toIso): payments, refunds and voids. */
export function paymentsBetween(db: Tx, fromIso: string, toIso: string) {
  return db.select({ receiptNo: payments.receiptNo, bookingId: payments.bookingId, kind: payments.kind, amountYen: payments.amountYen, createdAt: payments.createdAt })
    .from(payments).where(and(gte(payments.createdAt, fromIso), lt(payments.createdAt, toIso)))
    .orderBy(asc(payments.createdAt), asc(payments.id)).all();
}

/** Every registration submitted before `toIso`: the period's applications and decisions, and who was registered at its end. */
export function registrationsBefore(db: Tx, toIso: string) {
  return db.select({
    groupId: registrations.groupId, kind: registrations.kind, status: registrations.status,
    submittedAt: registrations.submittedAt, decidedAt: registrations.decidedAt, validUntil: registrations.validUntil,
  }).from(registrations).where(lt(registrations.submittedAt, toIso)).orderBy(asc(registrations.id)).all();
}

/** Blocks of any space overlapping [fromIso, toIso). */
export function blocksOverlapping(db: Tx, fromIso: string, toIso: string) {
  return db.select({ spaceSlug: spaces.slug, startAt: spaceBlocks.startAt, endAt: spaceBlocks.endAt })
    .from(spaceBlocks).innerJoin(spaces, eq(spaces.id, spaceBlocks.spaceId))
    .where(and(lt(spaceBlocks.startAt, toIso), sql`${spaceBlocks.endAt} > ${fromIso}`)).all();
}

/**
 * Opinions received, or published, in [fromIso, toIso): their category, status, whether they carry
 * an answer, and when they were received and published. No text and no contact details.
 */
export function opinionsBetween(db: Tx, fromIso: string, toIso: string) {
  return db.select({
    category: opinions.category, status: opinions.status, hasAnswer: sql<number>`${opinions.answer} IS NOT NULL`,
    createdAt: opinions.createdAt, publishedAt: opinions.publishedAt,
  }).from(opinions)
    .where(or(and(gte(opinions.createdAt, fromIso), lt(opinions.createdAt, toIso)), and(gte(opinions.publishedAt, fromIso), lt(opinions.publishedAt, toIso))))
    .orderBy(asc(opinions.id)).all();
}

/** Survey responses submitted in [fromIso, toIso), any survey, each with the sum and number of its rating answers (1–5). */
export function surveyResponsesBetween(db: Tx, fromIso: string, toIso: string) {
  return db.select({
    submittedAt: surveyResponses.submittedAt,
    ratingSum: sql<number>`coalesce(sum(${surveyAnswers.rating}), 0)`,
    ratingCount: sql<number>`count(${surveyAnswers.rating})`,
  }).from(surveyResponses).leftJoin(surveyAnswers, eq(surveyAnswers.responseId, surveyResponses.id))
    .where(and(gte(surveyResponses.submittedAt, fromIso), lt(surveyResponses.submittedAt, toIso)))
    .groupBy(surveyResponses.id).orderBy(asc(surveyResponses.id)).all();
}

/** The equipment types, in the catalogue's order. */
export function equipmentTypeNames(db: Tx) {
  return db.select({ slug: equipmentTypes.slug, name: equipmentTypes.name }).from(equipmentTypes).orderBy(asc(equipmentTypes.sortOrder), asc(equipmentTypes.id)).all();
}

/** Loans starting in [fromIso, toIso) that are not cancelled, one row per item (type and quantity). */
export function loanItemsStartingBetween(db: Tx, fromIso: string, toIso: string) {
  return db.select({
    id: loans.id, kind: loans.kind, status: loans.status, startAt: loans.startAt, endAt: loans.endAt,
    type: equipmentTypes.slug, quantity: loanItems.quantity,
  }).from(loans)
    .innerJoin(loanItems, eq(loanItems.loanId, loans.id))
    .innerJoin(equipmentTypes, eq(equipmentTypes.id, loanItems.typeId))
    .where(and(gte(loans.startAt, fromIso), lt(loans.startAt, toIso), ne(loans.status, 'cancelled')))
    .orderBy(asc(loans.startAt), asc(loans.id), asc(equipmentTypes.sortOrder)).all();
}

/** Damage cases opened, assessed or closed in [fromIso, toIso), with their unit's tag and type. No borrower, no notes. */
export function damageCasesBetween(db: Tx, fromIso: string, toIso: string) {
  const inRange = (column: typeof damageCases.openedAt | typeof damageCases.assessedAt | typeof damageCases.closedAt) => and(gte(column, fromIso), lt(column, toIso));
  return db.select({
    id: damageCases.id, unit: equipmentUnits.tag, type: equipmentTypes.slug, kind: damageCases.kind, status: damageCases.status,
    costYen: damageCases.costYen, invoiceNo: damageCases.invoiceNo,
    openedAt: damageCases.openedAt, assessedAt: damageCases.assessedAt, closedAt: damageCases.closedAt,
  }).from(damageCases)
    .innerJoin(equipmentUnits, eq(equipmentUnits.id, damageCases.unitId))
    .innerJoin(equipmentTypes, eq(equipmentTypes.id, equipmentUnits.typeId))
    .where(or(inRange(damageCases.openedAt), inRange(damageCases.assessedAt), inRange(damageCases.closedAt)))
    .orderBy(asc(damageCases.openedAt), asc(damageCases.id)).all();
}

/** Months of use that have bookings, with their count (every status), newest first. */
export function monthsWithBookings(db: Tx): { month: string; bookings: number }[] {
  return db.select({ month: sql<string>`substr(${bookings.useDate}, 1, 7)`, bookings: sql<number>`count(*)` })
    .from(bookings).groupBy(sql`substr(${bookings.useDate}, 1, 7)`).orderBy(sql`1 DESC`).all();
}

/** Whom a booking is for, by name: its group, its account (the applicant), or the walk-in's name. */
export function bookerNames(db: Tx, b: { groupId: number | null; accountId: number | null }): { group: string | null; account: string | null } {
  const group = b.groupId === null ? null : db.select({ name: groups.name }).from(groups).where(eq(groups.id, b.groupId)).get()?.name ?? null;
  const account = b.accountId === null ? null : db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, b.accountId)).get()?.name ?? null;
  return { group, account };
}

export function paymentByReceiptNo(db: Tx, receiptNo: string) {
  return db.select().from(payments).where(eq(payments.receiptNo, receiptNo)).get();
}

/** The void that cancels a payment out, if any. */
export function voidOf(db: Tx, paymentId: number) {
  return db.select().from(payments).where(and(eq(payments.kind, 'void'), eq(payments.voidsPaymentId, paymentId))).get();
}

/** A booking's payments (not refunds or voids), oldest first, with whether each was voided. */
export function receiptsOfBooking(db: Tx, bookingId: number) {
  return db.select({
    id: payments.id, receiptNo: payments.receiptNo, amountYen: payments.amountYen, createdAt: payments.createdAt,
    voided: sql<number>`EXISTS (SELECT 1 FROM payments v WHERE v.kind = 'void' AND v.voids_payment_id = ${payments.id})`,
  }).from(payments).where(and(eq(payments.bookingId, bookingId), eq(payments.kind, 'payment'))).orderBy(asc(payments.id)).all();
}
