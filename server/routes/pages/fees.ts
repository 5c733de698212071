import type { FastifyPluginAsync } from 'fastify';
import { isDate, tokyoDate } from '../../domain/time.js';
import { ValidationError, type FieldError } from '../../errors.js';
import { formatters, translator, type Lang, type MessageKey, type Translate } from '../../i18n/index.js';
import type { Quote } from '../../domain/pricing.js';
import { FIRST_DATE, LAST_DATE } from './calendar.js';
import { EQUIPMENT_LABELS, equipmentChoices, equipmentError, equipmentField, equipmentFieldNames, equipmentItemsOf, equipmentName, quantityText } from './equipment-form.js';
import { fieldMessage, formValues, type FieldLabels, type FormErrors } from './forms.js';

/** The calculator's fields, all in the query string: a GET form works without script and can be bookmarked. */
const FIELDS = ['space', 'date', 'start', 'end', 'commercial', 'admissionFeeYen'] as const;
/** Any of these in the query means the form was sent; `?space=` alone only preselects a room (the space page links so). */
const SENT = ['date', 'start', 'end'] as const;

const LABELS: FieldLabels = {
  space: 'fees.field.space',
  date: 'fees.field.date',
  start: 'fees.field.start',
  end: 'fees.field.end',
  admissionFeeYen: 'fees.field.admission',
  ...EQUIPMENT_LABELS,
};

/** The half-hours a booking can start or end at: the usual 09:00 to the latest extension, 23:00. */
const FIRST_MINUTE = 9 * 60;
const LAST_MINUTE = 23 * 60;
const TIMES = Array.from({ length: (LAST_MINUTE - FIRST_MINUTE) / 30 + 1 }, (_, i) => {
  const m = FIRST_MINUTE + i * 30;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
});
const START_TIMES = TIMES.slice(0, -1);
const END_TIMES = TIMES.slice(1);
const MAX_ADMISSION_YEN = 1_000_000;

interface Calculation {
  space: string;
  date: string;
  start: string;
  end: string;
  use: { commercial: boolean; admissionFeeYen: number };
  equipment: { type: string; quantity: number }[];
}

/** Reads the calculator's fields; every problem is reported next to its field, in the visitor's language. */
function readCalculation(values: Record<string, string>, slugs: readonly string[], t: Translate): Calculation | FormErrors {
  const errors: FormErrors = {};
  const say = (field: string, key: MessageKey) => {
    errors[field] ??= t(key, { label: t(LABELS[field]!) });
  };
  const space = values.space ?? '';
  if (space === '') say('space', 'fees.error.choose');
  else if (!slugs.includes(space)) say('space', 'validation.invalid');
  const date = (values.date ?? '').trim();
  if (date === '') say('date', 'validation.required');
  else if (!isDate(date) || date < FIRST_DATE || date > LAST_DATE) say('date', 'validation.date');
  const start = values.start ?? '';
  const end = values.end ?? '';
  if (!START_TIMES.includes(start)) say('start', 'fees.error.choose');
  if (!END_TIMES.includes(end)) say('end', 'fees.error.choose');
  else if (START_TIMES.includes(start) && end <= start) say('end', 'fees.error.endAfterStart');
  // Typed on a phone's Japanese keyboard the digits may be full-width, and people write 2,000.
  const admission = (values.admissionFeeYen ?? '').normalize('NFKC').replace(/[,\s円¥]/g, '');
  let admissionFeeYen = 0;
  if (admission !== '') {
    if (!/^\d{1,7}$/.test(admission) || Number(admission) > MAX_ADMISSION_YEN) say('admissionFeeYen', 'fees.error.admission');
    else admissionFeeYen = Number(admission);
  }
  const mistakes: FieldError[] = [];
  const equipment = equipmentItemsOf(values, mistakes);
  for (const e of mistakes) errors[e.path] ??= equipmentError(e, t)!.message;
  if (Object.keys(errors).length > 0) return errors;
  return { space, date, start, end, use: { commercial: values.commercial === 'true', admissionFeeYen }, equipment };
}

