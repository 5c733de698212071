import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import { isRegisteredOn } from '../domain/registration.js';
import { addDays, at, toStored, tokyoDate } from '../domain/time.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { groupFeedEvents, offSeasonPeriods, spaceFeedEvents, type FeedDay, type FeedStatus } from '../feeds/events.js';
import { buildCalendar } from '../feeds/ical.js';
import { formatters, translator } from '../i18n/index.js';
import { recordAudit } from '../repositories/audit.js';
import {
  calendarRulesStamp, feedBlocks, groupByCalendarToken, groupFeedBookings, groupNames, hasCalendarToken, overrideStamps,
  publicFeedBookings, setCalendarToken,
} from '../repositories/feeds.js';
import { findGroup, groupStanding, type GroupRow } from '../repositories/groups.js';
import { relatedSpaces } from './booking-checks.js';
import { isStaff, requireActor, type Actor, type Deps } from './context.js';
import { hashToken, newToken } from './secrets.js';

/** Feeds show one month back to thirteen months ahead of today (Tokyo dates). */
const MONTHS_BACK = 1;
const MONTHS_AHEAD = 13;
/** Cancelled (and expired) bookings stay in feeds this long as STATUS:CANCELLED, so clients remove them. */
const ENDED_SHOWN_DAYS = 30;
/** What feeds ask clients to keep to (most clients choose their own pace anyway). */
const REFRESH_MINUTES = 15;
/**
 * A built feed is kept this long while the database is unchanged: building one is most of a
 * request's cost (ical-generator encodes each character on its own to fold lines), and clients
 * poll. What changes with time alone (a payment deadline passing, a cancellation leaving after 30
 * days, the window moving at midnight) shows at most this much later, like the expiry job.
 */
const KEEP_MS = 60_000;
/** Feed tokens are 32 random bytes in base64url (secrets.ts); anything else is no feed. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Only if the rules were never stored: a DTSTAMP must be some instant. */
const NO_STAMP = '2000-01-01T00:00:00.000Z';

/** A feed ready to send: its text, a strong validator of that text, and when it last changed. */
export interface Feed {
  body: string;
  etag: string;
  lastModified: DateTime;
  filename: string;
}

/** Where a request came from: an origin (`https://host`) for links inside the feed, when it can be trusted. */
export interface FeedRequest {
  origin?: string;
}

/**
 * Calendar feeds (iCal): a public feed per space, a private feed per group behind a token that
 * the representative or a manager issues. Feeds are written in Japanese (the center's language).
 */
