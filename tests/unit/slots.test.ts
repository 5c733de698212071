import { describe, expect, it } from 'vitest';
import { type DayOverride, openingDay } from '../../server/domain/calendar.js';
import { DEFAULT_RULES } from '../../server/domain/rules.js';
import { type Block, type SlotProblem, checkSlot } from '../../server/domain/slots.js';
import { at, parseInstant } from '../../server/domain/time.js';

const rules = DEFAULT_RULES;
const hall = { slug: 'hall', seasonFrom: null, seasonTo: null };
const plaza = { slug: 'plaza', seasonFrom: '05-01', seasonTo: '10-31' };
const NOW = parseInstant('2026-01-05T12:00');

function check(
  date: string,
  from: string,
  to: string,
  options: { override?: Partial<DayOverride>; space?: typeof hall | typeof plaza; blocks?: Block[]; now?: string } = {},
): SlotProblem[] {
  const override = options.override && { date, closed: false, open: null, close: null, reason: null, ...options.override };
  return checkSlot({
    start: at(date, from),
    end: at(date, to),
    now: options.now === undefined ? NOW : parseInstant(options.now),
    day: openingDay(date, rules.calendar, override),
    space: options.space ?? hall,
    blocks: options.blocks ?? [],
    life: rules.life,
  });
}

const codes = (problems: SlotProblem[]): string[] =>
  problems.map((p) => (p.code === 'validation_failed' ? `validation_failed:${p.path}` : p.code));

