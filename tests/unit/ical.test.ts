import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildCalendar, cleanText, escapeText, type FeedCalendar, type FeedEvent } from '../../server/feeds/ical.js';
import { groupFeedEvents, offSeasonPeriods, spaceFeedEvents, type GroupBooking } from '../../server/feeds/events.js';
import { formatters, translator } from '../../server/i18n/index.js';

// These run under TZ=UTC (vitest.config.ts): a Tokyo time written in the server's zone would show.

/** 18:00–21:00 in Tokyo on 2026-12-10, stored as UTC. */
const EVENING = { kind: 'timed', start: '2026-12-10T09:00:00.000Z', end: '2026-12-10T12:00:00.000Z' } as const;

function event(overrides: Partial<FeedEvent> = {}): FeedEvent {
  return {
    uid: 'booking-1@hiroba', sequence: 0, stamp: '2026-11-20T01:02:03.000Z', summary: '打ち合わせ',
    when: EVENING, status: 'confirmed', busy: true, ...overrides,
  };
}

function calendar(events: FeedEvent[], overrides: Partial<FeedCalendar> = {}): string {
  return buildCalendar({ name: '小会議室1の予約状況', refreshMinutes: 15, events, ...overrides });
}

/** Parses with a real parser, registering the feed's own VTIMEZONE so TZID=Asia/Tokyo means Tokyo. */
function parse(text: string) {
  const vcalendar = new ICAL.Component(ICAL.parse(text));
  for (const tz of vcalendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = vcalendar.getAllSubcomponents('vevent');
  return { vcalendar, events, event: (i = 0) => new ICAL.Event(events[i]!) };
}

/** The physical lines of the text, as bytes. */
function physicalLines(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      lines.push(bytes.subarray(start, i));
      start = i + 2;
    }
  }
  lines.push(bytes.subarray(start));
  return lines;
}

/** Content lines after unfolding (RFC 5545 §3.1): a CRLF followed by one space or tab is removed. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '').split('\r\n');

/** The names of the properties an event has, in order. */
const propertyNames = (component: ICAL.Component) => component.getAllProperties().map((p) => p.name);

const HOSTILE = [
  ['a CR', 'one\rtwo', 'one\ntwo'],
  ['an LF', 'one\ntwo', 'one\ntwo'],
  ['a CRLF', 'one\r\ntwo', 'one\ntwo'],
  ['a semicolon', 'a;b', 'a;b'],
  ['a comma', 'a,b', 'a,b'],
  ['a backslash', 'C:\\temp\\n', 'C:\\temp\\n'],
  ['an emoji', 'お茶会🍵👨‍👩‍👧', 'お茶会🍵👨‍👩‍👧'],
  ['a property after a line break', 'x\r\nDTSTART:19700101T000000Z\nATTENDEE:mailto:evil@example.com', 'x\nDTSTART:19700101T000000Z\nATTENDEE:mailto:evil@example.com'],
  ['a component after a line break', 'x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil', 'x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil'],
] as const;

describe('buildCalendar: text values', () => {
  it.each(HOSTILE)('keeps %s as text inside its own property', (_what, text, expected) => {
    const ics = calendar([event({ summary: text, description: text, location: text })]);
    const { events, event: first } = parse(ics);
    expect(events).toHaveLength(1);
    expect(first().summary).toBe(expected);
    expect(first().description).toBe(expected);
    expect(first().location).toBe(expected);
    // No line break in the text became a property or component of its own.
    expect(propertyNames(events[0]!).filter((n) => n === 'dtstart')).toHaveLength(1);
    expect(propertyNames(events[0]!)).not.toContain('attendee');
    expect(first().uid).toBe('booking-1@hiroba');
    // Every line ends in CRLF, and nowhere else is there a CR or an LF.
    expect(ics.split('\r\n').every((line) => !/[\r\n]/.test(line))).toBe(true);
  });

  it('escapes commas, semicolons, backslashes and line breaks as RFC 5545 says', () => {
    const ics = calendar([event({ summary: 'a,b;c\\d\ne' })]);
    expect(unfold(ics)).toContain('SUMMARY:a\\,b\\;c\\\\d\\ne');
  });

  it('folds a 200-character Japanese purpose at 75 octets, never inside a character, and unfolds to the same text', () => {
    const purpose = '地域の子どもたちと高齢者が一緒に楽しめる昔遊びと手作りおやつの交流会を開き、'.repeat(6).slice(0, 198) + '🍵😀';
    expect([...purpose]).toHaveLength(200);
    const ics = calendar([event({ summary: purpose, description: purpose })]);
    const lines = physicalLines(ics);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(75);
      // Each physical line is whole UTF-8 on its own: no character was cut at a fold.
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(line)).not.toThrow();
    }
    expect(lines.filter((l) => l[0] === 0x20).length).toBeGreaterThan(10);
    expect(unfold(ics)).toContain(`DESCRIPTION:${purpose}`);
    expect(parse(ics).event().description).toBe(purpose);
    expect(parse(ics).event().summary).toBe(purpose);
  });

  it('folds escaped text and long names too', () => {
    const name = '会議研修室（全面）;,\\の予約状況'.repeat(5);
    const ics = calendar([event({ summary: '\\;,'.repeat(40) })], { name, description: 'あ\nい' });
    for (const line of physicalLines(ics)) expect(line.length).toBeLessThanOrEqual(75);
    expect(parse(ics).event().summary).toBe('\\;,'.repeat(40));
    expect(unfold(ics)).toContain(`X-WR-CALNAME:${escapeText(name)}`);
    expect(unfold(ics)).toContain(`NAME:${escapeText(name)}`);
    expect(unfold(ics)).toContain('X-WR-CALDESC:あ\\nい');
  });

  it('escapes the calendar name, which ical-generator writes raw', () => {
    const ics = calendar([event()], { name: 'A,B;C\r\nX-INJECTED:1', description: 'd\nEND:VCALENDAR' });
    const { vcalendar } = parse(ics);
    expect(propertyNames(vcalendar)).not.toContain('x-injected');
    expect(unfold(ics)).toContain('X-WR-CALNAME:A\\,B\\;C\\nX-INJECTED:1');
    expect(ics.match(/^END:VCALENDAR$/gm)).toHaveLength(1);
  });

  it('drops control characters and half surrogate pairs that no TEXT value may hold', () => {
    expect(cleanText('a\u0000b\u0007c\u000Bd\u000Ce\u001Bf\u007Fg\u0085h\u2028i\u2029j\tk')).toBe('abcdefg\nh\ni\nj\tk');
    expect(cleanText('x\uD83Dy\uDE00z😀')).toBe('x\uFFFDy\uFFFDz😀');
    const { event: first } = parse(calendar([event({ summary: 'a\u0000b\u000Bc\u2028d' })]));
    expect(first().summary).toBe('abc\nd');
  });
});

