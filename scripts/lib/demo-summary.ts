/** What the demo seeder reports: counts by month of use and by outcome, read back from the database. */
import type { Db } from '../../db/client.js';

export interface MonthSummary {
  month: string;
  total: number;
  provisional: number;
  confirmed: number;
  cancelled: number;
  expired: number;
  evening: number;
  weekend: number;
}

export interface SeedSummary {
  from: string;
  to: string;
  groups: number;
  accounts: { staff: number; members: number; individuals: number };
  /** Requests made (one-off and series), what was booked, and what the rules refused by code. */
  requests: number;
  booked: number;
  seriesOccurrences: number;
  /** Take-outs (持ち出し) made by registered groups. */
  takeouts: number;
  refused: Record<string, number>;
  /** Payments, cancellations and check-ins that no longer applied (the booking had expired, say). */
  followUpsSkipped: Record<string, number>;
  /** Check-outs and returns that did not happen (the units were not at the desk). */
  loanFollowUpsSkipped: Record<string, number>;
  loans: LoanSummary;
  /** Opinions (意見箱) by status, and how many have a published answer. */
  opinions: { byStatus: Record<string, number>; published: number };
  payments: { count: number; yen: number; refunds: number };
  cancellations: number;
  checkIns: number;
  noShows: number;
  expired: number;
  months: MonthSummary[];
  staff: { email: string; password: string };
  elapsedMs: number;
}

export interface LoanSummary {
  withBookings: number;
  takeouts: number;
  reserved: number;
  out: number;
  overdue: number;
  returned: number;
  cancelled: number;
  /** Damage cases by status. */
  damageCases: Record<string, number>;
}

export function summarize(db: Db, from: string, to: string, nowIso: string) {
  const sql = db.$client;
  const l = sql.prepare(`SELECT sum(kind = 'booking') AS withBookings, sum(kind = 'takeout') AS takeouts,
      sum(status = 'reserved') AS reserved, sum(status = 'checked_out') AS out, sum(status = 'checked_out' AND end_at < ?) AS overdue,
      sum(status = 'returned') AS returned, sum(status = 'cancelled') AS cancelled FROM loans`).get(nowIso) as Record<keyof Omit<LoanSummary, 'damageCases'>, number | null>;
  const cases = sql.prepare(`SELECT status, count(*) AS n FROM damage_cases GROUP BY status ORDER BY status`).all() as { status: string; n: number }[];
  const loans: LoanSummary = {
    withBookings: l.withBookings ?? 0, takeouts: l.takeouts ?? 0, reserved: l.reserved ?? 0, out: l.out ?? 0, overdue: l.overdue ?? 0,
    returned: l.returned ?? 0, cancelled: l.cancelled ?? 0, damageCases: Object.fromEntries(cases.map((c) => [c.status, c.n])),
  };
  const opinionRows = sql.prepare(`SELECT status, count(*) AS n FROM opinions GROUP BY status ORDER BY status`).all() as { status: string; n: number }[];
  const opinions = {
    byStatus: Object.fromEntries(opinionRows.map((o) => [o.status, o.n])),
    published: (sql.prepare(`SELECT count(*) AS n FROM opinions WHERE published_at IS NOT NULL`).get() as { n: number }).n,
  };
  const months = sql.prepare(`
    SELECT substr(use_date, 1, 7) AS month, count(*) AS total,
      sum(status = 'provisional') AS provisional, sum(status = 'confirmed') AS confirmed,
      sum(status = 'cancelled') AS cancelled, sum(status = 'expired') AS expired,
      sum(strftime('%H:%M', start_at, '+9 hours') >= '18:00') AS evening,
      sum(strftime('%w', use_date) IN ('0', '6')) AS weekend
    FROM bookings WHERE use_date BETWEEN ? AND ? GROUP BY month ORDER BY month`).all(from, to) as MonthSummary[];
  const pay = sql.prepare(`SELECT sum(kind = 'payment') AS count, coalesce(sum(CASE kind WHEN 'payment' THEN amount_yen ELSE 0 END), 0) AS yen,
    sum(kind = 'refund') AS refunds FROM payments`).get() as { count: number | null; yen: number; refunds: number | null };
  const b = sql.prepare(`SELECT sum(status = 'cancelled') AS cancellations, sum(attendance = 'checked_in') AS checkIns,
    sum(attendance = 'no_show') AS noShows, sum(status = 'expired') AS expired FROM bookings`).get() as Record<string, number | null>;
  return {
    months, loans, opinions,
    payments: { count: pay.count ?? 0, yen: pay.yen, refunds: pay.refunds ?? 0 },
    cancellations: b.cancellations ?? 0, checkIns: b.checkIns ?? 0, noShows: b.noShows ?? 0, expired: b.expired ?? 0,
  };
}

export function formatSummary(s: SeedSummary): string {
  const pad = (v: string | number, n: number) => String(v).padStart(n);
  const lines = [
    `Demo seeded: use dates ${s.from} – ${s.to}, in ${(s.elapsedMs / 1000).toFixed(1)} s`,
    `  ${s.groups} groups, ${s.accounts.members} members, ${s.accounts.individuals} individuals, ${s.accounts.staff} staff`,
    `  ${s.requests} requests → ${s.booked} bookings (${s.seriesOccurrences} from series)`,
    `  refused by the rules: ${Object.entries(s.refused).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `  follow-ups that no longer applied: ${Object.entries(s.followUpsSkipped).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `  ${s.loans.withBookings + s.loans.takeouts} loans (${s.loans.withBookings} with bookings, ${s.loans.takeouts} take-outs): ${s.loans.returned} returned, ${s.loans.out} out (${s.loans.overdue} overdue), ${s.loans.reserved} reserved, ${s.loans.cancelled} cancelled`,
    `  damage cases: ${Object.entries(s.loans.damageCases).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; check-outs and returns not made: ${Object.entries(s.loanFollowUpsSkipped).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `  opinions: ${Object.entries(s.opinions.byStatus).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'} (${s.opinions.published} answers published)`,
    `  ${s.payments.count} payments (¥${s.payments.yen.toLocaleString('en-US')}), ${s.payments.refunds} refunds, ${s.cancellations} cancelled, ${s.expired} expired, ${s.checkIns} check-ins, ${s.noShows} no-shows`,
    '',
    '  month     total  provisional  confirmed  cancelled  expired  evening  weekend',
    ...s.months.map((m) => `  ${m.month}  ${pad(m.total, 5)}  ${pad(m.provisional, 11)}  ${pad(m.confirmed, 9)}  ${pad(m.cancelled, 9)}  ${pad(m.expired, 7)}  ${pad(m.evening, 7)}  ${pad(m.weekend, 7)}`),
    '',
    `  Demo staff login: ${s.staff.email} / ${s.staff.password} (every demo account has this password)`,
  ];
  return lines.join('\n');
}

