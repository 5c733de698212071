import { ja, type MessageKey } from './ja.js';
import { en } from './en.js';

/** The languages of the UI: Japanese first, English on request. */
export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

export function isLang(value: unknown): value is Lang {
  return value === 'ja' || value === 'en';
}

export type MessageParams = Readonly<Record<string, string | number>>;

/** Looks a message up and fills in its `{name}` placeholders. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/**
 * Thrown when a view asks for a key that Japanese does not have, or leaves a placeholder unfilled.
 * It is a bug in a template, so it fails the page (and the test that renders it) rather than
 * showing a key to a citizen.
 */
export class MissingMessageError extends Error {
  override readonly name = 'MissingMessageError';
}

const DICTIONARIES: Record<Lang, Partial<Record<string, string>>> = { ja, en };

/** Whether `key` is a message key: for keys that come from data (a flash cookie, a code). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(ja, key);
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** `t(key, params?)` in one language; English falls back to Japanese for a key it lacks. */
export function translator(lang: Lang): Translate {
  return (TRANSLATORS[lang] ??= makeTranslator(DICTIONARIES[lang]));
}

const TRANSLATORS: Partial<Record<Lang, Translate>> = {};

/** A translator over any dictionary, falling back to Japanese (exported for the fallback's test). */
export function makeTranslator(own: Partial<Record<string, string>>): Translate {
  return (key, params) => {
    if (!isMessageKey(key)) throw new MissingMessageError(`no message "${String(key)}"`);
    const message = (Object.hasOwn(own, key) ? own[key] : undefined) ?? ja[key];
    return message.replace(PLACEHOLDER, (_, name: string) => {
      const value = params?.[name];
      if (value === undefined) throw new MissingMessageError(`message "${key}" needs {${name}}`);
      return String(value);
    });
  };
}
