import { describe, expect, it } from 'vitest';
import { ja, type MessageKey } from '../../server/i18n/ja.js';
import { en } from '../../server/i18n/en.js';
import { formatters, MissingMessageError, translator } from '../../server/i18n/index.js';
import { makeTranslator } from '../../server/i18n/translate.js';

const placeholders = (message: string) => [...message.matchAll(/\{([A-Za-z][A-Za-z0-9_]*)\}/g)].map((m) => m[1]).sort();

describe('the dictionaries', () => {
  it('has every Japanese key in English', () => {
    const missing = Object.keys(ja).filter((key) => !Object.hasOwn(en, key));
    expect(missing).toEqual([]);
  });

  it('has no English key that Japanese lacks', () => {
    const extra = Object.keys(en).filter((key) => !Object.hasOwn(ja, key));
    expect(extra).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const differing = (Object.keys(ja) as MessageKey[])
      .filter((key) => en[key] !== undefined && placeholders(en[key]!).join() !== placeholders(ja[key]).join());
    expect(differing).toEqual([]);
  });

  it('has no empty message', () => {
    expect(Object.entries(ja).filter(([, m]) => m.trim() === '')).toEqual([]);
    expect(Object.entries(en).filter(([, m]) => m!.trim() === '')).toEqual([]);
  });
});

describe('translator', () => {
  it('answers in Japanese by default and in English when asked', () => {
    expect(translator('ja')('status.provisional')).toBe('仮予約');
    expect(translator('en')('status.provisional')).toBe('Provisional');
  });

  it('fills in named placeholders', () => {
    expect(translator('ja')('home.open', { open: '09:00', close: '22:00' })).toBe('開館 09:00〜22:00');
    expect(translator('en')('nav.signedInAs', { name: 'Hanako' })).toBe('Signed in as Hanako');
  });

  it('falls back to Japanese for a key the other language lacks', () => {
    const t = makeTranslator({ 'nav.home': 'Home' });
    expect(t('nav.home')).toBe('Home');
    expect(t('nav.logout')).toBe('ログアウト');
  });

  it('throws for a key that Japanese does not have', () => {
    expect(() => translator('ja')('no.such.key' as MessageKey)).toThrow(MissingMessageError);
    expect(() => translator('en')('no.such.key' as MessageKey)).toThrow(MissingMessageError);
  });

  it('throws when a placeholder is left unfilled', () => {
    expect(() => translator('ja')('home.open', { open: '09:00' })).toThrow(/needs \{close\}/);
  });

  it('has a word for every value of the booking states', () => {
    const t = translator('ja');
    expect(['provisional', 'confirmed', 'cancelled', 'expired'].map((s) => t(`status.${s}` as MessageKey))).toEqual(['仮予約', '確定', '取消', '期限切れ']);
    expect(['unpaid', 'paid', 'refunded', 'exempt'].map((s) => t(`payment.${s}` as MessageKey))).toEqual(['未払い', '支払済', '返金済', '減免']);
    expect(['registered', 'general', 'commercial'].map((s) => t(`category.${s}` as MessageKey))).toEqual(['登録団体', '一般', '営利']);
  });
});

describe('formatters', () => {
  const ja = formatters('ja');
  const en = formatters('en');

  it('writes a date with its weekday, the Japanese way and the English way', () => {
    expect(ja.date('2026-12-05')).toBe('2026年12月5日(土)');
    expect(en.date('2026-12-05')).toBe('Sat, 5 Dec 2026');
    expect(ja.dateShort('2027-01-01')).toBe('1月1日(金)');
    expect(en.dateShort('2027-01-01')).toBe('Fri, 1 Jan');
  });

  it('knows 29 February only in a leap year', () => {
    expect(ja.date('2028-02-29')).toBe('2028年2月29日(火)');
    expect(() => ja.date('2027-02-29')).toThrow();
  });

  it('shows times in Tokyo whatever the offset of the instant and the zone of the server', () => {
    // The test project runs with TZ=UTC, so a server-zone slip would show 09:00.
    expect(ja.time('2026-12-05T18:00:00+09:00')).toBe('18:00');
    expect(ja.time('2026-12-05T09:00:00.000Z')).toBe('18:00');
    expect(ja.time('22:00')).toBe('22:00');
    expect(en.timeRange('2026-12-05T09:00:00+09:00', '2026-12-05T13:00:00+09:00')).toBe('09:00–13:00');
    expect(ja.dateTime('2026-12-31T15:30:00.000Z')).toBe('2027年1月1日(金) 00:30');
  });

  it('writes yen with a sign and thousands separators', () => {
    expect(ja.yen(1200)).toBe('¥1,200');
    expect(en.yen(0)).toBe('¥0');
    expect(ja.yen(1234567)).toBe('¥1,234,567');
    expect(ja.yen(-500)).toBe('-¥500');
    expect(() => ja.yen(12.5)).toThrow(RangeError);
  });

  it('names a month', () => {
    expect(ja.month('2026-12')).toBe('2026年12月');
    expect(en.month('2027-03-15')).toBe('March 2027');
  });

  it('names holidays and the calendar’s own closing reasons in the page language, and keeps a manager’s free text', () => {
    expect(ja.holiday('2027-01-11', '成人の日')).toBe('成人の日');
    expect(en.holiday('2027-01-11', '成人の日')).toBe('Coming of Age Day');
    expect(en.reason('年末年始休館')).toBe('Year-end closure');
    expect(en.reason('定例休館日')).toBe('Regular closing day');
    expect(ja.reason('out_of_season')).toBe('利用期間外');
    expect(en.reason('空調工事のため')).toBe('空調工事のため');
  });
});

describe('fee lines in English', () => {
  it('translates the fixed parts of every line the pricing rules write, and leaves Japanese pages alone', async () => {
    const { formatters } = await import('../../server/i18n/index.js');
    const en = formatters('en');
    expect(en.feeLine('基本使用料（会議研修室A 18:00–21:00）')).toEqual({ text: 'Room charge (会議研修室A 18:00–21:00)', lang: 'en' });
    expect(en.feeLine('登録団体（50%）').text).toBe('Registered group (50%)');
    expect(en.feeLine('暖房料（20%）').text).toBe('Heating (20%)');
    expect(en.feeLine('減免（100%）').text).toBe('Exemption (100%)');
    expect(en.feeLine('端数調整').text).toBe('Rounding (to 10 yen)');
    expect(en.feeLine('変更手数料').text).toBe('Change fee');
    // An equipment line names the type as the dictionary does; anything unknown stays as stored, marked Japanese.
    expect(en.feeLine('プロジェクター ×2')).toEqual({ text: 'Projector × 2', lang: 'en' });
    expect(en.feeLine('ワイヤレスマイク ×1（登録団体無料）').text).toBe('Wireless microphone × 1 (free for registered groups)');
    expect(en.feeLine('ピアノ ×1（3倍）').text).toBe('Piano × 1 (×3)');
    expect(en.feeLine('謎の備品 ×2')).toEqual({ text: '謎の備品 ×2', lang: 'ja' });
    expect(formatters('ja').feeLine('暖房料（20%）')).toEqual({ text: '暖房料（20%）', lang: 'ja' });
  });
});
