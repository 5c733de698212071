import type { DateTime } from 'luxon';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { equipmentUnits, loanItems, loans } from '../../db/schema.js';
import { shortages, uncoveredLoans, type EquipmentShortage } from '../domain/loans.js';
import type { EquipmentLine } from '../domain/pricing.js';
import { toApi, toStored } from '../domain/time.js';
import { ConflictError, ProblemError, ValidationError, type FieldError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import {
  equipmentTypeRows, holdingsOverlapping, poolByType, reservedHoldingsOfType, suspendingCases, type EquipmentTypeRow,
} from '../repositories/loans.js';

/*
 * The transaction-level steps of lending equipment, shared by bookings (equipment on a booking is
 * a loan made in the same transaction) and the loan service (take-outs, check-out, return).
 */

/** The space equipment marked hall-only may be lent with. */
export const HALL_SLUG = 'hall';

export interface ResolvedItem {
  type: EquipmentTypeRow;
  quantity: number;
}

/**
 * Checks requested items against the catalogue: known types, each once, a quantity from 1 to the
 * type's pool, hall-only items only with the hall (`spaceSlug` null: a take-out, never the hall's).
 * `path` names the field in errors ("equipment" on a booking, "items" on a loan).
 */
export function resolveItems(tx: Tx, items: readonly { type: string; quantity: number }[], spaceSlug: string | null, path: string): ResolvedItem[] {
  if (items.length === 0) return [];
  const types = new Map(equipmentTypeRows(tx).map((t) => [t.slug, t]));
  const pool = poolByType(tx);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const out: ResolvedItem[] = [];
  items.forEach((item, i) => {
    const type = types.get(item.type);
    if (!type) { errors.push({ path: `${path}.${i}.type`, message: `unknown equipment type: ${item.type}` }); return; }
    if (seen.has(item.type)) { errors.push({ path: `${path}.${i}.type`, message: `${item.type} is listed twice` }); return; }
    seen.add(item.type);
    const stock = pool.get(item.type) ?? 0;
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) {
      errors.push({ path: `${path}.${i}.quantity`, message: 'quantity must be at least 1' });
    } else if (item.quantity > stock) {
      errors.push({ path: `${path}.${i}.quantity`, message: `the center has ${stock} ${item.type} to lend` });
    }
    if (type.hallOnly && spaceSlug !== HALL_SLUG) {
      errors.push({ path: `${path}.${i}.type`, message: `${item.type} is lent only with the hall` });
    }
    out.push({ type, quantity: item.quantity });
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return out;
}

/** The fee lines of equipment on a booking (DESIGN.md step 4), at the types' fees of today. */
export function equipmentLines(items: readonly ResolvedItem[]): EquipmentLine[] {
  return items.map((i) => ({ type: i.type.slug, name: i.type.name, feeYen: i.type.feeYen, quantity: i.quantity }));
}

export interface Borrower {
  groupId: number | null;
  accountId: number | null;
}

/** 403 `borrowing_suspended` while the borrower has a damage case open or invoiced. */
export function assertMayBorrow(tx: Tx, borrower: Borrower): void {
  const cases = suspendingCases(tx, borrower);
  if (cases.length > 0) {
    throw new ProblemError('borrowing_suspended', 'borrowing is suspended until the open damage case is settled', {
      damageCases: cases.map((c) => ({ id: c.id, status: c.status })),
    });
  }
}

/** What is short for `items` over [start, end), with the loans in `except` left out (a moving booking's own). */
export function equipmentShortages(tx: Tx, items: readonly ResolvedItem[], start: DateTime, end: DateTime, now: DateTime, except: readonly number[] = []): EquipmentShortage[] {
  if (items.length === 0) return [];
  return shortages({
    items: items.map((i) => ({ type: i.type.slug, quantity: i.quantity })),
    pool: poolByType(tx),
    holdings: holdingsOverlapping(tx, toStored(start), toStored(end), now.toMillis(), except),
    from: start.toMillis(),
    to: end.toMillis(),
  });
}

export function shortageConflict(list: readonly EquipmentShortage[], start: DateTime, end: DateTime): ConflictError {
  return new ConflictError(
    `equipment is already taken: ${list.map((s) => `${s.type} (${s.available} of ${s.requested} free)`).join(', ')}`,
    list.map((s) => ({ start: toApi(start), end: toApi(end), equipment: s.type, requested: s.requested, available: s.available })),
  );
}

/** Reserves items for [start, end) after checking they are free; the caller holds the immediate transaction. */
export function reserveLoan(tx: Tx, args: {
  kind: 'booking' | 'takeout'; bookingId: number | null; borrower: Borrower; start: DateTime; end: DateTime;
  items: readonly ResolvedItem[]; actorId: number; now: DateTime;
}): number {
  const short = equipmentShortages(tx, args.items, args.start, args.end, args.now);
  if (short.length > 0) throw shortageConflict(short, args.start, args.end);
  const nowIso = toStored(args.now);
  const id = tx.insert(loans).values({
    kind: args.kind, bookingId: args.bookingId, groupId: args.borrower.groupId, accountId: args.borrower.accountId,
    startAt: toStored(args.start), endAt: toStored(args.end), status: 'reserved', madeBy: args.actorId, createdAt: nowIso, updatedAt: nowIso,
  }).returning({ id: loans.id }).get().id;
  for (const item of args.items) tx.insert(loanItems).values({ loanId: id, typeId: item.type.id, quantity: item.quantity }).run();
  recordAudit(tx, {
    at: nowIso, actorId: args.actorId, action: 'loan.reserve', entity: 'loan', entityId: id,
    detail: { kind: args.kind, bookingId: args.bookingId, start: toApi(args.start), end: toApi(args.end), items: args.items.map((i) => ({ type: i.type.slug, quantity: i.quantity })) },
  });
  return id;
}

/**
 * After a type's pool shrank (a unit damaged, lost, sent to repair or retired), flags the reserved
 * loans it can no longer cover, so staff can call the borrowers. Returns the loans flagged now.
 */
export function flagUncovered(tx: Tx, typeId: number, typeSlug: string, reason: string, now: DateTime): number[] {
  const pool = poolByType(tx).get(typeSlug) ?? 0;
  const holdings = reservedHoldingsOfType(tx, typeId, toStored(now));
  const flagged = uncoveredLoans(pool, holdings);
  const nowIso = toStored(now);
  for (const id of flagged) {
    tx.update(loans).set({ needsAttention: reason, updatedAt: nowIso }).where(eq(loans.id, id)).run();
  }
  return flagged;
}

/**
 * After the pool of a type grew back (a unit repaired or found), clears the flags of the reserved
 * loans that every one of their types can cover again. Returns the loans cleared.
 */
export function clearCoveredFlags(tx: Tx, typeId: number, now: DateTime): number[] {
  const nowIso = toStored(now);
  const flagged = tx.select({ id: loans.id }).from(loans).innerJoin(loanItems, eq(loanItems.loanId, loans.id))
    .where(and(eq(loanItems.typeId, typeId), eq(loans.status, 'reserved'), isNotNull(loans.needsAttention))).all().map((r) => r.id);
  if (flagged.length === 0) return [];
  const pool = poolByType(tx);
  const types = new Map(equipmentTypeRows(tx).map((t) => [t.id, t.slug]));
  const uncoveredByType = new Map<number, Set<number>>();
  const uncovered = (id: number) => {
    let set = uncoveredByType.get(id);
    if (!set) {
      set = new Set(uncoveredLoans(pool.get(types.get(id) ?? '') ?? 0, reservedHoldingsOfType(tx, id, nowIso)));
      uncoveredByType.set(id, set);
    }
    return set;
  };
  const cleared: number[] = [];
  for (const loanId of flagged) {
    const itemTypes = tx.select({ typeId: loanItems.typeId }).from(loanItems).where(eq(loanItems.loanId, loanId)).all();
    if (itemTypes.every((i) => !uncovered(i.typeId).has(loanId))) {
      tx.update(loans).set({ needsAttention: null, updatedAt: nowIso }).where(eq(loans.id, loanId)).run();
      cleared.push(loanId);
    }
  }
  return cleared;
}

export function setUnitState(tx: Tx, unitId: number, state: typeof equipmentUnits.$inferSelect['state'], nowIso: string, note?: string | null): void {
  tx.update(equipmentUnits).set({ state, updatedAt: nowIso, ...(note !== undefined ? { note } : {}) }).where(eq(equipmentUnits.id, unitId)).run();
}
