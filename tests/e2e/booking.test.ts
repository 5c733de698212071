import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../support/app.js';
import { startBrowserEnv, type BrowserEnv, atWidths, check, mainText as main, focusedId, logIn, addGroupMember } from './support.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo (heating season: small-1 costs ¥480 for two
// morning hours at the general rate, ¥240 at the registered rate).
const NOW = '2026-12-01T10:00';


/** The same page on a phone (390px) and a desk tablet (800px), then back to the desktop size. */
const smallScreens = (page: Page, name: string) => atWidths(page, name, [390, 800]);



function bookingRows(env: BrowserEnv) {
  return env.t.db.$client.prepare('SELECT id, use_date, start_at, status, series_id FROM bookings ORDER BY start_at').all() as
    { id: number; use_date: string; start_at: string; status: string; series_id: number | null }[];
}

describe('an individual in a real browser', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv(NOW);
  });
  afterAll(async () => env?.close());

  it('signs up, books, sees the provisional deadline, and cancels', async () => {
    const { page, base, t } = env;
    await page.goto(base + '/');
    await page.click('nav >> text=新規登録');
    await page.waitForURL(base + '/signup');
    expect(await main(page)).toContain('個人情報の利用目的');
    await check(page, 'signup');

    await page.fill('#field-name', '山田 花子');
    await page.fill('#field-email', 'hanako@example.jp');
    await page.fill('#field-password', PASSWORD);
    await page.fill('#field-phone', '090-1234-5678');
    await page.click('main button[type="submit"]');
    await page.waitForURL(base + '/my/bookings');
    expect(await main(page)).toContain('アカウントを作成し、ログインしました。');
    expect(await main(page)).toContain('これからの予約はありません。');
    await check(page, 'my-bookings-empty');

    await page.click('nav >> text=予約する');
    await page.waitForURL(base + '/book');
    await page.selectOption('#field-space', 'small-1');
    await page.fill('#field-date', '2026-12-29');
    await page.selectOption('#field-start', '10:00');
    await page.selectOption('#field-end', '12:00');
    await page.fill('#field-attendees', '5');
    await page.fill('#field-purpose', '自治会の定例会');
    await check(page, 'book-form');

    // The year-end closure: refused, with the reason next to the date and the input kept.
    await page.click('main button[type="submit"]');
    await page.waitForURL(base + '/book/confirm');
    await expect.poll(() => page.locator('[role="alert"]').innerText()).toContain('この日は年末年始休館のため利用できません');
    expect(await focusedId(page)).toBe('');
    expect(await page.evaluate('document.activeElement.className')).toBe('error-summary');
    expect(await page.inputValue('#field-purpose')).toBe('自治会の定例会');
    await check(page, 'book-error');
    await smallScreens(page, 'book-error');

    await page.fill('#field-date', '2026-12-10');
    await page.click('main button[type="submit"]');
    await page.waitForURL(base + '/book/confirm');
    const confirm = await main(page);
    expect(confirm).toContain('予約内容の確認');
    expect(confirm).toContain('基本使用料（小会議室1 10:00–12:00）');
    expect(confirm).toContain('¥480');
    expect(confirm).toContain('お支払い期限 2026年12月8日(火) 22:00まで');
    expect(bookingRows(env)).toHaveLength(0);
    await check(page, 'book-confirm');
    await smallScreens(page, 'book-confirm');

    await page.click('main button:has-text("予約する")');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    const detail = await main(page);
    expect(detail).toContain('予約を受け付けました。');
    expect(detail).toContain('お支払い期限 2026年12月8日(火) 22:00まで');
    expect(detail).toContain('仮予約');
    expect(bookingRows(env)).toMatchObject([{ use_date: '2026-12-10', status: 'provisional' }]);
    await check(page, 'booking-detail');
    await smallScreens(page, 'booking-detail');

    await page.click('nav >> text=予約一覧');
    await page.waitForURL(base + '/my/bookings');
    expect(await main(page)).toContain('2026年12月8日(火) 22:00まで');
    await check(page, 'my-bookings');
    await smallScreens(page, 'my-bookings');

    await page.click('main a:has-text("2026年12月10日(木)")');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    await page.click('main a:has-text("取り消す")');
    await page.waitForURL(/\/cancel$/);
    const cancel = await main(page);
    expect(cancel).toMatch(/キャンセル料\s*¥0/);
    expect(cancel).toMatch(/返金\s*¥0/);
    expect(cancel).toMatch(/未払い残高\s*¥0/);
    await check(page, 'cancel');
    await page.fill('#field-reason', '予定が変わったため');
    await page.click('main button:has-text("取り消す")');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    expect(await main(page)).toContain('予約を取り消しました。');
    expect(await main(page)).not.toContain('取り消す');
    expect(bookingRows(env)).toMatchObject([{ status: 'cancelled' }]);
    expect(t.db.$client.prepare("SELECT count(*) FROM accounts WHERE role = 'individual'").pluck().get()).toBe(1);
    await check(page, 'booking-cancelled');
  });

  it('books from the form to the confirmation with the keyboard alone', async () => {
    const { page, base } = env;
    // Where a free cell of the space grid leads: the form with the space, date and start filled in.
    await page.goto(`${base}/book?space=small-2&start=2026-12-11T13:00`);
    expect(await page.inputValue('#field-end')).toBe('14:00');
    // Tab from the top of the page to the headcount, as a keyboard user would.
    for (let i = 0; i < 40 && (await focusedId(page)) !== 'field-attendees'; i++) await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-attendees');
    // The focus ring is visible (the yellow and black box shadow of :focus-visible).
    expect(await page.evaluate('getComputedStyle(document.activeElement).boxShadow')).toContain('rgb(255, 221, 0)');
    await page.keyboard.type('4');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-purpose');
    await page.keyboard.type('読書会');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-commercial');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-admissionFeeYen');
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/book/confirm');
    expect(await main(page)).toContain('小会議室2');
    expect(await main(page)).toContain('13:00–14:00');
    // On to the 予約する button of the form (the menu has a 予約する link too).
    const onSubmit = () => page.evaluate("document.activeElement.tagName === 'BUTTON' && document.activeElement.textContent === '予約する'");
    for (let i = 0; i < 60 && !(await onSubmit()); i++) await page.keyboard.press('Tab');
    expect(await onSubmit()).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    expect(await main(page)).toContain('予約を受け付けました。');
    expect(bookingRows(env).filter((b) => b.status === 'provisional').map((b) => b.use_date)).toEqual(['2026-12-11']);
  });
});

