import { addDays, fiscalYear } from './time.js';

/**
 * Registration (利用登録) runs by fiscal year: it lasts until March 31, and one approved from
 * March 1 on lasts until the following March 31 (renewals open March 1, so a March approval is
 * a registration for the coming year as well).
 */
export function registrationValidUntil(approvalDate: string): string {
  const fy = fiscalYear(approvalDate);
  const march = approvalDate.slice(5, 7) === '03';
  return `${fy + (march ? 2 : 1)}-03-31`;
}

/** Renewal of a registration valid until `validUntil` opens on March 1 of that year. */
export function renewalOpensOn(validUntil: string): string {
  return `${validUntil.slice(0, 4)}-03-01`;
}

export type GroupStatus = 'pending' | 'active' | 'rejected' | 'suspended' | 'lapsed';

export interface GroupStanding {
  status: GroupStatus;
  validUntil: string | null;
  /** A renewal application not yet decided. */
  renewalPending: boolean;
}

/**
 * Whether a group counts as registered on `today`: approved and within its validity, or past it
 * with a renewal still pending (it keeps its registration until the renewal is decided).
 * Suspended, rejected, pending and lapsed groups book as anyone else does.
 */
export function isRegisteredOn(g: GroupStanding, today: string): boolean {
  if (g.status !== 'active' || g.validUntil === null) return false;
  return today <= g.validUntil || g.renewalPending;
}

/** Whether an active group has lapsed by `today` (validity over, no renewal pending). */
export function hasLapsed(g: GroupStanding, today: string): boolean {
  return g.status === 'active' && g.validUntil !== null && today > g.validUntil && !g.renewalPending;
}

/** Whether a group may apply for renewal on `today`. */
export function canRenew(g: GroupStanding, today: string): boolean {
  if (g.renewalPending || g.validUntil === null) return false;
  if (g.status === 'lapsed') return true;
  return g.status === 'active' && today >= renewalOpensOn(g.validUntil);
}

/** The date from which a lapsed group's personal data is deleted. */
export function personalDataDeletableOn(lapsedOn: string, retentionDays: number): string {
  return addDays(lapsedOn, retentionDays);
}
