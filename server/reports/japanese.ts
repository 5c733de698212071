/**
 * How the center's documents write dates and amounts: 和暦 next to 西暦, yen with separators.
 * Spelled out here rather than left to Intl's Japanese calendar, whose output for a first year
 * (元年) and for the month name differs between ICU versions.
 */

const ERAS = [
  { name: '令和', from: '2019-05-01', firstYear: 2019 },
  { name: '平成', from: '1989-01-08', firstYear: 1989 },
  { name: '昭和', from: '1926-12-25', firstYear: 1926 },
] as const;

/** The era and its year of a civil date: 令和8年 (2026), 令和元年 (2019-05-01). */
export function eraYear(date: string): string {
  const era = ERAS.find((e) => date >= e.from) ?? ERAS[ERAS.length - 1]!;
  const n = Number(date.slice(0, 4)) - era.firstYear + 1;
  return `${era.name}${n === 1 ? '元' : n}年`;
}

/** 令和8年11月 for "2026-11": the era in force on the month's last day (May 2019 is 令和元年5月). */
export function warekiMonth(month: string): string {
  return `${eraYear(`${month}-28`)}${Number(month.slice(5, 7))}月`;
}

/** 2026年11月 */
export function seirekiMonth(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/** 令和8年11月27日 */
export function warekiDate(date: string): string {
  return `${eraYear(date)}${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** 2026年11月27日 */
export function seirekiDate(date: string): string {
  return `${date.slice(0, 4)}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/**
 * 令和8年度 for fiscal year 2026 (April 2026 – March 2027). A fiscal year in which the era changed
 * takes the new era's name, as the government named FY2019 令和元年度, unless the new era had no
 * year of its own yet (FY1988, which ended under 平成 but began in 昭和63年).
 */
export function warekiFiscalYear(fy: number): string {
  const era = ERAS.find((e) => `${fy + 1}-03-31` >= e.from)!;
  const n = fy - era.firstYear + 1;
  if (n < 1) return `${eraYear(`${fy}-04-01`)}度`;
  return `${era.name}${n === 1 ? '元' : n}年度`;
}

const JA_WEEKDAYS = ['月', '火', '水', '木', '金', '土', '日'] as const;

/** 月 … 日 for ISO weekday 1 … 7. */
export function weekdayJa(isoWeekday: number): string {
  return JA_WEEKDAYS[isoWeekday - 1] ?? '';
}

const GROUPED = new Intl.NumberFormat('en-US');

/** 1,234 */
export function num(n: number): string {
  return GROUPED.format(n);
}

/** ¥1,234 (a refund or a reduction as −¥500) */
export function yen(n: number): string {
  return n < 0 ? `−¥${GROUPED.format(-n)}` : `¥${GROUPED.format(Math.abs(n))}`;
}

/** Hours with one decimal where needed: 12, 12.5 */
export function hours(minutes: number): string {
  const h = Math.round(minutes / 6) / 10;
  return GROUPED.format(h);
}

/** A share as a percentage with one decimal, or "—" when there is nothing to divide by. */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '—';
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}
