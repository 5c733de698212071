/** The i18n layer: every string a user sees goes through `translator(lang)`; dates and money through `formatters(lang)`. */
export { translator, isLang, isMessageKey, LANGS, MissingMessageError, type Lang, type MessageParams, type Translate } from './translate.js';
export { formatters, type Formatters } from './format.js';
export type { MessageKey } from './ja.js';
