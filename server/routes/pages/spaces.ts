import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { addDays, at, clockMinutes, tokyoDate } from '../../domain/time.js';
import { isMessageKey, translator, type Lang, type MessageKey } from '../../i18n/index.js';
import type { DayAvailability } from '../../services/spaces.js';
import { siteOrigin } from '../calendars.js';
import { notFoundPage } from './access.js';
import { badDatePage, badMonthPage, FIRST_DATE, LAST_DATE, monthSpan, monthWeeks, queryDate, queryMonth, queryText, WEEKDAYS } from './calendar.js';

const WEEK_DAYS = 7;
const SLOT_MINUTES = 30;
/** The shortest booking (DESIGN.md): a free half-hour links to the booking form only when an hour from it is free. */
const MIN_BOOKING_MINUTES = 60;
/** The rows of a week in which every day is closed: the center's usual hours. */
const USUAL_OPEN = '09:00';
const USUAL_CLOSE = '22:00';
/** Slugs are the center's own (`training-a`); anything else is no space, without asking the database. */
const SLUG = /^[a-z0-9-]{1,50}$/;

/** How a day of a space reads in a summary (the all-spaces week and a space's month). */
export type DaySummary =
  | { state: 'closed'; reason: string | null }
  | { state: 'past' }
  | { state: 'full' }
  | { state: 'free'; minutes: number };

/** What one half-hour of the week grid is. Only a free one that can start a booking has a link. */
export type SlotState = 'free' | 'busy' | 'closed' | 'offSeason' | 'outside' | 'past';
export interface GridCell {
  state: SlotState;
  href: string | null;
}

interface Period {
  start: number;
  end: number;
}

// The availability's instants carry their offset (`+09:00`): the native parser reads them exactly, and fast.
const millis = (iso: string) => Date.parse(iso);
const periods = (list: { start: string; end: string }[]): Period[] => list.map((p) => ({ start: millis(p.start), end: millis(p.end) }));
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A closed day (the whole center, or this space out of season or blocked for the day). */
function closedState(a: DayAvailability): SlotState {
  return a.reason === 'out_of_season' ? 'offSeason' : 'closed';
}

/** A day in a few words: closed with its reason, gone, fully booked, or how much is still free. */
export function daySummary(a: DayAvailability, now: { today: string; nowMs: number }): DaySummary {
  if (a.closed) return { state: 'closed', reason: a.reason };
  if (a.date < now.today) return { state: 'past' };
  const { nowMs } = now;
  // Only what can still be booked counts: today's free time from now on.
  const minutes = periods(a.free).reduce((sum, p) => sum + Math.max(0, p.end - Math.max(p.start, nowMs)), 0) / 60_000;
  const whole = Math.floor(minutes / SLOT_MINUTES) * SLOT_MINUTES;
  return whole > 0 ? { state: 'free', minutes: whole } : { state: 'full' };
}

/** The booking form's link for a slot: the booking pages read `space`, `date`, `start` and `end`. */
export function bookingHref(slug: string, date: string, start: string, end: string): string {
  return `/book?space=${encodeURIComponent(slug)}&date=${date}&start=${date}T${start}&end=${date}T${end}`;
}

/**
 * The week grid of one space: a row a half-hour from the earliest opening to the latest closing of
 * the week, a column a day. Busy wins over everything but a closed day; a free slot in the past is
 * `past`; a free slot from which less than an hour is free can end a booking but not start one.
 */
export function weekGrid(slug: string, days: DayAvailability[], now: DateTime): { times: string[]; rows: GridCell[][] } {
  const open = days.filter((d) => !d.closed && d.open && d.close);
  const first = open.length > 0 ? Math.min(...open.map((d) => clockMinutes(d.open!))) : clockMinutes(USUAL_OPEN);
  const last = open.length > 0 ? Math.max(...open.map((d) => clockMinutes(d.close!))) : clockMinutes(USUAL_CLOSE);
  const nowMs = now.toMillis();
  const columns = days.map((d) => ({ day: d, busy: periods(d.busy), free: periods(d.free), base: at(d.date, '00:00').toMillis() }));
  const times: string[] = [];
  const rows: GridCell[][] = [];
  // Rows start on the half-hour grid even if a day opens off it.
  for (let m = Math.floor(first / SLOT_MINUTES) * SLOT_MINUTES; m < last; m += SLOT_MINUTES) {
    const time = hhmm(m);
    times.push(time);
    rows.push(columns.map(({ day, busy, free, base }): GridCell => {
      if (day.closed) return { state: closedState(day), href: null };
      if (!day.open || !day.close || m < clockMinutes(day.open) || m + SLOT_MINUTES > clockMinutes(day.close)) return { state: 'outside', href: null };
      // Wall-clock minutes from Tokyo midnight; Japan has no daylight saving, so this is exact.
      const start = base + m * 60_000;
      const end = start + SLOT_MINUTES * 60_000;
      if (busy.some((p) => p.start < end && p.end > start)) return { state: 'busy', href: null };
      if (start < nowMs) return { state: 'past', href: null };
      const period = free.find((p) => p.start <= start && p.end >= end);
      if (!period) return { state: 'busy', href: null };
      const bookable = period.end - start >= MIN_BOOKING_MINUTES * 60_000;
      return { state: 'free', href: bookable ? bookingHref(slug, day.date, time, hhmm(m + MIN_BOOKING_MINUTES)) : null };
    }));
  }
  return { times, rows };
}

function spaceName(space: { name: string; nameEn: string }, lang: Lang): string {
  return lang === 'en' ? space.nameEn : space.name;
}

