import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, startBrowserEnv, type BrowserEnv, check, mainText as main, focusedId, logIn, atWidths } from './support.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. small-1 for two morning hours costs ¥480 at the
// general rate in the heating season.
const NOW = '2026-12-01T10:00';

/** The same page on the desk's tablet (800px), then back to the desktop size. */
const tablet = (page: Page, name: string) => atWidths(page, name, [800], 1000);





function paymentRows(env: BrowserEnv) {
  return env.t.db.$client.prepare('SELECT id, booking_id, receipt_no, kind, amount_yen, voids_payment_id FROM payments ORDER BY id').all() as
    { id: number; booking_id: number; receipt_no: string; kind: string; amount_yen: number; voids_payment_id: number | null }[];
}

describe('a clerk at the front desk in a real browser', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv(NOW);
    await env.t.account('staff', 'clerk@example.jp', { name: '窓口 花子' });
  });
  afterAll(async () => env?.close());

  it('books a walk-in with the keyboard alone, takes a partial and then a full payment, voids one, and the cash close adds up', async () => {
    const { page, base, t } = env;
    await logIn(env, 'clerk@example.jp');
    await page.click('nav >> text=窓口');
    await page.waitForURL(base + '/desk');
    expect(await main(page)).toContain('この日の予約はありません。');
    await check(page, 'desk-board-empty');

    // From here on the keyboard alone: a clerk books in well under a minute.
    const started = Date.now();
    await page.click('main a:has-text("窓口で予約する")');
    await page.waitForURL(base + '/desk/book');
    expect(await focusedId(page)).toBe('booker-q');
    await check(page, 'desk-book-who');
    // The walk-in button is just before the search box.
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toContain('窓口申込');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/desk\/book\?.*booker=walk-in/);
    expect(await focusedId(page)).toBe('field-walkInName');
    await page.keyboard.type('佐藤 一郎');
    await page.keyboard.press('Tab');
    await page.keyboard.type('090-1111-2222');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-space');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('#field-space')).toBe('small-1');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-date');
    // The test browser's UI is en-US, so the date's segments are month/day/year (a Japanese UI
    // types the year first); the picker button after the year is one more Tab stop.
    await page.keyboard.type('12102026');
    expect(await page.inputValue('#field-date')).toBe('2026-12-10');
    for (let i = 0; i < 3 && (await focusedId(page)) !== 'field-start'; i++) await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-start');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    expect([await page.inputValue('#field-start'), await page.inputValue('#field-end')]).toEqual(['10:00', '12:00']);
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-attendees');
    await page.keyboard.type('5');
    await page.keyboard.press('Tab');
    await page.keyboard.type('自治会の打ち合わせ');
    await check(page, 'desk-book-form');
    await tablet(page, 'desk-book-form');
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/desk/book/confirm');
    expect(await main(page)).toContain('使用料 ¥480');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('予約する');
    await check(page, 'desk-book-confirm');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/desk\/bookings\/\d+\?focus=pay$/);
    expect(Date.now() - started).toBeLessThan(60_000);
    const id = Number(/bookings\/(\d+)/.exec(page.url())![1]);
    expect(t.db.$client.prepare('SELECT walk_in_name, walk_in_phone, status, total_yen, channel FROM bookings WHERE id = ?').get(id))
      .toEqual({ walk_in_name: '佐藤 一郎', walk_in_phone: '090-1111-2222', status: 'provisional', total_yen: 480, channel: 'desk' });

    // A partial payment, then the rest: the amount field has the focus and the balance in it.
    expect(await focusedId(page)).toBe('field-amountYen');
    expect(await page.inputValue('#field-amountYen')).toBe('480');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    await page.waitForURL(/receipt=R2026-000001&focus=pay$/);
    expect(await main(page)).toContain('領収書番号 R2026-000001（¥200）を発行しました。');
    expect(await focusedId(page)).toBe('field-amountYen');
    expect(await page.inputValue('#field-amountYen')).toBe('280');
    await check(page, 'desk-booking-partial');
    await page.keyboard.press('Enter');
    await page.waitForURL(/receipt=R2026-000002$/);
    expect(await main(page)).toContain('支払済');
    expect(t.db.$client.prepare('SELECT status, payment_status FROM bookings WHERE id = ?').get(id)).toEqual({ status: 'confirmed', payment_status: 'paid' });
    await check(page, 'desk-booking-paid');
    await tablet(page, 'desk-booking-paid');

    // The first payment was taken by mistake: void it with a reason.
    const first = paymentRows(env)[0]!;
    await page.focus(`#field-voidReason-${first.id}`);
    await page.keyboard.type('二重に受け取ったため');
    await page.keyboard.press('Enter');
    await page.waitForURL(base + `/desk/bookings/${id}`);
    expect(await main(page)).toContain('入金を取り消しました。予約は確定のままですが、未払いになりました。');
    expect(paymentRows(env)).toMatchObject([
      { kind: 'payment', amount_yen: 200 }, { kind: 'payment', amount_yen: 280 }, { kind: 'void', amount_yen: 200, voids_payment_id: first.id },
    ]);
    expect(t.db.$client.prepare('SELECT status, payment_status FROM bookings WHERE id = ?').get(id)).toEqual({ status: 'confirmed', payment_status: 'unpaid' });
    await check(page, 'desk-booking-voided');

    // The cash close: its net equals the payments of the day in the database.
    await page.click('nav >> text=窓口');
    await page.waitForURL(base + '/desk');
    await check(page, 'desk-board');
    await tablet(page, 'desk-board');
    await page.click('main a:has-text("日計表")');
    await page.waitForURL(base + '/desk/cash');
    const net = (t.db.$client.prepare(`SELECT sum(CASE kind WHEN 'payment' THEN amount_yen ELSE -amount_yen END) AS net FROM payments
      WHERE created_at >= '2026-11-30T15:00:00.000Z' AND created_at < '2026-12-01T15:00:00.000Z'`).get() as { net: number }).net;
    expect(net).toBe(280);
    expect(await page.locator('#cash-net').innerText()).toBe('¥280');
    expect(await page.locator('#cash-payment').innerText()).toBe('¥480');
    expect(await page.locator('#cash-void').innerText()).toBe('-¥200');
    const entries = await page.locator('.cash-entries tbody tr').count();
    expect(entries).toBe(paymentRows(env).length);
    await check(page, 'desk-cash');
    await tablet(page, 'desk-cash');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'desk-cash-print');
    await page.emulateMedia({ media: 'screen' });

    // Finding it again by phone number.
    await page.goto(base + '/desk/bookings?q=' + encodeURIComponent('090-1111'));
    expect(await main(page)).toContain('検索結果 1件');
    await check(page, 'desk-search');
  });

  it('checks a group in on the day with the actual headcount', async () => {
    const { page, base, t } = env;
    const groupId = t.db.$client.prepare(`INSERT INTO groups (name, kana, type, status, valid_until, member_count, created_at, phone)
      VALUES ('緑町町内会', 'みどりちょうちょうないかい', 'neighborhood-association', 'active', '2027-03-31', 20, '2026-04-01T00:00:00.000Z', '03-1234-5678') RETURNING id`).get() as { id: number };
    const cookie = await t.login('clerk@example.jp');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ space: 'training-a', start: '2026-12-01T10:30', end: '2026-12-01T12:00', purpose: '防災訓練の準備', attendees: 12, groupId: groupId.id }) });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { id: number }).id;
    await page.goto(base + '/desk');
    expect(await main(page)).toContain('まもなく開始');
    await tablet(page, 'desk-board-due');
    await page.fill(`#field-attendees-${id}`, '10');
    await page.press(`#field-attendees-${id}`, 'Enter');
    await page.waitForURL(base + '/desk');
    expect(await main(page)).toContain('受付しました。');
    expect(t.db.$client.prepare('SELECT attendance, actual_attendees FROM bookings WHERE id = ?').get(id)).toEqual({ attendance: 'checked_in', actual_attendees: 10 });
    await check(page, 'desk-board-checked-in');
    await page.goto(base + `/desk/bookings/${id}`);
    await check(page, 'desk-booking-group');
    await page.goto(base + `/desk/bookings/${id}/change`);
    await check(page, 'desk-change');
    await page.goto(base + `/desk/bookings/${id}/cancel`);
    await check(page, 'desk-cancel');
  });
});
