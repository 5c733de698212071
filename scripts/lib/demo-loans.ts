/**
 * The demo's equipment stories beyond what is borrowed with a room: registered groups taking
 * equipment out of the center (持ち出し) for a few days, and what became of it — returned, still
 * out, overdue, or back damaged with a damage case that a manager settled or that is still open.
 * Dates are relative to the demo's `now`, on days the desk is open.
 *
 * The seeder replays these through the real loan service (the availability rules apply). Only the
 * manager's steps on a case are written here directly: a demo has no manager account (the first
 * one is made at the first start, see README), and the steps change no availability.
 */
import type { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { damageCases, equipmentUnits } from '../../db/schema.js';
import type { OpeningDay } from '../../server/domain/calendar.js';
import { canTransition, checkAssessment } from '../../server/domain/loans.js';
import { addDays, at, fiscalYear, toStored, tokyoDate } from '../../server/domain/time.js';
import { recordAudit } from '../../server/repositories/audit.js';
import { equipmentTypeRows, findCase, nextInvoiceNo } from '../../server/repositories/loans.js';
import type { EquipmentItem } from './demo-plan.js';
import type { Random } from './random.js';

/** A case's fate: assessed liable, invoiced and settled; or still open when the demo ends. */
export type CaseFate =
  | { kind: 'settled'; costYen: number; assessmentNote: string; assessAfterDays: number; settleAfterDays: number; repairedAfterDays: number }
  | { kind: 'open' };

export type TakeoutFate =
  /** Returned in good order at the end (or still out, when the end is after `now`). */
  | { kind: 'returned' }
  /** Returned with one unit of `type` damaged. */
  | { kind: 'damaged'; type: string; note: string; case: CaseFate }
  /** Checked out and never brought back: overdue at `now`. */
  | { kind: 'overdue' };

export interface PlannedTakeout {
  madeAt: DateTime;
  groupIndex: number;
  /** Asked for online by a member; otherwise at the desk by staff for the group. */
  online: boolean;
  start: DateTime;
  end: DateTime;
  items: EquipmentItem[];
  fate: TakeoutFate;
  /** On a conflict, the take-out may move to a later open day (its fate does not depend on the date). */
  movable: boolean;
}

/** The first day on or after `date` (or on or before, going back) that the desk is open. */
export function openDay(days: readonly OpeningDay[], date: string, direction: 1 | -1 = 1): string | null {
  for (let d = date, i = 0; i < 14; i += 1, d = addDays(d, direction)) {
    const day = days.find((x) => x.date === d);
    if (day && !day.closed && day.open !== null && day.open <= '10:00' && day.close !== null && day.close >= '17:00') return d;
  }
  return null;
}

/**
 * The take-outs of the demo. `today` is the Tokyo date of `now`; every story happens within the
 * opening days given. A story whose days cannot be found is left out.
 */
export function planTakeouts(random: Random, days: readonly OpeningDay[], now: DateTime): PlannedTakeout[] {
  const today = tokyoDate(now);
  const out: PlannedTakeout[] = [];
  const plan = (args: {
    groupIndex: number; online: boolean; from: number; length: number; items: EquipmentItem[]; fate: TakeoutFate; movable?: boolean;
    /** Fix the end on the open day on or before this offset instead (an overdue loan ended before today). */
    endBy?: number; endFrom?: number;
    /** Look for the start day backwards from `from` (a loan that must have begun before today). */
    startBack?: boolean;
  }) => {
    const startDay = openDay(days, addDays(today, args.from), args.startBack ? -1 : 1);
    if (!startDay) return;
    const endDay = args.endBy !== undefined ? openDay(days, addDays(today, args.endBy), -1)
      : args.endFrom !== undefined ? openDay(days, addDays(today, args.endFrom))
        : openDay(days, addDays(startDay, args.length - 1));
    if (!endDay || endDay < startDay || addDays(startDay, 6) < endDay) return;
    const start = at(startDay, '10:00');
    const end = at(endDay, '17:00');
    // Asked for a week or two ahead; those still to come were asked for in the last days.
    let madeOn = addDays(startDay, -random.int(5, 14));
    if (madeOn >= today) madeOn = addDays(today, -random.int(1, 4));
    const madeAt = at(madeOn, args.online ? '20:00' : '10:00').plus({ minutes: random.int(0, 300) });
    out.push({ madeAt, groupIndex: args.groupIndex, online: args.online, start, end, items: args.items, fate: args.fate, movable: args.movable ?? true });
  };

  // Late summer: the neighbourhood association's disaster drill. A microphone came back broken;
  // the association was liable, paid, and the microphone was repaired.
  plan({
    groupIndex: 0, online: false, from: -80, length: 3,
    items: [{ type: 'wireless-mic', quantity: 2 }, { type: 'portable-pa', quantity: 1 }],
    fate: {
      kind: 'damaged', type: 'wireless-mic', note: '訓練会場で落下し、マイクのヘッド部が破損',
      case: { kind: 'settled', costYen: 12_000, assessmentNote: '修理見積り（ヘッド部交換）による', assessAfterDays: 3, settleAfterDays: 16, repairedAfterDays: 12 },
    },
  });
  plan({ groupIndex: 3, online: true, from: -60, length: 2, items: [{ type: 'projector', quantity: 1 }, { type: 'screen', quantity: 1 }], fate: { kind: 'returned' } });
  plan({ groupIndex: 4, online: false, from: -35, length: 5, items: [{ type: 'whiteboard', quantity: 2 }], fate: { kind: 'returned' } });
  plan({ groupIndex: 5, online: true, from: -21, length: 1, items: [{ type: 'wireless-mic', quantity: 2 }], fate: { kind: 'returned' } });
  // Last week: the children's-cafeteria network's seminar elsewhere. The projector came back with
  // a cracked lens; the case is open, so the group cannot borrow until it is closed.
  plan({
    groupIndex: 2, online: true, from: -9, length: 2,
    items: [{ type: 'projector', quantity: 1 }, { type: 'screen', quantity: 1 }],
    fate: { kind: 'damaged', type: 'projector', note: '投影レンズにひび。ピントが合わない', case: { kind: 'open' } },
  });
  // The district committee's exhibition panels: due back yesterday, not returned.
  plan({ groupIndex: 1, online: false, from: -5, startBack: true, length: 0, endBy: -1, items: [{ type: 'panel', quantity: 8 }, { type: 'whiteboard', quantity: 1 }], fate: { kind: 'overdue' }, movable: false });
  // Out now: picked up yesterday, due back after the weekend.
  plan({ groupIndex: 6, online: false, from: -1, startBack: true, length: 0, endFrom: 2, items: [{ type: 'whiteboard', quantity: 2 }, { type: 'screen', quantity: 1 }], fate: { kind: 'returned' }, movable: false });
  // Ahead: reserved, not yet picked up.
  plan({ groupIndex: 5, online: true, from: 12, length: 2, items: [{ type: 'wireless-mic', quantity: 2 }, { type: 'portable-pa', quantity: 1 }], fate: { kind: 'returned' } });
  plan({ groupIndex: 7, online: true, from: 25, length: 1, items: [{ type: 'panel', quantity: 6 }], fate: { kind: 'returned' } });
  return out;
}

/** A manager's assessment of a case, as `POST /damage-cases/{id}/assess` stores it. */
export function assessCase(db: Db, caseId: number, input: { costYen: number; liable: boolean; note: string }, now: DateTime): void {
  db.transaction((tx) => {
    const c = findCase(tx, caseId);
    if (!c || !canTransition(c.status, 'assess')) throw new Error(`demo: case ${caseId} cannot be assessed`);
    const unit = tx.select().from(equipmentUnits).where(eq(equipmentUnits.id, c.unitId)).get()!;
    const type = equipmentTypeRows(tx).find((t) => t.id === unit.typeId)!;
    const problem = checkAssessment({ costYen: input.costYen, liable: input.liable, replacementYen: type.replacementYen });
    if (problem) throw new Error(`demo: ${problem}`);
    const nowIso = toStored(now);
    tx.update(damageCases).set({
      status: input.liable ? 'invoiced' : 'not_liable', costYen: input.liable ? input.costYen : 0, liable: input.liable, assessmentNote: input.note,
      invoiceNo: input.liable ? nextInvoiceNo(tx, `D${fiscalYear(tokyoDate(now))}-`) : null, assessedAt: nowIso,
      ...(input.liable ? {} : { closedAt: nowIso }),
    }).where(eq(damageCases.id, caseId)).run();
    recordAudit(tx, { at: nowIso, actorId: null, action: 'damage.assess', entity: 'damage_case', entityId: caseId, detail: { costYen: input.costYen, liable: input.liable, note: input.note, demo: true } });
  }, { behavior: 'immediate' });
}

/** The invoice is paid (`/settle`). */
export function settleCase(db: Db, caseId: number, now: DateTime): void {
  db.transaction((tx) => {
    const c = findCase(tx, caseId);
    if (!c || !canTransition(c.status, 'settle')) throw new Error(`demo: case ${caseId} cannot be settled`);
    const nowIso = toStored(now);
    tx.update(damageCases).set({ status: 'settled', closedAt: nowIso }).where(eq(damageCases.id, caseId)).run();
    recordAudit(tx, { at: nowIso, actorId: null, action: 'damage.settle', entity: 'damage_case', entityId: caseId, detail: { costYen: c.costYen, invoiceNo: c.invoiceNo, demo: true } });
  }, { behavior: 'immediate' });
}

/** The case's unit is back from repair and in the pool again (a manager's `repaired`). */
export function unitRepaired(db: Db, caseId: number, now: DateTime): void {
  db.transaction((tx) => {
    const c = findCase(tx, caseId)!;
    const unit = tx.select().from(equipmentUnits).where(eq(equipmentUnits.id, c.unitId)).get()!;
    if (unit.state !== 'in_repair') throw new Error(`demo: ${unit.tag} is ${unit.state}, not in repair`);
    const nowIso = toStored(now);
    tx.update(equipmentUnits).set({ state: 'available', note: '修理済', updatedAt: nowIso }).where(eq(equipmentUnits.id, unit.id)).run();
    recordAudit(tx, { at: nowIso, actorId: null, action: 'equipment.repaired', entity: 'equipment_unit', entityId: unit.tag, detail: { from: 'in_repair', to: 'available', note: '修理済', demo: true } });
  }, { behavior: 'immediate' });
}
