import { z } from 'zod';
import { ValidationError } from '../errors.js';

// C0 controls other than tab/newline, DEL and the C1 controls (U+0080–U+009F, which include NEL
// and CSI): never legitimate in a name or a purpose. Half a surrogate pair is no character at all
// (a JSON `\ud800` escape): SQLite would store it as U+FFFD, so it is refused like a control.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether text holds a character no form field may hold (see CONTROL); line breaks are the caller's. */
export function hasControlCharacters(s: string): boolean {
  return CONTROL.test(s);
}

/** A trimmed line of text of at most `max` characters, with no control characters. */
export function text(max: number, min = 1) {
  return z.string().trim().min(min, 'required').max(max, `at most ${max} characters`)
    .refine((s) => !CONTROL.test(s) && !/[\r\n]/.test(s), 'control characters are not allowed');
}

/** Free text that may span lines (purposes, notes), still without other control characters. */
export function longText(max: number, min = 1) {
  return z.string().trim().min(min, 'required').max(max, `at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'control characters are not allowed');
}

/** Parses input with a zod schema, turning every issue into a field error (API.md `errors`). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })));
}