/** A column head of a week: the date, its holiday, and why it is closed. */
function dayHead(a: { date: string; closed: boolean; holiday: string | null; reason: string | null; open: string | null; close: string | null }) {
  return { date: a.date, closed: a.closed, holiday: a.holiday, reason: a.reason, open: a.open, close: a.close };
}

/**
 * Availability for anyone, without an account: `/spaces` is the week of every space at a glance,
 * `/spaces/:slug` one space's details, its week by half-hours and its month by days.
 */
const spacePages: FastifyPluginAsync = async (app) => {
  const { spaces } = app.services;

  app.get('/spaces', async (request, reply) => {
    const now = app.clock();
    const today = tokyoDate(now);
    const asked = queryDate(request.query, 'date');
    if (asked === null) return badDatePage(reply);
    const from = asked ?? today;
    const dates = Array.from({ length: WEEK_DAYS }, (_, i) => addDays(from, i)).filter((d) => d <= LAST_DATE);
    const to = dates[dates.length - 1]!;
    const moment = { today, nowMs: now.toMillis() };
    // Kept rendered until the database changes or the next half hour (when "終了" cells move on).
    const halfHour = 30 * 60_000;
    const cache = { key: today, version: spaces.version(), untilMs: (Math.floor(now.toMillis() / halfHour) + 1) * halfHour };
    // The same availability a space page reads, a space and a day at a time (the service keeps recent answers).
    return reply.publicPage('spaces/index', cache, () => ({
      from,
      to,
      isToday: from === today,
      today,
      prevDate: from > FIRST_DATE ? [addDays(from, -WEEK_DAYS), FIRST_DATE].sort().at(-1) : null,
      nextDate: addDays(from, WEEK_DAYS) <= LAST_DATE ? addDays(from, WEEK_DAYS) : null,
      days: spaces.calendar({ from, to }).map(dayHead),
      spaces: spaces.list(from).map((s) => ({
        slug: s.slug,
        name: spaceName(s, request.lang),
        capacity: s.capacity,
        cells: dates.map((date) => daySummary(spaces.availability({ space: s.slug, date }), moment)),
      })),
    }));
  });

  type SpaceParams = { Params: { slug: string } };

  /** The space's public iCal feed: its path, its full address, and a webcal:// one for calendar apps (when the Host is one we write into links). */
  const spaceFeed = (request: FastifyRequest, slug: string) => {
    const path = `/calendars/spaces/${slug}.ics`;
    const origin = siteOrigin(request);
    return { path, url: `${origin ?? ''}${path}`, webcal: origin === undefined ? null : `${origin.replace(/^https?:/, 'webcal:')}${path}` };
  };

  app.get<SpaceParams>('/spaces/:slug', async (request, reply) => {
    const { slug } = request.params;
    const now = app.clock();
    const today = tokyoDate(now);
    const all = spaces.list(today);
    const space = SLUG.test(slug) ? all.find((s) => s.slug === slug) : undefined;
    if (!space) return notFoundPage(reply, 'space.notFoundTitle', 'space.notFoundBody');
    const lang = request.lang;
    const t = translator(lang);
    const nameOf = (s: string) => {
      const found = all.find((o) => o.slug === s);
      return found ? spaceName(found, lang) : s;
    };
    const wholes = all.filter((o) => o.parts.includes(space.slug));
    const optional = (key: string) => (isMessageKey(key) ? t(key as MessageKey) : null);
    const details = {
      slug: space.slug,
      name: spaceName(space, lang),
      capacity: space.capacity,
      ratesYen: space.ratesYen,
      parts: space.parts.map(nameOf),
      wholes: wholes.map((w) => spaceName(w, lang)),
      season: optional(`space.season.${space.slug}`),
      note: optional(`space.note.${space.slug}`),
      feed: spaceFeed(request, space.slug),
    };

    const view = queryText(request.query, 'view') === 'month' ? 'month' : 'week';
    if (view === 'month') {
      const asked = queryMonth(request.query, 'month');
      if (asked === null) return badMonthPage(reply);
      const month = asked ?? today.slice(0, 7);
      const span = monthSpan(month);
      const days = new Map<string, { head: ReturnType<typeof dayHead>; summary: DaySummary }>();
      for (let date = span.first; date <= span.last; date = addDays(date, 1)) {
        const a = spaces.availability({ space: space.slug, date });
        days.set(date, { head: dayHead(a), summary: daySummary(a, { today, nowMs: now.toMillis() }) });
      }
      return reply.page('spaces/show', {
        space: details,
        view,
        today,
        month,
        isThisMonth: month === today.slice(0, 7),
        prevMonth: span.prev,
        nextMonth: span.next,
        weekdays: WEEKDAYS,
        weeks: monthWeeks(month).map((week) => week.map((date) => (date ? days.get(date)! : null))),
      });
    }

    const asked = queryDate(request.query, 'week');
    if (asked === null) return badDatePage(reply);
    const from = asked ?? today;
    const dates = Array.from({ length: WEEK_DAYS }, (_, i) => addDays(from, i)).filter((d) => d <= LAST_DATE);
    // One availability a day: seven small reads, the same the API answers.
    const days = dates.map((date) => spaces.availability({ space: space.slug, date }));
    return reply.page('spaces/show', {
      space: details,
      view,
      today,
      from,
      to: dates[dates.length - 1]!,
      month: from.slice(0, 7),
      isToday: from === today,
      prevWeek: from > FIRST_DATE ? [addDays(from, -WEEK_DAYS), FIRST_DATE].sort().at(-1) : null,
      nextWeek: addDays(from, WEEK_DAYS) <= LAST_DATE ? addDays(from, WEEK_DAYS) : null,
      days: days.map(dayHead),
      grid: weekGrid(space.slug, days, now),
    });
  });
};

export default spacePages;
