import { describe, expect, it } from 'vitest';
import {
  type DayOverride,
  type OpeningDay,
  checkOverride,
  holidayName,
  inSeason,
  isRegularClosingDay,
  isYearEndClosure,
  lastOpenDayOnOrBefore,
  openingDay,
  openingDays,
} from '../../server/domain/calendar.js';
import { DEFAULT_RULES } from '../../server/domain/rules.js';

const rules = DEFAULT_RULES.calendar;

describe('holidayName', () => {
  it.each([
    ['2027-01-01', '元日'],
    ['2027-01-11', '成人の日'],
    ['2026-05-06', 'こどもの日 振替休日'],
    ['2026-09-22', '休日'], // 国民の休日: squeezed between 敬老の日 and 秋分の日
    ['2027-03-22', '春分の日 振替休日'],
    ['2026-10-13', null],
    ['2026-12-31', null],
  ])('names %s as %s', (date, name) => {
    expect(holidayName(date)).toBe(name);
  });
});

describe('isRegularClosingDay', () => {
  it.each([
    // A month that starts on a Monday: the 1st is the first Monday, not a closing day.
    ['2026-06-01', false, '1st Monday'],
    ['2026-06-08', true, '2nd Monday'],
    ['2026-06-15', false, '3rd Monday'],
    ['2026-06-22', true, '4th Monday'],
    ['2026-06-29', false, '5th Monday'],
    // A month that starts on a Tuesday: the 7th is still the first Monday.
    ['2026-12-07', false, '1st Monday on the 7th'],
    ['2026-12-14', true, '2nd Monday on the 14th'],
    ['2026-12-09', false, 'an ordinary Wednesday'],
    // The 2nd or 4th Monday is a holiday: open, and the next weekday closes instead.
    ['2027-01-11', false, '成人の日 on the 2nd Monday'],
    ['2027-01-12', true, 'the Tuesday after 成人の日'],
    ['2026-10-12', false, 'スポーツの日 on the 2nd Monday'],
    ['2026-10-13', true, 'the Tuesday after スポーツの日'],
    ['2026-02-23', false, '天皇誕生日 on the 4th Monday'],
    ['2026-02-24', true, 'the Tuesday after 天皇誕生日'],
    ['2026-11-23', false, '勤労感謝の日 on the 4th Monday'],
    ['2026-11-24', true, 'the Tuesday after 勤労感謝の日'],
    ['2027-03-22', false, 'a 振替休日 on the 4th Monday'],
    ['2027-03-23', true, 'the Tuesday after that 振替休日'],
    // Silver Week 2026: 敬老の日 is the 3rd Monday, so nothing moves to the weekdays after it.
    ['2026-09-21', false, '敬老の日 on the 3rd Monday'],
    ['2026-09-22', false, '国民の休日'],
    ['2026-09-24', false, 'the first weekday after Silver Week'],
    ['2026-09-14', true, 'the 2nd Monday of September'],
    ['2026-09-28', true, 'the 4th Monday of September'],
    // Golden Week holidays on the 1st Monday move nothing either.
    ['2026-05-04', false, 'みどりの日 on the 1st Monday'],
    ['2026-05-07', false, 'the Thursday after Golden Week'],
    ['2026-05-11', true, 'the 2nd Monday of May'],
  ])('%s is %s (%s)', (date, closed) => {
    expect(isRegularClosingDay(date, rules)).toBe(closed);
  });

  // The real data (1970–2050) never puts a holiday on the day after a holiday closing Monday,
  // so a made-up holiday run checks that the substitute walks over holidays and weekends.
  it('moves past a run of holidays and a weekend to the next working weekday', () => {
    const invented = new Set(['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12']);
    const holidayOf = (date: string): string | null => (invented.has(date) ? 'invented' : null);
    const closed = ['2026-06-08', '2026-06-09', '2026-06-12', '2026-06-13', '2026-06-14', '2026-06-15', '2026-06-16']
      .filter((date) => isRegularClosingDay(date, rules, holidayOf));
    expect(closed).toEqual(['2026-06-15']);
  });

  it('follows the closing Mondays listed in the rules', () => {
    const firstAndThird = { ...rules, closingMondays: [1, 3] };
    expect(isRegularClosingDay('2026-06-01', firstAndThird)).toBe(true);
    expect(isRegularClosingDay('2026-06-08', firstAndThird)).toBe(false);
  });
});

