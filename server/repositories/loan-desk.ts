/**
 * Whom a loan is for, as the desk sees it: the group, the account or the walk-in of the booking it
 * came with (or the group of a take-out), with the phone numbers staff call. Reads only.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { accounts, bookings, groups, loans, spaces } from '../../db/schema.js';

export interface LoanBorrowerRow {
  loanId: number;
  bookingId: number | null;
  groupName: string | null;
  groupPhone: string | null;
  accountName: string | null;
  accountPhone: string | null;
  walkInName: string | null;
  walkInPhone: string | null;
  spaceSlug: string | null;
  useDate: string | null;
}

/**
 * One row a loan. A booking's loan is joined through the booking (its group, the account that
 * made it, or the walk-in); a take-out has its group on the loan itself.
 */
export function borrowersOfLoans(db: Tx, loanIds: readonly number[]): LoanBorrowerRow[] {
  if (loanIds.length === 0) return [];
  return db.select({
    loanId: loans.id,
    bookingId: loans.bookingId,
    groupName: groups.name,
    groupPhone: groups.phone,
    accountName: accounts.name,
    accountPhone: accounts.phone,
    walkInName: bookings.walkInName,
    walkInPhone: bookings.walkInPhone,
    spaceSlug: spaces.slug,
    useDate: bookings.useDate,
  }).from(loans)
    .leftJoin(bookings, eq(bookings.id, loans.bookingId))
    .leftJoin(spaces, eq(spaces.id, bookings.spaceId))
    .leftJoin(groups, sql`${groups.id} = coalesce(${loans.groupId}, ${bookings.groupId})`)
    .leftJoin(accounts, sql`${accounts.id} = coalesce(${loans.accountId}, ${bookings.accountId})`)
    .where(inArray(loans.id, [...loanIds])).all();
}
