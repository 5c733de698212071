import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserEnv, type BrowserEnv, atWidths, check, mainText as main, focusedId, logIn, addGroupMember } from './support.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. A registered group borrows equipment free; the
// center has three projectors.
const NOW = '2026-12-01T10:00';

/** The same page on a phone (390px) and a tablet held upright (768px), then back to the desktop size. */
const smallScreens = (page: Page, name: string) => atWidths(page, name, [390, 768]);

/** Presses Tab until `done` holds (at most `max` times), as a keyboard user moves through a page. */
async function tabUntil(page: Page, done: () => Promise<unknown>, max = 80): Promise<void> {
  for (let i = 0; i < max && !(await done()); i++) await page.keyboard.press('Tab');
  expect(await done()).toBe(true);
}

const focusedText = (page: Page) => page.evaluate('document.activeElement ? document.activeElement.textContent.trim() : ""');

function loanRows(env: BrowserEnv) {
  return env.t.db.$client.prepare(`SELECT l.kind, l.status, l.booking_id, t.slug AS type, i.quantity FROM loans l
    JOIN loan_items i ON i.loan_id = l.id JOIN equipment_types t ON t.id = i.type_id ORDER BY l.id, t.sort_order`).all() as
    { kind: string; status: string; booking_id: number | null; type: string; quantity: number }[];
}

