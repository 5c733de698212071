import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserEnv, type BrowserEnv, check, mainText as main, logIn, atWidths } from './support.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. small-1 for two morning hours costs ¥480 at the
// general rate in the heating season (¥200 an hour); at ¥300 an hour it would be ¥720.
const NOW = '2026-12-01T10:00';

/** The same page on the desk's tablet (800px), then back to the desktop size. */
const tablet = (page: Page, name: string) => atWidths(page, name, [800], 1000);





/** Books through the API as the manager, for a walk-in or a group: the scene a test starts from. */
async function book(env: BrowserEnv, cookie: string, start: string, end: string, extra: Record<string, unknown>): Promise<{ id: number; totalYen: number }> {
  const res = await env.t.app.inject({
    method: 'POST', url: '/api/v1/bookings', headers: { cookie, 'content-type': 'application/json' },
    payload: JSON.stringify({ space: 'small-1', start, end, purpose: '定例会', attendees: 5, ...extra }),
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json() as { id: number; totalYen: number };
}

describe('a manager in a real browser', () => {
  let env: BrowserEnv;
  let cookie: string;
  beforeAll(async () => {
    env = await startBrowserEnv(NOW);
    await env.t.account('manager', 'boss@example.jp', { name: '館長 太郎' });
    cookie = await env.t.login('boss@example.jp');
  });
  afterAll(async () => env?.close());

  it('closes a day that has bookings, cancels them as facility-caused and gets the call list', async () => {
    const { page, base, t } = env;
    const group = t.db.$client.prepare(`INSERT INTO groups (name, kana, type, status, valid_until, member_count, created_at, phone)
      VALUES ('緑町町内会', 'みどりちょうちょうないかい', 'neighborhood-association', 'active', '2027-03-31', 20, '2026-04-01T00:00:00.000Z', '03-1234-5678') RETURNING id`).get() as { id: number };
    const walkIn = await book(env, cookie, '2026-12-15T10:00', '2026-12-15T12:00', { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' } });
    const ofGroup = await book(env, cookie, '2026-12-15T13:00', '2026-12-15T15:00', { groupId: group.id, space: 'training-a' });
    await t.app.inject({ method: 'POST', url: `/api/v1/bookings/${walkIn.id}/payments`, headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ amountYen: 480, method: 'cash' }) });

    await logIn(env, 'boss@example.jp');
    await page.click('nav a[href="/manage"]');
    await page.waitForURL(base + '/manage');
    await check(page, 'manage-index');
    await tablet(page, 'manage-index');
    await page.click('main a:has-text("開館時間・臨時休館")');
    await page.waitForURL(/\/manage\/days/);
    await page.fill('#field-date', '2026-12-15');
    await page.check('#field-mode-closed');
    await page.fill('#field-reason', '給水設備の緊急工事のため');
    await check(page, 'manage-days');
    await page.click('main button:has-text("変更する")');
    await page.waitForURL(base + '/manage/days');
    const stranded = await main(page);
    expect(stranded).toContain('影響を受ける予約（2件）');
    expect(stranded).toContain('佐藤 一郎');
    expect(stranded).toContain('緑町町内会');
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM day_overrides').get()).toEqual({ n: 0 });
    await check(page, 'manage-days-stranded');
    await tablet(page, 'manage-days-stranded');

    await page.check('#stranded-cancel');
    await page.click('main button:has-text("この内容で確定する")');
    await page.waitForURL(base + `/desk/calls?ids=${walkIn.id},${ofGroup.id}`);
    const calls = await main(page);
    expect(calls).toContain('変更し、影響を受ける予約を施設都合で取り消しました（無料）。');
    expect(calls).toContain('090-1111-2222');
    expect(calls).toContain('03-1234-5678');
    expect(calls).toContain('2件（うち未連絡 2件）');
    expect(t.db.$client.prepare('SELECT id, status, facility_caused, needs_contact, cancellation_fee_yen, payment_status FROM bookings WHERE id IN (?, ?) ORDER BY id').all(walkIn.id, ofGroup.id)).toEqual([
      { id: walkIn.id, status: 'cancelled', facility_caused: 1, needs_contact: 1, cancellation_fee_yen: 0, payment_status: 'refunded' },
      { id: ofGroup.id, status: 'cancelled', facility_caused: 1, needs_contact: 1, cancellation_fee_yen: 0, payment_status: 'unpaid' },
    ]);
    expect(t.db.$client.prepare("SELECT amount_yen FROM payments WHERE kind = 'refund'").all()).toEqual([{ amount_yen: 480 }]);
    await check(page, 'desk-calls');
    await tablet(page, 'desk-calls');

    // Staff call the walk-in: the list keeps the row, marked as done.
    await page.click(`main button[aria-describedby="call-${walkIn.id}"]`);
    await page.waitForURL(base + `/desk/calls?ids=${walkIn.id},${ofGroup.id}`);
    expect(await main(page)).toContain('2件（うち未連絡 1件）');
    expect(t.db.$client.prepare('SELECT needs_contact FROM bookings WHERE id = ?').get(walkIn.id)).toEqual({ needs_contact: 0 });
  });

  it('changes a rate from a future date, and an existing booking keeps its fee while a later one pays the new rate', async () => {
    const { page, base, t } = env;
    const existing = await book(env, cookie, '2027-02-10T10:00', '2027-02-10T12:00', { walkIn: { name: '山本 二郎', phone: '090-3333-4444' } });
    expect(existing.totalYen).toBe(480);

    await page.goto(base + '/manage');
    await page.click('main a:has-text("料金（適用日つき）")');
    await page.waitForURL(base + '/manage/rates');
    await page.selectOption('#field-space', 'small-1');
    await page.selectOption('#field-band', 'morning');
    await page.fill('#field-hourlyYen', '300');
    await page.fill('#field-effectiveFrom', '2027-02-01');
    await page.click('main button:has-text("料金を登録する")');
    await page.waitForURL(base + '/manage/rates');
    expect(await main(page)).toContain('新しい料金を登録しました。');
    expect(await main(page)).toContain('2027年2月1日(月)から ¥300');
    await check(page, 'manage-rates');
    await tablet(page, 'manage-rates');

    expect(t.db.$client.prepare('SELECT total_yen FROM bookings WHERE id = ?').get(existing.id)).toEqual({ total_yen: 480 });
    const detail = await t.app.inject({ url: `/api/v1/bookings/${existing.id}`, headers: { cookie } });
    expect(detail.json()).toMatchObject({ totalYen: 480 });
    const later = await book(env, cookie, '2027-02-11T10:00', '2027-02-11T12:00', { walkIn: { name: '山本 二郎', phone: '090-3333-4444' } });
    expect(later.totalYen).toBe(720);
    // The desk's page of the existing booking still shows its own fee.
    await page.goto(base + `/desk/bookings/${existing.id}`);
    expect(await main(page)).toContain('¥480');
  });

  it('shows the other pages of the console without accessibility problems', async () => {
    const { page, base } = env;
    for (const [path, name] of [['/manage/blocks', 'manage-blocks'], ['/manage/staff', 'manage-staff'], ['/manage/tokens', 'manage-tokens'], ['/manage/audit', 'manage-audit'], ['/manage/rules', 'manage-rules']] as const) {
      await page.goto(base + path);
      await check(page, name);
    }
    await page.goto(base + '/manage/tokens');
    await page.fill('#field-name', '市の集計システム');
    await page.click('main button:has-text("発行する")');
    expect(await main(page)).toContain('トークンはこの画面で一度だけ表示されます。');
    await check(page, 'manage-tokens-issued');
    await page.goto(base + '/manage/audit?action=booking.cancel');
    expect(await main(page)).toContain('booking.cancel');
    await check(page, 'manage-audit-filtered');
    await tablet(page, 'manage-audit-filtered');
  });
});
