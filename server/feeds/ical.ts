import ical, { ICalEventStatus, ICalEventTransparency, type ICalCalendar } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import { addDays, fromStored, ZONE, ZONE_NAME } from '../domain/time.js';

/**
 * The iCalendar (RFC 5545) writer for Hiroba's calendar feeds, fed with plain data. It knows
 * nothing of bookings or groups: feeds/events.ts turns those into `FeedEvent`s.
 *
 * ical-generator 10 writes the calendar; around it we route its gaps (NOTES.md and what we found):
 * - times are given as luxon DateTimes with the event's zone set to Asia/Tokyo, so `DTSTART;TZID=`
 *   carries Tokyo wall-clock time whatever the server's zone (a JS Date would be written in it);
 * - the zone is set per event, never on the calendar, so `DTSTAMP` stays UTC with `Z`;
 * - it writes `NAME`, `X-WR-CALNAME` and `X-WR-CALDESC` unescaped, so a `,` `;` `\` or a line break
 *   in a space's or group's name would corrupt or inject properties: we escape those ourselves;
 * - it writes `REFRESH-INTERVAL` after the `VTIMEZONE`s (calendar properties belong before any
 *   component) and no `VTIMEZONE` for a calendar without events (RFC 5545 wants at least one
 *   component): we write those lines ourselves, at their place.
 * Its own escaping of TEXT values (`\` `;` `,` and CR, LF, CRLF → `\n`) and its folding at 75
 * octets on character boundaries are correct in 10.x; tests/unit/ical.test.ts holds them to it.
 */

/** When an event happens: Tokyo instants (stored UTC ISO strings), or whole Tokyo dates (both included). */
export type FeedWhen =
  | { kind: 'timed'; start: string; end: string }
  | { kind: 'allDay'; from: string; to: string };

export interface FeedEvent {
  /** Stable across requests and changes: clients match updates and cancellations by it. */
  uid: string;
  /** Bumped on every change of the source (bookings.revision). */
  sequence: number;
  /** When the source was last revised (UTC ISO instant): RFC 5545 DTSTAMP of a published calendar. */
  stamp: string;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  when: FeedWhen;
  status: 'confirmed' | 'tentative' | 'cancelled';
  /** Whether the time shows as busy (OPAQUE) or only as information (TRANSPARENT, e.g. a holiday). */
  busy: boolean;
}

export interface FeedCalendar {
  name: string;
  description?: string;
  /** How often clients should look again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  refreshMinutes: number;
  events: readonly FeedEvent[];
}

export const PRODID = { company: 'Hiroba', product: 'Civic Activity Exchange Center calendar', language: 'JA' } as const;

// C0 and C1 controls other than TAB and the line breaks handled below have no place in iCalendar
// TEXT (RFC 5545 §3.3.11 excludes CONTROL); some parsers split lines on VT, FF, NEL or FS.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g;
// Every way text can say "new line", including those a parser might take for a line end.
const LINE_BREAKS = /\r\n|\r|\n|\u0085|\u2028|\u2029/g;
// Half a surrogate pair is no character at all (String#toWellFormed, which our ES target lacks).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as it may go into a TEXT value before escaping: well-formed UTF-16 (a lone surrogate would
 * be written as U+FFFD anyway), every line break as LF (escaped to `\n` later), no other controls.
 */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(LINE_BREAKS, '\n').replace(CONTROLS, '');
}

/** RFC 5545 §3.3.11 TEXT escaping, for the values ical-generator writes raw. */
export function escapeText(text: string): string {
  return cleanText(text).replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

const STATUS = {
  confirmed: ICalEventStatus.CONFIRMED,
  tentative: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
} as const;

/** Asia/Tokyo's VTIMEZONE (from the tz database, via @touch4it/ical-timezones), as lines. */
const VTIMEZONE = getVtimezoneComponent(ZONE_NAME)!.trim().split(/\r?\n/);

const tokyoDay = (date: string) => DateTime.fromISO(date, { zone: ZONE });

function addEvent(cal: ICalCalendar, e: FeedEvent): void {
  const common = {
    id: e.uid,
    sequence: e.sequence,
    stamp: DateTime.fromISO(e.stamp, { zone: 'utc' }),
    timezone: ZONE_NAME,
    summary: cleanText(e.summary),
    status: STATUS[e.status],
    // A cancelled event no longer holds the time, whatever it was.
    transparency: e.busy && e.status !== 'cancelled' ? ICalEventTransparency.OPAQUE : ICalEventTransparency.TRANSPARENT,
    ...(e.description === undefined ? {} : { description: cleanText(e.description) }),
    ...(e.location === undefined ? {} : { location: cleanText(e.location) }),
    ...(e.url === undefined ? {} : { url: e.url }),
  };
  if (e.when.kind === 'timed') {
    cal.createEvent({ ...common, start: fromStored(e.when.start), end: fromStored(e.when.end) });
  } else {
    // All-day: DTEND is the day after the last day (RFC 5545 §3.6.1, exclusive end).
    cal.createEvent({ ...common, allDay: true, start: tokyoDay(e.when.from), end: tokyoDay(addDays(e.when.to, 1)) });
  }
}

/** The whole `VCALENDAR` as text with CRLF line ends, every line at most 75 octets. */
export function buildCalendar(feed: FeedCalendar): string {
  const cal = ical({
    prodId: PRODID,
    name: escapeText(feed.name),
    ...(feed.description === undefined ? {} : { description: escapeText(feed.description) }),
    // No METHOD: a plain published calendar, where DTSTAMP means "last revised" (RFC 5545 §3.8.7.2).
    scale: 'GREGORIAN',
  });
  // No calendar-level zone: with one, ical-generator writes DTSTAMP in it, without the Z.
  for (const e of feed.events) addEvent(cal, e);
  // The calendar's last properties and its one zone go between its properties and its events,
  // where RFC 5545 puts them (ical-generator writes its TTL after the zones, and no zone at all
  // for a calendar without events, which would then hold no component).
  const duration = `PT${feed.refreshMinutes}M`;
  const head = [`REFRESH-INTERVAL;VALUE=DURATION:${duration}`, `X-PUBLISHED-TTL:${duration}`, ...VTIMEZONE].join('\r\n');
  const text = cal.toString();
  const at = text.search(/\r\n(BEGIN:VEVENT|END:VCALENDAR)/);
  return `${text.slice(0, at)}\r\n${head}${text.slice(at)}`;
}
