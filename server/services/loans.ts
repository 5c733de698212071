import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { damageCases, equipmentTypes, equipmentUnits, loans, loanUnits } from '../../db/schema.js';
import { assessedStatus, canTransition, checkAssessment, checkTakeout, freeUnits, inPool, type CaseStatus, type LoanStatus } from '../domain/loans.js';
import { checkWindow } from '../domain/windows.js';
import { fiscalYear, fromStored, InvalidTimeError, parseInstant, toApi, toStored, tokyoDate } from '../domain/time.js';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, ProblemError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { findBooking, updateBooking, paidYen, type BookingRow } from '../repositories/bookings.js';
import type { EquipmentLine } from '../domain/pricing.js';
import {
  allUnits, equipmentTypeRows, findCase, findLoan, holdingsOverlapping, itemsOfLoans, listCases, listLoans, nextInvoiceNo,
  poolByType, suspendingCases, unitByTag, unitCounts, unitsOfLoans, type CaseRow, type LoanRow,
} from '../repositories/loans.js';
import { groupStanding } from '../repositories/groups.js';
import { isRegisteredOn } from '../domain/registration.js';
import { paymentStatusAfter } from '../domain/life.js';
import { priceFromSnapshot, type BookingService, type PricingSnapshot } from './bookings.js';
import { isStaff, requireActor, requireManager, requireStaff, type Actor, type Deps } from './context.js';
import {
  assertMayBorrow, clearCoveredFlags, equipmentLines, equipmentShortages, flagUncovered, reserveLoan, resolveItems, setUnitState, type Borrower,
} from './loan-core.js';
import { longText, parseInput, text } from './validate.js';
import { write } from './transaction.js';

/** A take-out lasts at most this many days (DESIGN.md). */
export const TAKEOUT_MAX_DAYS = 7;

const Items = z.array(z.object({ type: z.string().max(50), quantity: z.number().int() }).strict()).min(1, 'at least one item').max(20);
const Instant = z.string().max(40);

const LoanInput = z.object({
  bookingId: z.number().int().positive().optional(),
  groupId: z.number().int().positive().optional(),
  start: Instant.optional(),
  end: Instant.optional(),
  items: Items,
}).strict();

const CheckoutInput = z.object({
  units: z.array(z.string().max(20)).min(1).max(50).optional(),
  pickedUpBy: text(100).optional(),
}).strict();

const ReturnInput = z.object({
  units: z.array(z.object({
    tag: z.string().max(20),
    condition: z.enum(['ok', 'damaged', 'lost']),
    note: longText(500, 0).optional(),
  }).strict()).min(1).max(50),
}).strict();

const AssessInput = z.object({ costYen: z.number().int('costYen must be whole yen'), liable: z.boolean(), note: longText(1000, 0).optional() }).strict();
const WaiveInput = z.object({ reason: longText(500) }).strict();
const AvailabilityQuery = z.object({ from: Instant, to: Instant }).strict();
const LoanListQuery = z.object({
  status: z.enum(['reserved', 'checked_out', 'returned', 'cancelled', 'overdue', 'flagged']).optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  bookingId: z.coerce.number().int().positive().optional(),
}).strict();
const UnitInput = z.object({ tag: z.string().trim().regex(/^[A-Z]{1,4}-\d{1,4}$/, 'an asset tag looks like PJ-04').optional(), note: longText(200, 0).optional() }).strict();
const UnitStateInput = z.object({ action: z.enum(['repair', 'repaired', 'retire']), note: longText(200, 0).optional() }).strict();

export interface EquipmentView {
  type: string;
  name: string;
  nameEn: string;
  /** Units in the pool (available or on loan). */
  total: number;
  feeYen: number;
  replacementYen: number;
  hallOnly: boolean;
  inRepair: number;
  lost: number;
  retired: number;
}

export interface LoanView {
  id: number;
  kind: 'booking' | 'takeout';
  bookingId: number | null;
  groupId: number | null;
  accountId: number | null;
  start: string;
  end: string;
  status: LoanStatus;
  overdue: boolean;
  needsAttention: string | null;
  items: { type: string; quantity: number }[];
  units: { tag: string; type: string; condition: 'ok' | 'damaged' | 'lost' | null; note: string | null; returnedAt: string | null }[];
  checkedOutAt: string | null;
  pickedUpBy: string | null;
  returnedAt: string | null;
  damageCases: number[];
  createdAt: string;
}

