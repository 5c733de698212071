import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { atWidths, check, focusedId, logIn, mainText as main, startBrowserEnv, type BrowserEnv } from './support.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. A registered group has training room A on Tuesday
// 12/15 13:00–16:00 with two projectors (PJ-01…PJ-03, ¥120,000 each to replace).
const NOW = '2026-12-01T10:00';

/** The same page on the desk's tablet (768px), then back to the desktop size. */
const tablet = (page: Page, name: string) => atWidths(page, name, [768], 1000);

const db = (env: BrowserEnv) => env.t.db.$client;

describe('equipment at the desk and in the manager console, in a real browser', () => {
  let env: BrowserEnv;
  let loanId: number;
  let bookingId: number;
  let groupId: number;
  beforeAll(async () => {
    env = await startBrowserEnv(NOW);
    const { t } = env;
    await t.account('staff', 'clerk@example.jp', { name: '窓口 花子' });
    await t.account('manager', 'boss@example.jp', { name: '館長 太郎' });
    const group = db(env).prepare(`INSERT INTO groups (name, kana, type, status, valid_until, member_count, created_at, phone)
      VALUES ('緑町映像クラブ', 'みどりちょうえいぞうくらぶ', 'volunteer', 'active', '2027-03-31', 15, '2026-04-01T00:00:00.000Z', '03-1234-5678') RETURNING id`).get() as { id: number };
    const cookie = await t.login('clerk@example.jp');
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/bookings', headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ space: 'training-a', start: '2026-12-15T13:00', end: '2026-12-15T16:00', purpose: '上映会', attendees: 20, groupId: group.id, equipment: [{ type: 'projector', quantity: 2 }] }),
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    bookingId = (res.json() as { id: number }).id;
    groupId = group.id;
    loanId = (db(env).prepare('SELECT id FROM loans').get() as { id: number }).id;
    // The next day the group takes all three projectors out: a damaged one will leave it short.
    const takeout = await t.app.inject({
      method: 'POST', url: '/api/v1/loans', headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ groupId: group.id, start: '2026-12-16T10:00', end: '2026-12-16T17:00', items: [{ type: 'projector', quantity: 3 }] }),
    });
    if (takeout.statusCode !== 201) throw new Error(takeout.body);
  });
  afterAll(async () => env?.close());

  it('a clerk hands out two projectors with the keyboard and takes one back damaged', async () => {
    const { page, base, t } = env;
    t.clock.set('2026-12-15T12:55');
    await logIn(env, 'clerk@example.jp');
    await page.click('nav a[href="/desk"]');
    await page.waitForURL(base + '/desk');
    expect(await main(page)).toContain('備品：今日の受け渡し 1件・延滞 0件・要連絡 0件');
    await page.click('main a.button:has-text("備品の貸出・返却")');
    await page.waitForURL(base + '/desk/loans');
    const list = await main(page);
    expect(list).toContain('今日の受け渡し（1件）');
    expect(list).toContain('緑町映像クラブ');
    expect(list).toContain('03-1234-5678');
    await check(page, 'equipment-desk-loans');
    await tablet(page, 'equipment-desk-loans');

    // From here the keyboard alone: the row's button, then Enter on the pre-checked form.
    await page.focus(`main a.button[href="/desk/loans/${loanId}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/desk/loans/${loanId}`);
    expect(await focusedId(page)).toBe('field-pickedUpBy');
    expect(await page.isChecked('#field-units')).toBe(true);
    expect(await page.isChecked('#unit-PJ-02')).toBe(true);
    expect(await page.isChecked('#unit-PJ-03')).toBe(false);
    expect(await main(page)).toContain('開始（2026年12月15日(火) 13:00）より前の受け渡しです。');
    await check(page, 'equipment-loan-checkout');
    await tablet(page, 'equipment-loan-checkout');
    await page.keyboard.type('田中 一郎');
    // The answer redirects back to this same address, so wait for the new page's load, not the URL.
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(page.url()).toBe(`${base}/desk/loans/${loanId}`);
    expect(await main(page)).toContain('備品を受け渡しました。');
    expect(db(env).prepare('SELECT u.tag, u.state FROM loan_units lu JOIN equipment_units u ON u.id = lu.unit_id ORDER BY u.tag').all())
      .toEqual([{ tag: 'PJ-01', state: 'on_loan' }, { tag: 'PJ-02', state: 'on_loan' }]);
    expect(db(env).prepare('SELECT status, picked_up_by FROM loans WHERE id = ?').get(loanId)).toEqual({ status: 'checked_out', picked_up_by: '田中 一郎' });

    // Back at 16:20, a little late: PJ-01 fine, PJ-02 with a cracked lens.
    t.clock.set('2026-12-15T16:20');
    await page.goto(`${base}/desk/loans`);
    expect(await main(page)).toContain('延滞（1件）');
    await check(page, 'equipment-desk-loans-overdue');
    await page.goto(`${base}/desk/loans/${loanId}`);
    expect(await focusedId(page)).toBe('field-condition-0');
    await check(page, 'equipment-loan-return');
    await tablet(page, 'equipment-loan-return');
    await page.keyboard.press('Tab'); // PJ-01's note
    expect(await focusedId(page)).toBe('field-note-0');
    await page.keyboard.press('Tab'); // PJ-02's conditions, on "fine"
    expect(await focusedId(page)).toBe('field-condition-1');
    await page.keyboard.press('ArrowRight');
    expect(await focusedId(page)).toBe('field-condition-1-damaged');
    expect(await page.isChecked('#field-condition-1-damaged')).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-note-1');
    // Enter without the note: the form comes back with the message and nothing is stored.
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/desk/loans/${loanId}/return`);
    expect(await main(page)).toContain('PJ-02は破損・紛失の様子をメモに書いてください。');
    expect(await page.isChecked('#field-condition-1-damaged')).toBe(true);
    expect(db(env).prepare('SELECT count(*) AS n FROM damage_cases').get()).toEqual({ n: 0 });
    await check(page, 'equipment-loan-return-error');
    await page.focus('#field-note-1');
    await page.keyboard.type('レンズにひび');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/desk\/loans\/\d+\?cases=1&flagged=2$/);
    const done = await main(page);
    expect(done).toContain('返却を記録し、破損・紛失の損害案件を開きました。');
    expect(done).toContain('損害案件 #1');
    expect(db(env).prepare('SELECT status, kind, report_note FROM damage_cases').all()).toEqual([{ status: 'open', kind: 'damaged', report_note: 'レンズにひび' }]);
    // The take-out of three can no longer be covered: it is listed to call about.
    expect(done).toContain('備品が足りなくなった貸出（1件）');
    await check(page, 'equipment-loan-returned');

    // The booking's page shows its equipment and the group's suspension; so does booking for the group.
    await page.click(`main a[href="/desk/bookings/${bookingId}"]`);
    await page.waitForURL(`${base}/desk/bookings/${bookingId}`);
    const booking = await main(page);
    expect(booking).toContain('備品の貸出停止中：損害案件 #1（未精算）');
    expect(booking).toContain('この予約の備品');
    await check(page, 'equipment-booking-page');
    await page.goto(`${base}/desk/book?booker=group:${groupId}`);
    expect(await main(page)).toContain('備品の貸出停止中：損害案件 #1（未精算）');
    await check(page, 'equipment-desk-book-suspended');

    await page.goto(`${base}/desk/loans`);
    expect(await main(page)).toContain('要連絡：備品が足りなくなった貸出（1件）');
    await check(page, 'equipment-desk-loans-flagged');
    await tablet(page, 'equipment-desk-loans-flagged');
    await Promise.all([page.waitForEvent('load'), page.click('main button:has-text("連絡済み（フラグを外す）")')]);
    expect(page.url()).toBe(`${base}/desk/loans`);
    expect(await main(page)).toContain('連絡が必要な貸出はありません。');
    expect(db(env).prepare("SELECT needs_attention FROM loans WHERE kind = 'takeout'").get()).toEqual({ needs_attention: null });
  });

  it('a manager assesses the case, is held to the replacement value, and settles it', async () => {
    const { page, base } = env;
    await page.click('nav button:has-text("ログアウト")');
    await page.waitForURL(base + '/');
    await logIn(env, 'boss@example.jp');
    await page.click('nav a[href="/manage"]');
    await page.waitForURL(base + '/manage');
    await page.click('main a:has-text("備品台帳")');
    await page.waitForURL(base + '/manage/equipment');
    expect(await main(page)).toContain('PJ-02');
    await check(page, 'equipment-inventory');
    await tablet(page, 'equipment-inventory');
    await page.click('main a:has-text("破損・紛失の案件を見る")');
    await page.waitForURL(base + '/manage/damage-cases');
    expect(await main(page)).toContain('案件（1件）');
    await check(page, 'equipment-cases');
    await tablet(page, 'equipment-cases');
    await page.click('main a:has-text("損害案件 #1")');
    await page.waitForURL(base + '/manage/damage-cases/1');
    expect(await main(page)).toContain('レンズにひび');
    await check(page, 'equipment-case-open');
    await tablet(page, 'equipment-case-open');

    await page.check('#field-liable');
    await page.fill('#field-costYen', '150000');
    await page.fill('#field-assessNote', 'レンズ交換の見積もり');
    await page.click('main button:has-text("査定を記録する")');
    await page.waitForURL(base + '/manage/damage-cases/1/assess');
    expect(await main(page)).toContain('費用は再調達価格（¥120,000）以下で入力してください');
    await check(page, 'equipment-case-assess-error');
    expect(db(env).prepare('SELECT status FROM damage_cases').get()).toEqual({ status: 'open' });
    await page.fill('#field-costYen', '35000');
    await page.click('main button:has-text("査定を記録する")');
    await page.waitForURL(base + '/manage/damage-cases/1');
    expect(await main(page)).toContain('請求番号 D2026-0001、¥35,000 の入金を確かめたら精算済みにしてください。');
    await check(page, 'equipment-case-invoiced');
    await page.click('main button:has-text("精算済みにする")');
    await page.waitForURL(base + '/manage/damage-cases/1');
    expect(await main(page)).toContain('精算済みにしました。');
    expect(db(env).prepare('SELECT status, cost_yen, invoice_no FROM damage_cases').get()).toEqual({ status: 'settled', cost_yen: 35000, invoice_no: 'D2026-0001' });
    await check(page, 'equipment-case-settled');
  });
});
