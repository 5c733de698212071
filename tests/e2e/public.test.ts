import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, user } from '../http/helpers.js';
import { expectNoAxeViolations, screenshot, startBrowserEnv, type BrowserEnv } from './support.js';

// Tuesday 2026-12-01 10:00 in Tokyo: the next week (12/8–12/14) ends on the 2nd Monday, a closing day.
let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv('2026-12-01T10:00');
  await env.t.account('manager', 'manager@example.jp');
  // Two bookings of the week after, so that the grids have booked half-hours to show.
  const citizen = await user(env.t, 'individual', 'citizen@example.jp');
  for (const [space, start, end] of [['training', '2026-12-10T13:00', '2026-12-10T15:00'], ['training-a', '2026-12-11T18:00', '2026-12-11T21:00']]) {
    const res = await call(env.t, 'POST', '/api/v1/bookings', { cookie: citizen.cookie, body: { space, start, end, purpose: '打ち合わせ', attendees: 10 } });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => env.close());

/**
 * Presses Tab until the focused element is the one `matches` describes, as a keyboard user
 * would; fails if it never gets there (a link that cannot be reached by keyboard).
 */
async function tabTo(page: Page, matches: { href?: RegExp; text?: RegExp }, limit = 400): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { href: el?.getAttribute('href') ?? '', text: el?.textContent?.trim() ?? '' };
    });
    if ((!matches.href || matches.href.test(focused.href)) && (!matches.text || matches.text.test(focused.text))) return;
  }
  throw new Error(`never reached ${JSON.stringify({ href: String(matches.href), text: String(matches.text) })} with Tab`);
}

describe('a citizen finds a free room with the keyboard alone', () => {
  it('goes from the home page to a space’s week, on to the next week, and follows a free half-hour to the booking form', async () => {
    const { page, base } = env;
    await page.goto(base + '/');
    await tabTo(page, { href: /^\/spaces$/ });
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/spaces');
    expect(await page.locator('h1').innerText()).toBe('12月1日(火)〜12月7日(月)の空き状況');
    await expectNoAxeViolations(page);

    await tabTo(page, { href: /^\/spaces\/training-a$/ });
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/spaces/training-a');
    expect(await page.locator('h1').innerText()).toBe('会議研修室A');
    await expectNoAxeViolations(page);

    await tabTo(page, { text: /^次の週/ });
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/spaces/training-a?week=2026-12-08');
    await expect.poll(() => page.locator('caption').first().innerText()).toBe('会議研修室Aの空き状況（12月8日(火)〜12月14日(月)、30分ごと）');
    await expectNoAxeViolations(page);
    // The whole room's booking makes its half booked too.
    expect(await page.locator('tr', { has: page.locator('th', { hasText: /^13:00$/ }) }).locator('td').nth(2).innerText()).toBe('予約済');
    await screenshot(page, 'space-week-booked');

    // The first free half-hour of the week, read as a screen reader hears it.
    await tabTo(page, { href: /^\/book\?/ });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('空き（12月8日(火) 09:00から予約）');
    // The booking pages are someone else's (and ask an anonymous visitor to log in first): the request is what this flow owns.
    const request = page.waitForRequest((r) => r.url().includes('/book?'));
    await page.keyboard.press('Enter');
    const url = new URL((await request).url());
    expect(url.pathname).toBe('/book');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      space: 'training-a', date: '2026-12-08', start: '2026-12-08T09:00', end: '2026-12-08T10:00',
    });
    // Wherever that page sends a visitor (the form itself, or the login form coming back to it), the booking's query goes along.
    await page.waitForURL((u) => u.pathname === '/book' || (u.pathname === '/login' && (u.searchParams.get('next') ?? '').startsWith('/book?')));
    await page.waitForLoadState('load');
    expect(decodeURIComponent(page.url())).toContain('/book?space=training-a&date=2026-12-08&start=2026-12-08T09:00&end=2026-12-08T10:00');
  });
});

