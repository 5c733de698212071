import { z } from 'zod';
import type { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import { checkOverride, openingDay } from '../domain/calendar.js';
import { at, clockMinutes, fromStored, isClockTime, isDate, parseInstant, toApi, toStored, tokyoDate } from '../domain/time.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { insertBlock, overrideOn, upsertOverride } from '../repositories/calendar.js';
import { liveOnDate, liveOverlapping, paidYen, updateBooking, insertPayment, nextReceiptNo, type BookingRow } from '../repositories/bookings.js';
import { relatedSpaces } from './booking-checks.js';
import { requireManager, type Actor, type Deps } from './context.js';
import { text } from './validate.js';
import { parseInput } from './validate.js';
import { fiscalYear } from '../domain/time.js';
import { cancellationCharge } from '../domain/life.js';
import { expireOverdue } from './booking-jobs.js';

const clock = z.string().refine(isClockTime, 'a time as HH:MM');
/** What to do with bookings a closure strands: flag them for staff to call, or cancel them free. */
const Stranded = z.enum(['contact', 'cancel']).default('contact');

const DayInput = z.union([
  z.object({ closed: z.literal(true), reason: text(200), stranded: Stranded }).strict(),
  z.object({ open: clock, close: clock, reason: text(200).optional(), stranded: Stranded }).strict(),
]);

const BlockInput = z.object({ start: z.string().max(40), end: z.string().max(40), reason: text(200), stranded: Stranded }).strict();

export interface Affected {
  bookingId: number;
  space: string;
  start: string;
  end: string;
  status: string;
  action: 'needs_contact' | 'cancelled';
}

/** Manager's changes of hours, closures and space blocks, with the stranded-booking confirmation. */
export function makeClosureService(deps: Deps) {
  const { db, reference } = deps;

  /** Flags or cancels (facility-caused, free) the stranded bookings. */
  function handleStranded(tx: Tx, stranded: BookingRow[], action: 'contact' | 'cancel', actor: Actor, now: DateTime, slugs: Map<number, string>, why: string): Affected[] {
    const nowIso = toStored(now);
    return stranded.map((b) => {
      if (action === 'cancel') {
        const paid = paidYen(tx, b.id);
        const charge = cancellationCharge({ totalYen: b.totalYen, paidYen: paid, status: b.status, paymentStatus: b.paymentStatus, start: fromStored(b.startAt), now, facilityCaused: true, tiers: [] });
        if (charge.refundYen > 0) {
          insertPayment(tx, { bookingId: b.id, receiptNo: nextReceiptNo(tx, `F${fiscalYear(tokyoDate(now))}-`), kind: 'refund', amountYen: charge.refundYen, method: 'cash', note: why, receivedBy: actor.id, createdAt: nowIso });
        }
        // Cancelled but still to be told: staff call everyone whose booking the center cancelled.
        updateBooking(tx, b.id, { status: 'cancelled', cancelledAt: nowIso, cancellationFeeYen: 0, cancelReason: why, facilityCaused: true, needsContact: true, deadlineAt: null, paymentStatus: charge.refundYen > 0 ? 'refunded' : b.paymentStatus, updatedAt: nowIso });
      } else {
        updateBooking(tx, b.id, { needsContact: true, updatedAt: nowIso });
      }
      recordAudit(tx, { at: nowIso, actorId: actor.id, action: action === 'cancel' ? 'booking.cancel' : 'booking.needs_contact', entity: 'booking', entityId: b.id, detail: { facilityCaused: true, reason: why } });
      return { bookingId: b.id, space: slugs.get(b.spaceId) ?? '', start: toApi(fromStored(b.startAt)), end: toApi(fromStored(b.endAt)), status: b.status, action: action === 'cancel' ? 'cancelled' : 'needs_contact' };
    });
  }

  function strandedConflict(stranded: BookingRow[], slugs: Map<number, string>): ConflictError {
    return new ConflictError(`${stranded.length} booking(s) would be stranded; repeat with ?confirm=true to flag or cancel them`,
      stranded.map((b) => ({ bookingId: b.id, space: slugs.get(b.spaceId), start: toApi(fromStored(b.startAt)), end: toApi(fromStored(b.endAt)), status: b.status })));
  }

  return {
    /** Sets one date's hours or closes it for the whole center (API.md `PUT /calendar/{date}`). */
    setDay(actorOrNull: Actor | null, date: string, body: unknown, confirm: boolean) {
      const actor = requireManager(actorOrNull);
      if (!isDate(date)) throw new ValidationError([{ path: 'date', message: 'a real date as YYYY-MM-DD' }]);
      const input = parseInput(DayInput, body);
      return db.transaction((tx) => {
        const now = deps.clock();
        // A booking that lapsed unpaid is not stranded: expire it first, as every write does.
        expireOverdue(tx, now, null);
        const rules = reference.rules(date);
        const override = 'closed' in input
          ? { date, closed: true, open: null, close: null, reason: input.reason }
          : { date, closed: false, open: input.open, close: input.close, reason: input.reason ?? null };
        const problems = checkOverride(override, rules.calendar);
        if (problems.length > 0) throw new ValidationError(problems.map((message) => ({ path: 'close', message })));
        // Hours off the booking grid would show free time that no booking can start or end on.
        const offGrid = (['open', 'close'] as const).filter((k) => override[k] !== null && clockMinutes(override[k]!) % rules.life.gridMinutes !== 0);
        if (offGrid.length > 0) throw new ValidationError(offGrid.map((path) => ({ path, message: `must be on the ${rules.life.gridMinutes}-minute grid` })));
        const day = openingDay(date, rules.calendar, override);
        const stranded = liveOnDate(tx, date).filter((b) =>
          day.closed || !day.open || !day.close || fromStored(b.startAt) < at(date, day.open) || fromStored(b.endAt) > at(date, day.close));
        const slugs = new Map(reference.spaces(date).map((s) => [s.id, s.slug]));
        if (stranded.length > 0 && !confirm) throw strandedConflict(stranded, slugs);
        const before = overrideOn(tx, date) ?? null;
        upsertOverride(tx, { ...override, createdBy: actor.id, createdAt: toStored(now) });
        reference.invalidate();
        const affected = handleStranded(tx, stranded, input.stranded, actor, now, slugs, override.reason ?? 'hours changed');
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'calendar.set', entity: 'day', entityId: date, detail: { before, after: override, affected: affected.length } });
        return { date, open: day.open, close: day.close, closed: day.closed, holiday: day.holiday, reason: day.reason, affected };
      }, { behavior: 'immediate' });
    },

    /** Blocks one space for a period (maintenance, the center's own events, shelter use). */
    addBlock(actorOrNull: Actor | null, slug: string, body: unknown, confirm: boolean) {
      const actor = requireManager(actorOrNull);
      const input = parseInput(BlockInput, body);
      let start: DateTime;
      let end: DateTime;
      try {
        start = parseInstant(input.start);
        end = parseInstant(input.end);
      } catch (err) {
        throw new ValidationError([{ path: 'start', message: (err as Error).message }]);
      }
      if (end <= start) throw new ValidationError([{ path: 'end', message: 'end must be after start' }]);
      if (end.diff(start, 'days').days > 366) throw new ValidationError([{ path: 'end', message: 'a block lasts at most a year' }]);
      return db.transaction((tx) => {
        const now = deps.clock();
        expireOverdue(tx, now, null);
        const all = reference.spaces(tokyoDate(start));
        const space = all.find((s) => s.slug === slug);
        if (!space) throw new NotFoundError('space');
        const related = relatedSpaces(space, all);
        // Bookings never last a day, so a one-day lower bound in liveOverlapping still finds all.
        const stranded = liveOverlapping(tx, related.map((s) => s.id), toStored(start), toStored(end));
        const slugs = new Map(all.map((s) => [s.id, s.slug]));
        if (stranded.length > 0 && !confirm) throw strandedConflict(stranded, slugs);
        const id = insertBlock(tx, { spaceId: space.id, startAt: toStored(start), endAt: toStored(end), reason: input.reason, createdBy: actor.id, createdAt: toStored(now) });
        const affected = handleStranded(tx, stranded, input.stranded, actor, now, slugs, input.reason);
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'block.create', entity: 'space_block', entityId: id, detail: { space: slug, start: toApi(start), end: toApi(end), reason: input.reason, affected: affected.length } });
        return { id, space: slug, start: toApi(start), end: toApi(end), reason: input.reason, affected };
      }, { behavior: 'immediate' });
    },
  };
}
