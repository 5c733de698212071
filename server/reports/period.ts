import { addDays } from '../domain/time.js';
import { seirekiMonth, warekiFiscalYear, warekiMonth } from './japanese.js';

/** What a report covers: one month of use, or a fiscal year (年度, April – March). Dates are Tokyo's, inclusive. */
export type ReportPeriod =
  | { kind: 'month'; month: string; from: string; to: string }
  | { kind: 'fiscal'; fiscalYear: number; from: string; to: string };

/** Thrown when a month or fiscal year in a path or on the command line cannot be a report's. */
export class InvalidPeriodError extends Error {
  override readonly name = 'InvalidPeriodError';
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1);
}

export function isMonth(text: string): boolean {
  return MONTH.test(text) && Number(text.slice(0, 4)) >= 2000;
}

/** The period of `YYYY-MM`. */
export function monthPeriod(month: string): ReportPeriod & { kind: 'month' } {
  if (!isMonth(month)) throw new InvalidPeriodError(`not a month (YYYY-MM): ${month}`);
  return { kind: 'month', month, from: `${month}-01`, to: lastDayOf(month) };
}

/** The fiscal year named by the year it starts: 2026 is 2026-04-01 – 2027-03-31. */
export function fiscalPeriod(year: string | number): ReportPeriod & { kind: 'fiscal' } {
  const text = String(year);
  if (!YEAR.test(text) || Number(text) < 2000) throw new InvalidPeriodError(`not a fiscal year (YYYY): ${text}`);
  const fy = Number(text);
  return { kind: 'fiscal', fiscalYear: fy, from: `${fy}-04-01`, to: `${fy + 1}-03-31` };
}

/** The months a period covers, in order. */
export function monthsOf(period: ReportPeriod): string[] {
  if (period.kind === 'month') return [period.month];
  return Array.from({ length: 12 }, (_, i) => {
    const m = ((i + 3) % 12) + 1;
    return `${period.fiscalYear + (m < 4 ? 1 : 0)}-${String(m).padStart(2, '0')}`;
  });
}

/** The period's names on a document: 令和8年11月 / 2026年11月, or 令和8年度 / 2026年度. */
export function periodNames(period: ReportPeriod): { wareki: string; seireki: string } {
  return period.kind === 'month'
    ? { wareki: warekiMonth(period.month), seireki: seirekiMonth(period.month) }
    : { wareki: warekiFiscalYear(period.fiscalYear), seireki: `${period.fiscalYear}年度` };
}

/** The key a period's files are named by: 2026-11, or fy2026. */
export function periodKey(period: ReportPeriod): string {
  return period.kind === 'month' ? period.month : `fy${period.fiscalYear}`;
}
