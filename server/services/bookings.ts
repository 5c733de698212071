import { eq } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import { accounts, bookingSeries, groups } from '../../db/schema.js';
import { bookingCategory, quote as priceQuote, rateKind as rateKindOf, type EquipmentLine, type Quote } from '../domain/pricing.js';
import { expandSeries, InvalidRecurrenceError } from '../domain/recurrence.js';
import { furthestOpenDate } from '../domain/windows.js';
import { provisionalDeadline } from '../domain/life.js';
import type { Category, PricingRules, BandRules, RateKind, Rules, SpaceInfo } from '../domain/rules.js';
import { fiscalYear, InvalidTimeError, parseInstant, toApi, toStored, tokyoDate } from '../domain/time.js';
import { ForbiddenError, NotFoundError, ProblemError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { findBooking, insertBooking, listBookings, nextPermitNo, paidYen, type BookingRow } from '../repositories/bookings.js';
import type { SpaceRow } from '../repositories/reference.js';
import { checkCandidate, type Booker, type CheckEnv } from './booking-checks.js';
import { BookingInput, ListQuery } from './booking-input.js';
import { bookingView, type BookingView } from './booking-view.js';
import { isStaff, requireActor, type Actor, type Deps } from './context.js';
import { expireOverdue } from './booking-jobs.js';
import { parseInput } from './validate.js';
import { assertMayBorrow, equipmentLines, equipmentShortages, reserveLoan, resolveItems, shortageConflict, type Borrower, type ResolvedItem } from './loan-core.js';
import { write } from './transaction.js';
import { groupStanding } from '../repositories/groups.js';
import { isRegisteredOn } from '../domain/registration.js';

/** Everything a fee was computed from, stored with the booking so it never follows a later fee table. */
export interface PricingSnapshot {
  space: Pick<SpaceInfo, 'name' | 'indoor' | 'ratesYen'>;
  rateKind: RateKind;
  pricing: PricingRules;
  bands: BandRules;
  exemptionPercent: 0 | 50 | 100;
  extraLines: { label: string; amountYen: number }[];
  /** Equipment on the booking at the fees of the day it was added (absent on bookings made before loans existed). */
  equipment?: EquipmentLine[];
}

export function priceFromSnapshot(s: PricingSnapshot, start: DateTime, end: DateTime): Quote {
  const q = priceQuote({ space: s.space, start, end, rateKind: s.rateKind, equipment: s.equipment ?? [], exemptionPercent: s.exemptionPercent, rules: s.pricing, bands: s.bands });
  // Extra lines (a change fee) are whole tens of yen, so the total stays floored to 10 yen.
  const extra = s.extraLines.reduce((sum, l) => sum + l.amountYen, 0);
  return { totalYen: q.totalYen + extra, lines: [...q.lines, ...s.extraLines] };
}

function parseTimes(start: string, end: string): { start: DateTime; end: DateTime } {
  const errors: { path: string; message: string }[] = [];
  let s: DateTime | undefined;
  let e: DateTime | undefined;
  try { s = parseInstant(start); } catch (err) { if (err instanceof InvalidTimeError) errors.push({ path: 'start', message: err.message }); else throw err; }
  try { e = parseInstant(end); } catch (err) { if (err instanceof InvalidTimeError) errors.push({ path: 'end', message: err.message }); else throw err; }
  if (errors.length > 0 || !s || !e) throw new ValidationError(errors);
  if (e <= s) throw new ValidationError([{ path: 'end', message: 'end must be after start' }]);
  return { start: s, end: e };
}

/** The borrower of equipment on a booking: the group, the individual, or nobody for a walk-in. */
export function borrowerOf(booker: Booker): Borrower {
  if (booker.kind === 'group') return { groupId: booker.groupId, accountId: null };
  if (booker.kind === 'individual') return { groupId: null, accountId: booker.accountId };
  return { groupId: null, accountId: null };
}

function problemOf(p: { code: ProblemError['code']; detail: string; extra: Record<string, unknown> }): ProblemError {
  return p.code === 'validation_failed'
    ? new ValidationError((p.extra.errors as { path: string; message: string }[]) ?? [{ path: '(body)', message: p.detail }])
    : new ProblemError(p.code, p.detail, p.extra);
}

export function makeBookingService(deps: Deps) {
  const { db, clock, reference } = deps;

  function findSpace(all: SpaceRow[], slug: string): SpaceRow {
    const space = all.find((s) => s.slug === slug);
    if (!space) throw new ValidationError([{ path: 'space', message: 'unknown space' }]);
    return space;
  }

  /** Registered now (approved and valid, or kept by a pending renewal): the category is decided when booking. */
  function groupIsRegistered(tx: Tx, groupId: number, today: string): boolean {
    const standing = groupStanding(tx, groupId);
    return standing !== undefined && isRegisteredOn(standing, today);
  }

  /** Whom the booking is for and through which channel; staff must name the booker. */
  function resolveBooker(tx: Tx, actor: Actor, input: BookingInput, today: string): { booker: Booker; channel: 'desk' | 'online' } {
    if (isStaff(actor)) {
      const named = [input.groupId, input.accountId, input.walkIn].filter((v) => v !== undefined).length;
      if (named !== 1) throw new ValidationError([{ path: 'groupId', message: 'staff name exactly one of groupId, accountId or walkIn' }]);
      if (input.groupId !== undefined) {
        if (!tx.select({ id: groups.id }).from(groups).where(eq(groups.id, input.groupId)).get()) {
          throw new ValidationError([{ path: 'groupId', message: 'unknown group' }]);
        }
        return { booker: { kind: 'group', groupId: input.groupId, accountId: null, registered: groupIsRegistered(tx, input.groupId, today) }, channel: 'desk' };
      }
      if (input.accountId !== undefined) {
        const acc = tx.select().from(accounts).where(eq(accounts.id, input.accountId)).get();
        if (!acc || acc.disabledAt || (acc.role !== 'individual' && acc.role !== 'member')) {
          throw new ValidationError([{ path: 'accountId', message: 'unknown account' }]);
        }
        if (acc.role === 'member' && acc.groupId !== null) {
          return { booker: { kind: 'group', groupId: acc.groupId, accountId: acc.id, registered: groupIsRegistered(tx, acc.groupId, today) }, channel: 'desk' };
        }
        return { booker: { kind: 'individual', accountId: acc.id }, channel: 'desk' };
      }
      return { booker: { kind: 'walkIn', name: input.walkIn!.name, phone: input.walkIn!.phone ?? null }, channel: 'desk' };
    }
    if (input.groupId !== undefined || input.accountId !== undefined || input.walkIn !== undefined || input.overrideReason !== undefined || input.exemption !== undefined) {
      throw new ForbiddenError('only staff book for others, override rules or grant exemptions');
    }
    if (actor.role === 'member' && actor.groupId !== null) {
      return { booker: { kind: 'group', groupId: actor.groupId, accountId: actor.id, registered: groupIsRegistered(tx, actor.groupId, today) }, channel: 'online' };
    }
    return { booker: { kind: 'individual', accountId: actor.id }, channel: 'online' };
  }

  function snapshotFor(space: SpaceRow, kind: RateKind, rules: Rules, exemptionPercent: 0 | 50 | 100, equipment: EquipmentLine[] = []): PricingSnapshot {
    return { space: { name: space.name, indoor: space.indoor, ratesYen: space.ratesYen }, rateKind: kind, pricing: rules.pricing, bands: rules.bands, exemptionPercent, extraLines: [], ...(equipment.length > 0 ? { equipment } : {}) };
  }

  function view(tx: Tx, b: BookingRow, actor: Actor | null): BookingView {
    const slug = reference.spaces(b.useDate).find((s) => s.id === b.spaceId)?.slug ?? String(b.spaceId);
    return bookingView(b, slug, paidYen(tx, b.id), isStaff(actor));
  }

  /** The booking if the actor may see it: staff all, an individual their own, a member their group's. Otherwise 404. */
  function visibleBooking(tx: Tx, actor: Actor, id: number): BookingRow {
    const b = Number.isSafeInteger(id) ? findBooking(tx, id) : undefined;
    if (!b) throw new NotFoundError('booking');
    if (isStaff(actor)) return b;
    if (actor.role === 'member' && actor.groupId !== null && b.groupId === actor.groupId) return b;
    if (actor.role === 'individual' && b.accountId === actor.id) return b;
    throw new NotFoundError('booking');
  }

  /** Writes one checked booking; the caller holds the immediate transaction. */
  function insertChecked(tx: Tx, args: {
    actor: Actor; now: DateTime; rules: Rules; dayOf: CheckEnv['dayOf']; space: SpaceRow; start: DateTime; end: DateTime;
    input: BookingInput; booker: Booker; channel: 'desk' | 'online'; category: Category; kind: RateKind; seriesId: number | null;
    items: readonly ResolvedItem[];
  }): BookingRow {
    const { actor, now, rules, space, start, end, input, booker, category, kind } = args;
    const exemptionPercent = input.exemption?.percent ?? 0;
    const snapshot = snapshotFor(space, kind, rules, exemptionPercent, equipmentLines(args.items));
    const price = priceFromSnapshot(snapshot, start, end);
    const registered = booker.kind === 'group' && booker.registered;
    const paidInFull = price.totalYen === 0;
    // A registered group's booking is confirmed at once; anyone else's waits for payment at the desk.
    const status = registered || paidInFull ? 'confirmed' : 'provisional';
    const nowIso = toStored(now);
    const row = insertBooking(tx, {
      spaceId: space.id, startAt: toStored(start), endAt: toStored(end), useDate: tokyoDate(start),
      category, rateKind: kind, channel: args.channel, status,
      paymentStatus: paidInFull ? 'exempt' : 'unpaid',
      purpose: input.purpose, attendees: input.attendees,
      commercial: input.use.commercial, admissionFeeYen: input.use.admissionFeeYen,
      totalYen: price.totalYen, linesJson: JSON.stringify(price.lines), pricingJson: JSON.stringify(snapshot),
      exemptionPercent, exemptionReason: input.exemption?.reason ?? null,
      deadlineAt: status === 'provisional' ? toStored(provisionalDeadline({ createdAt: now, start, dayOf: args.dayOf, rules: rules.life })) : null,
      accountId: booker.kind === 'walkIn' ? null : booker.accountId,
      groupId: booker.kind === 'group' ? booker.groupId : null,
      walkInName: booker.kind === 'walkIn' ? booker.name : null,
      walkInPhone: booker.kind === 'walkIn' ? booker.phone : null,
      madeBy: actor.id, seriesId: args.seriesId, overrideReason: input.overrideReason ?? null,
      permitNo: status === 'confirmed' ? nextPermitNo(tx, `P${fiscalYear(tokyoDate(now))}-`) : null,
      createdAt: nowIso, updatedAt: nowIso,
    });
    recordAudit(tx, {
      at: nowIso, actorId: actor.id, action: 'booking.create', entity: 'booking', entityId: row.id,
      detail: { space: space.slug, start: toApi(start), end: toApi(end), status, totalYen: price.totalYen, overrideReason: input.overrideReason ?? null, exemption: input.exemption ?? null },
    });
    if (args.items.length > 0) {
      // Equipment on a booking is a loan made in the same transaction (DESIGN.md); availability was checked by the caller.
      reserveLoan(tx, { kind: 'booking', bookingId: row.id, borrower: borrowerOf(booker), start, end, items: args.items, actorId: actor.id, now });
    }
    return row;
  }

  return {
    /** The fee a booking would cost, with its lines (API.md `POST /quotes`); anyone may ask. */
    quote(actor: Actor | null, body: unknown): Quote {
      // A series is quoted per occurrence: every date of it costs the same but for the heating season.
      const input = parseInput(BookingInput.partial({ purpose: true, attendees: true }), body);
      const { start, end } = parseTimes(input.start, input.end);
      // The rules and rates in force on the date of use, whenever the quote is asked for.
      const rules = reference.rules(tokyoDate(start));
      const space = findSpace(reference.spaces(tokyoDate(start)), input.space);
      const items = resolveItems(db, input.equipment, space.slug, 'equipment');
      const today = tokyoDate(clock());
      let registered = false;
      if (actor?.role === 'member' && actor.groupId !== null) registered = groupIsRegistered(db, actor.groupId, today);
      if (isStaff(actor) && input.groupId !== undefined) registered = groupIsRegistered(db, input.groupId, today);
      const category = bookingCategory({ registeredGroup: registered, use: input.use, rules: rules.pricing });
      const kind = rateKindOf({ category, use: input.use, rules: rules.pricing });
      const exemption = isStaff(actor) ? input.exemption?.percent ?? 0 : 0;
      try {
        return priceFromSnapshot(snapshotFor(space, kind, rules, exemption, equipmentLines(items)), start, end);
      } catch (err) {
        throw new ValidationError([{ path: 'end', message: (err as Error).message }]);
      }
    },

    /** Books one slot, or a recurring series whose every date is checked (API.md `POST /bookings`). */
    create(actorOrNull: Actor | null, body: unknown, options: { dryRun?: boolean } = {}): BookingView | { created: BookingView[]; skipped: { start: string; code: string; detail: string; opensAt?: string }[] } {
      const actor = requireActor(actorOrNull);
      const input = parseInput(BookingInput, body);
      const { start, end } = parseTimes(input.start, input.end);
      if (input.recurrence && !(isStaff(actor) || actor.role === 'member')) {
        throw new ForbiddenError('only groups and staff make recurring series');
      }
      return write(db, (tx) => {
        const now = clock();
        expireOverdue(tx, now, null);
        const today = tokyoDate(now);
        const { booker, channel } = resolveBooker(tx, actor, input, today);
        const override = isStaff(actor) && input.overrideReason !== undefined;
        /**
         * What applies to a booking used on `date`: the rules, the space's rates and terms in force
         * on that date, and so its category and rate kind (each date of a series has its own).
         */
        const termsOn = (date: string) => {
          const rules = reference.rules(date);
          const allSpaces = reference.spaces(date);
          const category = bookingCategory({ registeredGroup: booker.kind === 'group' && booker.registered, use: input.use, rules: rules.pricing });
          const kind = rateKindOf({ category, use: input.use, rules: rules.pricing });
          const env: CheckEnv = { tx, now, rules, spaces: allSpaces, dayOf: reference.dayOf, override };
          return { rules, space: findSpace(allSpaces, input.space), category, kind, env };
        };
        const first = termsOn(tokyoDate(start));
        const { rules, space, category } = first;
        const items = resolveItems(tx, input.equipment, space.slug, 'equipment');
        if (items.length > 0) assertMayBorrow(tx, borrowerOf(booker));
        const base = { actor, now, dayOf: reference.dayOf, input, booker, channel, items };

        if (!input.recurrence) {
          const problem = checkCandidate(first.env, { space, start, end, attendees: input.attendees, category, booker, channel });
          if (problem) throw problemOf(problem);
          const short = equipmentShortages(tx, items, start, end, now);
          if (short.length > 0) throw shortageConflict(short, start, end);
          return view(tx, insertChecked(tx, { ...base, ...first, start, end, seriesId: null }), actor);
        }

        let occurrences: { start: DateTime; end: DateTime }[];
        try {
          // Only a series without an end is cut at the furthest open window (DESIGN.md); a bounded
          // one is expanded in full, so its dates beyond the window are reported as skipped.
          const openEnded = !/(^|[;:])\s*(COUNT|UNTIL)\s*=/i.test(input.recurrence.rrule);
          const horizon = override
            ? tokyoDate(now.plus({ months: rules.life.seriesMaxMonths }))
            : openEnded
              ? furthestOpenDate(category, now, rules.windows)
              : tokyoDate(start.plus({ months: rules.life.seriesMaxMonths }));
          occurrences = expandSeries({ rrule: input.recurrence.rrule, start, end, horizon, maxMonths: rules.life.seriesMaxMonths });
        } catch (err) {
          if (err instanceof InvalidRecurrenceError || err instanceof InvalidTimeError) {
            throw new ValidationError([{ path: 'recurrence.rrule', message: err.message }]);
          }
          throw err;
        }
        const seriesId = tx.insert(bookingSeries).values({
          rrule: input.recurrence.rrule, spaceId: space.id, firstStartAt: toStored(start),
          durationMinutes: end.diff(start, 'minutes').minutes, createdBy: actor.id, createdAt: toStored(now),
        }).returning({ id: bookingSeries.id }).get().id;
        const created: BookingView[] = [];
        const skipped: { start: string; code: string; detail: string; opensAt?: string }[] = [];
        for (const o of occurrences) {
          const terms = termsOn(tokyoDate(o.start));
          const found = checkCandidate(terms.env, { space: terms.space, start: o.start, end: o.end, attendees: input.attendees, category: terms.category, booker, channel });
          const short = found ? [] : equipmentShortages(tx, items, o.start, o.end, now);
          const problem = found ?? (short.length > 0 ? problemOf(shortageConflict(short, o.start, o.end)) : null);
          if (problem) {
            skipped.push({ start: toApi(o.start), code: problem.code, detail: problem.detail, ...(typeof problem.extra.opensAt === 'string' ? { opensAt: problem.extra.opensAt } : {}) });
            continue;
          }
          created.push(view(tx, insertChecked(tx, { ...base, ...terms, start: o.start, end: o.end, seriesId }), actor));
        }
        if (created.length === 0) {
          // Nothing stored: throwing rolls the series row back too.
          throw new ProblemError('validation_failed', 'no date of the series could be booked', {
            errors: [{ path: 'recurrence', message: 'no date of the series could be booked' }], skipped,
          });
        }
        tx.update(bookingSeries).set({ skippedJson: JSON.stringify(skipped) }).where(eq(bookingSeries.id, seriesId)).run();
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'series.create', entity: 'booking_series', entityId: seriesId, detail: { created: created.length, skipped: skipped.length } });
        return { created, skipped };
      }, options.dryRun);
    },

    /** Bookings by use date: one's own (a member: the group's), or everyone's for staff. */
    list(actorOrNull: Actor | null, query: unknown): BookingView[] {
      const actor = requireActor(actorOrNull);
      const q = parseInput(ListQuery, query);
      const spaceId = q.space === undefined ? undefined : findSpace(reference.spaces(q.from), q.space).id;
      const filter = { from: q.from, to: q.to, ...(spaceId !== undefined ? { spaceId } : {}) };
      const rows = isStaff(actor)
        ? listBookings(db, filter)
        : actor.role === 'member' && actor.groupId !== null
          ? listBookings(db, { ...filter, groupId: actor.groupId })
          : listBookings(db, { ...filter, accountId: actor.id });
      const slugs = new Map(reference.spaces(q.from).map((s) => [s.id, s.slug]));
      return rows.map((b) => bookingView(b, slugs.get(b.spaceId) ?? '', paidYen(db, b.id), isStaff(actor)));
    },

    get(actorOrNull: Actor | null, id: number): BookingView {
      const actor = requireActor(actorOrNull);
      return view(db, visibleBooking(db, actor, id), actor);
    },

    /** Internal: used by the change, cancel and money services. */
    internals: { visibleBooking, view, findSpace, parseTimes, problemOf, snapshotFor, groupIsRegistered },
  };
}

export type BookingService = ReturnType<typeof makeBookingService>;