/** The service's field paths as the form's fields (`use.admissionFeeYen` is the admission box, `equipment.0.quantity` an equipment box). */
function serviceErrors(error: ValidationError, t: Translate, items: readonly { type: string }[]): FormErrors {
  const errors: FormErrors = {};
  for (const e of error.errors) {
    const about = equipmentError(e, t, items);
    if (about) {
      const field = about.type === null ? '_form' : equipmentField(about.type);
      errors[LABELS[field] === undefined ? '_form' : field] ??= about.message;
      continue;
    }
    const field = e.path === 'use.admissionFeeYen' ? 'admissionFeeYen' : e.path;
    const label = LABELS[field];
    if (label === undefined) errors._form ??= t('problem.validation_failed');
    else errors[field] ??= fieldMessage(e, t(label), t);
  }
  return errors;
}

function spaceName(space: { name: string; nameEn: string }, lang: Lang): string {
  return lang === 'en' ? space.nameEn : space.name;
}

/** `/fees`: every space's rates, the rules in words, and a calculator that shows the lines of a quote. */
const feePages: FastifyPluginAsync = async (app) => {
  const { spaces, bookings, loans } = app.services;

  app.get('/fees', async (request, reply) => {
    const today = tokyoDate(app.clock());
    // The rules in words are those in force today (a change scheduled from a later date shows from then).
    const pricing = spaces.pricing(today);
    const lang = request.lang;
    const t = translator(lang);
    const list = spaces.list(today).map((s) => ({ slug: s.slug, name: spaceName(s, lang), capacity: s.capacity, ratesYen: s.ratesYen }));
    const query = request.query as Record<string, unknown> | undefined;
    const sent = SENT.some((field) => typeof query?.[field] === 'string');
    const catalog = loans.catalog();
    const values = formValues(query, [...FIELDS, ...equipmentFieldNames(catalog)]);
    const actor = request.actor;
    const f = formatters(lang);
    const multiplier = pricing.equipmentMultiplier;
    const data = {
      // DESIGN.md fees step 4: per use and unit, free at the registered rate, three times for commercial use.
      equipmentTable: catalog.filter((e) => e.total > 0).map((e) => ({
        name: equipmentName(t, e.type, catalog, lang),
        stock: quantityText(t, e.type, e.total),
        general: e.feeYen * multiplier.general,
        registered: e.feeYen * multiplier.registered,
        hallOnly: e.hallOnly,
      })),
      equipmentCommercial: multiplier.commercial,
      // The calculator shows the listed fee by each box; the result prices it at the rate that applies.
      equipment: equipmentChoices(catalog, { t, f, lang, free: false }),
      spaces: list,
      startTimes: START_TIMES,
      endTimes: END_TIMES,
      percent: pricing.categoryPercent,
      heatingPercent: pricing.heatingPercent,
      admissionThresholdYen: pricing.admissionThresholdYen,
      calculatedAs: actor === null ? 'anonymous' : actor.role === 'member' && actor.groupId !== null ? 'member' : 'general',
    };
    if (!sent) {
      return reply.page('fees/index', { ...data, values: { date: today, ...values }, result: null });
    }

    const read = readCalculation(values, list.map((s) => s.slug), t);
    if (!('use' in read)) return reply.page('fees/index', { ...data, values, errors: read, result: null }, 422);
    const input = read as Calculation;
    let quote: Quote;
    try {
      quote = bookings.quote(actor, { space: input.space, start: `${input.date}T${input.start}`, end: `${input.date}T${input.end}`, use: input.use, equipment: input.equipment });
    } catch (error) {
      if (error instanceof ValidationError) return reply.page('fees/index', { ...data, values, errors: serviceErrors(error, t, input.equipment), result: null }, 422);
      throw error;
    }
    // A price can be worked out for any day; say so when the room cannot actually be used then.
    const day = spaces.availability({ space: input.space, date: input.date });
    const usable = !day.closed && day.open !== null && day.close !== null && day.open <= input.start && input.end <= day.close;
    return reply.page('fees/index', {
      ...data,
      values,
      result: {
        ...input,
        spaceName: list.find((s) => s.slug === input.space)!.name,
        ...quote,
        unusable: usable ? null : { closed: day.closed, reason: day.reason, open: day.open, close: day.close },
      },
    });
  });
};

export default feePages;