describe('isYearEndClosure', () => {
  it.each([
    ['2026-12-28', false],
    ['2026-12-29', true],
    ['2026-12-31', true],
    ['2027-01-01', true],
    ['2027-01-03', true],
    ['2027-01-04', false],
    ['2027-06-15', false],
  ])('%s is in the year-end closure: %s', (date, closed) => {
    expect(isYearEndClosure(date, rules)).toBe(closed);
  });
});

describe('openingDay', () => {
  const open = (date: string, holiday: string | null = null): OpeningDay =>
    ({ date, open: '09:00', close: '22:00', closed: false, holiday, reason: null });
  const closed = (date: string, reason: string, holiday: string | null = null): OpeningDay =>
    ({ date, open: null, close: null, closed: true, holiday, reason });

  it.each([
    ['a Saturday opens with default hours', '2026-06-13', open('2026-06-13')],
    ['a Sunday opens with default hours', '2026-06-14', open('2026-06-14')],
    ['a holiday opens and carries its name', '2026-05-05', open('2026-05-05', 'こどもの日')],
    ['a 2nd Monday closes', '2026-06-08', closed('2026-06-08', '定例休館日')],
    ['a 2nd Monday that is a holiday opens', '2027-01-11', open('2027-01-11', '成人の日')],
    ['the day after it closes instead', '2027-01-12', closed('2027-01-12', '定例休館日')],
    ['a 4th Monday just before the year end closes as a regular day', '2026-12-28', closed('2026-12-28', '定例休館日')],
    ['the last open day of the year opens', '2027-12-28', open('2027-12-28')],
    ['New Year’s Eve closes', '2027-12-31', closed('2027-12-31', '年末年始休館')],
    ['New Year’s Day closes and is still named', '2028-01-01', closed('2028-01-01', '年末年始休館', '元日')],
    ['January 3rd closes', '2028-01-03', closed('2028-01-03', '年末年始休館')],
    ['January 4th opens', '2028-01-04', open('2028-01-04')],
  ])('%s (%s)', (_name, date, expected) => {
    expect(openingDay(date, rules)).toEqual(expected);
  });

  const override = (date: string, change: Partial<DayOverride>): DayOverride =>
    ({ date, closed: false, open: null, close: null, reason: null, ...change });

  it('an override extends a day to 23:00', () => {
    expect(openingDay('2026-07-18', rules, override('2026-07-18', { close: '23:00', reason: '夜間延長' })))
      .toEqual({ date: '2026-07-18', open: '09:00', close: '23:00', closed: false, holiday: null, reason: '夜間延長' });
  });

  it('an override shortens a day and keeps the default for the side it leaves out', () => {
    expect(openingDay('2026-07-18', rules, override('2026-07-18', { open: '13:00' })))
      .toMatchObject({ open: '13:00', close: '22:00', closed: false });
  });

  it('an override closes an ordinary day with its public reason', () => {
    expect(openingDay('2026-07-20', rules, override('2026-07-20', { closed: true, reason: '避難所開設' })))
      .toEqual({ date: '2026-07-20', open: null, close: null, closed: true, holiday: '海の日', reason: '避難所開設' });
  });

  it.each([
    ['a regular closing Monday', '2026-06-08'],
    ['a year-end day', '2026-12-30'],
  ])('an override opens %s', (_name, date) => {
    expect(openingDay(date, rules, override(date, { reason: '特別開館' })))
      .toMatchObject({ open: '09:00', close: '22:00', closed: false, reason: '特別開館' });
  });
});

