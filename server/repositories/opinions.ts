import { and, desc, eq, isNotNull, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { opinions, ruleSettings } from '../../db/schema.js';

export type OpinionRow = typeof opinions.$inferSelect;
export type OpinionStatus = OpinionRow['status'];
export type OpinionCategory = OpinionRow['category'];

export function findOpinion(db: Tx, id: number): OpinionRow | undefined {
  return db.select().from(opinions).where(eq(opinions.id, id)).get();
}

export function listOpinions(db: Tx, filter: { status?: OpinionStatus; category?: OpinionCategory }): OpinionRow[] {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(opinions.status, filter.status));
  if (filter.category) where.push(eq(opinions.category, filter.category));
  return db.select().from(opinions).where(where.length ? and(...where) : undefined).orderBy(desc(opinions.createdAt), desc(opinions.id)).limit(500).all();
}

export function publishedOpinions(db: Tx): OpinionRow[] {
  return db.select().from(opinions).where(isNotNull(opinions.publishedAt)).orderBy(desc(opinions.publishedAt), desc(opinions.id)).limit(500).all();
}

/** The last sequence number of a receipt year (`O2026-000042` → 42), or 0. */
export function lastReceiptSeq(db: Tx, year: number): number {
  const row = db.select({ no: sql<string | null>`max(${opinions.receiptNo})` }).from(opinions).where(like(opinions.receiptNo, `O${year}-%`)).get();
  return row?.no ? Number(row.no.slice(6)) : 0;
}

export function nextOpinionId(db: Tx): number {
  const row = db.select({ id: sql<number | null>`max(${opinions.id})` }).from(opinions).get();
  return (row?.id ?? 0) + 1;
}

/** Opinions received before `before` that still hold contact details. */
export function opinionsWithContactBefore(db: Tx, before: string): OpinionRow[] {
  return db.select().from(opinions).where(and(
    lt(opinions.createdAt, before), isNull(opinions.contactDeletedAt),
    or(isNotNull(opinions.contactName), isNotNull(opinions.contactEmail), isNotNull(opinions.contactPhone)),
  )).all();
}

export function readSetting<T>(db: Tx, key: string): T | undefined {
  const row = db.select().from(ruleSettings).where(eq(ruleSettings.key, key)).get();
  return row ? (JSON.parse(row.valueJson) as T) : undefined;
}

export function writeSetting(db: Tx, key: string, value: unknown, now: string): void {
  const valueJson = JSON.stringify(value);
  db.insert(ruleSettings).values({ key, valueJson, updatedAt: now })
    .onConflictDoUpdate({ target: ruleSettings.key, set: { valueJson, updatedAt: now } }).run();
}
