import { describe, expect, it } from 'vitest';
import { cancellationText } from '../../server/reports/documents-pdf.js';
import { hours, percent, seirekiMonth, warekiDate, warekiFiscalYear, warekiMonth, yen } from '../../server/reports/japanese.js';
import { fiscalPeriod, InvalidPeriodError, monthPeriod, monthsOf, periodNames } from '../../server/reports/period.js';
import { DEFAULT_RULES } from '../../server/domain/rules.js';

describe('和暦', () => {
  it.each([
    ['2026-11', '令和8年11月'],
    ['2019-05', '令和元年5月'],
    ['2019-04', '平成31年4月'],
    ['2020-01', '令和2年1月'],
    ['1989-02', '平成元年2月'],
  ])('%s is %s', (month, wareki) => {
    expect(warekiMonth(month)).toBe(wareki);
  });

  it.each([
    ['2026-11-27', '令和8年11月27日'],
    ['2019-04-30', '平成31年4月30日'],
    ['2019-05-01', '令和元年5月1日'],
  ])('%s is %s', (date, wareki) => {
    expect(warekiDate(date)).toBe(wareki);
  });

  it('names a fiscal year by the era of its April', () => {
    expect(warekiFiscalYear(2026)).toBe('令和8年度');
    expect(warekiFiscalYear(2019)).toBe('令和元年度');
    expect(warekiFiscalYear(2020)).toBe('令和2年度');
    expect(warekiFiscalYear(1988)).toBe('昭和63年度');
    expect(periodNames(fiscalPeriod(2026))).toEqual({ wareki: '令和8年度', seireki: '2026年度' });
    expect(seirekiMonth('2026-04')).toBe('2026年4月');
  });
});

describe('periods', () => {
  it.each([
    ['2026-11', '2026-11-01', '2026-11-30'],
    ['2026-12', '2026-12-01', '2026-12-31'],
    ['2027-02', '2027-02-01', '2027-02-28'],
    ['2028-02', '2028-02-01', '2028-02-29'],
  ])('%s runs from %s to %s', (month, from, to) => {
    expect(monthPeriod(month)).toMatchObject({ from, to });
  });

  it.each(['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', '1999-12'])('%s is not a report month', (text) => {
    expect(() => monthPeriod(text)).toThrow(InvalidPeriodError);
  });

  it('a fiscal year runs from April 1 to March 31', () => {
    expect(fiscalPeriod('2026')).toMatchObject({ from: '2026-04-01', to: '2027-03-31' });
    expect(monthsOf(fiscalPeriod(2026))[0]).toBe('2026-04');
    expect(monthsOf(fiscalPeriod(2026))[11]).toBe('2027-03');
  });
});

describe('amounts', () => {
  it.each([
    [0, '¥0'],
    [-0, '¥0'],
    [1234567, '¥1,234,567'],
    [-1920, '−¥1,920'],
  ])('yen(%d) is %s', (n, text) => {
    expect(yen(n)).toBe(text);
  });

  it('writes hours and shares for the report', () => {
    expect(hours(90)).toBe('1.5');
    expect(hours(54090)).toBe('901.5');
    expect(percent(1, 3)).toBe('33.3%');
    expect(percent(0, 0)).toBe('—');
  });

  it('states the cancellation tiers on the permit in words', () => {
    expect(cancellationText(DEFAULT_RULES.life.cancellationTiers)).toBe('7日前までは無料、6日前〜前日は使用料の50%、当日以降は使用料の100%');
  });
});
