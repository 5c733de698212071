import { inSeason, type OpeningDay } from '../domain/calendar.js';
import { addDays, daysBetween } from '../domain/time.js';
import type { Formatters, Translate } from '../i18n/index.js';
import type { FeedEvent } from './ical.js';

/**
 * What the feeds show, as plain data in and `FeedEvent`s out: the public feed of a space and the
 * private feed of a group. The services decide which rows may be seen; these decide how they read.
 */

/** A booking's state as a feed shows it: a provisional booking past its deadline has already ended. */
export type FeedStatus = 'provisional' | 'confirmed' | 'cancelled' | 'expired';

/** What a space's public feed knows of a booking: when, where, and at most a public group's name. */
export interface PublicBooking {
  id: number;
  spaceName: string;
  startAt: string;
  endAt: string;
  status: FeedStatus;
  revision: number;
  stamp: string;
  /** The group's name when it chose a public profile and is registered; otherwise nothing. */
  publicName: string | null;
}

export interface FeedBlock {
  id: number;
  spaceName: string;
  startAt: string;
  endAt: string;
  reason: string;
  stamp: string;
}

export interface FeedDay {
  day: OpeningDay;
  /** The center's default hours, to tell a day with changed hours from an ordinary one. */
  usual: { open: string; close: string };
  stamp: string;
}

export interface SpaceFeedData {
  space: { slug: string; name: string };
  bookings: readonly PublicBooking[];
  blocks: readonly FeedBlock[];
  days: readonly FeedDay[];
  /** Whole periods (both dates included) in which an outdoor space cannot be booked. */
  offSeason: readonly { from: string; to: string; stamp: string }[];
  /** The space's page, for clients that show a link. */
  url?: string;
}

/** A group's own booking, as its private feed shows it. */
export interface GroupBooking {
  id: number;
  spaceName: string;
  startAt: string;
  endAt: string;
  status: FeedStatus;
  paymentStatus: 'unpaid' | 'paid' | 'refunded' | 'exempt';
  revision: number;
  stamp: string;
  purpose: string;
  totalYen: number;
  /** What cancelling cost, once cancelled. */
  cancellationFeeYen: number | null;
  deadlineAt: string | null;
  url?: string;
}

const HOST = 'hiroba';
const ended = (s: FeedStatus) => s === 'cancelled' || s === 'expired';
const eventStatus = (s: FeedStatus): FeedEvent['status'] => (ended(s) ? 'cancelled' : s === 'provisional' ? 'tentative' : 'confirmed');
/** A purpose on one line, for the title; the description keeps it as written. */
const oneLine = (text: string) => text.split(/\r\n|\r|\n|\u2028|\u2029/).map((l) => l.trim()).filter(Boolean).join(' ');

/**
 * UIDs carry the feed they belong to: one person may subscribe to a room's feed and to the
 * group's, or to a whole room and its part, and some clients key events by UID across calendars
 * (the same UID twice makes one hide or overwrite the other).
 */
const spaceUid = (kind: string, id: number | string, slug: string) => `${kind}-${id}.${slug}@${HOST}`;

