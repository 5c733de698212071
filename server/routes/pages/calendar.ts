import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { DateTime } from 'luxon';
import { addDays, isDate, tokyoDate, ZONE } from '../../domain/time.js';
import { translator } from '../../i18n/index.js';

/** The dates a visitor may look at: the holiday data and the fee tables cover these (as on the home page). */
export const FIRST_DATE = '2000-01-01';
export const LAST_DATE = '2099-12-31';
const FIRST_MONTH = FIRST_DATE.slice(0, 7);
const LAST_MONTH = LAST_DATE.slice(0, 7);
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Weekday keys in the order of a Japanese calendar's columns: Sunday first. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** One text parameter of the query string; anything else (absent, repeated, an array) is undefined. */
export function queryText(query: unknown, name: string): string | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** `?name=YYYY-MM-DD` in range; `undefined` when absent or empty, `null` when unusable. */
export function queryDate(query: unknown, name: string): string | null | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !isDate(raw) || raw < FIRST_DATE || raw > LAST_DATE) return null;
  return raw;
}

/** `?name=YYYY-MM` in range; `undefined` when absent or empty, `null` when unusable. */
export function queryMonth(query: unknown, name: string): string | null | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !MONTH.test(raw) || raw < FIRST_MONTH || raw > LAST_MONTH) return null;
  return raw;
}

export function badDatePage(reply: FastifyReply): Promise<FastifyReply> {
  const t = translator(reply.request.lang);
  return reply.page('errors/error', { status: 400, heading: t('error.badDateTitle'), message: t('error.badDateBody') }, 400);
}

export function badMonthPage(reply: FastifyReply): Promise<FastifyReply> {
  const t = translator(reply.request.lang);
  return reply.page('errors/error', { status: 400, heading: t('error.badMonthTitle'), message: t('error.badMonthBody') }, 400);
}

/** A month's first and last date, and the months either side (null beyond the dates we show). */
export function monthSpan(month: string): { first: string; last: string; prev: string | null; next: string | null } {
  const first = DateTime.fromISO(`${month}-01`, { zone: ZONE });
  const prev = first.minus({ months: 1 }).toFormat('yyyy-MM');
  const next = first.plus({ months: 1 }).toFormat('yyyy-MM');
  return {
    first: first.toISODate()!,
    last: first.endOf('month').toISODate()!,
    prev: prev >= FIRST_MONTH ? prev : null,
    next: next <= LAST_MONTH ? next : null,
  };
}

/**
 * The weeks of a month as rows of seven dates, Sunday first (日〜土, the Japanese wall calendar);
 * the days before the 1st and after the last are null.
 */
export function monthWeeks(month: string): (string | null)[][] {
  const { first, last } = monthSpan(month);
  // luxon: Monday 1 … Sunday 7; the column of a date counts from Sunday.
  const column = (date: string) => DateTime.fromISO(date, { zone: ZONE }).weekday % 7;
  const weeks: (string | null)[][] = [];
  let week: (string | null)[] = Array.from({ length: column(first) }, () => null);
  for (let date = first; date <= last; date = addDays(date, 1)) {
    week.push(date);
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length > 0) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
  return weeks;
}

/** `/calendar?month=YYYY-MM`: the opening calendar of a month, holidays named, closures with reasons. */
const calendarPages: FastifyPluginAsync = async (app) => {
  const { spaces } = app.services;

  app.get('/calendar', async (request, reply) => {
    const today = tokyoDate(app.clock());
    const asked = queryMonth(request.query, 'month');
    if (asked === null) return badMonthPage(reply);
    const month = asked ?? today.slice(0, 7);
    const span = monthSpan(month);
    const days = new Map(spaces.calendar({ from: span.first, to: span.last }).map((d) => [d.date, d]));
    return reply.page('calendar/month', {
      month,
      today,
      isThisMonth: month === today.slice(0, 7),
      prevMonth: span.prev,
      nextMonth: span.next,
      weekdays: WEEKDAYS,
      weeks: monthWeeks(month).map((week) => week.map((date) => (date ? days.get(date)! : null))),
      // What a visitor should know before coming: closed days, and open days whose hours were changed.
      changes: [...days.values()].filter((d) => d.closed || d.reason !== null),
    });
  });
};

export default calendarPages;