describe('openingDays', () => {
  it('lists every day of an inclusive range across the new year, with overrides applied', () => {
    const overrides = new Map([['2028-01-04', { date: '2028-01-04', closed: true, open: null, close: null, reason: '設備点検' }]]);
    const days = openingDays('2027-12-27', '2028-01-05', rules, overrides);
    expect(days.map((d) => [d.date, d.closed ? d.reason : d.close])).toEqual([
      ['2027-12-27', '定例休館日'], // the 4th Monday of December 2027
      ['2027-12-28', '22:00'],
      ['2027-12-29', '年末年始休館'],
      ['2027-12-30', '年末年始休館'],
      ['2027-12-31', '年末年始休館'],
      ['2028-01-01', '年末年始休館'],
      ['2028-01-02', '年末年始休館'],
      ['2028-01-03', '年末年始休館'],
      ['2028-01-04', '設備点検'],
      ['2028-01-05', '22:00'],
    ]);
  });

  it('gives one day when from equals to', () => {
    expect(openingDays('2026-02-28', '2026-02-28', rules, new Map())).toHaveLength(1);
  });
});

describe('checkOverride', () => {
  it.each([
    [{ close: '23:00' }, []],
    [{ close: '23:30' }, ['close may not be after 23:00']],
    [{ open: '12:00', close: '12:00' }, ['close must be after open']],
    [{ open: '9:00' }, ['open and close must be HH:MM']],
    [{ closed: true, close: '23:30' }, []],
  ])('judges %o as %o', (change, problems) => {
    const base: DayOverride = { date: '2026-08-01', closed: false, open: null, close: null, reason: null };
    expect(checkOverride({ ...base, ...change }, rules)).toEqual(problems);
  });
});

describe('inSeason', () => {
  const plaza = { seasonFrom: '05-01', seasonTo: '10-31' };
  const winter = { seasonFrom: '11-01', seasonTo: '03-31' };
  it.each([
    [plaza, '2026-04-30', false],
    [plaza, '2026-05-01', true],
    [plaza, '2026-10-31', true],
    [plaza, '2026-11-01', false],
    [winter, '2026-10-31', false],
    [winter, '2026-11-01', true],
    [winter, '2027-01-15', true],
    [winter, '2028-02-29', true],
    [winter, '2027-03-31', true],
    [winter, '2027-04-01', false],
    [{ seasonFrom: null, seasonTo: null }, '2026-02-28', true],
  ])('%o on %s is in season: %s', (space, date, expected) => {
    expect(inSeason(date, space)).toBe(expected);
  });
});

describe('lastOpenDayOnOrBefore', () => {
  const dayOf = (date: string): OpeningDay => openingDay(date, rules);
  it.each([
    ['an open day is its own answer', '2026-06-09', '2026-06-09'],
    ['a closing Monday moves back to the Sunday', '2026-06-08', '2026-06-07'],
    ['a holiday substitute moves back to the holiday Monday', '2027-01-12', '2027-01-11'],
    ['January 3rd moves back over the whole closure', '2028-01-03', '2027-12-28'],
    ['January 1st moves back over a closure that follows a closing Monday', '2027-01-01', '2026-12-27'],
  ])('%s (%s → %s)', (_name, date, expected) => {
    expect(lastOpenDayOnOrBefore(date, dayOf)).toBe(expected);
  });

  it('gives up after the limit', () => {
    expect(lastOpenDayOnOrBefore('2028-01-03', dayOf, 3)).toBeNull();
  });
});

describe('the fixed UTC+9 zone is Asia/Tokyo', () => {
  it('agrees with the IANA zone on the offset of every month from 1952 to 2060', async () => {
    const { DateTime } = await import('luxon');
    const { ZONE, ZONE_NAME } = await import('../../server/domain/time.js');
    for (let year = 1952; year <= 2060; year++) {
      for (let month = 1; month <= 12; month++) {
        const instant = DateTime.fromObject({ year, month, day: 15, hour: 12 }, { zone: ZONE_NAME });
        expect(instant.setZone(ZONE).toISO()).toBe(instant.toISO());
      }
    }
  });
});
