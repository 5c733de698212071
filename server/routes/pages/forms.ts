import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { ProblemError, ValidationError, type FieldError, type ProblemCode } from '../../errors.js';
import { translator, type MessageKey, type MessageParams, type Translate } from '../../i18n/index.js';
import { parseInput } from '../../services/validate.js';

/**
 * The form pattern every HTML form follows (the login form is the example):
 *
 *   app.post('/thing', { preHandler: verifyCsrf }, async (request, reply) => {
 *     const values = formValues(request.body, ['name', 'email']);   // what to show again
 *     try {
 *       const input = parseForm(ThingForm, request.body);          // 422 with field messages
 *       app.services.things.create(request.actor, input);           // may throw a ProblemError
 *       return seeOther(reply, '/things', 'flash.thingCreated');      // post/redirect/get
 *     } catch (error) {
 *       return renderFormError(reply, 'things/new', error, { labels: THING_LABELS, values });
 *     }
 *   });
 *
 * The template shows `errors` with `partials/error-summary` and each field with `partials/field`.
 */

/** Field name → message shown next to it; `FORM_ERROR` holds a message about the whole form. */
export type FormErrors = Record<string, string>;
export const FORM_ERROR = '_form';

/** Field name (the path a service reports) → the i18n key of its label. */
export type FieldLabels = Readonly<Record<string, MessageKey>>;

/** Reads a form body with a zod schema; a failure is a ValidationError with one entry per field. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return parseInput(schema, body);
}

/** The submitted text of some fields, to put back into the form. Never pass a password field. */
export function formValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = source[field];
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

/**
 * A redirect target from a `next` parameter, or null: only a path on this site (`/…`), never
 * `//host`, `/\host` (browsers read both as another host), a full URL or anything with controls.
 */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 2000) return null;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (/[\u0000-\u001F\u007F\\]/.test(next)) return null;
  // A last check with the URL parser itself: the target must stay on this origin.
  const base = 'http://hiroba.invalid';
  try {
    return new URL(next, base).origin === base ? next : null;
  } catch {
    return null;
  }
}

/** 303 See Other after a successful POST, with an optional message for the next page. */
export function seeOther(reply: FastifyReply, to: string, flash?: Parameters<FastifyReply['flash']>[0]): FastifyReply {
  if (flash) reply.flash(flash);
  return reply.code(303).header('location', to).send();
}

/**
 * One field error in the user's language. Services report messages in English words (validate.ts
 * and zod's defaults); each kind maps to one sentence that names the field.
 */
export function fieldMessage(error: FieldError, label: string, t: Translate): string {
  const m = error.message;
  const say = (key: MessageKey, params: MessageParams = {}) => t(key, { label, ...params });
  let match: RegExpExecArray | null;
  if (m === 'required' || m.endsWith('received undefined')) return say('validation.required');
  if ((match = /^at most (\d+) characters$/.exec(m) ?? /^Too big: expected string to have <=(\d+) characters$/.exec(m))) {
    return say('validation.tooLong', { max: match[1]! });
  }
  if ((match = /^at least (\d+) characters$/.exec(m) ?? /^Too small: expected string to have >=(\d+) characters$/.exec(m))) {
    return match[1] === '1' ? say('validation.required') : say('validation.tooShort', { min: match[1]! });
  }
  if (m === 'email' || m === 'Invalid email address') return say('validation.email');
  if (m === 'phone number') return say('validation.phone');
  if (m === 'control characters are not allowed') return say('validation.control');
  if (m === 'a real date as YYYY-MM-DD') return say('validation.date');
  return say('validation.invalid');
}

/**
 * A ValidationError as messages by field. An error on a field the form does not show (no label)
 * becomes a message about the whole form, so nothing the service said is lost.
 */
export function formErrors(error: ValidationError, t: Translate, labels: FieldLabels): FormErrors {
  const errors: FormErrors = {};
  const general: string[] = [];
  for (const e of error.errors) {
    const labelKey = labels[e.path];
    if (labelKey === undefined) general.push(e.message);
    else errors[e.path] ??= fieldMessage(e, t(labelKey), t);
  }
  if (general.length > 0) errors[FORM_ERROR] = t('problem.validation_failed');
  return errors;
}

export interface FormFailureOptions {
  labels: FieldLabels;
  /** The submitted values to show again (see `formValues`). */
  values: Record<string, string>;
  /** More data the page needs (a hidden `next`, options of a select…). */
  data?: Record<string, unknown>;
  /** A form's own sentence for a problem code, e.g. `{ unauthenticated: 'login.failed' }`. */
  messages?: Partial<Record<ProblemCode, MessageKey>>;
  /** Placeholders of those sentences. */
  params?: MessageParams;
}

/**
 * Re-renders a form after a failed POST: 422 with field messages for bad input, the problem's
 * own status (401, 409, 429…) with a message about the whole form for other refusals. Anything
 * else is a fault of ours and is rethrown to the error handler.
 */
export async function renderFormError(reply: FastifyReply, page: string, error: unknown, options: FormFailureOptions): Promise<FastifyReply> {
  if (!(error instanceof ProblemError) || error.status >= 500) throw error;
  const t = translator(reply.request.lang);
  const own = options.messages?.[error.code];
  let errors: FormErrors;
  if (error instanceof ValidationError && own === undefined) {
    errors = formErrors(error, t, options.labels);
  } else {
    errors = { [FORM_ERROR]: t(own ?? (`problem.${error.code}` as const), options.params) };
  }
  if (error.code === 'rate_limited' && typeof error.extra.retryAfter === 'number') reply.header('retry-after', String(error.extra.retryAfter));
  return reply.page(page, { ...options.data, values: options.values, errors }, error.status);
}
