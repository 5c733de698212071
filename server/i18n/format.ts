import holidayJp from '@holiday-jp/holiday_jp';
import { DateTime } from 'luxon';
import { ZONE } from '../domain/time.js';
import { ja, type MessageKey } from './ja.js';
import { translator, type Lang, type Translate } from './translate.js';

// Spelled out rather than left to Intl, so a page reads the same on every server's ICU data.
const JA_WEEKDAYS = ['月', '火', '水', '木', '金', '土', '日'] as const;
const EN_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
const CLOCK = /^([01]\d|2[0-4]):[0-5]\d$/;

const HOLIDAYS = holidayJp.holidays as Readonly<Record<string, { name: string; name_en: string } | undefined>>;

/** The calendar's own closing reasons (domain/calendar.ts, services/spaces.ts) and their message keys. */
const KNOWN_REASONS: Readonly<Record<string, 'closed.regular' | 'closed.yearEnd' | 'closed.outOfSeason'>> = {
  定例休館日: 'closed.regular',
  年末年始休館: 'closed.yearEnd',
  out_of_season: 'closed.outOfSeason',
};

function civilDate(date: string): DateTime {
  if (!DATE.test(date)) throw new RangeError(`not a date: ${date}`);
  return DateTime.fromISO(date, { zone: ZONE });
}

function english(dt: DateTime, withWeekday: boolean, withYear: boolean): string {
  const text = `${dt.day} ${EN_MONTHS[dt.month - 1]!.slice(0, 3)}${withYear ? ` ${dt.year}` : ''}`;
  return withWeekday ? `${EN_WEEKDAYS[dt.weekday - 1]}, ${text}` : text;
}

/**
 * Formatting for views, in one language. Money and instants stay raw (integer yen, ISO strings)
 * everywhere else and are formatted only here.
 */
/** The fee lines `domain/pricing.ts` and the change fee write, and their English. */
const FEE_LINE_EN: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^基本使用料（(.+) (\d{2}:\d{2})–(\d{2}:\d{2})）$/, (m) => `Room charge (${m[1]} ${m[2]}–${m[3]})`],
  [/^登録団体（(\d+)%）$/, (m) => `Registered group (${m[1]}%)`],
  [/^一般（(\d+)%）$/, (m) => `General (${m[1]}%)`],
  [/^入場料徴収（(\d+)%）$/, (m) => `Admission charged (${m[1]}%)`],
  [/^営利・高額入場料（(\d+)%）$/, (m) => `Commercial or high admission (${m[1]}%)`],
  [/^暖房料（(\d+)%）$/, (m) => `Heating (${m[1]}%)`],
  [/^減免（(\d+)%）$/, (m) => `Exemption (${m[1]}%)`],
  [/^端数調整$/, () => 'Rounding (to 10 yen)'],
  [/^変更手数料$/, () => 'Change fee'],
];

/** Equipment types by their Japanese name (the name a fee line was stored with). */
const EQUIPMENT_BY_NAME = new Map(
  (Object.keys(ja) as MessageKey[]).filter((k) => k.startsWith('equipment.')).map((k) => [ja[k] as string, k]),
);

export function formatters(lang: Lang) {
  return (FORMATTERS[lang] ??= makeFormatters(lang));
}

function makeFormatters(lang: Lang) {
  const t: Translate = translator(lang);

  /** "HH:MM" in Tokyo of an ISO instant (any offset); a wall-clock "HH:MM" is returned as it is. */
  function time(value: string): string {
    if (CLOCK.test(value)) return value;
    return DateTime.fromISO(value, { setZone: true }).setZone(ZONE).toFormat('HH:mm');
  }

  /** `2026年12月5日(土)` · `Sat, 5 Dec 2026` */
  function date(date: string): string {
    const dt = civilDate(date);
    return lang === 'ja' ? `${dt.year}年${dt.month}月${dt.day}日(${JA_WEEKDAYS[dt.weekday - 1]})` : english(dt, true, true);
  }

  return {
    date,
    /**
     * A fee line's label in the page's language. Lines are stored with a booking as the Japanese
     * text the pricing rules wrote; their fixed parts are translated here (a space name inside
     * stays as it was stored). Returns `lang` so the template can mark what stays Japanese.
     */
    feeLine(label: string): { text: string; lang: Lang } {
      if (lang === 'ja') return { text: label, lang: 'ja' };
      for (const [pattern, english] of FEE_LINE_EN) {
        const match = pattern.exec(label);
        if (match) return { text: english(match), lang: 'en' };
      }
      // equipment: booking form and group loans — `プロジェクター ×2（登録団体無料）`, named as the i18n layer names the type.
      const item = /^(.+) ×(\d+)(?:（(登録団体無料|無料|(\d+)倍)）)?$/.exec(label);
      const type = item ? EQUIPMENT_BY_NAME.get(item[1]!) : undefined;
      if (item && type) {
        const note = item[3] === undefined ? '' : item[4] !== undefined ? ` (×${item[4]})` : item[3] === '登録団体無料' ? ' (free for registered groups)' : ' (free)';
        return { text: `${t(type)} × ${item[2]}${note}`, lang: 'en' };
      }
      return { text: label, lang: 'ja' };
    },
    /** Without the year, for lists within a month or two: `12月5日(土)` · `Sat, 5 Dec` */
    dateShort(date: string): string {
      const dt = civilDate(date);
      return lang === 'ja' ? `${dt.month}月${dt.day}日(${JA_WEEKDAYS[dt.weekday - 1]})` : english(dt, true, false);
    },
    /** `2026年12月` · `December 2026`, from `YYYY-MM` or a date in the month. */
    month(month: string): string {
      const dt = civilDate(MONTH.test(month) ? `${month}-01` : month);
      return lang === 'ja' ? `${dt.year}年${dt.month}月` : `${EN_MONTHS[dt.month - 1]} ${dt.year}`;
    },
    time,
    /** `09:00–13:00` */
    timeRange(start: string, end: string): string {
      return `${time(start)}–${time(end)}`;
    },
    /** `2026年12月5日(土) 18:00` · `Sat, 5 Dec 2026 18:00` of an ISO instant, in Tokyo. */
    dateTime(iso: string): string {
      const dt = DateTime.fromISO(iso, { setZone: true }).setZone(ZONE);
      return `${date(dt.toISODate()!)} ${dt.toFormat('HH:mm')}`;
    },
    /** `¥1,200` (integer yen; the same in both languages). */
    yen(amountYen: number): string {
      if (!Number.isInteger(amountYen)) throw new RangeError(`yen must be an integer: ${amountYen}`);
      const digits = Math.abs(amountYen).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      return `${amountYen < 0 ? '-' : ''}¥${digits}`;
    },
    /** `1,200` */
    number(n: number): string {
      return n.toString().replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    },
    /** The holiday's name in this language (the calendar gives the Japanese one). */
    holiday(date: string, name: string): string {
      return lang === 'en' ? (HOLIDAYS[date]?.name_en ?? name) : name;
    },
    /** A closing reason: the calendar's own reasons are translated; a manager's free text is shown as written. */
    reason(reason: string): string {
      const key = KNOWN_REASONS[reason];
      return key ? t(key) : reason;
    },
  };
}

export type Formatters = ReturnType<typeof makeFormatters>;

const FORMATTERS: Partial<Record<Lang, Formatters>> = {};
