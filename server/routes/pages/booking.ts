import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isDate, tokyoDate } from '../../domain/time.js';
import { ProblemError } from '../../errors.js';
import { formatters, translator, type MessageKey } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { BookingView } from '../../services/booking-view.js';
import type { Actor } from '../../services/context.js';
import { accountHolder } from './access.js';
import {
  BOOKING_FIELDS, END_TIMES, START_TIMES, bookingBody, describeRepeat, refusalErrors, skippedViews, timeOptions,
  valuesFromQuery, weekdayOfMonth, type SkippedView, type Values,
} from './booking-form.js';
import { equipmentChoices, equipmentFieldNames, equipmentList } from './equipment-form.js';
import { formValues, seeOther, type FormErrors } from './forms.js';

type SeriesResult = { created: BookingView[]; skipped: { start: string; code: string; detail: string; opensAt?: string }[] };
const isSeries = (r: BookingView | SeriesResult): r is SeriesResult => 'created' in r;

/**
 * `/book`: the booking form, its confirmation (a dry run of exactly what booking would do: the fee
 * lines, or which dates of a series are booked and which skipped and why) and the booking itself.
 * For people with an account; the desk books for others on its own pages.
 */
const bookingPages: FastifyPluginAsync = async (app) => {
  const { bookings, spaces, groups, loans } = app.services;

  /** The logged-in individual or member, or null once the reply sends anyone else on. */
  const booker = (request: FastifyRequest, reply: FastifyReply, back = '/book') => accountHolder(request, reply, back);

  const canRepeat = (actor: Actor) => actor.role === 'member' && actor.groupId !== null;

  /**
   * The group a member books for, with whether it books at the registered rate. Only words on the
   * page depend on it, so a group the groups service cannot read is left unnamed, not a failed page.
   */
  function groupOf(request: FastifyRequest, actor: Actor): { name: string; registered: boolean } | null {
    if (actor.groupId === null) return null;
    try {
      const g = groups.get(actor, actor.groupId);
      return { name: g.name, registered: g.registered };
    } catch (error) {
      request.log.warn({ err: error, groupId: actor.groupId }, 'group not readable for the booking page');
      return null;
    }
  }

  function spaceOptions(request: FastifyRequest, date: string) {
    const t = translator(request.lang);
    return spaces.list(date).map((s) => ({
      value: s.slug,
      label: t('booking.spaceOption', { name: request.lang === 'en' ? s.nameEn : s.name, capacity: s.capacity }),
    }));
  }

  function spaceName(request: FastifyRequest, slug: string, date: string): string {
    const s = spaces.list(date).find((x) => x.slug === slug);
    return s ? (request.lang === 'en' ? s.nameEn : s.name) : slug;
  }

  function renderForm(request: FastifyRequest, reply: FastifyReply, actor: Actor, values: Values, extra: { errors?: FormErrors; skipped?: SkippedView[]; suspended?: boolean } = {}, status = 200) {
    const t = translator(request.lang);
    const today = tokyoDate(app.clock());
    const date = values.date && isDate(values.date) ? values.date : today;
    const example = values.date && isDate(values.date) ? weekdayOfMonth(values.date) : null;
    const group = groupOf(request, actor);
    return reply.page('booking/new', {
      values,
      errors: extra.errors ?? {},
      skipped: extra.skipped ?? [],
      spaceOptions: spaceOptions(request, date),
      startTimes: timeOptions(START_TIMES, values.start),
      endTimes: timeOptions(END_TIMES, values.end),
      today,
      canRepeat: canRepeat(actor),
      group,
      // Equipment is free at the registered rate (DESIGN.md, fees step 4); the confirmation shows the exact lines.
      equipment: equipmentChoices(loans.catalog(), { t, f: formatters(request.lang), lang: request.lang, free: group?.registered === true }),
      // Said before equipment is asked for, and again (with the error) when it was.
      suspended: extra.suspended === true || loans.suspension(actor.groupId !== null ? { groupId: actor.groupId, accountId: null } : { groupId: null, accountId: actor.id }).length > 0,
      monthlyExample: example
        ? (example.n === -1
          ? t('booking.repeat.describeMonthlyLast', { weekday: t(`weekday.${example.weekday}` as MessageKey) })
          : t('booking.repeat.describeMonthly', { n: example.n, weekday: t(`weekday.${example.weekday}` as MessageKey) }))
        : null,
    }, status);
  }

  /** Re-renders the form with the reasons of a refusal (422, or the refusal's own status). */
  function renderRefusal(request: FastifyRequest, reply: FastifyReply, actor: Actor, values: Values, error: unknown) {
    const { errors, skipped } = refusalErrors(error, {
      t: translator(request.lang), f: formatters(request.lang), role: actor.role, spaces, values,
    });
    // Every refusal of a booking is the user's to fix: the form says so with 422, as for bad input.
    const suspended = error instanceof ProblemError && error.code === 'borrowing_suspended';
    return renderForm(request, reply, actor, values, { errors, skipped, suspended }, 422);
  }

  const submitted = (request: FastifyRequest): Values => {
    const values = formValues(request.body, [...BOOKING_FIELDS, ...equipmentFieldNames(loans.catalog())]);
    values.repeat ??= 'none';
    values.repeatEnd ??= 'count';
    return values;
  };

  app.get('/book', async (request, reply) => {
    const actor = await booker(request, reply);
    if (!actor) return reply;
    return renderForm(request, reply, actor, valuesFromQuery(request.query));
  });

  /** 戻る on the confirmation: the form again with what was entered. */
  app.post('/book/edit', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await booker(request, reply);
    if (!actor) return reply;
    return renderForm(request, reply, actor, submitted(request));
  });

  app.post('/book/confirm', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await booker(request, reply);
    if (!actor) return reply;
    const values = submitted(request);
    const t = translator(request.lang);
    const f = formatters(request.lang);
    try {
      const body = bookingBody(values, canRepeat(actor));
      const result = bookings.create(actor, body, { dryRun: true });
      const common = {
        values,
        spaceName: spaceName(request, values.space ?? '', values.date ?? tokyoDate(app.clock())),
        group: groupOf(request, actor),
        equipmentText: null as string | null,
      };
      const first = isSeries(result) ? result.created[0] : result;
      if (first && first.equipment.length > 0) common.equipmentText = equipmentList(t, first.equipment);
      if (isSeries(result)) {
        return reply.page('booking/confirm', {
          ...common,
          series: {
            description: describeRepeat(values, t, f),
            created: result.created,
            skipped: skippedViews(result.skipped, { t, f, spaces }),
            totalYen: result.created.reduce((sum, b) => sum + b.totalYen, 0),
          },
          booking: result.created[0],
        });
      }
      return reply.page('booking/confirm', { ...common, series: null, booking: result });
    } catch (error) {
      return renderRefusal(request, reply, actor, values, error);
    }
  });

  app.post('/book', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await booker(request, reply);
    if (!actor) return reply;
    const values = submitted(request);
    try {
      const result = bookings.create(actor, bookingBody(values, canRepeat(actor)));
      if (isSeries(result)) {
        return seeOther(reply, `/my/bookings?booked=${result.created.length}&skipped=${result.skipped.length}`, 'flash.seriesBooked');
      }
      return seeOther(reply, `/my/bookings/${result.id}`, 'flash.booked');
    } catch (error) {
      return renderRefusal(request, reply, actor, values, error);
    }
  });
};

export default bookingPages;
