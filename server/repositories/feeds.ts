import { and, asc, eq, gt, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { bookings, dayOverrides, groups, ruleVersions, spaceBlocks } from '../../db/schema.js';

/** The instant a booking stopped holding its slot: when it was cancelled, or (expired) last changed. */
const endedAt = sql<string>`coalesce(${bookings.cancelledAt}, ${bookings.updatedAt})`;

/** Live bookings, and those cancelled or expired at or after `endedSince` (so clients remove them). */
const liveOrRecentlyEnded = (endedSince: string) => or(
  inArray(bookings.status, ['provisional', 'confirmed']),
  and(inArray(bookings.status, ['cancelled', 'expired']), gte(endedAt, endedSince)),
);

/**
 * What a space's public feed may know of bookings: no purpose, account, walk-in name or phone is
 * even read. Bookings starting in [fromIso, toIso) of the given spaces (the space and its whole
 * or parts), through the (space_id, start_at) index.
 */
export function publicFeedBookings(db: Tx, spaceIds: readonly number[], fromIso: string, toIso: string, endedSince: string) {
  return db.select({
    id: bookings.id, spaceId: bookings.spaceId, startAt: bookings.startAt, endAt: bookings.endAt, status: bookings.status,
    deadlineAt: bookings.deadlineAt, revision: bookings.revision, updatedAt: bookings.updatedAt, cancelledAt: bookings.cancelledAt,
    groupId: bookings.groupId,
  }).from(bookings).where(and(
    inArray(bookings.spaceId, [...spaceIds]), gte(bookings.startAt, fromIso), lt(bookings.startAt, toIso), liveOrRecentlyEnded(endedSince),
  )).orderBy(asc(bookings.startAt), asc(bookings.id)).all();
}

/** A group's own bookings used on dates in [fromDate, toDate], for its private feed. */
export function groupFeedBookings(db: Tx, groupId: number, fromDate: string, toDate: string, endedSince: string) {
  return db.select({
    id: bookings.id, spaceId: bookings.spaceId, startAt: bookings.startAt, endAt: bookings.endAt, status: bookings.status,
    paymentStatus: bookings.paymentStatus, deadlineAt: bookings.deadlineAt, revision: bookings.revision,
    updatedAt: bookings.updatedAt, cancelledAt: bookings.cancelledAt, purpose: bookings.purpose, totalYen: bookings.totalYen,
    cancellationFeeYen: bookings.cancellationFeeYen,
  }).from(bookings).where(and(
    eq(bookings.groupId, groupId), gte(bookings.useDate, fromDate), lte(bookings.useDate, toDate), liveOrRecentlyEnded(endedSince),
  )).orderBy(asc(bookings.startAt), asc(bookings.id)).all();
}

/** Blocks of the given spaces overlapping [fromIso, toIso), with when they were made. */
export function feedBlocks(db: Tx, spaceIds: readonly number[], fromIso: string, toIso: string) {
  return db.select({
    id: spaceBlocks.id, spaceId: spaceBlocks.spaceId, startAt: spaceBlocks.startAt, endAt: spaceBlocks.endAt,
    reason: spaceBlocks.reason, createdAt: spaceBlocks.createdAt,
  }).from(spaceBlocks).where(and(inArray(spaceBlocks.spaceId, [...spaceIds]), lt(spaceBlocks.startAt, toIso), gt(spaceBlocks.endAt, fromIso)))
    .orderBy(asc(spaceBlocks.startAt), asc(spaceBlocks.id)).all();
}

/** When each day override in [from, to] was last set: the DTSTAMP of that day's events. */
export function overrideStamps(db: Tx, from: string, to: string): Map<string, string> {
  const rows = db.select({ date: dayOverrides.date, createdAt: dayOverrides.createdAt }).from(dayOverrides)
    .where(and(gte(dayOverrides.date, from), lte(dayOverrides.date, to))).all();
  return new Map(rows.map((r) => [r.date, r.createdAt]));
}

/** When a version of the calendar rules (closing Mondays, year-end) was last set. */
export function calendarRulesStamp(db: Tx): string | null {
  return db.select({ at: sql<string | null>`max(${ruleVersions.createdAt})` }).from(ruleVersions).where(eq(ruleVersions.key, 'calendar')).get()?.at ?? null;
}

/** Name and profile choice of the groups behind some bookings. */
export function groupNames(db: Tx, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.select({ id: groups.id, name: groups.name, publicProfile: groups.publicProfile }).from(groups)
    .where(inArray(groups.id, [...ids])).all();
}

/** The group whose current feed token hashes to `tokenHash`. */
export function groupByCalendarToken(db: Tx, tokenHash: string) {
  return db.select({ id: groups.id, name: groups.name, personalDataDeletedAt: groups.personalDataDeletedAt }).from(groups)
    .where(eq(groups.calendarTokenHash, tokenHash)).get();
}

export function hasCalendarToken(db: Tx, groupId: number): boolean {
  return db.select({ hash: groups.calendarTokenHash }).from(groups).where(eq(groups.id, groupId)).get()?.hash != null;
}

/** Replaces the group's feed token: the previous one no longer matches any group. */
export function setCalendarToken(db: Tx, groupId: number, tokenHash: string): void {
  db.update(groups).set({ calendarTokenHash: tokenHash }).where(eq(groups.id, groupId)).run();
}
