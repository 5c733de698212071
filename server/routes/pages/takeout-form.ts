import { isDate } from '../../domain/time.js';
import { ProblemError, ValidationError, type FieldError } from '../../errors.js';
import type { Formatters, Translate } from '../../i18n/index.js';
import { END_TIMES, START_TIMES, clockOf } from './booking-form.js';
import { EQUIPMENT_LABELS, equipmentError, equipmentField, equipmentFieldNames, equipmentItemsOf, shortageMessages } from './equipment-form.js';
import { FORM_ERROR, fieldMessage, formValues, type FieldLabels, type FormErrors } from './forms.js';

/**
 * The take-out (持ち出し) form, shared by a member's `/my/loans` and the desk's
 * `/desk/loans/takeout`: its fields, reading them into `POST /loans`'s body, and the loan
 * service's refusals as sentences next to the field they are about.
 */

/** The take-out form's own fields (the equipment fields come from the catalogue). */
export const TAKEOUT_FIELDS = ['startDate', 'startTime', 'endDate', 'endTime'] as const;
export const TAKEOUT_LABELS: FieldLabels = {
  startDate: 'myLoans.field.startDate', startTime: 'myLoans.field.startTime', endDate: 'myLoans.field.endDate', endTime: 'myLoans.field.endTime',
  ...EQUIPMENT_LABELS,
};
/** Pick-up and return happen at the desk: any half hour of the usual opening day, 09:00 to 22:00. */
export const DESK_TIMES = [...new Set([...START_TIMES, ...END_TIMES])].sort();

/** The submitted values of the take-out form (its fields and one field a type of equipment). */
export function takeoutValues(body: unknown, catalog: readonly { type: string }[], extra: readonly string[] = []): Record<string, string> {
  return formValues(body, [...extra, ...TAKEOUT_FIELDS, ...equipmentFieldNames(catalog)]);
}

/**
 * The body of a take-out (`start`, `end`, `items`) from the form's values, or the form's own
 * mistakes as sentences by field (nothing is asked of the service then).
 */
export function takeoutBody(values: Record<string, string>, t: Translate):
  { ok: true; body: { start: string; end: string; items: { type: string; quantity: number }[] } } | { ok: false; errors: FormErrors } {
  const errors: FieldError[] = [];
  for (const [dateField, timeField] of [['startDate', 'startTime'], ['endDate', 'endTime']] as const) {
    const date = values[dateField]?.trim() ?? '';
    if (date === '') errors.push({ path: dateField, message: 'required' });
    else if (!isDate(date)) errors.push({ path: dateField, message: 'a real date as YYYY-MM-DD' });
    const time = clockOf(values[timeField]);
    if (!time || !DESK_TIMES.includes(time)) errors.push({ path: timeField, message: 'choose' });
  }
  const items = equipmentItemsOf(values, errors);
  if (items.length === 0 && !errors.some((e) => e.path.startsWith('equipment-'))) errors.push({ path: FORM_ERROR, message: 'no items' });
  if (errors.length > 0) return { ok: false, errors: formErrorsOf(errors, t) };
  return { ok: true, body: { start: `${values.startDate!.trim()}T${clockOf(values.startTime)}`, end: `${values.endDate!.trim()}T${clockOf(values.endTime)}`, items } };
}

/** Form mistakes found before asking the service, as sentences by field. */
function formErrorsOf(list: FieldError[], t: Translate): FormErrors {
  const errors: FormErrors = {};
  for (const e of list) {
    if (e.path === FORM_ERROR) errors[FORM_ERROR] ??= t('bookEquipment.error.noItems');
    else if (e.message === 'choose') errors[e.path] ??= t('booking.error.choose', { label: t(TAKEOUT_LABELS[e.path]!) });
    else if (e.path.startsWith('equipment-')) errors[e.path] ??= equipmentError(e, t)!.message;
    else errors[e.path] ??= fieldMessage(e, t(TAKEOUT_LABELS[e.path]!), t);
  }
  return errors;
}

