import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { accounts, groups, registrations } from '../../db/schema.js';
import type { GroupStanding } from '../domain/registration.js';

export type GroupRow = typeof groups.$inferSelect;
export type RegistrationRow = typeof registrations.$inferSelect;

export function findGroup(db: Tx, id: number): GroupRow | undefined {
  return db.select().from(groups).where(eq(groups.id, id)).get();
}

export function groupByName(db: Tx, name: string): GroupRow | undefined {
  return db.select().from(groups).where(eq(groups.name, name)).get();
}

export function pendingRenewal(db: Tx, groupId: number): RegistrationRow | undefined {
  return db.select().from(registrations)
    .where(and(eq(registrations.groupId, groupId), eq(registrations.kind, 'renewal'), eq(registrations.status, 'pending'))).get();
}

/** What decides whether a group counts as registered (domain/registration.ts). */
export function groupStanding(db: Tx, groupId: number): GroupStanding | undefined {
  const g = findGroup(db, groupId);
  if (!g) return undefined;
  return { status: g.status, validUntil: g.validUntil, renewalPending: pendingRenewal(db, groupId) !== undefined };
}

export function findRegistration(db: Tx, id: number): RegistrationRow | undefined {
  return db.select().from(registrations).where(eq(registrations.id, id)).get();
}

export function registrationsByStatus(db: Tx, status?: RegistrationRow['status']): RegistrationRow[] {
  const q = db.select().from(registrations);
  return (status ? q.where(eq(registrations.status, status)) : q).orderBy(asc(registrations.submittedAt), asc(registrations.id)).all();
}

export function registrationsOfGroup(db: Tx, groupId: number): RegistrationRow[] {
  return db.select().from(registrations).where(eq(registrations.groupId, groupId)).orderBy(desc(registrations.id)).all();
}

export function membersOf(db: Tx, groupId: number) {
  return db.select().from(accounts).where(and(eq(accounts.groupId, groupId), isNull(accounts.disabledAt)))
    .orderBy(desc(accounts.isRepresentative), asc(accounts.id)).all();
}

export function representativeOf(db: Tx, groupId: number) {
  return db.select().from(accounts).where(and(eq(accounts.groupId, groupId), eq(accounts.isRepresentative, true))).get();
}

export function activeGroups(db: Tx): GroupRow[] {
  return db.select().from(groups).where(eq(groups.status, 'active')).orderBy(asc(groups.kana)).all();
}

/**
 * The groups a manager may suspend or reinstate (active or suspended, personal data kept), by
 * kana; with a query, those whose name or kana contains it, or whose number it is.
 */
export function manageableGroups(db: Tx, query: string, limit = 200): GroupRow[] {
  const q = query.normalize('NFKC').trim();
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const match = q === '' ? undefined : or(
    sql`${groups.name} LIKE ${like} ESCAPE '\\'`,
    sql`${groups.kana} LIKE ${like} ESCAPE '\\'`,
    ...(/^\d{1,15}$/.test(q) ? [eq(groups.id, Number(q))] : []),
  );
  return db.select().from(groups)
    .where(and(inArray(groups.status, ['active', 'suspended']), isNull(groups.personalDataDeletedAt), match))
    .orderBy(asc(groups.kana), asc(groups.id)).limit(limit).all();
}

/** Activity fields are stored as a JSON array; rows made before that (or by hand) may hold '' or plain text. */
export function parseFields(stored: string): string[] {
  if (stored.trim() === '') return [];
  try {
    const value = JSON.parse(stored) as unknown;
    return Array.isArray(value) ? value.map(String) : [String(value)];
  } catch {
    return stored.split(/[、,，]/).map((f) => f.trim()).filter(Boolean);
  }
}
