import { and, asc, eq, gt, gte, lt, lte } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { dayOverrides, spaceBlocks } from '../../db/schema.js';
import type { DayOverride } from '../domain/calendar.js';

export function overridesBetween(db: Tx, from: string, to: string): Map<string, DayOverride> {
  const rows = db.select().from(dayOverrides).where(and(gte(dayOverrides.date, from), lte(dayOverrides.date, to))).all();
  return new Map(rows.map((r) => [r.date, { date: r.date, closed: r.closed, open: r.open, close: r.close, reason: r.reason }]));
}

export function overrideOn(db: Tx, date: string): DayOverride | undefined {
  return overridesBetween(db, date, date).get(date);
}

export interface BlockRow {
  id: number;
  spaceId: number;
  startAt: string;
  endAt: string;
  reason: string;
}

/** Blocks of the given spaces overlapping [fromIso, toIso). */
export function blocksBetween(db: Tx, spaceIds: readonly number[], fromIso: string, toIso: string): BlockRow[] {
  const rows = db.select().from(spaceBlocks).where(and(lt(spaceBlocks.startAt, toIso), gt(spaceBlocks.endAt, fromIso)))
    .orderBy(asc(spaceBlocks.startAt)).all();
  return rows.filter((r) => spaceIds.includes(r.spaceId));
}

export function upsertOverride(db: Tx, o: DayOverride & { createdBy: number; createdAt: string }): void {
  db.insert(dayOverrides).values(o).onConflictDoUpdate({
    target: dayOverrides.date,
    set: { closed: o.closed, open: o.open, close: o.close, reason: o.reason, createdBy: o.createdBy, createdAt: o.createdAt },
  }).run();
}

export function deleteOverride(db: Tx, date: string): void {
  db.delete(dayOverrides).where(eq(dayOverrides.date, date)).run();
}

export function insertBlock(db: Tx, b: Omit<BlockRow, 'id'> & { createdBy: number; createdAt: string }): number {
  return db.insert(spaceBlocks).values(b).returning({ id: spaceBlocks.id }).get().id;
}
