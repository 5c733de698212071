/**
 * The desk's and the manager's view of equipment loans: the loans to hand out, out and overdue,
 * the ones flagged when the pool shrank, and whom each loan or damage case is for (names and
 * phone numbers, which only staff see). Every write stays in loans.ts; this only reads.
 */
import { tokyoDate } from '../domain/time.js';
import { ProblemError } from '../errors.js';
import { borrowersOfLoans, type LoanBorrowerRow } from '../repositories/loan-desk.js';
import { requireStaff, type Actor, type Deps } from './context.js';
import type { CaseView, LoanService, LoanView } from './loans.js';

export interface LoanBorrower {
  kind: 'group' | 'account' | 'walkIn' | 'unknown';
  /** The name to call the borrower by: the group, the account's holder, or the walk-in. */
  name: string;
  /** For a group's booking: the member who made it. */
  accountName: string | null;
  /** Every phone number on file, best first (walk-in or account, then the group's). */
  phones: string[];
  /** For a booking's loan: the space and the date of use. */
  space: string | null;
  useDate: string | null;
}

export type DeskLoan = LoanView & { borrower: LoanBorrower };
export type DeskCase = CaseView & { borrower: LoanBorrower };

const UNKNOWN: LoanBorrower = { kind: 'unknown', name: '', accountName: null, phones: [], space: null, useDate: null };

function borrowerOf(r: LoanBorrowerRow): LoanBorrower {
  const phones = [...new Set([r.walkInPhone, r.accountPhone, r.groupPhone].filter((p): p is string => typeof p === 'string' && p !== ''))];
  const where = { space: r.spaceSlug, useDate: r.useDate };
  if (r.groupName !== null) return { kind: 'group', name: r.groupName, accountName: r.accountName, phones, ...where };
  if (r.accountName !== null) return { kind: 'account', name: r.accountName, accountName: null, phones, ...where };
  if (r.walkInName !== null) return { kind: 'walkIn', name: r.walkInName, accountName: null, phones, ...where };
  return { ...UNKNOWN, ...where };
}

export function makeLoanDeskService(deps: Deps, loans: LoanService) {
  const { db, clock } = deps;

  function borrowers(loanIds: readonly number[]): Map<number, LoanBorrower> {
    return new Map(borrowersOfLoans(db, [...new Set(loanIds)]).map((r) => [r.loanId, borrowerOf(r)]));
  }

  function withBorrowers(views: readonly LoanView[]): DeskLoan[] {
    const found = borrowers(views.map((v) => v.id));
    return views.map((v) => ({ ...v, borrower: found.get(v.id) ?? UNKNOWN }));
  }

  return {
    /**
     * The desk's loan screen: loans to hand out today (reserved, starting today or earlier and not
     * over), out now, overdue, and the reserved loans flagged because the pool shrank.
     */
    board(actorOrNull: Actor | null) {
      const actor = requireStaff(actorOrNull);
      const now = clock();
      const nowMs = now.toMillis();
      const notOver = (l: LoanView) => Date.parse(l.end) > nowMs;
      const handOut = loans.list(actor, { status: 'reserved', to: tokyoDate(now) }).filter(notOver);
      const checkedOut = loans.list(actor, { status: 'checked_out' });
      const flagged = loans.list(actor, { status: 'flagged' }).filter(notOver);
      return {
        today: tokyoDate(now),
        handOut: withBorrowers(handOut),
        out: withBorrowers(checkedOut.filter((l) => !l.overdue)),
        overdue: withBorrowers(checkedOut.filter((l) => l.overdue)),
        flagged: withBorrowers(flagged),
      };
    },

    /** One loan with its borrower, for the desk's loan page. */
    loan(actorOrNull: Actor | null, id: number): DeskLoan {
      const actor = requireStaff(actorOrNull);
      return withBorrowers([loans.get(actor, id)])[0]!;
    },

    /** Loans by number (a list carried in a link after a return or a unit change); unknown numbers are left out. */
    loansByIds(actorOrNull: Actor | null, ids: readonly number[]): DeskLoan[] {
      const actor = requireStaff(actorOrNull);
      const found: LoanView[] = [];
      for (const id of [...new Set(ids)].slice(0, 100)) {
        try {
          found.push(loans.get(actor, id));
        } catch (error) {
          if (!(error instanceof ProblemError && error.code === 'not_found')) throw error;
        }
      }
      return withBorrowers(found);
    },

    /** The equipment of one booking, for the desk's booking page. */
    ofBooking(actorOrNull: Actor | null, bookingId: number): LoanView[] {
      const actor = requireStaff(actorOrNull);
      return loans.list(actor, { bookingId });
    },

    /** Damage cases with whom they are for; `status` filters when it is a case status. */
    cases(actorOrNull: Actor | null, status?: string): DeskCase[] {
      const actor = requireStaff(actorOrNull);
      const list = loans.cases(actor, status ? { status } : {});
      const found = borrowers(list.map((c) => c.loanId));
      return list.map((c) => ({ ...c, borrower: found.get(c.loanId) ?? UNKNOWN }));
    },

    /** One damage case with its borrower and the loan it came from. */
    damageCase(actorOrNull: Actor | null, id: number): { damageCase: DeskCase; loan: DeskLoan } {
      const actor = requireStaff(actorOrNull);
      const c = loans.getCase(actor, id);
      const loan = withBorrowers([loans.get(actor, c.loanId)])[0]!;
      return { damageCase: { ...c, borrower: loan.borrower }, loan };
    },
  };
}

export type LoanDeskService = ReturnType<typeof makeLoanDeskService>;