export function makeFeedService(deps: Deps) {
  const { db, clock, reference } = deps;
  const t = translator('ja');
  const f = formatters('ja');

  /**
   * When each feed's text last changed, as this process has seen it. Last-Modified comes from here
   * rather than from the rows: a booking that moved to another room, or a day entering the window,
   * changes a feed without any of its remaining rows changing. After a restart the first answer is
   * simply newer (a client fetches once more).
   */
  const changed = new Map<string, { etag: string; since: DateTime }>();
  function lastModified(key: string, etag: string, now: DateTime): DateTime {
    const previous = changed.get(key);
    if (previous?.etag === etag) return previous.since;
    // HTTP dates have whole seconds: a new text must get a later one than the text it replaces.
    let since = now.startOf('second');
    if (previous && since <= previous.since) since = previous.since.plus({ seconds: 1 });
    if (changed.size >= 10_000) changed.clear();
    changed.set(key, { etag, since });
    return since;
  }

  function feed(key: string, body: string, filename: string, now: DateTime): Feed {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    return { body, etag, lastModified: lastModified(key, etag, now), filename };
  }

  /** Any write to the database, by this connection (total_changes) or another process (data_version). */
  const dataVersion = () => {
    const [changes, version] = db.$client.prepare('SELECT total_changes(), (SELECT data_version FROM pragma_data_version())').raw().get() as [number, number];
    return `${version}:${changes}`;
  };
  const built = new Map<string, { version: string; atMs: number; feed: Feed }>();
  function cached(key: string, build: (now: DateTime) => Feed): Feed {
    const now = clock();
    const version = dataVersion();
    const hit = built.get(key);
    if (hit && hit.version === version && now.toMillis() >= hit.atMs && now.toMillis() - hit.atMs < KEEP_MS) return hit.feed;
    const value = build(now);
    if (built.size >= 1000) built.clear();
    built.set(key, { version, atMs: now.toMillis(), feed: value });
    return value;
  }

  function window(now: DateTime) {
    const today = tokyoDate(now);
    const dayOf = (months: number) => at(today, '00:00').plus({ months }).toISODate()!;
    const from = dayOf(-MONTHS_BACK);
    const to = dayOf(MONTHS_AHEAD);
    return {
      today, from, to,
      fromIso: toStored(at(from, '00:00')),
      toIso: toStored(at(addDays(to, 1), '00:00')),
      endedSince: toStored(now.minus({ days: ENDED_SHOWN_DAYS })),
    };
  }

  /**
   * A booking's state as feeds show it, and when that last changed: a provisional booking past its
   * payment deadline has released its slot already (as availability says), before the job marks it.
   */
  function effective(b: { status: FeedStatus; deadlineAt: string | null; updatedAt: string }, nowIso: string): { status: FeedStatus; stamp: string } {
    if (b.status === 'provisional' && b.deadlineAt !== null && b.deadlineAt <= nowIso) {
      return { status: 'expired', stamp: b.deadlineAt > b.updatedAt ? b.deadlineAt : b.updatedAt };
    }
    return { status: b.status, stamp: b.updatedAt };
  }

  /** The group if the actor may act for it; any other group is 404 (it must not be revealed). */
  function ownGroup(actor: Actor, groupId: number): GroupRow {
    const g = Number.isSafeInteger(groupId) ? findGroup(db, groupId) : undefined;
    if (!g || !(isStaff(actor) || actor.groupId === g.id)) throw new NotFoundError('group');
    return g;
  }

  /** The public feed of a space: bookings as busy blocks (or a public group's name), blocks, closures, holidays. */
  function buildSpaceFeed(slug: string, key: string, request: FeedRequest, now: DateTime): Feed {
    const w = window(now);
    const all = reference.spaces(w.today);
    const space = all.find((s) => s.slug === slug)!;
    const related = relatedSpaces(space, all);
    const names = new Map(all.map((s) => [s.id, s.name]));
    const nowIso = toStored(now);

    const rows = publicFeedBookings(db, related.map((s) => s.id), w.fromIso, w.toIso, w.endedSince);
    const groupIds = [...new Set(rows.map((b) => b.groupId).filter((id): id is number => id !== null))];
    // A group's name is shown only where it chose a public profile and is registered today.
    const shown = new Map(groupNames(db, groupIds)
      .filter((g) => g.publicProfile && isRegisteredOn(groupStanding(db, g.id)!, w.today))
      .map((g) => [g.id, g.name]));

    const rulesStamp = calendarRulesStamp(db) ?? NO_STAMP;
    const overrides = overrideStamps(db, w.from, w.to);
    const days: FeedDay[] = [];
    for (let date = w.from; date <= w.to; date = addDays(date, 1)) {
      const day = reference.day(date);
      // The usual hours of the calendar rules in force on that date.
      const rules = reference.rules(date).calendar;
      days.push({ day, usual: { open: rules.defaultOpen, close: rules.defaultClose }, stamp: overrides.get(date) ?? rulesStamp });
    }

    const events = spaceFeedEvents({
      space: { slug: space.slug, name: space.name },
      bookings: rows.map((b) => ({
        id: b.id, spaceName: names.get(b.spaceId) ?? '', startAt: b.startAt, endAt: b.endAt, revision: b.revision,
        ...effective(b, nowIso), publicName: b.groupId === null ? null : shown.get(b.groupId) ?? null,
      })),
      blocks: feedBlocks(db, related.map((s) => s.id), w.fromIso, w.toIso).map((b) => ({
        id: b.id, spaceName: names.get(b.spaceId) ?? '', startAt: b.startAt, endAt: b.endAt, reason: b.reason, stamp: b.createdAt,
      })),
      days,
      offSeason: offSeasonPeriods(space, w.from, w.to).map((p) => ({ ...p, stamp: rulesStamp })),
      ...(request.origin === undefined ? {} : { url: `${request.origin}/spaces/${encodeURIComponent(space.slug)}` }),
    }, t, f);
    const body = buildCalendar({
      name: t('feed.spaceName', { space: space.name, site: t('site.name') }),
      description: t('feed.spaceDescription', { space: space.name }),
      refreshMinutes: REFRESH_MINUTES,
      events,
    });
    return feed(key, body, `${space.slug}.ics`, now);
  }

  /** The private feed of a group: its bookings with purpose, space, status and fee. */
  function buildGroupFeed(group: { id: number; name: string }, key: string, request: FeedRequest, now: DateTime): Feed {
    const w = window(now);
    const names = new Map(reference.spaces(w.today).map((s) => [s.id, s.name]));
    const nowIso = toStored(now);
    const events = groupFeedEvents(groupFeedBookings(db, group.id, w.from, w.to, w.endedSince).map((b) => ({
      id: b.id, spaceName: names.get(b.spaceId) ?? '', startAt: b.startAt, endAt: b.endAt, revision: b.revision,
      ...effective(b, nowIso), paymentStatus: b.paymentStatus, purpose: b.purpose, totalYen: b.totalYen,
      cancellationFeeYen: b.cancellationFeeYen, deadlineAt: b.deadlineAt,
      ...(request.origin === undefined ? {} : { url: `${request.origin}/my/bookings/${b.id}` }),
    })), t, f);
    const body = buildCalendar({
      name: t('feed.groupName', { group: group.name, site: t('site.name') }),
      description: t('feed.groupDescription', { group: group.name }),
      refreshMinutes: REFRESH_MINUTES,
      events,
    });
    return feed(key, body, 'hiroba-group.ics', now);
  }

  return {
    /** The public feed of a space: bookings as busy blocks (or a public group's name), blocks, closures, holidays. */
    spaceFeed(slug: string, request: FeedRequest = {}): Feed {
      if (!reference.spaces(tokyoDate(clock())).some((s) => s.slug === slug)) throw new NotFoundError('calendar');
      const key = `space:${slug}:${request.origin ?? ''}`;
      return cached(key, (now) => buildSpaceFeed(slug, key, request, now));
    },

    /** The private feed behind a token; an unknown, replaced or malformed token is the same 404. */
    groupFeed(token: string, request: FeedRequest = {}): Feed {
      const group = TOKEN.test(token) ? groupByCalendarToken(db, hashToken(token)) : undefined;
      // A lapsed group whose personal data was deleted has no bookings to show anyone.
      if (!group || group.personalDataDeletedAt !== null) throw new NotFoundError('calendar');
      const key = `group:${group.id}:${request.origin ?? ''}`;
      return cached(key, (now) => buildGroupFeed(group, key, request, now));
    },

    /**
     * Issues the group's feed token (API.md `POST /groups/{id}/calendar-token`): the representative
     * or a manager; the previous token stops working. The token is returned once and stored hashed.
     */
    issueGroupToken(actorOrNull: Actor | null, groupId: number): { token: string } {
      const actor = requireActor(actorOrNull);
      const g = ownGroup(actor, groupId);
      if (!(actor.role === 'manager' || (actor.groupId === g.id && actor.isRepresentative))) {
        throw new ForbiddenError('only the representative or a manager issues the calendar address');
      }
      const token = newToken();
      const now = toStored(clock());
      db.transaction((tx) => {
        const replaced = hasCalendarToken(tx, g.id);
        setCalendarToken(tx, g.id, hashToken(token));
        recordAudit(tx, { at: now, actorId: actor.id, action: 'group.calendar_token', entity: 'group', entityId: g.id, detail: { replaced } });
      }, { behavior: 'immediate' });
      return { token };
    },

    /** Whether the group has a feed token now (the token itself cannot be shown again). */
    groupTokenIssued(actorOrNull: Actor | null, groupId: number): boolean {
      return hasCalendarToken(db, ownGroup(requireActor(actorOrNull), groupId).id);
    },
  };
}

export type FeedService = ReturnType<typeof makeFeedService>;