describe('the public pages in a real browser', () => {
  it('shows the week of every space, and the space’s week and month views, without accessibility violations', async () => {
    const { page, base } = env;
    await page.goto(base + '/spaces');
    await screenshot(page, 'spaces');
    await page.goto(base + '/spaces/training-a?week=2026-12-27');
    await expect.poll(() => page.locator('.grid thead').innerText()).toContain('年末年始休館');
    await expectNoAxeViolations(page);
    await screenshot(page, 'space-week');
    await page.goto(base + '/spaces/training-a?view=month&month=2027-01');
    await expectNoAxeViolations(page);
    await screenshot(page, 'space-month');
  });

  it('shows the opening calendar with holidays and closures, without accessibility violations', async () => {
    const { page, base } = env;
    await page.goto(base + '/calendar?month=2027-01');
    const cell = page.locator('td', { hasText: '1月11日(月)' });
    await expect.poll(() => cell.innerText()).toContain('成人の日');
    await expectNoAxeViolations(page);
    await screenshot(page, 'calendar');
  });

  it('calculates a fee with the form, and re-renders a bad one with the messages, without accessibility violations', async () => {
    const { page, base } = env;
    await page.goto(base + '/fees');
    await expectNoAxeViolations(page);
    await page.selectOption('#field-space', 'training-a');
    await page.fill('#field-date', '2026-12-20');
    await page.selectOption('#field-start', '18:00');
    await page.selectOption('#field-end', '21:00');
    await page.click('button[type="submit"]:has-text("計算する")');
    await page.waitForURL(/\/fees\?space=training-a/);
    await expect.poll(() => page.locator('.quote__total').innerText()).toMatch(/合計\s+¥1,620/);
    await expectNoAxeViolations(page);
    await screenshot(page, 'fees');

    await page.goto(base + '/fees?space=&date=2026-02-30&start=18:00&end=17:00');
    await expect.poll(() => page.locator('[role="alert"]').innerText()).toContain('施設を選んでください');
    await expectNoAxeViolations(page);
    await screenshot(page, 'fees-error');
  });

  it('moves the end an hour after a chosen start with the small script (the form works without it)', async () => {
    const { page, base } = env;
    await page.goto(base + '/fees');
    await page.selectOption('#field-start', '13:30');
    expect(await page.inputValue('#field-end')).toBe('14:30');
  });

  it('lets a manager post a notice that the home page shows', async () => {
    const { page, base } = env;
    await page.goto(base + '/login?next=/manage/notices');
    await page.fill('input[name="email"]', 'manager@example.jp');
    await page.fill('input[name="password"]', 'correct horse battery');
    await page.click('form.form button[type="submit"]');
    await page.waitForURL(base + '/manage/notices');
    await expectNoAxeViolations(page);
    await page.fill('#field-title', '年末年始の休館');
    await page.fill('#field-body', '12月29日から1月3日まで休館します。\n1月4日から通常どおり開館します。');
    await page.fill('#field-publishUntil', '2027-01-04T09:00');
    await page.click('button:has-text("登録する")');
    await expect.poll(() => page.locator('.flash').innerText()).toContain('お知らせを登録しました。');
    await expectNoAxeViolations(page);
    await screenshot(page, 'manage-notices');
    await page.goto(base + '/');
    await expect.poll(() => page.locator('.notices').innerText()).toContain('年末年始の休館');
    await expectNoAxeViolations(page);
    await screenshot(page, 'home-notices');
    await page.context().clearCookies();
  });
});

describe('on a phone and on a desk tablet', () => {
  for (const [device, viewport] of [['phone', { width: 390, height: 844 }], ['tablet', { width: 800, height: 1100 }]] as const) {
    it(`scrolls the week grid inside its own box with the times in view, on a ${device}`, async () => {
      const context = await env.browser.newContext({ viewport, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
      const page = await context.newPage();
      try {
        await page.goto(env.base + '/spaces/training-a?week=2026-12-08');
        // The page itself never scrolls sideways; the grid's box does.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        const box = page.locator('.grid-wrap');
        const scrolls = await box.evaluate((el) => el.scrollWidth > el.clientWidth);
        if (device === 'phone') expect(scrolls).toBe(true);
        await box.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
        // The time column is sticky: still at the box's left edge after scrolling.
        const [wrapLeft, timeLeft] = await Promise.all([
          box.evaluate((el) => el.getBoundingClientRect().left),
          page.locator('.grid__time').first().evaluate((el) => el.getBoundingClientRect().left),
        ]);
        expect(Math.abs(timeLeft - wrapLeft)).toBeLessThan(3);
        await box.evaluate((el) => { el.scrollLeft = 0; });
        await expectNoAxeViolations(page);
        await screenshot(page, `space-week-${device}`);
        for (const [path, name] of [['/spaces', 'spaces'], ['/calendar?month=2027-01', 'calendar'], ['/fees?space=training-a&date=2026-12-20&start=18:00&end=21:00', 'fees']] as const) {
          await page.goto(env.base + path);
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
          await expectNoAxeViolations(page);
          await screenshot(page, `${name}-${device}`);
        }
      } finally {
        await context.close();
      }
    });
  }
});
