/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserEnv, type BrowserEnv, check, mainText as main, focusedId, logIn } from './support.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo (a survey opened at 09:00 today is open).
const NOW = '2026-12-01T10:00';




describe('the opinion box and surveys in a real browser', () => {
  let env: BrowserEnv;
  /** The receipt number the citizen got in the first test; the manager answers that opinion. */
  let receiptNo = '';
  beforeAll(async () => {
    env = await startBrowserEnv(NOW);
    await env.t.account('manager', 'boss@example.jp', { name: '館長 太郎' });
  });
  afterAll(async () => env?.close());

  it('a citizen sends an opinion with the keyboard alone and gets a receipt number', async () => {
    const { page, base, t } = env;
    await page.goto(base + '/opinions/new');
    expect(await main(page)).toContain('個人情報の取り扱いについて');
    await check(page, 'opinion-new');

    // Tab from the top of the page to the category, as a keyboard user would.
    for (let i = 0; i < 40 && (await focusedId(page)) !== 'field-category'; i++) await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-category');
    await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('#field-category')).toBe('facility');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-body');
    await page.keyboard.type('ロビーの椅子をもう少し増やしてほしいです。');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-contact.name');
    await page.keyboard.type('山田 花子');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-contact.email');
    await page.keyboard.type('hanako@example.jp');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-contact.phone');
    // The honeypot is out of the tab order: the next stop is the submit button.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("type")')).toBe('submit');
    expect(await focusedId(page)).not.toBe('field-website');
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/opinions\/thanks\?no=O\d{4}-\d{6}$/);
    const thanks = await main(page);
    expect(thanks).toContain('ご意見を受け付けました');
    const match = /受付番号:\s*(O\d{4}-\d{6})/.exec(thanks);
    expect(match).not.toBeNull();
    receiptNo = match![1]!;
    expect(receiptNo).toMatch(/^O2026-\d{6}$/);
    await check(page, 'opinion-thanks');

    const rows = t.db.$client.prepare('SELECT * FROM opinions').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      receipt_no: receiptNo, category: 'facility', body: 'ロビーの椅子をもう少し増やしてほしいです。',
      contact_name: '山田 花子', contact_email: 'hanako@example.jp', contact_phone: null, status: 'new',
    });
    // No column holds the sender's address.
    for (const [column, value] of Object.entries(rows[0]!)) {
      expect(column).not.toMatch(/(^|_)(ip|address|remote|host)(_|$)/i);
      expect(String(value), column).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
    }
  });

  it('a manager publishes an answer and the public page shows it without the contact', async () => {
    const { page, base, t } = env;
    expect(receiptNo).not.toBe('');
    await page.goto(base + '/opinions');
    expect(await main(page)).toContain('公開している回答はまだありません。');
    await check(page, 'opinions-published-empty');

    await logIn(env, 'boss@example.jp');
    await page.goto(base + '/manage/opinions');
    const list = await main(page);
    expect(list).toContain(receiptNo);
    expect(list).toContain('山田 花子'); // managers see the contact
    await check(page, 'manage-opinions');

    await page.click(`main a:has-text("${receiptNo}")`);
    await page.waitForURL(/\/manage\/opinions\/\d+$/);
    expect(await page.inputValue('#field-publishedBody')).toBe('ロビーの椅子をもう少し増やしてほしいです。');
    await check(page, 'manage-opinion-detail');
    await page.fill('#field-answer', '来月からロビーに椅子を4脚追加します。');
    await page.click('main button:has-text("回答を公開する")');
    await page.waitForURL(/\/manage\/opinions\/\d+$/);
    expect(await main(page)).toContain('回答を公開しました。');
    expect(await main(page)).toContain('公開日時');
    await check(page, 'manage-opinion-published');
    const row = t.db.$client.prepare('SELECT answer, published_at FROM opinions WHERE receipt_no = ?').get(receiptNo) as { answer: string; published_at: string | null };
    expect(row.answer).toBe('来月からロビーに椅子を4脚追加します。');
    expect(row.published_at).not.toBeNull();

    // What a citizen sees, logged out in a fresh context.
    const context = await env.browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    try {
      const citizen = await context.newPage();
      await citizen.goto(base + '/opinions');
      const published = await main(citizen);
      expect(published).toContain(receiptNo);
      expect(published).toContain('ロビーの椅子をもう少し増やしてほしいです。');
      expect(published).toContain('来月からロビーに椅子を4脚追加します。');
      expect(published).not.toContain('山田');
      expect(published).not.toContain('hanako@example.jp');
      await check(citizen, 'opinions-published');
      // The management pages send an anonymous visitor to log in.
      await citizen.goto(base + '/manage/opinions');
      await citizen.waitForURL(/\/login/);
    } finally {
      await context.close();
    }
  });

  it('a manager builds a survey, a phone answers it, and the results count one response', async () => {
    const { page, base } = env;
    await page.goto(base + '/manage/surveys');
    expect(await main(page)).toContain('アンケートを作成する');
    await check(page, 'manage-surveys');

    await page.fill('#field-title', '利用者アンケート 2026年12月');
    await page.fill('#field-description', 'センターの使い心地についてお聞かせください。');
    await page.fill('#field-opensAt', '2026-12-01T09:00');
    await page.fill('#field-closesAt', '2026-12-31T17:00');
    await page.selectOption('[id="field-q1.kind"]', 'rating');
    await page.fill('[id="field-q1.prompt"]', '全体の満足度');
    await page.check('[id="field-q1.required"]');
    await page.selectOption('[id="field-q2.kind"]', 'single');
    await page.fill('[id="field-q2.prompt"]', 'よく利用する時間帯');
    await page.fill('[id="field-q2.options"]', '午前\n午後\n夜間');
    await page.click('main button:has-text("アンケートを作成する")');
    await page.waitForURL(/\/manage\/surveys\/\d+$/);
    const resultsUrl = page.url();
    expect(await main(page)).toContain('アンケートを作成しました。');
    expect(await page.locator('dt:has-text("回答数") + dd').innerText()).toBe('0');
    await check(page, 'survey-results-empty');
    const path = await page.getAttribute('a.survey-link', 'href');
    expect(path).toMatch(/^\/s\/[\w-]+$/);

    // Anyone with the link, on a phone.
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', isMobile: true, hasTouch: true });
    try {
      const phone = await context.newPage();
      await phone.goto(base + path!);
      expect(await main(phone)).toContain('利用者アンケート 2026年12月');
      // Nothing overflows sideways on a 390px screen.
      expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await check(phone, 'survey-answer-390');
      const questions = phone.locator('fieldset.survey-question');
      expect(await questions.count()).toBe(2);
      await questions.nth(0).locator('input[value="4"]').check();
      await questions.nth(1).locator('label:has-text("午後") input').check();
      await phone.click('main button:has-text("回答を送信する")');
      await phone.waitForURL(/\/s\/[\w-]+\/thanks$/);
      expect(await main(phone)).toContain('ご回答ありがとうございました');
      await check(phone, 'survey-thanks-390');
      // Back to the form: it says this browser has already answered.
      await phone.goto(base + path!);
      expect(await phone.locator('main form').count()).toBe(0);
      await check(phone, 'survey-answered-390');
    } finally {
      await context.close();
    }

    await page.goto(resultsUrl);
    expect(await page.locator('dt:has-text("回答数") + dd').innerText()).toBe('1');
    const results = await main(page);
    expect(results).toContain('平均');
    expect(results).toContain('回答 1件');
    await check(page, 'survey-results');
  });
});
