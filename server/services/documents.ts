/**
 * The documents a booker holds (DESIGN.md, "Booking life"): the use permit of a confirmed booking
 * and the receipt of each payment. Whoever may see the booking may download them — staff, the
 * individual who booked, the members of the group — and anyone else gets a 404.
 */
import type { Tx } from '../../db/client.js';
import { fromStored, tokyoClock, tokyoDate } from '../domain/time.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import { permitPdf, receiptPdf } from '../reports/documents-pdf.js';
import { CENTER_NAME, t } from '../reports/labels.js';
import { paidYen, type BookingRow } from '../repositories/bookings.js';
import { bookerNames, paymentByReceiptNo, receiptsOfBooking, voidOf } from '../repositories/reports.js';
import type { BookingService } from './bookings.js';
import { requireActor, type Actor, type Deps } from './context.js';
import type { DocumentFile } from './reports.js';

const RECEIPT_NO = /^[A-Z]\d{4}-\d{6}$/;

export function makeDocumentService(deps: Deps, bookings: BookingService) {
  const { db, clock, reference } = deps;
  const { visibleBooking } = bookings.internals;

  function spaceName(b: BookingRow): string {
    return reference.spaces(b.useDate).find((s) => s.id === b.spaceId)?.name ?? String(b.spaceId);
  }

  /** 使用者 and 申込者: a group's booking is held by the group and applied for by its member. */
  function holderOf(tx: Tx, b: BookingRow): { holder: string; applicant: string | null } {
    const names = bookerNames(tx, b);
    if (names.group !== null) return { holder: names.group, applicant: names.account };
    return { holder: names.account ?? b.walkInName ?? '', applicant: null };
  }

  return {
    /** The use permit (使用許可書) of a confirmed booking; a provisional or ended one has none (409). */
    async permit(actorOrNull: Actor | null, id: number): Promise<DocumentFile> {
      const actor = requireActor(actorOrNull);
      const data = db.transaction((tx) => {
        const b = visibleBooking(tx, actor, id);
        if (b.status !== 'confirmed' || b.permitNo === null) throw new InvalidStateError(`a ${b.status} booking has no use permit`);
        const start = fromStored(b.startAt);
        return {
          center: CENTER_NAME, permitNo: b.permitNo, bookingId: b.id, issuedOn: tokyoDate(clock()),
          ...holderOf(tx, b), spaceName: spaceName(b), useDate: b.useDate, start: tokyoClock(start), end: tokyoClock(fromStored(b.endAt)),
          purpose: b.purpose, attendees: b.attendees, category: t(`category.${b.category}`),
          lines: JSON.parse(b.linesJson) as { label: string; amountYen: number }[], totalYen: b.totalYen, paidYen: paidYen(tx, b.id),
          cancellationTiers: reference.rules(b.useDate).life.cancellationTiers,
        };
      }, { behavior: 'deferred' });
      return { filename: `使用許可書_${data.permitNo}.pdf`, asciiFilename: `permit-${data.permitNo}.pdf`, contentType: 'application/pdf', body: await permitPdf(data) };
    },

    /** The receipt (領収書) of one payment, for whoever may see its booking. Refunds and voids have none. */
    async receipt(actorOrNull: Actor | null, receiptNo: string): Promise<DocumentFile> {
      const actor = requireActor(actorOrNull);
      const data = db.transaction((tx) => {
        const p = RECEIPT_NO.test(receiptNo) ? paymentByReceiptNo(tx, receiptNo) : undefined;
        if (!p || p.kind !== 'payment') throw new NotFoundError('receipt');
        const b = visibleBooking(tx, actor, p.bookingId);
        const received = fromStored(p.createdAt);
        // Money taken after the booking was cancelled pays its cancellation charge.
        const forCancellation = b.cancelledAt !== null && p.createdAt >= b.cancelledAt;
        const voided = voidOf(tx, p.id);
        return {
          center: CENTER_NAME, receiptNo: p.receiptNo, bookingId: b.id, permitNo: b.permitNo, payer: holderOf(tx, b).holder,
          amountYen: p.amountYen, forWhat: forCancellation ? '施設使用の取消料として' : '施設使用料として', receivedOn: tokyoDate(received),
          spaceName: spaceName(b), useDate: b.useDate, start: tokyoClock(fromStored(b.startAt)), end: tokyoClock(fromStored(b.endAt)),
          voidedOn: voided ? tokyoDate(fromStored(voided.createdAt)) : null,
        };
      }, { behavior: 'deferred' });
      return { filename: `領収書_${data.receiptNo}.pdf`, asciiFilename: `receipt-${data.receiptNo}.pdf`, contentType: 'application/pdf', body: await receiptPdf(data) };
    },

    /** The receipts of a booking's payments, for its page (`/api/v1/receipts/{receiptNo}.pdf` each). */
    receiptsOf(actorOrNull: Actor | null, bookingId: number): { receiptNo: string; amountYen: number; receivedOn: string; voided: boolean }[] {
      const actor = requireActor(actorOrNull);
      return db.transaction((tx) => {
        const b = visibleBooking(tx, actor, bookingId);
        return receiptsOfBooking(tx, b.id).map((p) => ({ receiptNo: p.receiptNo, amountYen: p.amountYen, receivedOn: tokyoDate(fromStored(p.createdAt)), voided: p.voided === 1 }));
      }, { behavior: 'deferred' });
    },
  };
}
