/**
 * Dated versions of the rules and of the spaces' terms (capacity, season, quota), and the spaces'
 * own rows and parts as the manager's console edits them. Plain queries; the services decide.
 */
import { and, asc, eq, gte, inArray, lt, or } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { bookings, ruleVersions, spaceParts, spaceVersions, spaces } from '../../db/schema.js';

export type RuleVersionRow = typeof ruleVersions.$inferSelect;
export type SpaceVersionRow = typeof spaceVersions.$inferSelect;
export type SpaceBaseRow = typeof spaces.$inferSelect;

/** Every version of one section of the rules, oldest first. */
export function ruleVersionsOf(db: Tx, key: string): RuleVersionRow[] {
  return db.select().from(ruleVersions).where(eq(ruleVersions.key, key)).orderBy(asc(ruleVersions.effectiveFrom)).all();
}

/** Adds a version from a date, or replaces the one already starting on that very date (returned). */
export function upsertRuleVersion(db: Tx, v: Omit<RuleVersionRow, 'id'>): { id: number; replaced: RuleVersionRow | undefined } {
  const existing = db.select().from(ruleVersions).where(and(eq(ruleVersions.key, v.key), eq(ruleVersions.effectiveFrom, v.effectiveFrom))).get();
  if (existing) {
    db.update(ruleVersions).set({ valueJson: v.valueJson, createdBy: v.createdBy, createdAt: v.createdAt }).where(eq(ruleVersions.id, existing.id)).run();
    return { id: existing.id, replaced: existing };
  }
  return { id: db.insert(ruleVersions).values(v).returning({ id: ruleVersions.id }).get().id, replaced: undefined };
}

export function deleteRuleVersion(db: Tx, id: number): void {
  db.delete(ruleVersions).where(eq(ruleVersions.id, id)).run();
}

/** The spaces' own rows (names, notes, the terms before any version), in the order they are shown. */
export function spaceRows(db: Tx): SpaceBaseRow[] {
  return db.select().from(spaces).orderBy(asc(spaces.sortOrder), asc(spaces.id)).all();
}

export function updateSpaceNames(db: Tx, id: number, set: { name: string; nameEn: string; notes: string | null }): void {
  db.update(spaces).set(set).where(eq(spaces.id, id)).run();
}

/** Every version of a space's terms, oldest first. */
export function spaceVersionsOf(db: Tx, spaceId: number): SpaceVersionRow[] {
  return db.select().from(spaceVersions).where(eq(spaceVersions.spaceId, spaceId)).orderBy(asc(spaceVersions.effectiveFrom)).all();
}

export function upsertSpaceVersion(db: Tx, v: Omit<SpaceVersionRow, 'id'>): { id: number; replaced: SpaceVersionRow | undefined } {
  const existing = db.select().from(spaceVersions).where(and(eq(spaceVersions.spaceId, v.spaceId), eq(spaceVersions.effectiveFrom, v.effectiveFrom))).get();
  if (existing) {
    db.update(spaceVersions).set({
      capacity: v.capacity, seasonFrom: v.seasonFrom, seasonTo: v.seasonTo, groupMonthlyQuota: v.groupMonthlyQuota, createdBy: v.createdBy, createdAt: v.createdAt,
    }).where(eq(spaceVersions.id, existing.id)).run();
    return { id: existing.id, replaced: existing };
  }
  return { id: db.insert(spaceVersions).values(v).returning({ id: spaceVersions.id }).get().id, replaced: undefined };
}

export function deleteSpaceVersion(db: Tx, id: number): void {
  db.delete(spaceVersions).where(eq(spaceVersions.id, id)).run();
}

/** Every whole-and-part pair. */
export function allParts(db: Tx): { wholeId: number; partId: number }[] {
  return db.select().from(spaceParts).all();
}

/** Replaces the parts of a whole. */
export function setPartsOf(db: Tx, wholeId: number, partIds: readonly number[]): void {
  db.delete(spaceParts).where(eq(spaceParts.wholeId, wholeId)).run();
  for (const partId of partIds) db.insert(spaceParts).values({ wholeId, partId }).run();
}

/** Live bookings of some spaces used on `fromDate` or later (and before `untilDate` when given), by start. */
export function liveBookingsOfSpaces(db: Tx, spaceIds: readonly number[], fromDate: string, untilDate: string | null) {
  if (spaceIds.length === 0) return [];
  return db.select().from(bookings).where(and(
    inArray(bookings.spaceId, [...spaceIds]),
    gte(bookings.useDate, fromDate),
    ...(untilDate === null ? [] : [lt(bookings.useDate, untilDate)]),
    or(eq(bookings.status, 'provisional'), eq(bookings.status, 'confirmed')),
  )).orderBy(asc(bookings.startAt)).all();
}