export interface CaseView {
  id: number;
  loanId: number;
  unit: string;
  type: string;
  kind: 'damaged' | 'lost';
  status: CaseStatus;
  reportNote: string | null;
  costYen: number | null;
  liable: boolean | null;
  assessmentNote: string | null;
  invoiceNo: string | null;
  waiveReason: string | null;
  replacementYen: number;
  groupId: number | null;
  accountId: number | null;
  openedAt: string;
  assessedAt: string | null;
  closedAt: string | null;
}

function instant(path: string, value: string): DateTime {
  try {
    return parseInstant(value);
  } catch (err) {
    if (err instanceof InvalidTimeError) throw new ValidationError([{ path, message: err.message }]);
    throw err;
  }
}

export function makeLoanService(deps: Deps, bookingService: BookingService) {
  const { db, clock, reference } = deps;

  function loanViews(tx: Tx, rows: readonly LoanRow[], now: DateTime): LoanView[] {
    const ids = rows.map((r) => r.id);
    const items = itemsOfLoans(tx, ids);
    const units = unitsOfLoans(tx, ids);
    const cases = ids.length ? tx.select({ id: damageCases.id, loanId: damageCases.loanId }).from(damageCases).where(inArray(damageCases.loanId, ids)).all() : [];
    const nowIso = toStored(now);
    return rows.map((r) => ({
      id: r.id, kind: r.kind, bookingId: r.bookingId, groupId: r.groupId, accountId: r.accountId,
      start: toApi(fromStored(r.startAt)), end: toApi(fromStored(r.endAt)), status: r.status,
      overdue: r.status === 'checked_out' && r.endAt < nowIso,
      needsAttention: r.status === 'reserved' ? r.needsAttention : null,
      items: items.filter((i) => i.loanId === r.id).map((i) => ({ type: i.type, quantity: i.quantity })),
      units: units.filter((u) => u.loanId === r.id).map((u) => ({
        tag: u.tag, type: u.type, condition: u.condition, note: u.note, returnedAt: u.returnedAt ? toApi(fromStored(u.returnedAt)) : null,
      })),
      checkedOutAt: r.checkedOutAt ? toApi(fromStored(r.checkedOutAt)) : null,
      pickedUpBy: r.pickedUpBy,
      returnedAt: r.returnedAt ? toApi(fromStored(r.returnedAt)) : null,
      damageCases: cases.filter((c) => c.loanId === r.id).map((c) => c.id),
      createdAt: toApi(fromStored(r.createdAt)),
    }));
  }

  function caseViews(tx: Tx, rows: readonly CaseRow[]): CaseView[] {
    const units = new Map(allUnits(tx).map((u) => [u.id, u]));
    const types = new Map(equipmentTypeRows(tx).map((t) => [t.slug, t]));
    const at = (v: string | null) => (v ? toApi(fromStored(v)) : null);
    return rows.map((c) => {
      const unit = units.get(c.unitId)!;
      return {
        id: c.id, loanId: c.loanId, unit: unit.tag, type: unit.type, kind: c.kind, status: c.status, reportNote: c.reportNote,
        costYen: c.costYen, liable: c.liable, assessmentNote: c.assessmentNote, invoiceNo: c.invoiceNo, waiveReason: c.waiveReason,
        replacementYen: types.get(unit.type)?.replacementYen ?? 0, groupId: c.groupId, accountId: c.accountId,
        openedAt: toApi(fromStored(c.openedAt)), assessedAt: at(c.assessedAt), closedAt: at(c.closedAt),
      };
    });
  }

  /** Staff see every loan; a member the group's; an individual their own. Anyone else: 404. */
  function visibleLoan(tx: Tx, actor: Actor, id: number): LoanRow {
    const loan = findLoan(tx, id);
    if (!loan || !owns(actor, loan)) throw new NotFoundError('loan');
    return loan;
  }

  function owns(actor: Actor, row: { groupId: number | null; accountId: number | null }): boolean {
    if (isStaff(actor)) return true;
    if (actor.role === 'member' && actor.groupId !== null) return row.groupId === actor.groupId;
    return actor.role === 'individual' && row.groupId === null && row.accountId === actor.id;
  }

  function visibleCase(tx: Tx, actor: Actor, id: number): CaseRow {
    const c = findCase(tx, id);
    if (!c || !owns(actor, c)) throw new NotFoundError('damage case');
    return c;
  }

  const snapshotOf = (booking: BookingRow) => JSON.parse(booking.pricingJson) as PricingSnapshot;

  /**
   * A booking's fee with other equipment on it, from its own stored pricing (the rate kind it was
   * made with). When the total moves, what was paid is weighed again; a 100% exemption stays exempt.
   */
  function repriceEquipment(tx: Tx, booking: BookingRow, equipment: EquipmentLine[], nowIso: string): void {
    const next: PricingSnapshot = { ...snapshotOf(booking), equipment };
    const price = priceFromSnapshot(next, fromStored(booking.startAt), fromStored(booking.endAt));
    const paymentStatus = booking.exemptionPercent === 100 || price.totalYen === booking.totalYen
      ? booking.paymentStatus
      : paymentStatusAfter({ totalYen: price.totalYen, paidYen: paidYen(tx, booking.id), exempt: false });
    updateBooking(tx, booking.id, { totalYen: price.totalYen, linesJson: JSON.stringify(price.lines), pricingJson: JSON.stringify(next), paymentStatus, updatedAt: nowIso });
  }

  /** Adds equipment to an existing live, future booking: a loan made with it, and the booking's fee re-priced. */
  function addToBooking(tx: Tx, actor: Actor, bookingId: number, rawItems: z.infer<typeof Items>, now: DateTime): number {
    const booking = bookingService.internals.visibleBooking(tx, actor, bookingId);
    if (booking.status !== 'provisional' && booking.status !== 'confirmed') throw new InvalidStateError(`a ${booking.status} booking cannot take equipment`);
    const start = fromStored(booking.startAt);
    const end = fromStored(booking.endAt);
    if (end.toMillis() <= now.toMillis()) throw new InvalidStateError('the booking is over');
    const slug = reference.spaces(booking.useDate).find((s) => s.id === booking.spaceId)?.slug ?? '';
    const items = resolveItems(tx, rawItems, slug, 'items');
    const borrower: Borrower = booking.groupId !== null ? { groupId: booking.groupId, accountId: null } : { groupId: null, accountId: booking.accountId };
    if (borrower.groupId !== null || borrower.accountId !== null) assertMayBorrow(tx, borrower);
    const loanId = reserveLoan(tx, { kind: 'booking', bookingId, borrower, start, end, items, actorId: actor.id, now });
    // The fee of the added equipment joins the booking's lines, at the rate kind it was made with.
    const merged = new Map((snapshotOf(booking).equipment ?? []).map((e) => [e.type, { ...e }]));
    for (const line of equipmentLines(items)) {
      const had = merged.get(line.type);
      merged.set(line.type, had ? { ...had, quantity: had.quantity + line.quantity } : line);
    }
    repriceEquipment(tx, booking, [...merged.values()], toStored(now));
    return loanId;
  }

  /** A take-out by a registered group, at most 7 days, its window applying to the start. */
  function takeout(tx: Tx, actor: Actor, input: z.infer<typeof LoanInput>, now: DateTime): number {
    if (!isStaff(actor) && actor.role !== 'member') throw new ForbiddenError('only registered groups take equipment out');
    const groupId = input.groupId ?? (actor.role === 'member' ? actor.groupId : null);
    if (groupId === null || groupId === undefined) throw new ValidationError([{ path: 'groupId', message: 'required' }]);
    if (!isStaff(actor) && groupId !== actor.groupId) throw new NotFoundError('group');
    if (input.start === undefined || input.end === undefined) {
      throw new ValidationError([...(input.start === undefined ? [{ path: 'start', message: 'required' }] : []), ...(input.end === undefined ? [{ path: 'end', message: 'required' }] : [])]);
    }
    const start = instant('start', input.start);
    const end = instant('end', input.end);
    const standing = groupStanding(tx, groupId);
    if (!standing) throw (isStaff(actor) ? new ValidationError([{ path: 'groupId', message: 'unknown group' }]) : new NotFoundError('group'));
    const registered = isRegisteredOn(standing, tokyoDate(now));
    const problems = checkTakeout({ start, end, now, registered, maxDays: TAKEOUT_MAX_DAYS, dayOf: reference.dayOf });
    const invalid = problems.filter((p) => p.code === 'validation_failed');
    if (invalid.length > 0) throw new ValidationError(invalid.map((p) => ({ path: p.path, message: p.message })));
    if (problems.length > 0) throw new ProblemError('closed', problems.map((p) => p.message).join('; '), { errors: problems.map((p) => ({ path: p.path, message: p.message })) });
    const window = checkWindow({ useDate: tokyoDate(start), category: 'registered', now, rules: reference.rules(tokyoDate(start)).windows });
    if (window) throw new ProblemError('window_not_open', `loans starting ${tokyoDate(start)} open at ${toApi(window.opensAt)}`, { opensAt: toApi(window.opensAt) });
    const items = resolveItems(tx, input.items, null, 'items');
    const borrower = { groupId, accountId: null };
    assertMayBorrow(tx, borrower);
    return reserveLoan(tx, { kind: 'takeout', bookingId: null, borrower, start, end, items, actorId: actor.id, now });
  }

  function typeOfUnit(tx: Tx, typeId: number) {
    return tx.select().from(equipmentTypes).where(eq(equipmentTypes.id, typeId)).get()!;
  }

  return {
    /** API.md `GET /equipment`: the types, their pool and per-use fee. */
    catalog(): EquipmentView[] {
      const counts = unitCounts(db);
      const n = (typeId: number, states: readonly string[]) => counts.filter((c) => c.typeId === typeId && states.includes(c.state)).reduce((s, c) => s + c.n, 0);
      return equipmentTypeRows(db).map((t) => ({
        type: t.slug, name: t.name, nameEn: t.nameEn, total: n(t.id, ['available', 'on_loan']), feeYen: t.feeYen, replacementYen: t.replacementYen,
        hallOnly: t.hallOnly, inRepair: n(t.id, ['in_repair']), lost: n(t.id, ['lost']), retired: n(t.id, ['retired']),
      }));
    },

    /** API.md `GET /equipment/availability?from&to`: units free over the whole interval, by type. */
    availability(query: unknown): { type: string; available: number }[] {
      const q = parseInput(AvailabilityQuery, query);
      const from = instant('from', q.from);
      const to = instant('to', q.to);
      if (to <= from) throw new ValidationError([{ path: 'to', message: 'to must be after from' }]);
      if (to.diff(from, 'days').days > 31) throw new ValidationError([{ path: 'to', message: 'at most 31 days at a time' }]);
      const now = clock();
      const pool = poolByType(db);
      const holdings = holdingsOverlapping(db, toStored(from), toStored(to), now.toMillis());
      return equipmentTypeRows(db).map((t) => ({ type: t.slug, available: freeUnits(pool.get(t.slug) ?? 0, holdings.get(t.slug) ?? [], from.toMillis(), to.toMillis()) }));
    },

    /** API.md `POST /loans`: equipment added to a booking, or a take-out. */
    create(actorOrNull: Actor | null, body: unknown): { id: number } {
      const actor = requireActor(actorOrNull);
      const input = parseInput(LoanInput, body);
      const both = input.bookingId !== undefined && (input.groupId !== undefined || input.start !== undefined || input.end !== undefined);
      if (both) throw new ValidationError([{ path: 'bookingId', message: 'give either bookingId, or groupId with start and end' }]);
      return write(db, (tx) => {
        const now = clock();
        const id = input.bookingId !== undefined ? addToBooking(tx, actor, input.bookingId, input.items, now) : takeout(tx, actor, input, now);
        return { id };
      });
    },

    list(actorOrNull: Actor | null, query: unknown): LoanView[] {
      const actor = requireActor(actorOrNull);
      const q = parseInput(LoanListQuery, query);
      const now = clock();
      const filter: Parameters<typeof listLoans>[1] = {};
      if (!isStaff(actor)) {
        if (actor.role === 'member' && actor.groupId !== null) filter.groupId = actor.groupId;
        else filter.accountId = actor.id;
      }
      if (q.bookingId !== undefined) filter.bookingId = q.bookingId;
      if (q.status === 'overdue') filter.statuses = ['checked_out'];
      else if (q.status === 'flagged') { filter.statuses = ['reserved']; filter.flagged = true; }
      else if (q.status) filter.statuses = [q.status];
      if (q.from) filter.from = toStored(instant('from', `${q.from}T00:00`));
      if (q.to) filter.to = toStored(instant('to', `${q.to}T00:00`).plus({ days: 1 }));
      let rows = listLoans(db, filter);
      if (!isStaff(actor) && actor.role === 'individual') rows = rows.filter((r) => r.groupId === null);
      if (q.status === 'overdue') rows = rows.filter((r) => r.endAt < toStored(now));
      return loanViews(db, rows, now);
    },

    get(actorOrNull: Actor | null, id: number): LoanView {
      const actor = requireActor(actorOrNull);
      return loanViews(db, [visibleLoan(db, actor, id)], clock())[0]!;
    },

    /** A take-out not yet picked up is cancelled by its group or staff; a booking's loan goes with the booking. */
    cancel(actorOrNull: Actor | null, id: number): LoanView {
      const actor = requireActor(actorOrNull);
      return write(db, (tx) => {
        const now = clock();
        const loan = visibleLoan(tx, actor, id);
        if (loan.status !== 'reserved') throw new InvalidStateError(`a ${loan.status} loan cannot be cancelled`);
        const nowIso = toStored(now);
        tx.update(loans).set({ status: 'cancelled', cancelledAt: nowIso, updatedAt: nowIso }).where(eq(loans.id, id)).run();
        if (loan.bookingId !== null) {
          // The equipment's fee leaves the booking with it.
          const booking = findBooking(tx, loan.bookingId)!;
          const removed = new Map(itemsOfLoans(tx, [id]).map((i) => [i.type, i.quantity]));
          const equipment = (snapshotOf(booking).equipment ?? []).map((e) => ({ ...e, quantity: e.quantity - (removed.get(e.type) ?? 0) })).filter((e) => e.quantity > 0);
          repriceEquipment(tx, booking, equipment, nowIso);
        }
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'loan.cancel', entity: 'loan', entityId: id, detail: {} });
        return loanViews(tx, [findLoan(tx, id)!], now)[0]!;
      });
    },

    /**
     * API.md `POST /loans/{id}/checkout`: staff hand out the named units, or the system picks free
     * ones. Before the start only if the units are free from now until the loan starts.
     */
    checkout(actorOrNull: Actor | null, id: number, body: unknown): { units: { tag: string; type: string }[] } {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(CheckoutInput, body);
      return write(db, (tx) => {
        const now = clock();
        const loan = visibleLoan(tx, actor, id);
        if (loan.status !== 'reserved') throw new InvalidStateError(`a ${loan.status} loan cannot be checked out`);
        const start = fromStored(loan.startAt);
        const end = fromStored(loan.endAt);
        if (end.toMillis() <= now.toMillis()) throw new InvalidStateError('the loan period is over');
        const items = itemsOfLoans(tx, [id]);
        // The items were checked when reserved; here they only need their types.
        const types = new Map(equipmentTypeRows(tx).map((t) => [t.slug, t]));
        const resolved = items.map((i) => ({ type: types.get(i.type)!, quantity: i.quantity }));
        if (now.toMillis() < start.toMillis()) {
          const short = equipmentShortages(tx, resolved, now, end, now, [id]);
          if (short.length > 0) {
            throw new ConflictError('the units are not free until the loan starts: pick up at the start', short.map((s) => ({ start: toApi(now), end: toApi(start), equipment: s.type, requested: s.requested, available: s.available })));
          }
        }
        const available = tx.select({ id: equipmentUnits.id, tag: equipmentUnits.tag, typeId: equipmentUnits.typeId, state: equipmentUnits.state }).from(equipmentUnits)
          .where(inArray(equipmentUnits.typeId, resolved.map((r) => r.type.id))).all();
        const chosen: { id: number; tag: string; type: string }[] = [];
        if (input.units) {
          const errors: { path: string; message: string }[] = [];
          const counts = new Map<string, number>();
          input.units.forEach((tag, i) => {
            const unit = unitByTag(tx, tag);
            const item = unit ? resolved.find((r) => r.type.id === unit.typeId) : undefined;
            if (!unit || !item) { errors.push({ path: `units.${i}`, message: `${tag} is not equipment of this loan` }); return; }
            if (unit.state !== 'available') { errors.push({ path: `units.${i}`, message: `${tag} is ${unit.state.replace('_', ' ')}` }); return; }
            if (chosen.some((c) => c.id === unit.id)) { errors.push({ path: `units.${i}`, message: `${tag} is listed twice` }); return; }
            counts.set(unit.type, (counts.get(unit.type) ?? 0) + 1);
            chosen.push({ id: unit.id, tag: unit.tag, type: unit.type });
          });
          for (const r of resolved) {
            if ((counts.get(r.type.slug) ?? 0) !== r.quantity) errors.push({ path: 'units', message: `${r.quantity} ${r.type.slug} are on this loan; ${counts.get(r.type.slug) ?? 0} were given` });
          }
          if (errors.length > 0) throw new ValidationError(errors);
        } else {
          const short: { start: string; end: string; equipment: string; requested: number; available: number }[] = [];
          for (const r of resolved) {
            const free = available.filter((u) => u.typeId === r.type.id && u.state === 'available').sort((a, b) => a.tag.localeCompare(b.tag));
            if (free.length < r.quantity) short.push({ start: toApi(now), end: toApi(end), equipment: r.type.slug, requested: r.quantity, available: free.length });
            else chosen.push(...free.slice(0, r.quantity).map((u) => ({ id: u.id, tag: u.tag, type: r.type.slug })));
          }
          if (short.length > 0) throw new ConflictError('not enough units are at the desk now (some are still out)', short);
        }
        const nowIso = toStored(now);
        for (const unit of chosen) {
          setUnitState(tx, unit.id, 'on_loan', nowIso);
          tx.insert(loanUnits).values({ loanId: id, unitId: unit.id, checkedOutAt: nowIso }).run();
        }
        tx.update(loans).set({ status: 'checked_out', checkedOutAt: nowIso, checkedOutBy: actor.id, pickedUpBy: input.pickedUpBy ?? null, needsAttention: null, updatedAt: nowIso }).where(eq(loans.id, id)).run();
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'loan.checkout', entity: 'loan', entityId: id, detail: { units: chosen.map((c) => c.tag), pickedUpBy: input.pickedUpBy ?? null, early: now.toMillis() < start.toMillis() } });
        return { units: chosen.map((c) => ({ tag: c.tag, type: c.type })) };
      });
    },

    /**
     * API.md `POST /loans/{id}/return`: each unit back ok, damaged or lost. A damaged or lost unit
     * leaves the pool and opens a damage case; the loans it no longer covers are flagged.
     */
    return(actorOrNull: Actor | null, id: number, body: unknown): { damageCases: number[]; status: LoanStatus; flaggedLoans: number[] } {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(ReturnInput, body);
      return write(db, (tx) => {
        const now = clock();
        const nowIso = toStored(now);
        const loan = visibleLoan(tx, actor, id);
        if (loan.status !== 'checked_out') throw new InvalidStateError(`a ${loan.status} loan cannot be returned`);
        const out = unitsOfLoans(tx, [id]).filter((u) => u.returnedAt === null);
        const errors: { path: string; message: string }[] = [];
        const seen = new Set<string>();
        input.units.forEach((u, i) => {
          if (!out.some((o) => o.tag === u.tag)) errors.push({ path: `units.${i}.tag`, message: `${u.tag} is not out on this loan` });
          else if (seen.has(u.tag)) errors.push({ path: `units.${i}.tag`, message: `${u.tag} is listed twice` });
          seen.add(u.tag);
          if (u.condition !== 'ok' && !u.note) errors.push({ path: `units.${i}.note`, message: 'say what happened' });
        });
        if (errors.length > 0) throw new ValidationError(errors);
        const opened: number[] = [];
        const flagged: number[] = [];
        for (const u of input.units) {
          const unit = out.find((o) => o.tag === u.tag)!;
          tx.update(loanUnits).set({ returnedAt: nowIso, condition: u.condition, note: u.note || null })
            .where(and(eq(loanUnits.loanId, id), eq(loanUnits.unitId, unit.unitId), isNull(loanUnits.returnedAt))).run();
          if (u.condition === 'ok') {
            setUnitState(tx, unit.unitId, 'available', nowIso);
            continue;
          }
          setUnitState(tx, unit.unitId, u.condition === 'damaged' ? 'in_repair' : 'lost', nowIso, u.note ?? null);
          const caseId = tx.insert(damageCases).values({
            unitId: unit.unitId, loanId: id, groupId: loan.groupId, accountId: loan.groupId === null ? loan.accountId : null,
            kind: u.condition, status: 'open', reportNote: u.note ?? null, openedAt: nowIso, openedBy: actor.id,
          }).returning({ id: damageCases.id }).get().id;
          opened.push(caseId);
          recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'damage.open', entity: 'damage_case', entityId: caseId, detail: { loanId: id, unit: u.tag, kind: u.condition, note: u.note ?? null } });
          const unitRow = unitByTag(tx, u.tag)!;
          flagged.push(...flagUncovered(tx, unitRow.typeId, unit.type, `${u.tag} ${u.condition === 'damaged' ? '破損' : '紛失'}（${unit.type}）`, now));
        }
        const allBack = out.every((o) => seen.has(o.tag));
        if (allBack) tx.update(loans).set({ status: 'returned', returnedAt: nowIso, returnedBy: actor.id, updatedAt: nowIso }).where(eq(loans.id, id)).run();
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'loan.return', entity: 'loan', entityId: id, detail: { units: input.units.map((u) => ({ tag: u.tag, condition: u.condition })), complete: allBack, flaggedLoans: flagged } });
        return { damageCases: opened, status: allBack ? 'returned' : 'checked_out', flaggedLoans: [...new Set(flagged)] };
      });
    },

    /** Staff clear a loan's flag after calling the borrower (or the pool recovered). */
    clearFlag(actorOrNull: Actor | null, id: number): LoanView {
      const actor = requireStaff(actorOrNull);
      return write(db, (tx) => {
        const now = clock();
        const loan = visibleLoan(tx, actor, id);
        if (loan.needsAttention === null) throw new InvalidStateError('the loan is not flagged');
        tx.update(loans).set({ needsAttention: null, updatedAt: toStored(now) }).where(eq(loans.id, id)).run();
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'loan.clear_flag', entity: 'loan', entityId: id, detail: { was: loan.needsAttention } });
        return loanViews(tx, [findLoan(tx, id)!], now)[0]!;
      });
    },

    cases(actorOrNull: Actor | null, query: { status?: string } = {}): CaseView[] {
      const actor = requireActor(actorOrNull);
      const status = z.enum(['open', 'invoiced', 'not_liable', 'settled', 'waived']).optional().safeParse(query.status);
      const filter: Parameters<typeof listCases>[1] = status.success && status.data ? { statuses: [status.data] } : {};
      if (!isStaff(actor)) {
        if (actor.role === 'member' && actor.groupId !== null) filter.groupId = actor.groupId;
        else filter.accountId = actor.id;
      }
      return caseViews(db, listCases(db, filter));
    },

    getCase(actorOrNull: Actor | null, id: number): CaseView {
      const actor = requireActor(actorOrNull);
      return caseViews(db, [visibleCase(db, actor, id)])[0]!;
    },

    /** The cases that keep a borrower from borrowing, for the desk to explain. */
    suspension(borrower: Borrower): CaseView[] {
      return caseViews(db, suspendingCases(db, borrower));
    },

    /** API.md `POST /damage-cases/{id}/assess`: the cost (capped at the replacement value) and liability. */
    assess(actorOrNull: Actor | null, id: number, body: unknown): CaseView {
      const actor = requireManager(actorOrNull);
      const input = parseInput(AssessInput, body);
      return write(db, (tx) => {
        const now = clock();
        const nowIso = toStored(now);
        const c = visibleCase(tx, actor, id);
        if (!canTransition(c.status, 'assess')) throw new InvalidStateError(`a ${c.status} case cannot be assessed`);
        const unit = tx.select().from(equipmentUnits).where(eq(equipmentUnits.id, c.unitId)).get()!;
        const type = typeOfUnit(tx, unit.typeId);
        const problem = checkAssessment({ costYen: input.costYen, liable: input.liable, replacementYen: type.replacementYen });
        if (problem) throw new ValidationError([{ path: 'costYen', message: problem }]);
        const status = assessedStatus(input.liable);
        tx.update(damageCases).set({
          status, costYen: input.liable ? input.costYen : 0, liable: input.liable, assessmentNote: input.note || null,
          invoiceNo: input.liable ? nextInvoiceNo(tx, `D${fiscalYear(tokyoDate(now))}-`) : null,
          assessedAt: nowIso, assessedBy: actor.id, ...(input.liable ? {} : { closedAt: nowIso, closedBy: actor.id }),
        }).where(eq(damageCases.id, id)).run();
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'damage.assess', entity: 'damage_case', entityId: id, detail: { costYen: input.costYen, liable: input.liable, note: input.note ?? null } });
        return caseViews(tx, [findCase(tx, id)!])[0]!;
      });
    },

    /** API.md `/settle`: the invoice is paid; the borrower may borrow again. */
    settle(actorOrNull: Actor | null, id: number, body: unknown): CaseView {
      const actor = requireManager(actorOrNull);
      parseInput(z.object({}).strict(), body);
      return write(db, (tx) => {
        const nowIso = toStored(clock());
        const c = visibleCase(tx, actor, id);
        if (!canTransition(c.status, 'settle')) throw new InvalidStateError(`a ${c.status} case cannot be settled`);
        tx.update(damageCases).set({ status: 'settled', closedAt: nowIso, closedBy: actor.id }).where(eq(damageCases.id, id)).run();
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'damage.settle', entity: 'damage_case', entityId: id, detail: { costYen: c.costYen, invoiceNo: c.invoiceNo } });
        return caseViews(tx, [findCase(tx, id)!])[0]!;
      });
    },

    /** API.md `/waive`: nothing is owed, with a reason. */
    waive(actorOrNull: Actor | null, id: number, body: unknown): CaseView {
      const actor = requireManager(actorOrNull);
      const input = parseInput(WaiveInput, body);
      return write(db, (tx) => {
        const nowIso = toStored(clock());
        const c = visibleCase(tx, actor, id);
        if (!canTransition(c.status, 'waive')) throw new InvalidStateError(`a ${c.status} case cannot be waived`);
        tx.update(damageCases).set({ status: 'waived', waiveReason: input.reason, closedAt: nowIso, closedBy: actor.id }).where(eq(damageCases.id, id)).run();
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'damage.waive', entity: 'damage_case', entityId: id, detail: { reason: input.reason } });
        return caseViews(tx, [findCase(tx, id)!])[0]!;
      });
    },

    /** Every unit with its state, for the manager's inventory. */
    units(actorOrNull: Actor | null) {
      requireStaff(actorOrNull);
      return allUnits(db).map((u) => ({ tag: u.tag, type: u.type, state: u.state, note: u.note, updatedAt: toApi(fromStored(u.updatedAt)) }));
    },

    /** A manager adds a tagged unit to a type (the next tag unless one is given). */
    addUnit(actorOrNull: Actor | null, typeSlug: string, body: unknown): { tag: string } {
      const actor = requireManager(actorOrNull);
      const input = parseInput(UnitInput, body);
      return write(db, (tx) => {
        const nowIso = toStored(clock());
        const type = tx.select().from(equipmentTypes).where(eq(equipmentTypes.slug, typeSlug)).get();
        if (!type) throw new NotFoundError('equipment type');
        let tag = input.tag;
        if (tag === undefined) {
          const used = tx.select({ tag: equipmentUnits.tag }).from(equipmentUnits).where(eq(equipmentUnits.typeId, type.id)).all()
            .map((u) => Number(u.tag.split('-')[1] ?? 0)).filter(Number.isFinite);
          tag = `${type.tagPrefix}-${String(Math.max(0, ...used) + 1).padStart(2, '0')}`;
        }
        if (unitByTag(tx, tag)) throw new ValidationError([{ path: 'tag', message: `${tag} already exists` }]);
        tx.insert(equipmentUnits).values({ typeId: type.id, tag, state: 'available', note: input.note || null, createdAt: nowIso, updatedAt: nowIso }).run();
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'equipment.add_unit', entity: 'equipment_unit', entityId: tag, detail: { type: typeSlug } });
        return { tag };
      });
    },

    /**
     * A manager sends a unit to repair, brings one back into the pool (repaired, or a lost one
     * found), or retires it. A unit out on a loan changes state only through its return.
     */
    setUnit(actorOrNull: Actor | null, tag: string, body: unknown): { tag: string; state: string; flaggedLoans: number[]; clearedLoans: number[] } {
      const actor = requireManager(actorOrNull);
      const input = parseInput(UnitStateInput, body);
      return write(db, (tx) => {
        const now = clock();
        const nowIso = toStored(now);
        const unit = unitByTag(tx, tag);
        if (!unit) throw new NotFoundError('equipment unit');
        const next = input.action === 'repair' ? 'in_repair' : input.action === 'repaired' ? 'available' : 'retired';
        const allowed = input.action === 'repair' ? unit.state === 'available'
          : input.action === 'repaired' ? unit.state === 'in_repair' || unit.state === 'lost'
            : unit.state !== 'on_loan' && unit.state !== 'retired';
        if (!allowed) throw new InvalidStateError(`a unit that is ${unit.state.replace('_', ' ')} cannot be ${input.action === 'retire' ? 'retired' : input.action === 'repair' ? 'sent to repair' : 'returned to the pool'}`);
        setUnitState(tx, unit.id, next, nowIso, input.note ?? unit.note);
        const flagged = inPool(unit.state) && !inPool(next)
          ? flagUncovered(tx, unit.typeId, unit.type, `${tag} ${next === 'retired' ? '廃棄' : '修理中'}（${unit.type}）`, now)
          : [];
        // A unit back in the pool may cover loans flagged when it left.
        const cleared = !inPool(unit.state) && inPool(next) ? clearCoveredFlags(tx, unit.typeId, now) : [];
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: `equipment.${input.action}`, entity: 'equipment_unit', entityId: tag, detail: { from: unit.state, to: next, note: input.note ?? null, flaggedLoans: flagged, clearedLoans: cleared } });
        return { tag, state: next, flaggedLoans: flagged, clearedLoans: cleared };
      });
    },
  };
}

export type LoanService = ReturnType<typeof makeLoanService>;
