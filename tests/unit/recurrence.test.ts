import { describe, expect, it } from 'vitest';
import { expandSeries, InvalidRecurrenceError } from '../../server/domain/recurrence.js';
import { parseInstant, tokyoClock, tokyoDate, toApi } from '../../server/domain/time.js';

const FAR = '2030-12-31';

function series(rrule: string, start: string, end: string, horizon = FAR, maxMonths = 12) {
  return expandSeries({ rrule, start: parseInstant(start), end: parseInstant(end), horizon, maxMonths });
}

const dates = (occurrences: { start: ReturnType<typeof parseInstant> }[]) => occurrences.map((o) => tokyoDate(o.start));

describe('expandSeries', () => {
  it('lists ten Tuesday evenings across the year end, closure dates included for the service to judge', () => {
    const result = series('FREQ=WEEKLY;BYDAY=TU;COUNT=10', '2026-11-24T18:00', '2026-11-24T21:00');
    expect(dates(result)).toEqual([
      '2026-11-24', '2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22',
      '2026-12-29', '2027-01-05', '2027-01-12', '2027-01-19', '2027-01-26',
    ]);
    for (const o of result) {
      expect(tokyoClock(o.start)).toBe('18:00');
      expect(tokyoClock(o.end)).toBe('21:00');
    }
    expect(toApi(result[5]!.start)).toBe('2026-12-29T18:00:00+09:00');
  });

  it('finds the 2nd Wednesday of each month until the fiscal year end', () => {
    const result = series('RRULE:FREQ=MONTHLY;BYDAY=2WE;UNTIL=20270331', '2026-04-08T13:00', '2026-04-08T16:30');
    expect(dates(result)).toEqual([
      '2026-04-08', '2026-05-13', '2026-06-10', '2026-07-08', '2026-08-12', '2026-09-09',
      '2026-10-14', '2026-11-11', '2026-12-09', '2027-01-13', '2027-02-10', '2027-03-10',
    ]);
    expect(result.every((o) => o.end.diff(o.start, 'minutes').minutes === 210)).toBe(true);
  });

  it('books an exhibition over five consecutive days', () => {
    const result = series('FREQ=DAILY;COUNT=5', '2026-10-01T10:00', '2026-10-01T17:00');
    expect(dates(result)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05']);
    expect(toApi(result[4]!.end)).toBe('2026-10-05T17:00:00+09:00');
  });

  it.each([
    { why: 'COUNT ends first', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3', horizon: FAR, last: '2026-12-08', n: 3 },
    { why: 'the horizon ends first', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=10', horizon: '2026-12-14', last: '2026-12-08', n: 3 },
    { why: 'the horizon date itself is still open', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=10', horizon: '2026-12-15', last: '2026-12-15', n: 4 },
  ])('cuts a weekly series where $why', ({ rrule, horizon, last, n }) => {
    const result = series(rrule, '2026-11-24T18:00', '2026-11-24T21:00', horizon);
    expect(result).toHaveLength(n);
    expect(tokyoDate(result.at(-1)!.start)).toBe(last);
  });

  it('cuts an open-ended monthly series after twelve occurrences, not thirteen', () => {
    const result = series('FREQ=MONTHLY', '2026-04-15T10:00', '2026-04-15T12:00');
    expect(result).toHaveLength(12);
    expect(tokyoDate(result.at(-1)!.start)).toBe('2027-03-15');
  });

  it('cuts an open-ended weekly series just before twelve months after its first start', () => {
    const result = series('FREQ=WEEKLY;BYDAY=TU', '2026-04-07T10:00', '2026-04-07T12:00');
    expect(result).toHaveLength(53);
    expect(tokyoDate(result.at(-1)!.start)).toBe('2027-04-06');
  });

  it('cuts an open-ended series at the horizon when that comes before maxMonths', () => {
    const result = series('FREQ=WEEKLY', '2026-04-07T10:00', '2026-04-07T12:00', '2026-06-30');
    expect(tokyoDate(result.at(-1)!.start)).toBe('2026-06-30');
    expect(result).toHaveLength(13);
  });

  it('returns nothing when the horizon is before the first date', () => {
    expect(series('FREQ=WEEKLY', '2026-04-07T10:00', '2026-04-07T12:00', '2026-04-06')).toEqual([]);
  });

  // A 10:00 occurrence on the UNTIL date is after midnight of that date, so a naive UNTIL drops it.
  it.each([
    { until: '20261205', last: '2026-12-05' },
    { until: '20261205T000000', last: '2026-12-05' },
    { until: '20261204T235959', last: '2026-12-04' },
    { until: '20261204T150000Z', last: '2026-12-05' }, // 2026-12-05 00:00 in Tokyo
    { until: '20261204T145959Z', last: '2026-12-04' }, // 2026-12-04 23:59:59 in Tokyo
    { until: '20261205T145959Z', last: '2026-12-05' }, // how calendar apps write "until Dec 5" in Tokyo
  ])('includes the whole Tokyo day of UNTIL=$until', ({ until, last }) => {
    const result = series(`FREQ=DAILY;UNTIL=${until}`, '2026-12-01T10:00', '2026-12-01T12:00');
    expect(result[0]!.start.toMillis()).toBe(parseInstant('2026-12-01T10:00').toMillis());
    expect(tokyoDate(result.at(-1)!.start)).toBe(last);
  });

  it('keeps 09:00 and 21:00 Tokyo starts on their date and hour in every month, whatever the server zone', () => {
    // 09:00 Tokyo is midnight UTC and 21:00 is noon UTC: a zone mix-up shows as a day or hour shift.
    for (const clock of ['09:00', '21:00']) {
      const result = series('FREQ=WEEKLY;BYDAY=MO', `2026-04-06T${clock}`, `2026-04-06T${clock === '09:00' ? '10:00' : '22:00'}`);
      expect(result).toHaveLength(53);
      for (const o of result) {
        expect(tokyoClock(o.start)).toBe(clock);
        expect(o.start.setZone('Asia/Tokyo').weekday).toBe(1);
      }
      const months = new Set(result.map((o) => tokyoDate(o.start).slice(0, 7)));
      expect(months.size).toBe(13);
    }
  });

  it('returns occurrences in time order', () => {
    const result = series('FREQ=WEEKLY;BYDAY=SA,TU,TH', '2026-06-02T18:00', '2026-06-02T20:00', '2026-07-31');
    const starts = result.map((o) => o.start.toMillis());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(dates(result).slice(0, 4)).toEqual(['2026-06-02', '2026-06-04', '2026-06-06', '2026-06-09']);
  });

  it('reads a lower-case rule the same way', () => {
    expect(dates(series('freq=weekly;byday=tu;count=2', '2026-11-24T18:00', '2026-11-24T21:00'))).toEqual([
      '2026-11-24',
      '2026-12-01',
    ]);
  });

  it.each([
    { rrule: '', why: 'empty' },
    { rrule: 'not a rule', why: 'not key=value' },
    { rrule: 'BYDAY=TU', why: 'no FREQ' },
    { rrule: 'FREQ=FORTNIGHTLY', why: 'unknown FREQ' },
    { rrule: 'FREQ=HOURLY;COUNT=5', why: 'more often than daily' },
    { rrule: 'FREQ=MINUTELY', why: 'more often than daily' },
    { rrule: 'FREQ=SECONDLY', why: 'more often than daily' },
    { rrule: 'FREQ=DAILY;BYHOUR=10,14', why: 'BYHOUR would add times of day' },
    { rrule: 'FREQ=DAILY;BYMINUTE=30', why: 'BYMINUTE would add times of day' },
    { rrule: 'FREQ=WEEKLY;DTSTART=20261201T100000', why: 'DTSTART inside the rule' },
    { rrule: 'DTSTART:20261201T100000\nRRULE:FREQ=WEEKLY', why: 'a DTSTART line' },
    { rrule: 'FREQ=WEEKLY;TZID=Asia/Tokyo', why: 'TZID' },
    { rrule: 'FREQ=WEEKLY;BYDAY=XX', why: 'unknown weekday' },
    { rrule: 'FREQ=WEEKLY;BYDAY=2WE', why: 'numbered weekday in a weekly rule' },
    { rrule: 'FREQ=MONTHLY;BYDAY=0WE', why: 'a 0th weekday' },
    { rrule: 'FREQ=MONTHLY;BYMONTHDAY=32', why: 'a 32nd day' },
    { rrule: 'FREQ=WEEKLY;BYMONTHDAY=1', why: 'BYMONTHDAY in a weekly rule' },
    { rrule: 'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=9', why: 'BYSETPOS, which can match nothing' },
    { rrule: 'FREQ=YEARLY;BYYEARDAY=100', why: 'BYYEARDAY' },
    { rrule: 'FREQ=MONTHLY;BYDAY=6TU', why: 'a 6th Tuesday' },
    { rrule: 'FREQ=WEEKLY;COUNT=0', why: 'COUNT=0' },
    { rrule: 'FREQ=WEEKLY;COUNT=abc', why: 'COUNT not a number' },
    { rrule: 'FREQ=WEEKLY;INTERVAL=-1', why: 'negative INTERVAL' },
    { rrule: 'FREQ=DAILY;COUNT=401', why: 'more than 400 occurrences' },
    { rrule: 'FREQ=DAILY;COUNT=5;UNTIL=20261231', why: 'COUNT and UNTIL together' },
    { rrule: 'FREQ=DAILY;UNTIL=20270230', why: 'UNTIL on a day that does not exist' },
    { rrule: 'FREQ=DAILY;FREQ=WEEKLY', why: 'a part given twice' },
  ])('refuses $rrule ($why)', ({ rrule }) => {
    expect(() => series(rrule, '2026-12-01T10:00', '2026-12-01T12:00')).toThrow(InvalidRecurrenceError);
  });

  it('refuses an open-ended daily series that would run past 400 occurrences', () => {
    expect(() => series('FREQ=DAILY', '2026-04-01T10:00', '2026-04-01T12:00', FAR, 24)).toThrow(InvalidRecurrenceError);
    expect(series('FREQ=DAILY', '2026-04-01T10:00', '2026-04-01T12:00', FAR, 12)).toHaveLength(365);
  });

  // "Every Tuesday" starting on a Monday is a mistake; booking that Monday anyway would surprise.
  it('refuses a first date that the rule itself would not produce', () => {
    expect(() => series('FREQ=WEEKLY;BYDAY=TU', '2026-11-23T18:00', '2026-11-23T21:00')).toThrow(InvalidRecurrenceError);
  });

  it('refuses an occurrence that does not end after it starts', () => {
    expect(() => series('FREQ=WEEKLY', '2026-12-01T12:00', '2026-12-01T12:00')).toThrow(InvalidRecurrenceError);
  });

  // rrule looks for a matching date until the year 9999 before it gives up on an empty rule.
  it('refuses a rule that matches no date at all, at once', () => {
    const began = performance.now();
    expect(() => series('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '2026-04-01T10:00', '2026-04-01T12:00')).toThrow(
      InvalidRecurrenceError,
    );
    expect(performance.now() - began).toBeLessThan(100);
  });

  it('keeps a rule whose next date is years away to the one date within the limit', () => {
    const result = series('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29', '2028-02-29T10:00', '2028-02-29T12:00');
    expect(dates(result)).toEqual(['2028-02-29']);
  });
});