describe('a group member borrows equipment in a real browser', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv(NOW);
    await addGroupMember(env);
  });
  afterAll(async () => env?.close());

  it('books a room with two projectors with the keyboard alone, sees the lines, then the loan on /my/loans', async () => {
    const { page, base } = env;
    await logIn(env, 'kaiin@example.jp');
    // Where a free cell of the space grid leads: the form with the space, date and start filled in.
    await page.goto(`${base}/book?space=training-a&start=2026-12-15T13:00&end=2026-12-15T16:00`);
    expect(await main(page)).toContain('備品（必要なときだけ）');
    await check(page, 'book-equipment-form');
    await smallScreens(page, 'book-equipment-form');

    await tabUntil(page, async () => (await focusedId(page)) === 'field-attendees');
    await page.keyboard.type('20');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-purpose');
    await page.keyboard.type('防災講座');
    await tabUntil(page, async () => (await focusedId(page)) === 'field-equipment-projector', 10);
    // The focus ring shows on the number field, and the arrow keys count up from 0.
    expect(await page.evaluate('getComputedStyle(document.activeElement).boxShadow')).toContain('rgb(255, 221, 0)');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.inputValue('#field-equipment-projector')).toBe('2');
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/book/confirm');
    const confirm = await main(page);
    expect(confirm).toMatch(/備品\s+プロジェクター 2台/);
    expect(confirm).toMatch(/プロジェクター ×2（登録団体無料）\s+¥0/);
    expect(loanRows(env)).toEqual([]);
    await check(page, 'book-equipment-confirm');
    await smallScreens(page, 'book-equipment-confirm');

    const onSubmit = () => page.evaluate("document.activeElement.tagName === 'BUTTON' && document.activeElement.textContent === '予約する'");
    await tabUntil(page, onSubmit);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/my\/bookings\/\d+$/);
    const detail = await main(page);
    expect(detail).toContain('予約を受け付けました。');
    expect(detail).toMatch(/備品\s+プロジェクター 2台/);
    expect(loanRows(env)).toMatchObject([{ kind: 'booking', status: 'reserved', type: 'projector', quantity: 2 }]);
    await check(page, 'book-equipment-detail');

    // On to the loans page through the menu.
    await tabUntil(page, async () => (await focusedText(page)) === '備品の貸出');
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/my/loans');
    const loans = await main(page);
    expect(loans).toContain('これからの貸出・貸出中（1件）');
    expect(loans).toContain('2026年12月15日(火) 13:00–16:00');
    expect(loans).toContain('プロジェクター 2台');
    expect(loans).toContain('予約済');
    expect(loans).toContain('受け取り前');
    await check(page, 'my-loans');
    await smallScreens(page, 'my-loans');
  });

  it('is told why the piano cannot come to a meeting room, and takes a projector out through /my/loans', async () => {
    const { page, base } = env;
    await page.goto(`${base}/book?space=training-b&start=2026-12-16T10:00`);
    await page.fill('#field-attendees', '10');
    await page.fill('#field-purpose', '合唱の練習');
    await page.fill('#field-equipment-piano', '1');
    await page.click('main button[type="submit"]');
    await page.waitForURL(base + '/book/confirm');
    await expect.poll(() => page.locator('[role="alert"]').innerText()).toContain('ピアノはホールを利用するときだけ借りられます');
    expect(await page.evaluate('document.activeElement.className')).toBe('error-summary');
    await check(page, 'book-equipment-error');
    await smallScreens(page, 'book-equipment-error');

    await page.goto(base + '/my/loans');
    await page.fill('#field-startDate', '2026-12-18');
    await page.selectOption('#field-startTime', '10:00');
    await page.fill('#field-endDate', '2026-12-27');
    await page.selectOption('#field-endTime', '17:00');
    await page.fill('#field-equipment-projector', '1');
    await page.click('main button:has-text("持ち出しを申し込む")');
    await page.waitForURL(base + '/my/loans');
    await expect.poll(() => page.locator('[role="alert"]').innerText()).toContain('持ち出しは最長7日間です');
    expect(loanRows(env).filter((l) => l.kind === 'takeout')).toEqual([]);
    await check(page, 'my-loans-takeout-error');
    await smallScreens(page, 'my-loans-takeout-error');

    await page.fill('#field-endDate', '2026-12-20');
    await page.click('main button:has-text("持ち出しを申し込む")');
    await page.waitForURL(base + '/my/loans');
    const list = await main(page);
    expect(list).toContain('備品の持ち出しを受け付けました。');
    expect(list).toContain('これからの貸出・貸出中（2件）');
    expect(list).toContain('持ち出し');
    expect(loanRows(env).filter((l) => l.kind === 'takeout')).toEqual([{ kind: 'takeout', status: 'reserved', booking_id: null, type: 'projector', quantity: 1 }]);
    await check(page, 'my-loans-takeout');

    await page.click('main a:has-text("2026年12月18日(金) 10:00")');
    await page.waitForURL(/\/my\/loans\/\d+$/);
    await check(page, 'my-loan-detail');
    await smallScreens(page, 'my-loan-detail');
    await page.click('main button:has-text("持ち出しを取り消す")');
    await page.waitForURL(base + '/my/loans');
    expect(await main(page)).toContain('備品の持ち出しを取り消しました。');
    expect(loanRows(env).filter((l) => l.kind === 'takeout').map((l) => l.status)).toEqual(['cancelled']);
  });

  it('shows the equipment fees and prices equipment in the calculator on /fees', async () => {
    const { page, base } = env;
    await page.goto(`${base}/fees?space=training-a&date=2026-12-15&start=13:00&end=16:00&equipment-projector=2`);
    const fees = await main(page);
    expect(fees).toContain('備品の使用料（1回の利用、1つあたり）');
    expect(fees).toMatch(/ピアノ\s+1台\s+¥2,000\s+無料\s+ホールの利用時のみ/);
    expect(fees).toMatch(/プロジェクター ×2（登録団体無料）\s+¥0/);
    await check(page, 'fees-equipment');
    await smallScreens(page, 'fees-equipment');
  });

  it('sees that borrowing is suspended while a damaged projector\'s case is open, on /my/loans and on the booking form', async () => {
    const { page, base, t } = env;
    const loanId = (t.db.$client.prepare("SELECT id FROM loans WHERE kind = 'booking'").get() as { id: number }).id;
    await t.account('staff', 'desk@example.jp');
    const staff = await t.login('desk@example.jp');
    const api = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, headers: { cookie: staff, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    t.clock.set('2026-12-15T12:50');
    expect((await api(`/api/v1/loans/${loanId}/checkout`, {})).statusCode).toBe(200);
    t.clock.set('2026-12-15T16:10');
    const back = await api(`/api/v1/loans/${loanId}/return`, { units: [{ tag: 'PJ-01', condition: 'ok' }, { tag: 'PJ-02', condition: 'damaged', note: 'レンズにひび' }] });
    expect(back.statusCode, back.body).toBe(200);

    await page.goto(base + '/my/loans');
    const loans = await main(page);
    expect(loans).toContain('備品の貸出を停止しています');
    expect(loans).toMatch(/No\.\d+ プロジェクター（PJ-02） 破損（確認中）/);
    expect(loans).toContain('手続き中の破損・紛失の案件があるため、今は持ち出しを申し込めません。');
    await check(page, 'my-loans-suspended');
    await smallScreens(page, 'my-loans-suspended');

    await page.goto(`${base}/book?space=small-1&start=2026-12-22T10:00`);
    await page.fill('#field-attendees', '5');
    await page.fill('#field-purpose', '会議');
    await page.fill('#field-equipment-whiteboard', '1');
    await page.click('main button[type="submit"]');
    await page.waitForURL(base + '/book/confirm');
    await expect.poll(() => page.locator('[role="alert"]').innerText()).toContain('現在は備品を借りられません');
    await check(page, 'book-equipment-suspended');
    await page.click('main a:has-text("破損・紛失の案件を見る")');
    await page.waitForURL(base + '/my/loans#cases');
  });
});
