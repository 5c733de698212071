/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { groups } from '../../db/schema.js';
import { makeTestApp, PASSWORD, type TestApp } from '../support/app.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS = join(process.cwd(), 'artifacts', 'screenshots');

export interface BrowserEnv {
  t: TestApp;
  base: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * A real server on 127.0.0.1 over a fresh database at a fixed `now`, and Debian's Chromium driven
 * by playwright-core (the flags keep it off the network this machine does not have).
 */
export async function startBrowserEnv(nowIso = '2026-12-01T10:00', viewport = { width: 1280, height: 900 }): Promise<BrowserEnv> {
  const t = await makeTestApp(nowIso, { sessionHours: 24 * 30 });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  return {
    t, base: `http://127.0.0.1:${port}`, browser, page,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Runs axe-core on the page and fails with the list of violations (WCAG 2.1 A/AA rules). */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol: the page's own CSP (rightly) refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  expect(violations, `axe violations on ${page.url()}`).toEqual([]);
}

/** Saves a screenshot as a test artifact (git-ignored) to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Checks the page with axe, then saves it as a screenshot to look at. */
export async function check(page: Page, name?: string): Promise<void> {
  await expectNoAxeViolations(page);
  if (name) await screenshot(page, name);
}

/** The same page at other widths (a phone is 390, the desk's tablet 800), then back to the size it had. */
export async function atWidths(page: Page, name: string, widths: readonly number[], height = 900): Promise<void> {
  const size = page.viewportSize();
  for (const width of widths) {
    await page.setViewportSize({ width, height });
    await expectNoAxeViolations(page);
    await screenshot(page, `${name}-${width}`);
  }
  if (size) await page.setViewportSize(size);
}

/** The text of the page's `<main>`. */
export const mainText = (page: Page) => page.locator('main').innerText();

/** The id of the focused element (keyboard tests). */
export const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');

/** Logs in through the login page, as a person would. */
export async function logIn(env: BrowserEnv, email: string): Promise<void> {
  const { page, base } = env;
  await page.goto(base + '/login');
  await page.fill('#field-email', email);
  await page.fill('#field-password', PASSWORD);
  await page.click('main button[type="submit"]');
  await page.waitForURL(base + '/');
}

/** The registered group 市民活動ネットワーク with its member 佐藤 一郎 (kaiin@example.jp); returns the group's id. */
export async function addGroupMember(env: BrowserEnv): Promise<number> {
  const groupId = env.t.db.insert(groups).values({
    name: '市民活動ネットワーク', kana: 'しみんかつどうねっとわーく', type: 'npo', status: 'active', validUntil: '2027-03-31',
    memberCount: 12, fields: '["まちづくり"]', createdAt: '2026-04-01T00:00:00.000Z',
  }).returning({ id: groups.id }).get().id;
  await env.t.account('member', 'kaiin@example.jp', { groupId, name: '佐藤 一郎' });
  return groupId;
}
