import type { FastifyPluginAsync } from 'fastify';
import { addDays, isDate, tokyoDate } from '../../domain/time.js';
import { translator, type Lang } from '../../i18n/index.js';
import { dayAxis, timeline } from './timeline.js';

/** The dates a visitor may look at: the holiday data and the fee tables cover these. */
const FIRST_DATE = '2000-01-01';
const LAST_DATE = '2099-12-31';
const UPCOMING_DAYS = 30;

/** `?date=` as a real date in range; `undefined` when absent (today), `null` when unusable. */
function requestedDate(query: unknown): string | null | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.date;
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !isDate(raw) || raw < FIRST_DATE || raw > LAST_DATE) return null;
  return raw;
}

/** `/`: the center today (or on `?date=`) at a glance, for anyone, without an account. */
const homeRoutes: FastifyPluginAsync = async (app) => {
  const { spaces } = app.services;

  app.get('/', async (request, reply) => {
    const today = tokyoDate(app.clock());
    const asked = requestedDate(request.query);
    if (asked === null) {
      const t = translator(request.lang);
      return reply.page('errors/error', { status: 400, heading: t('error.badDateTitle'), message: t('error.badDateBody') }, 400);
    }
    const date = asked ?? today;
    const { day, spaces: overview } = spaces.dayOverview(date);
    const names = new Map(overview.map((s) => [s.slug, spaceName(s, request.lang)]));
    const upcoming = spaces.calendar({ from: addDays(date, 1), to: addDays(date, UPCOMING_DAYS) })
      .filter((d) => d.closed || d.holiday !== null || d.reason !== null);

    return reply.page('home', {
      date,
      isToday: date === today,
      today,
      prevDate: date > FIRST_DATE ? addDays(date, -1) : null,
      nextDate: date < LAST_DATE ? addDays(date, 1) : null,
      day,
      axis: day.open && day.close ? dayAxis(date, day.open, day.close) : null,
      spaces: overview.map((s) => {
        const a = s.availability;
        const usable = !a.closed && a.open !== null && a.close !== null;
        return {
          slug: s.slug,
          name: names.get(s.slug)!,
          capacity: s.capacity,
          ratesYen: s.ratesYen,
          parts: s.parts.map((p) => names.get(p) ?? p),
          usable,
          reason: a.reason,
          free: a.free,
          busy: a.busy,
          segments: usable ? timeline(date, a.open!, a.close!, a) : [],
        };
      }),
      upcoming,
      upcomingFrom: addDays(date, 1),
      notices: app.services.notices.current(),
    });
  });
};

function spaceName(space: { name: string; nameEn: string }, lang: Lang): string {
  return lang === 'en' ? space.nameEn : space.name;
}

export default homeRoutes;
