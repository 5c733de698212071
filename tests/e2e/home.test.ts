/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, screenshot, startBrowserEnv, type BrowserEnv } from './support.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
  await env.t.account('individual', 'citizen@example.jp');
});
afterAll(async () => env.close());

describe('the home page and login in a real browser', () => {
  it('shows today in Japanese with every space, and has no accessibility violations', async () => {
    const { page, base } = env;
    await page.goto(base + '/');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    await expect.poll(() => page.locator('main').innerText()).toContain('会議研修室A');
    await expectNoAxeViolations(page);
    await screenshot(page, 'home');
  });

  it('logs in with the keyboard alone', async () => {
    const { page, base } = env;
    await page.goto(base + '/login');
    await expectNoAxeViolations(page);
    await page.keyboard.press('Tab'); // the skip link comes first
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
    await page.locator('input[name="email"]').focus();
    await page.keyboard.type('citizen@example.jp');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'hiroba_session')?.httpOnly).toBe(true);
    expect(env.t.db.$client.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
  });

  it('re-renders a wrong password with a Japanese message announced to screen readers', async () => {
    const { page, base } = env;
    await page.context().clearCookies();
    await page.goto(base + '/login');
    await page.fill('input[name="email"]', 'citizen@example.jp');
    await page.fill('input[name="password"]', 'wrong password!!');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('[role="alert"]').innerText()).toContain('メールアドレスまたはパスワードが違います');
    expect(await page.inputValue('input[name="email"]')).toBe('citizen@example.jp');
    await expectNoAxeViolations(page);
    await screenshot(page, 'login-error');
  });
});
