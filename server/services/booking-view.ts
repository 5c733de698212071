import type { BookingRow } from '../repositories/bookings.js';
import { fromStored, toApi } from '../domain/time.js';

/** A booking as the API shows it (API.md, "Conventions"). */
export interface BookingView {
  id: number;
  space: string;
  start: string;
  end: string;
  useDate: string;
  category: BookingRow['category'];
  channel: BookingRow['channel'];
  status: BookingRow['status'];
  paymentStatus: BookingRow['paymentStatus'];
  attendance: BookingRow['attendance'];
  needsContact: boolean;
  totalYen: number;
  paidYen: number;
  lines: { label: string; amountYen: number }[];
  /** Equipment lent with the booking (each a loan made with it). */
  equipment: { type: string; quantity: number }[];
  deadline?: string;
  purpose: string;
  attendees: number;
  actualAttendees: number | null;
  use: { commercial: boolean; admissionFeeYen: number };
  exemption: { percent: number; reason: string | null } | null;
  groupId: number | null;
  accountId: number | null;
  /** The account that made the booking: the member of a group, the individual, or the clerk. */
  madeBy: number | null;
  walkIn?: { name: string; phone: string | null };
  seriesId: number | null;
  permitNo: string | null;
  changeCount: number;
  cancellationFeeYen?: number;
  createdAt: string;
}

export function bookingView(b: BookingRow, spaceSlug: string, paidYen: number, forStaff: boolean): BookingView {
  const view: BookingView = {
    id: b.id,
    space: spaceSlug,
    start: toApi(fromStored(b.startAt)),
    end: toApi(fromStored(b.endAt)),
    useDate: b.useDate,
    category: b.category,
    channel: b.channel,
    status: b.status,
    paymentStatus: b.paymentStatus,
    attendance: b.attendance,
    needsContact: b.needsContact,
    totalYen: b.totalYen,
    paidYen,
    lines: JSON.parse(b.linesJson) as BookingView['lines'],
    equipment: equipmentOf(b.pricingJson),
    purpose: b.purpose,
    attendees: b.attendees,
    actualAttendees: b.actualAttendees,
    use: { commercial: b.commercial, admissionFeeYen: b.admissionFeeYen },
    exemption: b.exemptionPercent > 0 ? { percent: b.exemptionPercent, reason: b.exemptionReason } : null,
    groupId: b.groupId,
    accountId: b.accountId,
    madeBy: b.madeBy,
    seriesId: b.seriesId,
    permitNo: b.permitNo,
    changeCount: b.changeCount,
    createdAt: toApi(fromStored(b.createdAt)),
  };
  if (b.status === 'provisional' && b.deadlineAt) view.deadline = toApi(fromStored(b.deadlineAt));
  if (b.cancellationFeeYen !== null) view.cancellationFeeYen = b.cancellationFeeYen;
  // A walk-in's name and phone are for the desk only.
  if (forStaff && b.walkInName !== null) view.walkIn = { name: b.walkInName, phone: b.walkInPhone };
  return view;
}

/** The equipment in a booking's pricing snapshot; most bookings have none, so the JSON is only parsed when it mentions any. */
function equipmentOf(pricingJson: string): { type: string; quantity: number }[] {
  if (!pricingJson.includes('"equipment"')) return [];
  const snapshot = JSON.parse(pricingJson) as { equipment?: { type: string; quantity: number }[] };
  return (snapshot.equipment ?? []).map((e) => ({ type: e.type, quantity: e.quantity }));
}