describe('buildCalendar: times and identity', () => {
  it('writes Tokyo wall-clock times with TZID=Asia/Tokyo and a VTIMEZONE, and DTSTAMP in UTC', () => {
    const ics = calendar([event({ sequence: 3 })]);
    const lines = unfold(ics);
    expect(lines).toContain('DTSTART;TZID=Asia/Tokyo:20261210T180000');
    expect(lines).toContain('DTEND;TZID=Asia/Tokyo:20261210T210000');
    expect(lines).toContain('DTSTAMP:20261120T010203Z');
    expect(lines.filter((l) => l.startsWith('DTSTAMP:')).every((l) => l.endsWith('Z'))).toBe(true);
    expect(lines).toContain('BEGIN:VTIMEZONE');
    expect(lines).toContain('TZID:Asia/Tokyo');
    expect(lines).toContain('TZOFFSETTO:+0900');
    expect(lines.filter((l) => l === 'BEGIN:VTIMEZONE')).toHaveLength(1);
    expect(lines.indexOf('BEGIN:VTIMEZONE')).toBeLessThan(lines.indexOf('BEGIN:VEVENT'));
    // Calendar properties come before any component (RFC 5545 §3.4).
    expect(lines.indexOf('REFRESH-INTERVAL;VALUE=DURATION:PT15M')).toBeLessThan(lines.indexOf('BEGIN:VTIMEZONE'));
    expect(lines.indexOf('X-WR-CALNAME:小会議室1の予約状況')).toBeLessThan(lines.indexOf('BEGIN:VTIMEZONE'));
    expect(lines).toContain('SEQUENCE:3');
    expect(lines).toContain('UID:booking-1@hiroba');
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines).toContain('TRANSP:OPAQUE');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.some((l) => /^PRODID:-\/\/Hiroba\/\//.test(l))).toBe(true);
    expect(lines).toContain('X-WR-CALNAME:小会議室1の予約状況');
    expect(lines).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT15M');
    expect(ics.endsWith('END:VCALENDAR')).toBe(true);
  });

  it('gives a parser the right instants whatever the server zone', () => {
    const e = parse(calendar([event()])).event();
    expect(e.startDate.zone?.tzid).toBe('Asia/Tokyo');
    expect(e.startDate.toJSDate().toISOString()).toBe('2026-12-10T09:00:00.000Z');
    expect(e.endDate.toJSDate().toISOString()).toBe('2026-12-10T12:00:00.000Z');
  });

  it('writes whole days as DATE values with the day after as the end', () => {
    const ics = calendar([event({ uid: 'closed-2026-12-29.hall@hiroba', when: { kind: 'allDay', from: '2026-12-29', to: '2027-01-03' } })]);
    const lines = unfold(ics);
    expect(lines).toContain('DTSTART;VALUE=DATE:20261229');
    expect(lines).toContain('DTEND;VALUE=DATE:20270104');
    const e = parse(ics).event();
    expect(e.startDate.isDate).toBe(true);
    expect(e.startDate.toString()).toBe('2026-12-29');
    expect(e.endDate.toString()).toBe('2027-01-04');
  });

  it('marks a cancelled event CANCELLED and no longer busy, under the same UID', () => {
    const ics = calendar([event({ status: 'cancelled', sequence: 2 })]);
    const lines = unfold(ics);
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines).toContain('TRANSP:TRANSPARENT');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('UID:booking-1@hiroba');
  });

  it('still holds a VTIMEZONE when there are no events, so the calendar has a component', () => {
    const ics = calendar([]);
    expect(unfold(ics)).toContain('BEGIN:VTIMEZONE');
    const { vcalendar, events } = parse(ics);
    expect(events).toHaveLength(0);
    expect(vcalendar.getAllSubcomponents('vtimezone')).toHaveLength(1);
  });

  it('is the same text for the same data (the ETag is a hash of it)', () => {
    expect(calendar([event()])).toBe(calendar([event()]));
  });
});