/** The public feed of a space: busy blocks, space blocks, closures, holidays; nothing about people. */
export function spaceFeedEvents(data: SpaceFeedData, t: Translate, f: Formatters): FeedEvent[] {
  const slug = data.space.slug;
  const url = data.url === undefined ? {} : { url: data.url };
  const events: FeedEvent[] = [];
  for (const b of data.bookings) {
    events.push({
      uid: spaceUid('booking', b.id, slug), sequence: b.revision, stamp: b.stamp,
      summary: b.publicName ?? t('feed.busy'), location: b.spaceName,
      when: { kind: 'timed', start: b.startAt, end: b.endAt }, status: eventStatus(b.status), busy: true, ...url,
    });
  }
  for (const b of data.blocks) {
    events.push({
      uid: spaceUid('block', b.id, slug), sequence: 0, stamp: b.stamp,
      summary: t('feed.block', { reason: b.reason }), location: b.spaceName,
      when: { kind: 'timed', start: b.startAt, end: b.endAt }, status: 'confirmed', busy: true, ...url,
    });
  }
  for (const { day, usual, stamp } of data.days) {
    const when = { kind: 'allDay', from: day.date, to: day.date } as const;
    if (day.closed) {
      events.push({
        uid: spaceUid('closed', day.date, slug), sequence: 0, stamp,
        summary: day.reason ? t('feed.closedBecause', { reason: f.reason(day.reason) }) : t('feed.closed'),
        when, status: 'confirmed', busy: true, ...url,
      });
    } else if (day.open !== null && day.close !== null && (day.open !== usual.open || day.close !== usual.close)) {
      const hours = { open: day.open, close: day.close };
      events.push({
        uid: spaceUid('hours', day.date, slug), sequence: 0, stamp,
        summary: day.reason ? t('feed.hoursBecause', { ...hours, reason: f.reason(day.reason) }) : t('feed.hours', hours),
        when, status: 'confirmed', busy: false, ...url,
      });
    }
    if (day.holiday !== null) {
      events.push({
        uid: spaceUid('holiday', day.date, slug), sequence: 0, stamp,
        summary: t('feed.holiday', { name: f.holiday(day.date, day.holiday) }),
        description: t(day.closed ? 'feed.holidayClosed' : 'feed.holidayOpen'),
        when, status: 'confirmed', busy: false, ...url,
      });
    }
  }
  for (const p of data.offSeason) {
    events.push({
      uid: spaceUid('offseason', p.from, slug), sequence: 0, stamp: p.stamp, summary: t('feed.offSeason'),
      when: { kind: 'allDay', from: p.from, to: p.to }, status: 'confirmed', busy: true, ...url,
    });
  }
  return events;
}

/**
 * The whole off-season periods of a space with a season (the plaza: November to April) that touch
 * [from, to]. Periods are not cut at the window, so an event's dates and UID stay the same as the
 * window moves on.
 */
export function offSeasonPeriods(season: { seasonFrom: string | null; seasonTo: string | null }, from: string, to: string): { from: string; to: string }[] {
  if (season.seasonFrom === null && season.seasonTo === null) return [];
  // A season and its complement each recur yearly, so a year either side finds the whole periods.
  const start = addDays(from, -366);
  const periods: { from: string; to: string }[] = [];
  let run: { from: string; to: string } | null = null;
  for (let i = 0, n = daysBetween(start, addDays(to, 366)); i <= n; i++) {
    const date = addDays(start, i);
    if (!inSeason(date, season)) {
      if (run) run.to = date;
      else run = { from: date, to: date };
    } else if (run) {
      periods.push(run);
      run = null;
    }
  }
  // A run still open at the end, or one that began before `start`, is not whole: never shown.
  return periods.filter((p) => p.from > start && p.to >= from && p.from <= to);
}

/** The private feed of a group: its bookings with purpose, space, status and fee. */
export function groupFeedEvents(bookings: readonly GroupBooking[], t: Translate, f: Formatters): FeedEvent[] {
  return bookings.map((b) => {
    const lines = [
      t('feed.line.purpose', { purpose: b.purpose }),
      t('feed.line.space', { space: b.spaceName }),
      t('feed.line.status', { status: t(`status.${b.status}`) }),
      // Once cancelled, what is owed is the cancellation fee, not the booking's.
      ...(!ended(b.status) ? [t('feed.line.fee', { fee: f.yen(b.totalYen), payment: t(`payment.${b.paymentStatus}`) })]
        : b.cancellationFeeYen !== null ? [t('feed.line.cancellationFee', { fee: f.yen(b.cancellationFeeYen) })] : []),
      ...(b.status === 'provisional' && b.deadlineAt !== null ? [t('feed.line.deadline', { deadline: f.dateTime(b.deadlineAt) })] : []),
    ];
    return {
      uid: `booking-${b.id}@${HOST}`, sequence: b.revision, stamp: b.stamp,
      summary: t(`feed.summary.${b.status}`, { purpose: oneLine(b.purpose) }),
      description: lines.join('\n'), location: b.spaceName,
      when: { kind: 'timed', start: b.startAt, end: b.endAt }, status: eventStatus(b.status), busy: true,
      ...(b.url === undefined ? {} : { url: b.url }),
    };
  });
}
