/**
 * The front desk (窓口): today's board, finding bookings and bookers, the money of a booking beyond
 * the plain payment (voids and refunds), the people to call, and the day's cash close (日計表).
 * Booking, changing, cancelling, exempting, paying and checking in are the booking services'; the
 * desk pages call those directly. Everything here is for staff and managers only.
 */
import { z } from 'zod';
import type { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import { addDays, at, fiscalYear, fromStored, isDate, toApi, toStored, tokyoDate } from '../domain/time.js';
import type { Category } from '../domain/rules.js';
import { InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { findBooking, insertPayment, nextReceiptNo, paidYen, updateBooking, type BookingRow } from '../repositories/bookings.js';
import {
  deskBooking, deskBookingsByIds, deskBookingsOn, findAccountBooker, findGroupBooker, findPayment, moneyBetween, needsContactFrom,
  owingBetween, paymentsOf, searchBookers, searchBookings, voidFor, type BookerRow, type DeskRow, type MoneyRow,
} from '../repositories/desk.js';
import { requireStaff, type Actor, type Deps } from './context.js';
import { expireOverdue } from './booking-jobs.js';
import { parseInput, text } from './validate.js';
import { write } from './transaction.js';

export const VoidInput = z.object({ reason: text(500) }).strict();
export const RefundInput = z.object({
  amountYen: z.number().int().positive().max(100_000_000),
  reason: text(500),
  method: z.literal('cash').default('cash'),
}).strict();
const DateQuery = z.object({ date: z.string().refine(isDate, 'a real date as YYYY-MM-DD') });

/** How far back the board looks for money still owed on bookings already used. */
const OWING_LOOKBACK_DAYS = 90;
/** How far ahead the board lists unpaid bookings (provisional ones expire within a week). */
const OWING_LOOKAHEAD_DAYS = 7;

export interface DeskBooker {
  kind: 'group' | 'account' | 'walkIn';
  /** The name to call the booker by: the group, the account's holder, or the walk-in. */
  name: string;
  /** Every phone number on file, best first (walk-in or account, then the group's). */
  phones: string[];
  email: string | null;
  groupName: string | null;
  accountName: string | null;
}

/** A booking as the desk sees it: with whom it is for, what is paid, owed and refundable. */
export interface DeskBooking {
  id: number;
  space: string;
  start: string;
  end: string;
  useDate: string;
  /** A provisional booking past its deadline shows as expired even before a write or the job records it. */
  status: BookingRow['status'];
  paymentStatus: BookingRow['paymentStatus'];
  attendance: BookingRow['attendance'];
  category: Category;
  channel: BookingRow['channel'];
  attendees: number;
  actualAttendees: number | null;
  purpose: string;
  totalYen: number;
  paidYen: number;
  /** What is still owed: the fee of a live booking, or the charge of a cancelled one. */
  balanceYen: number;
  /** What was paid above what is owed (an overpayment, or a cancelled or expired booking's money). */
  refundableYen: number;
  needsContact: boolean;
  deadline: string | null;
  permitNo: string | null;
  cancellationFeeYen: number | null;
  facilityCaused: boolean;
  cancelReason: string | null;
  exemption: { percent: number; reason: string | null } | null;
  overrideReason: string | null;
  lines: { label: string; amountYen: number }[];
  changeCount: number;
  booker: DeskBooker;
}

export interface DeskPayment {
  id: number;
  receiptNo: string;
  kind: 'payment' | 'refund' | 'void';
  amountYen: number;
  method: 'cash';
  note: string | null;
  at: string;
  receivedBy: string | null;
  /** For a void: the receipt number of the payment it cancels out. */
  voidsReceiptNo: string | null;
  /** For a payment: the receipt number of its void, when it was voided. */
  voidedBy: string | null;
}

export interface CashTotals {
  count: number;
  inYen: number;
  outYen: number;
  netYen: number;
}

export interface CashClose {
  date: string;
  entries: {
    id: number; receiptNo: string; kind: 'payment' | 'refund' | 'void'; amountYen: number; signedYen: number; method: 'cash';
    note: string | null; at: string; bookingId: number; category: Category; space: string; useDate: string;
    booker: string; receivedBy: string | null; voidsReceiptNo: string | null;
  }[];
  byKind: Record<'payment' | 'refund' | 'void', { count: number; yen: number }>;
  byMethod: Record<'cash', CashTotals>;
  byCategory: Record<Category, CashTotals>;
  /** Payments less refunds and voids: the cash the drawer gained over the day. */
  netYen: number;
}

const isLive = (status: string) => status === 'provisional' || status === 'confirmed';

/** What a cancelled or live booking still owes, and what was paid above that. */
function money(b: BookingRow, paid: number): { balanceYen: number; refundableYen: number } {
  const owed = isLive(b.status) ? b.totalYen : b.status === 'cancelled' ? (b.cancellationFeeYen ?? 0) : 0;
  return { balanceYen: Math.max(0, owed - paid), refundableYen: Math.max(0, paid - owed) };
}

function bookerOf(r: DeskRow): DeskBooker {
  const b = r.booking;
  const phones = [b.walkInPhone, r.accountPhone, r.groupPhone].filter((p): p is string => typeof p === 'string' && p !== '');
  const unique = [...new Set(phones)];
  if (b.groupId !== null) return { kind: 'group', name: r.groupName ?? '', phones: unique, email: r.accountEmail, groupName: r.groupName, accountName: r.accountName };
  if (b.accountId !== null) return { kind: 'account', name: r.accountName ?? '', phones: unique, email: r.accountEmail, groupName: null, accountName: r.accountName };
  return { kind: 'walkIn', name: b.walkInName ?? '', phones: unique, email: null, groupName: null, accountName: null };
}

export function makeDeskService(deps: Deps) {
  const { db, clock } = deps;

  function toDesk(r: DeskRow, now: DateTime): DeskBooking {
    const b = r.booking;
    const lapsed = b.status === 'provisional' && b.deadlineAt !== null && b.deadlineAt <= toStored(now) && b.paymentStatus === 'unpaid';
    const status = lapsed ? 'expired' : b.status;
    const m = money({ ...b, status }, r.paidYen);
    return {
      id: b.id, space: r.spaceSlug, start: toApi(fromStored(b.startAt)), end: toApi(fromStored(b.endAt)), useDate: b.useDate,
      status, paymentStatus: b.paymentStatus, attendance: b.attendance, category: b.category, channel: b.channel,
      attendees: b.attendees, actualAttendees: b.actualAttendees, purpose: b.purpose,
      totalYen: b.totalYen, paidYen: r.paidYen, ...m, needsContact: b.needsContact,
      deadline: status === 'provisional' && b.deadlineAt ? toApi(fromStored(b.deadlineAt)) : null,
      permitNo: b.permitNo, cancellationFeeYen: b.cancellationFeeYen, facilityCaused: b.facilityCaused, cancelReason: b.cancelReason,
      exemption: b.exemptionPercent > 0 ? { percent: b.exemptionPercent, reason: b.exemptionReason } : null,
      overrideReason: b.overrideReason, lines: JSON.parse(b.linesJson) as DeskBooking['lines'], changeCount: b.changeCount,
      booker: bookerOf(r),
    };
  }

  function dateOrToday(raw: unknown): string {
    if (raw === undefined || raw === '') return tokyoDate(clock());
    return parseInput(DateQuery, { date: raw }).date;
  }

  /** The booking's payment status from its money as it now stands (after a void or a refund). */
  function recomputePayment(tx: Tx, b: BookingRow, now: DateTime): BookingRow {
    const paid = paidYen(tx, b.id);
    const refunded = paymentsOf(tx, b.id).some((p) => p.kind === 'refund');
    let paymentStatus: BookingRow['paymentStatus'];
    if (isLive(b.status)) {
      paymentStatus = b.totalYen === 0 && b.paymentStatus === 'exempt' ? 'exempt' : paid >= b.totalYen ? 'paid' : 'unpaid';
    } else if (refunded) {
      paymentStatus = 'refunded';
    } else {
      const fee = b.status === 'cancelled' ? (b.cancellationFeeYen ?? 0) : 0;
      paymentStatus = fee > 0 && paid >= fee ? 'paid' : b.paymentStatus === 'exempt' ? 'exempt' : 'unpaid';
    }
    return paymentStatus === b.paymentStatus ? b : updateBooking(tx, b.id, { paymentStatus, updatedAt: toStored(now) });
  }

  function paymentView(p: ReturnType<typeof paymentsOf>[number], all: ReturnType<typeof paymentsOf>): DeskPayment {
    return {
      id: p.id, receiptNo: p.receiptNo, kind: p.kind, amountYen: p.amountYen, method: p.method, note: p.note,
      at: toApi(fromStored(p.createdAt)), receivedBy: p.receivedByName,
      voidsReceiptNo: p.voidsPaymentId === null ? null : all.find((o) => o.id === p.voidsPaymentId)?.receiptNo ?? null,
      voidedBy: p.kind === 'payment' ? all.find((o) => o.kind === 'void' && o.voidsPaymentId === p.id)?.receiptNo ?? null : null,
    };
  }

  return {
    /**
     * Today's board (or another date's): every booking of the day with its booker and money, the
     * bookings staff must call about, and who still has to pay.
     */
    board(actorOrNull: Actor | null, dateRaw?: unknown) {
      requireStaff(actorOrNull);
      const date = dateOrToday(dateRaw);
      const now = clock();
      const today = tokyoDate(now);
      return {
        date,
        today,
        bookings: deskBookingsOn(db, date).map((r) => toDesk(r, now)),
        needsContact: needsContactFrom(db, today).map((r) => toDesk(r, now)),
        owing: owingBetween(db, addDays(today, -OWING_LOOKBACK_DAYS), addDays(today, OWING_LOOKAHEAD_DAYS)).map((r) => toDesk(r, now))
          .filter((b) => b.balanceYen > 0),
      };
    },

    /** Bookings found by number (booking, permit, receipt), name or phone. */
    searchBookings(actorOrNull: Actor | null, query: unknown): DeskBooking[] {
      requireStaff(actorOrNull);
      const q = typeof query === 'string' ? query.slice(0, 100) : '';
      const now = clock();
      return searchBookings(db, q, tokyoDate(now)).map((r) => toDesk(r, now));
    },

    /** Groups and accounts the desk may book for, by name, kana, phone, e-mail or number. */
    searchBookers(actorOrNull: Actor | null, query: unknown): BookerRow[] {
      requireStaff(actorOrNull);
      return searchBookers(db, typeof query === 'string' ? query.slice(0, 100) : '');
    },

    /** One group or account to book for (`group:12`, `account:5`), or 404. */
    booker(actorOrNull: Actor | null, ref: string): BookerRow {
      requireStaff(actorOrNull);
      const match = /^(group|account):(\d{1,15})$/.exec(ref);
      const found = match ? (match[1] === 'group' ? findGroupBooker(db, Number(match[2])) : findAccountBooker(db, Number(match[2]))) : undefined;
      if (!found) throw new NotFoundError('booker');
      return found;
    },

    /** One booking with its booker, money and payments, for the desk's booking page. */
    booking(actorOrNull: Actor | null, id: number): { booking: DeskBooking; payments: DeskPayment[] } {
      requireStaff(actorOrNull);
      const r = Number.isSafeInteger(id) ? deskBooking(db, id) : undefined;
      if (!r) throw new NotFoundError('booking');
      const all = paymentsOf(db, id);
      return { booking: toDesk(r, clock()), payments: all.map((p) => paymentView(p, all)) };
    },

    /** The bookings of a call list (after a closure), or every booking flagged for contact from today. */
    callList(actorOrNull: Actor | null, ids?: readonly number[]): DeskBooking[] {
      requireStaff(actorOrNull);
      const now = clock();
      const rows = ids === undefined ? needsContactFrom(db, tokyoDate(now)) : deskBookingsByIds(db, ids.filter(Number.isSafeInteger).slice(0, 500));
      return rows.map((r) => toDesk(r, now));
    },

    /** Staff reached the booker: the booking leaves the call list. */
    markContacted(actorOrNull: Actor | null, id: number): void {
      const actor = requireStaff(actorOrNull);
      write(db, (tx) => {
        const b = Number.isSafeInteger(id) ? findBooking(tx, id) : undefined;
        if (!b) throw new NotFoundError('booking');
        if (!b.needsContact) return;
        const now = toStored(clock());
        updateBooking(tx, b.id, { needsContact: false, updatedAt: now });
        recordAudit(tx, { at: now, actorId: actor.id, action: 'booking.contacted', entity: 'booking', entityId: b.id, detail: { status: b.status } });
      });
    },

    /**
     * Voids a payment taken by mistake (入金取消), with a reason: a `void` row of the same amount
     * that points at it, and the booking's payment status recomputed. A booking that the payment
     * confirmed stays confirmed (its permit may be in the booker's hands) but is unpaid again, and
     * the audit says so. A payment already voided, or whose money was refunded, cannot be voided.
     */
    voidPayment(actorOrNull: Actor | null, paymentId: number, body: unknown) {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(VoidInput, body);
      return write(db, (tx) => {
        const now = clock();
        expireOverdue(tx, now, null);
        const p = Number.isSafeInteger(paymentId) ? findPayment(tx, paymentId) : undefined;
        if (!p) throw new NotFoundError('payment');
        if (p.kind !== 'payment') throw new InvalidStateError(`a ${p.kind} cannot be voided`);
        const earlier = voidFor(tx, p.id);
        if (earlier) throw new InvalidStateError(`payment ${p.receiptNo} was already voided by ${earlier.receiptNo}`);
        const b = findBooking(tx, p.bookingId)!;
        const paidBefore = paidYen(tx, b.id);
        if (paidBefore - p.amountYen < 0) {
          throw new InvalidStateError(`¥${p.amountYen - paidBefore} of payment ${p.receiptNo} was already refunded; it cannot be voided`);
        }
        const nowIso = toStored(now);
        const receiptNo = nextReceiptNo(tx, `V${fiscalYear(tokyoDate(now))}-`);
        insertPayment(tx, {
          bookingId: b.id, receiptNo, kind: 'void', amountYen: p.amountYen, method: p.method, note: input.reason,
          voidsPaymentId: p.id, receivedBy: actor.id, createdAt: nowIso,
        });
        const updated = recomputePayment(tx, b, now);
        const keptConfirmed = updated.status === 'confirmed' && updated.paymentStatus === 'unpaid' && b.paymentStatus === 'paid';
        recordAudit(tx, {
          at: nowIso, actorId: actor.id, action: 'payment.void', entity: 'booking', entityId: b.id,
          detail: {
            receiptNo: p.receiptNo, voidReceiptNo: receiptNo, amountYen: p.amountYen, reason: input.reason,
            paymentStatus: { from: b.paymentStatus, to: updated.paymentStatus }, status: updated.status, keptConfirmed,
          },
        });
        return { receiptNo, voidsReceiptNo: p.receiptNo, amountYen: p.amountYen, bookingId: b.id, status: updated.status, paymentStatus: updated.paymentStatus, keptConfirmed };
      });
    },

    /**
     * Pays money back (返金) with a reason: what was paid above what the booking owes — an
     * overpayment after a change to a cheaper slot, or the money of a cancelled or expired booking
     * that was not paid out yet. A `refund` row with its own number.
     */
    refund(actorOrNull: Actor | null, bookingId: number, body: unknown) {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(RefundInput, body);
      return write(db, (tx) => {
        const now = clock();
        expireOverdue(tx, now, null);
        const b = Number.isSafeInteger(bookingId) ? findBooking(tx, bookingId) : undefined;
        if (!b) throw new NotFoundError('booking');
        const { refundableYen } = money(b, paidYen(tx, b.id));
        if (refundableYen <= 0) throw new InvalidStateError('nothing was paid above what this booking owes');
        if (input.amountYen > refundableYen) throw new ValidationError([{ path: 'amountYen', message: `at most ¥${refundableYen} can be refunded` }]);
        const nowIso = toStored(now);
        const receiptNo = nextReceiptNo(tx, `F${fiscalYear(tokyoDate(now))}-`);
        insertPayment(tx, { bookingId: b.id, receiptNo, kind: 'refund', amountYen: input.amountYen, method: input.method, note: input.reason, receivedBy: actor.id, createdAt: nowIso });
        const updated = recomputePayment(tx, b, now);
        recordAudit(tx, {
          at: nowIso, actorId: actor.id, action: 'payment.refund', entity: 'booking', entityId: b.id,
          detail: { receiptNo, amountYen: input.amountYen, reason: input.reason, paymentStatus: { from: b.paymentStatus, to: updated.paymentStatus } },
        });
        return { receiptNo, amountYen: input.amountYen, bookingId: b.id, paymentStatus: updated.paymentStatus, refundableYen: refundableYen - input.amountYen };
      });
    },

    /**
     * The day's cash close (日計表): every payment, refund and void made on the Tokyo date, with
     * totals by kind, method and booking category, and the net the cash drawer gained.
     */
    cashClose(actorOrNull: Actor | null, dateRaw?: unknown): CashClose {
      requireStaff(actorOrNull);
      const date = dateOrToday(dateRaw);
      const rows = moneyBetween(db, toStored(at(date, '00:00')), toStored(at(addDays(date, 1), '00:00')));
      return cashCloseOf(date, rows);
    },
  };
}

function emptyTotals(): CashTotals {
  return { count: 0, inYen: 0, outYen: 0, netYen: 0 };
}

function add(t: CashTotals, signed: number): void {
  t.count += 1;
  if (signed >= 0) t.inYen += signed;
  else t.outYen -= signed;
  t.netYen += signed;
}

/** The cash close's figures from the day's rows: payments add, refunds and voids take away. */
export function cashCloseOf(date: string, rows: readonly MoneyRow[]): CashClose {
  const byKind = { payment: { count: 0, yen: 0 }, refund: { count: 0, yen: 0 }, void: { count: 0, yen: 0 } };
  const byMethod = { cash: emptyTotals() };
  const byCategory = { registered: emptyTotals(), general: emptyTotals(), commercial: emptyTotals() };
  const entries = rows.map((r) => {
    const signedYen = r.kind === 'payment' ? r.amountYen : -r.amountYen;
    byKind[r.kind].count += 1;
    byKind[r.kind].yen += r.amountYen;
    add(byMethod[r.method], signedYen);
    add(byCategory[r.category], signedYen);
    return {
      id: r.id, receiptNo: r.receiptNo, kind: r.kind, amountYen: r.amountYen, signedYen, method: r.method, note: r.note,
      at: toApi(fromStored(r.createdAt)), bookingId: r.bookingId, category: r.category, space: r.spaceSlug, useDate: r.useDate,
      booker: r.groupName ?? r.accountName ?? r.walkInName ?? '', receivedBy: r.receivedByName, voidsReceiptNo: r.voidsReceiptNo,
    };
  });
  return { date, entries, byKind, byMethod, byCategory, netYen: byKind.payment.yen - byKind.refund.yen - byKind.void.yen };
}

export type DeskService = ReturnType<typeof makeDeskService>;