/** Sentences for what the loan service says about a take-out's times, by field. */
function takeoutTimeMessage(e: FieldError, t: Translate, f: Formatters): { field: string; message: string } {
  const m = e.message;
  const dateField = e.path === 'end' ? 'endDate' : 'startDate';
  const timeField = e.path === 'end' ? 'endTime' : 'startTime';
  let match: RegExpExecArray | null;
  if (m === 'required') return { field: dateField, message: t('validation.required', { label: t(TAKEOUT_LABELS[dateField]!) }) };
  if (m === 'start is in the past') return { field: 'startDate', message: t('myLoans.error.past') };
  if (m === 'end must be after start') return { field: 'endDate', message: t('myLoans.error.endAfterStart') };
  if ((match = /^a take-out lasts at most (\d+) days$/.exec(m))) return { field: 'endDate', message: t('myLoans.error.tooLong', { days: match[1]! }) };
  if ((match = /^the desk is closed on (\d{4}-\d{2}-\d{2})(?: \((.+)\))?$/.exec(m))) {
    const date = f.date(match[1]!);
    return { field: dateField, message: match[2] ? t('myLoans.error.closedBecause', { date, reason: f.reason(match[2]) }) : t('myLoans.error.closedDay', { date }) };
  }
  if ((match = /^the desk is open (\d{2}:\d{2})–(\d{2}:\d{2}) on (\d{4}-\d{2}-\d{2})$/.exec(m))) {
    return { field: timeField, message: t('myLoans.error.hours', { open: match[1]!, close: match[2]!, date: f.date(match[3]!) }) };
  }
  return { field: dateField, message: t('validation.invalid', { label: t(TAKEOUT_LABELS[dateField]!) }) };
}

/** How a refusal's words differ between the member's page and the desk. */
export interface RefusalWords {
  /** The group is not registered today (or, at the desk, unknown). */
  notRegistered: string;
  /** Borrowing is suspended by these damage cases. */
  suspended: (caseIds: number[]) => string;
  /** Fields the page has besides the take-out's own, where an error may be shown. */
  labels?: FieldLabels;
}

/**
 * A refusal of the loan service as sentences next to the field it is about. Errors that are
 * not refusals (a 5xx, not found, forbidden) are thrown again for the error pages.
 */
export function takeoutRefusal(error: unknown, items: readonly { type: string }[], t: Translate, f: Formatters, words: RefusalWords): { errors: FormErrors; status: number } {
  if (!(error instanceof ProblemError) || error.status >= 500 || error.code === 'not_found' || error.code === 'forbidden' || error.code === 'unauthenticated') throw error;
  const labels = { ...TAKEOUT_LABELS, ...words.labels };
  const errors: FormErrors = {};
  const put = (field: string, message: string) => {
    if (field !== FORM_ERROR && labels[field] === undefined) errors[FORM_ERROR] ??= message;
    else errors[field] ??= message;
  };
  switch (error.code) {
    case 'validation_failed':
    case 'closed': {
      const list = error instanceof ValidationError ? error.errors : ((error.extra.errors as FieldError[] | undefined) ?? []);
      for (const e of list) {
        const about = equipmentError(e, t, items);
        if (about) put(about.type === null ? FORM_ERROR : equipmentField(about.type), about.message);
        else if (e.path === 'groupId') put(labels.groupId ? 'groupId' : FORM_ERROR, words.notRegistered);
        else if (e.path === 'start' || e.path === 'end') { const m = takeoutTimeMessage(e, t, f); put(m.field, m.message); }
        else put(FORM_ERROR, t('problem.validation_failed'));
      }
      if (Object.keys(errors).length === 0) errors[FORM_ERROR] = t(`problem.${error.code}`);
      break;
    }
    case 'window_not_open': {
      const opensAt = typeof error.extra.opensAt === 'string' ? error.extra.opensAt : null;
      put('startDate', opensAt ? t('myLoans.error.window', { opensAt: f.dateTime(opensAt) }) : t('problem.window_not_open'));
      break;
    }
    case 'conflict': {
      const short = shortageMessages(error.extra.conflicts, t);
      for (const s of short) put(equipmentField(s.type), s.message);
      if (short.length === 0) errors[FORM_ERROR] = t('problem.conflict');
      break;
    }
    case 'borrowing_suspended': {
      const cases = Array.isArray(error.extra.damageCases) ? (error.extra.damageCases as { id?: unknown }[]).map((c) => c.id).filter((id): id is number => typeof id === 'number') : [];
      errors[FORM_ERROR] = words.suspended(cases);
      break;
    }
    default:
      errors[FORM_ERROR] = t(`problem.${error.code}`);
  }
  return { errors, status: error.status };
}
