/**
 * The manager's console: staff accounts and their sessions, API tokens, the audit log, the fee
 * table's dated rates, the bookings a new calendar could strand, and space blocks. Plain queries;
 * the admin and rules services decide.
 */
import { and, asc, desc, eq, gt, gte, inArray, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { accounts, apiTokens, auditLog, bookings, dayOverrides, rateBands, sessions, spaceBlocks, spaces } from '../../db/schema.js';

export type AccountRow = typeof accounts.$inferSelect;

/** Staff and managers, newest first, with how many live sessions each has. */
export function staffAccounts(db: Tx, nowIso: string) {
  return db.select({
    id: accounts.id, role: accounts.role, name: accounts.name, email: accounts.email, phone: accounts.phone,
    disabledAt: accounts.disabledAt, createdAt: accounts.createdAt,
    // Spelled out: drizzle leaves a column of a one-table query unqualified, which the subquery would read as its own.
    sessions: sql<number>`(SELECT count(*) FROM sessions s WHERE s.account_id = "accounts"."id" AND s.expires_at > ${nowIso})`,
  }).from(accounts).where(inArray(accounts.role, ['staff', 'manager'])).orderBy(asc(accounts.disabledAt), asc(accounts.id)).all();
}

export function findAccount(db: Tx, id: number): AccountRow | undefined {
  return db.select().from(accounts).where(eq(accounts.id, id)).get();
}

/** Sets or clears `disabledAt`. */
export function setDisabled(db: Tx, id: number, disabledAt: string | null): void {
  db.update(accounts).set({ disabledAt }).where(eq(accounts.id, id)).run();
}

/** Ends every session of the account; returns how many there were. */
export function deleteSessionsOf(db: Tx, accountId: number): number {
  return db.delete(sessions).where(eq(sessions.accountId, accountId)).run().changes;
}

/** Live bookings used on `fromDate` or later: what a new calendar could strand. */
export function liveBookingsFrom(db: Tx, fromDate: string) {
  return db.select().from(bookings).where(and(gte(bookings.useDate, fromDate), inArray(bookings.status, ['provisional', 'confirmed'])))
    .orderBy(asc(bookings.startAt)).all();
}

export function apiTokenList(db: Tx) {
  return db.select({
    id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, revokedAt: apiTokens.revokedAt,
    accountId: apiTokens.accountId, accountName: accounts.name, accountDisabledAt: accounts.disabledAt,
  }).from(apiTokens).innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
    .orderBy(sql`${apiTokens.revokedAt} IS NOT NULL`, desc(apiTokens.id)).all();
}

export function findApiToken(db: Tx, id: number) {
  return db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
}

export function revokeApiToken(db: Tx, id: number, at: string): void {
  db.update(apiTokens).set({ revokedAt: at }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).run();
}

export interface AuditFilter {
  /** An account id, or text matched against the actor's name and e-mail; `system` for entries without one. */
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  fromIso?: string;
  toIso?: string;
  limit: number;
  offset: number;
}

/** Audit entries, newest first, with the actor's name and role; and how many match in all. */
export function auditEntries(db: Tx, f: AuditFilter) {
  const where: SQL[] = [];
  if (f.actor !== undefined) {
    if (f.actor === 'system') where.push(isNull(auditLog.actorId));
    else if (/^\d{1,15}$/.test(f.actor)) where.push(eq(auditLog.actorId, Number(f.actor)));
    else {
      const text = `%${f.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(or(sql`${accounts.name} LIKE ${text} ESCAPE '\\'`, sql`${accounts.email} LIKE ${text} ESCAPE '\\'`)!);
    }
  }
  if (f.action !== undefined) where.push(f.action.endsWith('.') ? like(auditLog.action, `${f.action}%`) : eq(auditLog.action, f.action));
  if (f.entity !== undefined) where.push(eq(auditLog.entity, f.entity));
  if (f.entityId !== undefined) where.push(eq(auditLog.entityId, f.entityId));
  if (f.fromIso !== undefined) where.push(gte(auditLog.at, f.fromIso));
  if (f.toIso !== undefined) where.push(lt(auditLog.at, f.toIso));
  const condition = where.length > 0 ? and(...where) : undefined;
  const rows = db.select({
    id: auditLog.id, at: auditLog.at, actorId: auditLog.actorId, actorName: accounts.name, actorRole: accounts.role,
    action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, detailJson: auditLog.detailJson,
  }).from(auditLog).leftJoin(accounts, eq(accounts.id, auditLog.actorId)).where(condition)
    .orderBy(desc(auditLog.at), desc(auditLog.id)).limit(f.limit).offset(f.offset).all();
  const total = db.select({ n: sql<number>`count(*)` }).from(auditLog).leftJoin(accounts, eq(accounts.id, auditLog.actorId)).where(condition).get()?.n ?? 0;
  return { rows, total };
}

/** The actions and entities that occur in the log, for the filter's choices. */
export function auditVocabulary(db: Tx): { actions: string[]; entities: string[] } {
  const actions = db.selectDistinct({ v: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action)).all().map((r) => r.v);
  const entities = db.selectDistinct({ v: auditLog.entity }).from(auditLog).orderBy(asc(auditLog.entity)).all().map((r) => r.v);
  return { actions, entities };
}

/** Every dated rate of every space, oldest first. */
export function allRates(db: Tx) {
  return db.select({
    id: rateBands.id, spaceId: rateBands.spaceId, spaceSlug: spaces.slug, band: rateBands.band,
    hourlyYen: rateBands.hourlyYen, effectiveFrom: rateBands.effectiveFrom,
  }).from(rateBands).innerJoin(spaces, eq(spaces.id, rateBands.spaceId))
    .orderBy(asc(spaces.sortOrder), asc(rateBands.band), asc(rateBands.effectiveFrom)).all();
}

export function findRate(db: Tx, id: number) {
  return db.select().from(rateBands).where(eq(rateBands.id, id)).get();
}

/** Adds a rate from a date, or replaces the one already set for that very date. */
export function upsertRate(db: Tx, r: { spaceId: number; band: 'morning' | 'afternoon' | 'evening'; hourlyYen: number; effectiveFrom: string }): { id: number; replaced: number | null } {
  const existing = db.select().from(rateBands)
    .where(and(eq(rateBands.spaceId, r.spaceId), eq(rateBands.band, r.band), eq(rateBands.effectiveFrom, r.effectiveFrom))).get();
  if (existing) {
    db.update(rateBands).set({ hourlyYen: r.hourlyYen }).where(eq(rateBands.id, existing.id)).run();
    return { id: existing.id, replaced: existing.hourlyYen };
  }
  return { id: db.insert(rateBands).values(r).returning({ id: rateBands.id }).get().id, replaced: null };
}

export function deleteRate(db: Tx, id: number): void {
  db.delete(rateBands).where(eq(rateBands.id, id)).run();
}

/** Blocks that end after `fromIso`, soonest first, with their space. */
export function blocksEndingAfter(db: Tx, fromIso: string) {
  return db.select({
    id: spaceBlocks.id, spaceSlug: spaces.slug, startAt: spaceBlocks.startAt, endAt: spaceBlocks.endAt, reason: spaceBlocks.reason,
  }).from(spaceBlocks).innerJoin(spaces, eq(spaces.id, spaceBlocks.spaceId))
    .where(gt(spaceBlocks.endAt, fromIso)).orderBy(asc(spaceBlocks.startAt), asc(spaceBlocks.id)).all();
}

export function findBlock(db: Tx, id: number) {
  return db.select().from(spaceBlocks).where(eq(spaceBlocks.id, id)).get();
}

export function deleteBlock(db: Tx, id: number): void {
  db.delete(spaceBlocks).where(eq(spaceBlocks.id, id)).run();
}

/** The manager's own hours and closures from `fromDate` on. */
export function overridesFrom(db: Tx, fromDate: string) {
  return db.select().from(dayOverrides).where(gte(dayOverrides.date, fromDate)).orderBy(asc(dayOverrides.date)).limit(200).all();
}
