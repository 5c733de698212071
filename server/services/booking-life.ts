import type { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import { bookingCategory } from '../domain/pricing.js';
import { cancellationCharge, changeFee, paymentStatusAfter, provisionalDeadline } from '../domain/life.js';
import { fiscalYear, fromStored, toApi, toStored, tokyoDate } from '../domain/time.js';
import { ForbiddenError, InvalidStateError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { insertPayment, nextPermitNo, nextReceiptNo, paidYen, updateBooking, type BookingRow } from '../repositories/bookings.js';
import { checkCandidate, type Booker, type CheckEnv } from './booking-checks.js';
import { CancelInput, ChangeInput, CheckInInput, ExemptionInput, PaymentInput } from './booking-input.js';
import { equipmentShortages, resolveItems, shortageConflict } from './loan-core.js';
import { itemsOfLoans, loansOfBooking } from '../repositories/loans.js';
import { priceFromSnapshot, type BookingService, type PricingSnapshot } from './bookings.js';
import type { BookingView } from './booking-view.js';
import { isStaff, requireActor, requireStaff, type Actor, type Deps } from './context.js';
import { expireOverdue, markNoShows } from './booking-jobs.js';
import { parseInput } from './validate.js';
import { write } from './transaction.js';

const isLive = (b: BookingRow) => b.status === 'provisional' || b.status === 'confirmed';

function bookerOf(b: BookingRow, registered: boolean): Booker {
  if (b.groupId !== null) return { kind: 'group', groupId: b.groupId, accountId: b.accountId, registered };
  if (b.accountId !== null) return { kind: 'individual', accountId: b.accountId };
  return { kind: 'walkIn', name: b.walkInName ?? '', phone: b.walkInPhone };
}

/** Changes, cancellations, exemptions, payments and check-ins of existing bookings. */
export function makeBookingLifeService(deps: Deps, bookings: BookingService) {
  const { db, clock, reference } = deps;
  const { visibleBooking, view, findSpace, parseTimes, problemOf } = bookings.internals;

  /** Confirms a provisional booking once nothing is owed, giving it a permit number. */
  function settle(tx: Tx, b: BookingRow, now: DateTime): BookingRow {
    const paid = paidYen(tx, b.id);
    const paymentStatus = b.paymentStatus === 'exempt' && b.totalYen === 0 ? 'exempt' : paymentStatusAfter({ totalYen: b.totalYen, paidYen: paid, exempt: b.exemptionPercent === 100 });
    const confirm = b.status === 'provisional' && (paymentStatus === 'paid' || paymentStatus === 'exempt');
    return updateBooking(tx, b.id, {
      paymentStatus,
      ...(confirm ? { status: 'confirmed', deadlineAt: null, permitNo: b.permitNo ?? nextPermitNo(tx, `P${fiscalYear(tokyoDate(now))}-`) } : {}),
      updatedAt: toStored(now),
    });
  }

  /** A moved booking takes its equipment along: still free at the new time (its own loans aside) and hall-only items only in the hall. */
  function checkEquipmentMove(tx: Tx, bookingId: number, spaceSlug: string, start: DateTime, end: DateTime, now: DateTime): void {
    const live = loansOfBooking(tx, bookingId).filter((l) => l.status === 'reserved' || l.status === 'checked_out');
    if (live.length === 0) return;
    const wanted = new Map<string, number>();
    for (const item of itemsOfLoans(tx, live.map((l) => l.id))) wanted.set(item.type, (wanted.get(item.type) ?? 0) + item.quantity);
    const items = resolveItems(tx, [...wanted].map(([type, quantity]) => ({ type, quantity })), spaceSlug, 'equipment');
    const short = equipmentShortages(tx, items, start, end, now, live.map((l) => l.id));
    if (short.length > 0) throw shortageConflict(short, start, end);
  }

  return {
    /**
     * Changes space, times, attendees or purpose: checked like a new booking in one transaction, so
     * the old slot is kept until the new one is sure. Returns the booking with `changeFeeYen`.
     */
    change(actorOrNull: Actor | null, id: number, body: unknown, options: { dryRun?: boolean } = {}): BookingView & { changeFeeYen: number } {
      const actor = requireActor(actorOrNull);
      const input = parseInput(ChangeInput, body);
      if (input.overrideReason !== undefined && !isStaff(actor)) throw new ForbiddenError('only staff override rules');
      return write(db, (tx) => {
        const now = clock();
        expireOverdue(tx, now, null);
        const old = visibleBooking(tx, actor, id);
        if (!isLive(old)) throw new InvalidStateError(`a ${old.status} booking cannot be changed`);
        const oldStart = fromStored(old.startAt);
        const oldEnd = fromStored(old.endAt);
        const times = input.start !== undefined || input.end !== undefined
          ? parseTimes(input.start ?? toApi(oldStart), input.end ?? toApi(oldEnd))
          : { start: oldStart, end: oldEnd };
        // The new date is checked under the rules in force on it; the change fee is a cancellation
        // of the old booking, so it follows the rules of the old date.
        const rules = reference.rules(tokyoDate(times.start));
        const oldRules = reference.rules(old.useDate);
        const allSpaces = reference.spaces(tokyoDate(times.start));
        const space = input.space !== undefined ? findSpace(allSpaces, input.space) : allSpaces.find((s) => s.id === old.spaceId)!;
        const attendees = input.attendees ?? old.attendees;
        const moved = space.id !== old.spaceId || !times.start.equals(oldStart) || !times.end.equals(oldEnd);
        const env: CheckEnv = { tx, now, rules, spaces: allSpaces, dayOf: reference.dayOf, override: isStaff(actor) && input.overrideReason !== undefined };
        const registered = old.category === 'registered';
        if (moved || attendees !== old.attendees) {
          const problem = checkCandidate(env, {
            space, start: times.start, end: times.end, attendees, category: old.category, booker: bookerOf(old, registered),
            channel: isStaff(actor) ? 'desk' : old.channel, ignoreId: old.id,
          });
          // Re-checking an unmoved slot would refuse a headcount change for a window that has since closed.
          if (problem && (moved || problem.code === 'capacity_exceeded')) throw problemOf(problem);
        }
        if (moved) checkEquipmentMove(tx, old.id, space.slug, times.start, times.end, now);
        const feeYen = moved
          ? changeFee({ priorChanges: old.changeCount, totalYen: old.totalYen, status: old.status, paymentStatus: old.paymentStatus, start: oldStart, now, rules: oldRules.life })
          : 0;
        const set: Partial<BookingRow> = { attendees, purpose: input.purpose ?? old.purpose, updatedAt: toStored(now) };
        if (moved) {
          const stored = JSON.parse(old.pricingJson) as PricingSnapshot;
          // The category and rates stay those the booking was made with; a new space brings its own rates.
          const snapshot: PricingSnapshot = {
            ...stored,
            space: space.id === old.spaceId ? stored.space : { name: space.name, indoor: space.indoor, ratesYen: space.ratesYen },
            extraLines: [...stored.extraLines, ...(feeYen > 0 ? [{ label: '変更手数料', amountYen: feeYen }] : [])],
          };
          const price = priceFromSnapshot(snapshot, times.start, times.end);
          Object.assign(set, {
            spaceId: space.id, startAt: toStored(times.start), endAt: toStored(times.end), useDate: tokyoDate(times.start),
            totalYen: price.totalYen, linesJson: JSON.stringify(price.lines), pricingJson: JSON.stringify(snapshot),
            changeCount: old.changeCount + 1,
            deadlineAt: old.status === 'provisional'
              ? toStored(provisionalDeadline({ createdAt: fromStored(old.createdAt), start: times.start, dayOf: env.dayOf, rules: rules.life }))
              : null,
          });
        }
        let updated = updateBooking(tx, old.id, set);
        if (moved) updated = settle(tx, updated, now);
        recordAudit(tx, {
          at: toStored(now), actorId: actor.id, action: 'booking.change', entity: 'booking', entityId: old.id,
          detail: { from: { space: old.spaceId, start: old.startAt, end: old.endAt, attendees: old.attendees, totalYen: old.totalYen }, to: { space: space.slug, start: toApi(times.start), end: toApi(times.end), attendees, totalYen: updated.totalYen }, changeFeeYen: feeYen, overrideReason: input.overrideReason ?? null },
        });
        return { ...view(tx, updated, actor), changeFeeYen: feeYen };
      }, options.dryRun);
    },

    /** Cancels: the charge by the tiers, the refund of what was paid above it, and any balance owed. */
    cancel(actorOrNull: Actor | null, id: number, body: unknown, options: { dryRun?: boolean } = {}) {
      const actor = requireActor(actorOrNull);
      const input = parseInput(CancelInput, body);
      if (input.facilityCaused && !isStaff(actor)) throw new ValidationError([{ path: 'facilityCaused', message: 'only staff mark a cancellation as facility-caused' }]);
      return write(db, (tx) => {
        const now = clock();
        expireOverdue(tx, now, null);
        const b = visibleBooking(tx, actor, id);
        if (!isLive(b)) throw new InvalidStateError(`the booking is already ${b.status}`);
        const paid = paidYen(tx, b.id);
        const charge = cancellationCharge({
          totalYen: b.totalYen, paidYen: paid, status: b.status, paymentStatus: b.paymentStatus,
          start: fromStored(b.startAt), now, facilityCaused: input.facilityCaused, tiers: reference.rules(b.useDate).life.cancellationTiers,
        });
        const nowIso = toStored(now);
        if (charge.refundYen > 0) {
          insertPayment(tx, { bookingId: b.id, receiptNo: nextReceiptNo(tx, `F${fiscalYear(tokyoDate(now))}-`), kind: 'refund', amountYen: charge.refundYen, method: 'cash', note: 'cancellation', receivedBy: actor.id, createdAt: nowIso });
        }
        updateBooking(tx, b.id, {
          status: 'cancelled', cancelledAt: nowIso, cancellationFeeYen: charge.cancellationFeeYen, cancelReason: input.reason ?? null,
          facilityCaused: input.facilityCaused, deadlineAt: null, needsContact: false,
          paymentStatus: charge.refundYen > 0 ? 'refunded' : b.paymentStatus, updatedAt: nowIso,
        });
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'booking.cancel', entity: 'booking', entityId: b.id, detail: { reason: input.reason ?? null, facilityCaused: input.facilityCaused, ...charge } });
        return { status: 'cancelled' as const, cancellationFeeYen: charge.cancellationFeeYen, refundYen: charge.refundYen, balanceYen: charge.balanceYen };
      }, options.dryRun);
    },

    /** Staff grant a 50% or 100% exemption (減免) with a reason; the fee is recomputed from the booking's own snapshot. */
    setExemption(actorOrNull: Actor | null, id: number, body: unknown): BookingView {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(ExemptionInput, body);
      return db.transaction((tx) => {
        const now = clock();
        // A lapsed booking must not be revived by an exemption that confirms it.
        expireOverdue(tx, now, null);
        const b = visibleBooking(tx, actor, id);
        if (!isLive(b)) throw new InvalidStateError(`a ${b.status} booking cannot be exempted`);
        const snapshot = { ...(JSON.parse(b.pricingJson) as PricingSnapshot), exemptionPercent: input.percent };
        const price = priceFromSnapshot(snapshot, fromStored(b.startAt), fromStored(b.endAt));
        const paid = paidYen(tx, b.id);
        if (paid > price.totalYen) throw new InvalidStateError(`¥${paid} is already paid, more than the exempted fee of ¥${price.totalYen}; refund first`);
        let updated = updateBooking(tx, b.id, {
          exemptionPercent: input.percent, exemptionReason: input.reason, totalYen: price.totalYen,
          linesJson: JSON.stringify(price.lines), pricingJson: JSON.stringify(snapshot),
          paymentStatus: price.totalYen === 0 ? 'exempt' : b.paymentStatus, updatedAt: toStored(now),
        });
        updated = settle(tx, updated, now);
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'booking.exemption', entity: 'booking', entityId: b.id, detail: { percent: input.percent, reason: input.reason, fromYen: b.totalYen, toYen: price.totalYen } });
        return view(tx, updated, actor);
      }, { behavior: 'immediate' });
    },

    /** A cash payment at the desk; full payment confirms a provisional booking. */
    pay(actorOrNull: Actor | null, id: number, body: unknown): { receiptNo: string; paymentStatus: string; status: string; balanceYen: number } {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(PaymentInput, body);
      return db.transaction((tx) => {
        const now = clock();
        expireOverdue(tx, now, null);
        const b = visibleBooking(tx, actor, id);
        const paid = paidYen(tx, b.id);
        // A cancelled booking may still owe its cancellation charge.
        const due = isLive(b) ? b.totalYen - paid : b.status === 'cancelled' ? (b.cancellationFeeYen ?? 0) - paid : 0;
        if (due <= 0) throw new InvalidStateError('nothing is owed on this booking');
        if (input.amountYen > due) throw new ValidationError([{ path: 'amountYen', message: `at most ¥${due} is owed` }]);
        const nowIso = toStored(now);
        const receiptNo = nextReceiptNo(tx, `R${fiscalYear(tokyoDate(now))}-`);
        insertPayment(tx, { bookingId: b.id, receiptNo, kind: 'payment', amountYen: input.amountYen, method: input.method, receivedBy: actor.id, createdAt: nowIso });
        // Paying off a cancellation charge settles the booking too.
        const updated = isLive(b) ? settle(tx, b, now)
          : input.amountYen === due ? updateBooking(tx, b.id, { paymentStatus: 'paid', updatedAt: nowIso }) : b;
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'payment.receive', entity: 'booking', entityId: b.id, detail: { receiptNo, amountYen: input.amountYen, method: input.method } });
        return { receiptNo, paymentStatus: updated.paymentStatus, status: updated.status, balanceYen: due - input.amountYen };
      }, { behavior: 'immediate' });
    },

    /** Records use at the desk with the actual headcount; a late check-in undoes a no-show. */
    checkIn(actorOrNull: Actor | null, id: number, body: unknown): BookingView {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(CheckInInput, body);
      return db.transaction((tx) => {
        const now = clock();
        expireOverdue(tx, now, null);
        const b = visibleBooking(tx, actor, id);
        if (!isLive(b)) throw new InvalidStateError(`a ${b.status} booking cannot be checked in`);
        if (b.useDate !== tokyoDate(now)) throw new InvalidStateError(`check-in is on the day of use (${b.useDate})`);
        if (now >= fromStored(b.endAt)) throw new InvalidStateError('the booking has already ended');
        const updated = updateBooking(tx, b.id, { attendance: 'checked_in', actualAttendees: input.attendees, updatedAt: toStored(now) });
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'booking.check_in', entity: 'booking', entityId: b.id, detail: { attendees: input.attendees, was: b.attendance } });
        return view(tx, updated, actor);
      }, { behavior: 'immediate' });
    },

    /** The periodic job: expiry and no-shows as of `now`. */
    runPeriodic(now: DateTime = clock()): { expired: number[]; noShows: number[] } {
      return db.transaction((tx) => ({
        expired: expireOverdue(tx, now, null),
        noShows: markNoShows(tx, now, reference.rules(tokyoDate(now)).life),
      }), { behavior: 'immediate' });
    },
  };
}

export { bookingCategory };