describe('checkSlot', () => {
  it.each([
    ['a booking that ends at closing time is fine', '2026-07-15', '21:00', '22:00', []],
    ['a booking that runs past closing time is closed', '2026-07-15', '21:30', '22:30', ['closed']],
    ['a booking that starts before opening is closed', '2026-07-15', '08:30', '10:00', ['closed']],
    ['a booking that starts exactly at opening is fine', '2026-07-15', '09:00', '10:00', []],
    ['the whole day is fine', '2026-07-15', '09:00', '22:00', []],
    ['a start off the grid is invalid', '2026-07-15', '10:15', '11:30', ['validation_failed:start']],
    ['an end off the grid is invalid', '2026-07-15', '10:00', '11:15', ['validation_failed:end']],
    ['half an hour is too short', '2026-07-15', '10:00', '10:30', ['validation_failed:end']],
    ['an hour and a half is on the grid', '2026-07-15', '10:00', '11:30', []],
    ['an end before the start is invalid', '2026-07-15', '11:00', '10:00', ['validation_failed:end']],
    ['an end equal to the start is invalid', '2026-07-15', '11:00', '11:00', ['validation_failed:end']],
    ['a closing Monday is closed', '2026-06-08', '10:00', '12:00', ['closed']],
    ['the 2nd Monday that is a holiday is open', '2027-01-11', '10:00', '12:00', []],
    ['the weekday after it is closed', '2027-01-12', '10:00', '12:00', ['closed']],
    ['December 29th is closed', '2026-12-29', '10:00', '12:00', ['closed']],
    ['January 3rd is closed', '2027-01-03', '10:00', '12:00', ['closed']],
    ['January 4th is open', '2027-01-04', '10:00', '12:00', []],
    ['the 31st of a 31-day month is an ordinary day', '2026-08-31', '10:00', '12:00', []],
  ])('%s (%s %s–%s)', (_name, date, from, to, expected) => {
    expect(codes(check(date, from, to))).toEqual(expected);
  });

  it.each([
    ['21:00–22:00', '21:00', '22:00'],
    ['21:30–22:30', '21:30', '22:30'],
    ['22:00–23:00', '22:00', '23:00'],
  ])('a day extended to 23:00 takes %s', (_name, from, to) => {
    expect(check('2026-07-15', from, to, { override: { close: '23:00' } })).toEqual([]);
  });

  it('a day extended to 23:00 still refuses 22:30–23:30', () => {
    expect(codes(check('2026-07-15', '22:30', '23:30', { override: { close: '23:00' } }))).toEqual(['closed']);
  });

  it('a shortened day refuses the hours it gave up, with the manager’s reason', () => {
    expect(check('2026-07-15', '17:00', '19:00', { override: { close: '18:00', reason: '館内点検' } })).toEqual([
      { code: 'closed', message: 'the center is open 09:00–18:00 on 2026-07-15', reason: '館内点検' },
    ]);
  });

  it('a closed day says why', () => {
    expect(check('2026-12-30', '10:00', '12:00')).toEqual([
      { code: 'closed', message: 'the center is closed on 2026-12-30', reason: '年末年始休館' },
    ]);
  });

  it.each([
    ['2026-04-30', ['closed']],
    ['2026-05-01', []],
    ['2026-10-31', []],
    ['2026-11-01', ['closed']],
  ])('the plaza on %s gives %o', (date, expected) => {
    expect(codes(check(date, '10:00', '12:00', { space: plaza }))).toEqual(expected);
  });

  describe('the start must be in the future', () => {
    it.each([
      ['a start equal to now is invalid', '2026-07-15T10:00', ['validation_failed:start']],
      ['a start a minute after now is fine', '2026-07-15T09:59', []],
      ['a start before now is invalid', '2026-07-15T11:00', ['validation_failed:start']],
      ['now given in UTC is read as the same instant', '2026-07-15T00:59Z', []],
      ['now given in UTC one minute later is too late', '2026-07-15T01:00Z', ['validation_failed:start']],
    ])('%s (now %s)', (_name, now, expected) => {
      expect(codes(check('2026-07-15', '10:00', '12:00', { now }))).toEqual(expected);
    });
  });

  describe('blocks', () => {
    const block = (from: string, to: string): Block =>
      ({ start: at('2026-07-15', from), end: at('2026-07-15', to), reason: 'ピアノ調律' });
    it.each([
      ['a block that ends exactly at the start is fine', block('08:00', '10:00'), []],
      ['a block that starts exactly at the end is fine', block('12:00', '14:00'), []],
      ['a block that covers the start overlaps', block('09:00', '10:30'), ['closed']],
      ['a block inside the booking overlaps', block('10:30', '11:00'), ['closed']],
      ['a block around the booking overlaps', block('09:00', '13:00'), ['closed']],
    ])('%s', (_name, b, expected) => {
      expect(codes(check('2026-07-15', '10:00', '12:00', { blocks: [b] }))).toEqual(expected);
    });

    it('an overlapping block gives its reason', () => {
      expect(check('2026-07-15', '10:00', '12:00', { blocks: [block('11:00', '15:00')] })).toEqual([
        { code: 'closed', message: 'hall is not available: ピアノ調律', reason: 'ピアノ調律' },
      ]);
    });
  });

  it('reports every problem at once', () => {
    // The 2nd Monday of November: a closing day, and out of the plaza's season.
    const problems = check('2026-11-09', '08:15', '08:30', { space: plaza, now: '2026-11-09T09:00' });
    expect(codes(problems)).toEqual([
      'validation_failed:start',
      'validation_failed:end',
      'validation_failed:start',
      'closed',
      'closed',
    ]);
  });

  it('refuses a booking that runs over midnight into the next date', () => {
    const problems = checkSlot({
      start: at('2026-07-15', '21:00'),
      end: at('2026-07-16', '01:00'),
      now: NOW,
      day: openingDay('2026-07-15', rules.calendar),
      space: hall,
      blocks: [],
      life: rules.life,
    });
    expect(codes(problems)).toEqual(['validation_failed:end', 'closed']);
  });

  it('checks the grid in Tokyo time even for an instant given in UTC', () => {
    const problems = checkSlot({
      start: parseInstant('2026-07-15T01:00Z'),
      end: parseInstant('2026-07-15T02:30Z'),
      now: NOW,
      day: openingDay('2026-07-15', rules.calendar),
      space: hall,
      blocks: [],
      life: rules.life,
    });
    expect(problems).toEqual([]);
  });

  it('throws when given the opening day of another date, a caller’s mistake', () => {
    expect(() =>
      checkSlot({
        start: at('2026-07-15', '10:00'),
        end: at('2026-07-15', '12:00'),
        now: NOW,
        day: openingDay('2026-07-16', rules.calendar),
        space: hall,
        blocks: [],
        life: rules.life,
      }),
    ).toThrow(/2026-07-16/);
  });
});