describe('a group member in a real browser', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv(NOW);
    await addGroupMember(env);
  });
  afterAll(async () => env?.close());

  it('books a weekly series with a preview of the skipped dates, changes one date and cancels another', async () => {
    const { page, base } = env;
    await logIn(env, 'kaiin@example.jp');
    await page.click('nav >> text=予約する');
    await page.waitForURL(base + '/book');
    expect(await main(page)).toContain('登録団体「市民活動ネットワーク」として予約します');
    // Without a repeat there is no end of the repeat to ask for.
    expect(await page.isVisible('#field-count')).toBe(false);
    await page.selectOption('#field-space', 'small-1');
    await page.fill('#field-date', '2026-12-22');
    await page.selectOption('#field-start', '10:00');
    await page.selectOption('#field-end', '12:00');
    await page.fill('#field-attendees', '6');
    await page.fill('#field-purpose', 'まちづくり勉強会');
    await page.check('#field-repeat-weekly');
    expect(await page.isVisible('#field-count')).toBe(true);
    expect(await page.locator('[data-monthly-example]').innerText()).toContain('第4火曜日');
    await page.fill('#field-count', '4');
    await check(page, 'book-series-form');
    await smallScreens(page, 'book-series-form');

    await page.click('main button[type="submit"]');
    await page.waitForURL(base + '/book/confirm');
    const preview = await main(page);
    expect(preview).toContain('毎週火曜日・4回');
    expect(preview).toContain('予約される日（2件）');
    expect(preview).toContain('予約できない日（2件）');
    expect(preview).toMatch(/2026年12月29日\(火\) 10:00\s+休館日（年末年始休館）/);
    expect(preview).toMatch(/2027年1月12日\(火\) 10:00\s+休館日（定例休館日）/);
    expect(bookingRows(env)).toHaveLength(0);
    await check(page, 'series-confirm');
    await smallScreens(page, 'series-confirm');

    await page.click('main button:has-text("予約する（2件）")');
    await page.waitForURL(base + '/my/bookings?booked=2&skipped=2');
    expect(await main(page)).toContain('2件を予約しました。予約できなかった日は2件です。');
    expect(bookingRows(env).map((b) => [b.use_date, b.status])).toEqual([['2026-12-22', 'confirmed'], ['2027-01-05', 'confirmed']]);
    await check(page, 'my-bookings-series');

    // Change the second date to the Wednesday.
    await page.click('main a:has-text("2027年1月5日(火)")');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    await page.click('main a:has-text("変更する")');
    await page.waitForURL(/\/change$/);
    expect(await page.inputValue('#field-date')).toBe('2027-01-05');
    await check(page, 'change');
    await page.fill('#field-date', '2027-01-06');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/change\/confirm$/);
    const change = await main(page);
    expect(change).toContain('変更手数料 無料');
    expect(change).toMatch(/利用日\s+2027年1月5日\(火\)\s+2027年1月6日\(水\)/);
    await check(page, 'change-confirm');
    await smallScreens(page, 'change-confirm');
    await page.click('main button:has-text("変更する")');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    expect(await main(page)).toContain('予約を変更しました。');
    expect(await main(page)).toContain('2027年1月6日(水)');
    expect(bookingRows(env).map((b) => b.use_date)).toEqual(['2026-12-22', '2027-01-06']);

    // Cancel the first date.
    await page.click('main a:has-text("予約一覧へ戻る")');
    await page.waitForURL(base + '/my/bookings');
    await page.click('main a:has-text("2026年12月22日(火)")');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    expect(await main(page)).toContain('使用許可番号');
    await page.click('main a:has-text("取り消す")');
    await page.waitForURL(/\/cancel$/);
    expect(await main(page)).toMatch(/キャンセル料\s*¥0/);
    await page.click('main button:has-text("取り消す")');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    expect(await main(page)).toContain('予約を取り消しました。');
    expect(bookingRows(env).map((b) => [b.use_date, b.status])).toEqual([['2026-12-22', 'cancelled'], ['2027-01-06', 'confirmed']]);

    await page.click('nav >> text=予約一覧');
    await page.waitForURL(base + '/my/bookings');
    await check(page, 'my-bookings-member');
    await smallScreens(page, 'my-bookings-member');
  });
});
