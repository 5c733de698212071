import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserEnv, type BrowserEnv, check, mainText as main, focusedId, logIn, atWidths } from './support.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. small-1 for two morning hours costs ¥240 at the
// registered rate in the heating season; the center is closed 12/29 – 1/3.
const NOW = '2026-12-01T10:00';

/** The same page on the desk's tablet (800px), then back to the desktop size. */
const tablet = (page: Page, name: string) => atWidths(page, name, [800], 1000);

/** Presses Tab until the element with `id` has the focus (at most `max` times). */
async function tabTo(page: Page, id: string, max = 25): Promise<void> {
  for (let i = 0; i < max && (await focusedId(page)) !== id; i++) await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe(id);
}

describe('rules and spaces from a date, in a real browser', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv(NOW);
    await env.t.account('manager', 'boss@example.jp', { name: '館長 太郎' });
    await env.t.account('staff', 'clerk@example.jp', { name: '窓口 花子' });
  });
  afterAll(async () => env?.close());

  it('a manager schedules new cancellation tiers from April 1, and a past date is refused on the page', async () => {
    const { page, base, t } = env;
    await logIn(env, 'boss@example.jp');
    await page.goto(base + '/manage');
    await page.click('main a:has-text("ルール")');
    await page.waitForURL(base + '/manage/rules');
    expect(await main(page)).toContain('当初から適用中');

    // Free cancellation only 14 days ahead from the fiscal year 2027.
    const life = JSON.parse(await page.inputValue('#field-life')) as Record<string, unknown>;
    const tiers = [{ minDaysBefore: 14, percent: 0 }, { minDaysBefore: 1, percent: 50 }, { minDaysBefore: 0, percent: 100 }];
    await page.fill('#field-life', JSON.stringify({ ...life, cancellationTiers: tiers }, null, 2));
    // A date in the past first: refused with the reason next to the field, nothing stored.
    await page.fill('#field-life-effectiveFrom', '2026-11-30');
    await page.click('main button:has-text("仮予約・キャンセル料・件数を保存")');
    await page.waitForURL(base + '/manage/rules/life');
    expect(await main(page)).toContain('適用日は今日（2026年12月1日(火)）以降の日付にしてください');
    expect(t.db.$client.prepare("SELECT count(*) AS n FROM rule_versions WHERE key = 'life'").get()).toEqual({ n: 1 });
    await check(page, 'manage-rules-past-date');

    await page.fill('#field-life-effectiveFrom', '2027-04-01');
    await page.click('main button:has-text("仮予約・キャンセル料・件数を保存")');
    await page.waitForURL(base + '/manage/rules');
    const text = await main(page);
    expect(text).toContain('ルールの変更を登録しました。');
    expect(text).toContain('予定されている仮予約・キャンセル料・件数の変更（1件）');
    expect(text).toContain('2027年4月1日(木)から適用');
    const stored = t.db.$client.prepare("SELECT effective_from, value_json FROM rule_versions WHERE key = 'life' ORDER BY effective_from").all() as { effective_from: string; value_json: string }[];
    expect(stored.map((r) => r.effective_from)).toEqual(['2000-01-01', '2027-04-01']);
    expect(JSON.parse(stored[1]!.value_json)).toMatchObject({ cancellationTiers: tiers });
    await page.click('main summary:has-text("内容を見る")');
    await check(page, 'manage-rules-scheduled');
    await tablet(page, 'manage-rules-scheduled');
  });

  it('a manager schedules a smaller capacity for a room from a date on the spaces page', async () => {
    const { page, base, t } = env;
    await page.goto(base + '/manage');
    await page.click('main a:has-text("施設の設定")');
    await page.waitForURL(base + '/manage/spaces');
    expect(await main(page)).toContain('全面（会議研修室A、会議研修室B）');
    await check(page, 'manage-spaces');
    await page.click('main a[aria-describedby="space-small-1"]');
    await page.waitForURL(base + '/manage/spaces/small-1');
    await page.fill('#field-capacity', '6');
    await page.fill('#field-effectiveFrom', '2027-04-01');
    await page.click('main button:has-text("適用日を決めて登録する")');
    await page.waitForURL(base + '/manage/spaces/small-1');
    expect(await main(page)).toContain('2027年4月1日(木)から適用：定員6人・通年・団体の月間上限 上限なし');
    expect(t.db.$client.prepare('SELECT effective_from, capacity FROM space_versions').all()).toEqual([{ effective_from: '2027-04-01', capacity: 6 }]);
    await check(page, 'manage-space');
    await tablet(page, 'manage-space');
  });

  it('a clerk books a weekly series for a group with the keyboard alone, seeing the skipped date first', async () => {
    const { page, base, t } = env;
    const group = t.db.$client.prepare(`INSERT INTO groups (name, kana, type, status, valid_until, member_count, created_at, phone)
      VALUES ('緑町町内会', 'みどりちょうちょうないかい', 'neighborhood-association', 'active', '2027-03-31', 20, '2026-04-01T00:00:00.000Z', '03-1234-5678') RETURNING id`).get() as { id: number };
    await page.context().clearCookies();
    await logIn(env, 'clerk@example.jp');
    await page.goto(base + '/desk/book');
    const started = Date.now();
    expect(await focusedId(page)).toBe('booker-q');
    await page.keyboard.type('緑町');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/desk\/book\?.*q=/);
    await page.focus('#booker-q');
    const choose = `main a[aria-describedby="booker-group-${group.id}"]`;
    for (let i = 0; i < 10 && !(await page.evaluate((sel) => document.activeElement === document.querySelector(sel), choose)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`booker=group%3A${group.id}|booker=group:${group.id}`));

    expect(await focusedId(page)).toBe('field-space');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('#field-space')).toBe('small-1');
    await page.keyboard.press('Tab');
    // The test browser's UI is en-US: month/day/year.
    await page.keyboard.type('12222026');
    expect(await page.inputValue('#field-date')).toBe('2026-12-22');
    await tabTo(page, 'field-start');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    // The form moved the end to an hour after the start (js/booking.js); two more half hours.
    for (let i = 0; i < 8 && (await page.inputValue('#field-end')) !== '12:00'; i++) await page.keyboard.press('ArrowDown');
    expect([await page.inputValue('#field-start'), await page.inputValue('#field-end')]).toEqual(['10:00', '12:00']);
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-attendees');
    await page.keyboard.type('6');
    await page.keyboard.press('Tab');
    await page.keyboard.type('町内会の定例会');
    // Weekly, three times: the end of the repeat appears once it repeats.
    await tabTo(page, 'field-repeat');
    expect(await page.isVisible('#field-count')).toBe(false);
    await page.keyboard.press('ArrowRight');
    expect(await page.inputValue('input[name="repeat"]:checked')).toBe('weekly');
    expect(await page.isVisible('#field-count')).toBe(true);
    await tabTo(page, 'field-count');
    await page.keyboard.type('3');
    await check(page, 'desk-book-series-form');
    await tablet(page, 'desk-book-series-form');
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/desk/book/confirm');
    const confirm = await main(page);
    expect(confirm).toContain('毎週火曜日');
    expect(confirm).toContain('予約される日（2件）');
    expect(confirm).toContain('予約できない日（1件）');
    expect(confirm).toContain('2026年12月29日(火)');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('予約する（2件）');
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM bookings').get()).toEqual({ n: 0 });
    await check(page, 'desk-book-series-confirm');
    await tablet(page, 'desk-book-series-confirm');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/desk\/bookings\/\d+$/);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await main(page)).toContain('繰り返しの予約を受け付けました。');
    expect(t.db.$client.prepare('SELECT use_date, group_id, status, total_yen FROM bookings ORDER BY start_at').all()).toEqual([
      { use_date: '2026-12-22', group_id: group.id, status: 'confirmed', total_yen: 240 },
      { use_date: '2027-01-05', group_id: group.id, status: 'confirmed', total_yen: 240 },
    ]);
    await check(page, 'desk-series-booked');
  });
});