describe('feed events', () => {
  const t = translator('ja');
  const f = formatters('ja');

  it('shows a group its booking with purpose, room, status and fee', () => {
    const b: GroupBooking = {
      id: 7, spaceName: '小会議室1', startAt: EVENING.start, endAt: EVENING.end, status: 'provisional', paymentStatus: 'unpaid',
      revision: 2, stamp: '2026-11-20T00:00:00.000Z', purpose: '定例会\n（第2回）', totalYen: 1200, cancellationFeeYen: null, deadlineAt: '2026-11-27T13:00:00.000Z',
      url: 'https://hiroba.example/my/bookings/7',
    };
    const [e] = groupFeedEvents([b], t, f);
    expect(e).toMatchObject({ uid: 'booking-7@hiroba', sequence: 2, summary: '【仮予約】定例会 （第2回）', location: '小会議室1', status: 'tentative' });
    expect(e!.description).toBe('利用目的：定例会\n（第2回）\n部屋：小会議室1\n状態：仮予約\n使用料：¥1,200（未払い）\nお支払い期限：2026年11月27日(金) 22:00');
    const [cancelled] = groupFeedEvents([{ ...b, status: 'cancelled', deadlineAt: null, cancellationFeeYen: 600 }], t, f);
    expect(cancelled).toMatchObject({ uid: 'booking-7@hiroba', summary: '【取消】定例会 （第2回）', status: 'cancelled' });
    // A cancelled booking owes its cancellation fee, no longer the booking's fee.
    expect(cancelled!.description).toBe('利用目的：定例会\n（第2回）\n部屋：小会議室1\n状態：取消\nキャンセル料：¥600');
    const [expired] = groupFeedEvents([{ ...b, status: 'expired' }], t, f);
    expect(expired!.description).toBe('利用目的：定例会\n（第2回）\n部屋：小会議室1\n状態：期限切れ');
  });

  it('shows a space its closures, changed hours and holidays as whole days, each with a stable UID', () => {
    const usual = { open: '09:00', close: '22:00' };
    const stamp = '2026-04-01T00:00:00.000Z';
    const events = spaceFeedEvents({
      space: { slug: 'hall', name: 'ホール' }, bookings: [], blocks: [], offSeason: [],
      days: [
        { day: { date: '2027-01-01', open: null, close: null, closed: true, holiday: '元日', reason: '年末年始休館' }, usual, stamp },
        { day: { date: '2027-01-12', open: null, close: null, closed: true, holiday: null, reason: '定例休館日' }, usual, stamp },
        { day: { date: '2027-01-11', open: '09:00', close: '22:00', closed: false, holiday: '成人の日', reason: null }, usual, stamp },
        { day: { date: '2027-01-13', open: '09:00', close: '22:00', closed: false, holiday: null, reason: null }, usual, stamp },
        { day: { date: '2027-01-14', open: '10:00', close: '18:00', closed: false, holiday: null, reason: '職員研修' }, usual, stamp },
      ],
    }, t, f);
    expect(events.map((e) => [e.uid, e.summary, e.busy])).toEqual([
      ['closed-2027-01-01.hall@hiroba', '休館日（年末年始休館）', true],
      ['holiday-2027-01-01.hall@hiroba', '元日（祝日）', false],
      ['closed-2027-01-12.hall@hiroba', '休館日（定例休館日）', true],
      ['holiday-2027-01-11.hall@hiroba', '成人の日（祝日）', false],
      ['hours-2027-01-14.hall@hiroba', '開館時間 10:00〜18:00（職員研修）', false],
    ]);
    expect(events.every((e) => e.when.kind === 'allDay')).toBe(true);
  });

  it('finds the plaza\'s whole off-season periods that touch the window', () => {
    const plaza = { seasonFrom: '05-01', seasonTo: '10-31' };
    expect(offSeasonPeriods(plaza, '2026-11-01', '2027-12-31')).toEqual([
      { from: '2026-11-01', to: '2027-04-30' },
      { from: '2027-11-01', to: '2028-04-30' },
    ]);
    // Cut by the window or not, a period keeps its own dates (and so its UID).
    expect(offSeasonPeriods(plaza, '2027-01-15', '2027-03-01')).toEqual([{ from: '2026-11-01', to: '2027-04-30' }]);
    expect(offSeasonPeriods(plaza, '2027-05-01', '2027-10-31')).toEqual([]);
    expect(offSeasonPeriods({ seasonFrom: null, seasonTo: null }, '2027-01-01', '2027-12-31')).toEqual([]);
  });
});
