import { describe, expect, it } from 'vitest';
import { count, type TestApp, appPerTest } from '../support/app.js';
import { postForm, signedInForm } from '../support/forms.js';
import { auditActions, makeGroup } from './helpers.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. small-1 for two morning hours costs ¥240 at the
// registered rate in the heating season. The center is closed 12/29 – 1/3.

const app = appPerTest('2026-12-01T10:00', { sessionHours: 24 * 30 });

const get = (a: TestApp, url: string, cookie: string) => a.app.inject({ url, headers: { cookie } });

const clerk = (a: TestApp) => signedInForm(a, 'staff', 'staff@example.jp', '/desk');

const slot = (booker: string, extra: Record<string, string> = {}) => ({
  booker, space: 'small-1', date: '2026-12-22', start: '10:00', end: '12:00', attendees: '5', purpose: '定例会',
  repeat: 'weekly', repeatEnd: 'count', count: '3', ...extra,
});

const stored = (a: TestApp) => ({ bookings: count(a.db, 'bookings'), series: count(a.db, 'booking_series'), audit: count(a.db, 'audit_log') });

describe('a recurring series booked at the desk', () => {
  it('offers the repeat fields for a group or an account holder, never for a walk-in', async () => {
    const a = await app();
    const c = await clerk(a);
    const groupId = makeGroup(a, '緑町町内会');
    const individual = await a.account('individual', 'hanako@example.jp', { name: '山田 花子' });
    const forGroup = await get(a, `/desk/book?booker=group:${groupId}&space=small-1&date=2026-12-22`, c.session);
    expect(forGroup.body).toContain('name="repeat" value="weekly"');
    expect(forGroup.body).toContain('第4火曜日');
    expect(forGroup.body).toContain('js/booking');
    expect((await get(a, `/desk/book?booker=account:${individual}`, c.session)).body).toContain('name="repeat" value="monthly"');
    expect((await get(a, '/desk/book?booker=walk-in', c.session)).body).not.toContain('name="repeat"');
  });

  it('shows the dates booked and skipped with the reason before storing anything, then books the series for the group', async () => {
    const a = await app();
    const c = await clerk(a);
    const groupId = makeGroup(a, '緑町町内会');
    const fields = slot(`group:${groupId}`);
    const before = stored(a);

    const confirm = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...fields }, c.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toContain('毎週火曜日');
    expect(confirm.body).toContain('予約される日（2件）');
    expect(confirm.body).toContain('2026年12月22日(火)');
    expect(confirm.body).toContain('2027年1月5日(火)');
    expect(confirm.body).toContain('予約できない日（1件）');
    expect(confirm.body).toMatch(/2026年12月29日\(火\)[^<]*<\/th>\s*<td>休館日/);
    expect(confirm.body).toContain('予約する（2件）');
    expect(confirm.body).toContain('2件 合計 ¥480');
    // The repeat fields ride along to the final step.
    expect(confirm.body).toContain('name="repeat" value="weekly"');
    expect(stored(a)).toEqual(before);

    const res = await postForm(a, '/desk/book', { _csrf: c.token, ...fields }, c.cookie);
    expect(res.statusCode).toBe(303);
    const rows = a.db.$client.prepare('SELECT id, use_date, group_id, channel, status, total_yen, series_id FROM bookings ORDER BY start_at').all() as
      { id: number; use_date: string; group_id: number; channel: string; status: string; total_yen: number; series_id: number }[];
    expect(rows.map((r) => [r.use_date, r.group_id, r.channel, r.status, r.total_yen])).toEqual([
      ['2026-12-22', groupId, 'desk', 'confirmed', 240],
      ['2027-01-05', groupId, 'desk', 'confirmed', 240],
    ]);
    expect(res.headers.location).toBe(`/desk/bookings/${rows[0]!.id}`);
    expect(new Set(rows.map((r) => r.series_id)).size).toBe(1);
    expect(a.db.$client.prepare('SELECT rrule, created_by, skipped_json FROM booking_series').get()).toMatchObject({ rrule: 'FREQ=WEEKLY;COUNT=3', created_by: c.id });
    expect(auditActions(a, 'series.create')).toHaveLength(1);
  });

  it('builds monthly-on-the-same-weekday and until-a-date series server-side for an individual', async () => {
    const a = await app();
    const c = await clerk(a);
    const individual = await a.account('individual', 'hanako@example.jp', { name: '山田 花子' });
    // Wednesday 2026-12-16 is the 3rd Wednesday; the general window reaches February.
    const fields = slot(`account:${individual}`, { date: '2026-12-16', repeat: 'monthly', repeatEnd: 'until', count: '', until: '2027-02-28' });
    const confirm = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...fields }, c.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toContain('毎月第3水曜日');
    expect(confirm.body).toContain('2027年2月28日(日)まで');
    expect(confirm.body).toContain('予約される日（3件）');
    expect((await postForm(a, '/desk/book', { _csrf: c.token, ...fields }, c.cookie)).statusCode).toBe(303);
    expect(a.db.$client.prepare('SELECT use_date, account_id, status FROM bookings ORDER BY start_at').all()).toEqual([
      { use_date: '2026-12-16', account_id: individual, status: 'provisional' },
      { use_date: '2027-01-20', account_id: individual, status: 'provisional' },
      { use_date: '2027-02-17', account_id: individual, status: 'provisional' },
    ]);
    expect(a.db.$client.prepare('SELECT rrule FROM booking_series').get()).toEqual({ rrule: 'FREQ=MONTHLY;BYDAY=3WE;UNTIL=20270228' });
  });

  it('re-renders with 422 for a bad count or end date, and lists every date when none can be booked, storing nothing', async () => {
    const a = await app();
    const c = await clerk(a);
    const groupId = makeGroup(a, '緑町町内会');
    const before = stored(a);
    const one = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...slot(`group:${groupId}`, { count: '1' }) }, c.cookie);
    expect(one.statusCode).toBe(422);
    expect(one.body).toContain('回数（初回を含む）は2から52までの数字で入力してください');
    const early = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...slot(`group:${groupId}`, { repeatEnd: 'until', until: '2026-12-01' }) }, c.cookie);
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('aria-invalid="true"');
    // The plaza is out of season in winter: no date of the series can be booked, and each is listed with the reason.
    const allClosed = await postForm(a, '/desk/book', { _csrf: c.token, ...slot(`group:${groupId}`, { date: '2027-01-12', count: '2', space: 'plaza' }) }, c.cookie);
    expect(allClosed.statusCode).toBe(422);
    expect(allClosed.body).toContain('繰り返しのどの日も予約できませんでした');
    expect(allClosed.body).toContain('予約できない日（2件）');
    expect(stored(a)).toEqual(before);
  });

  it('ignores repeat fields for a walk-in: one booking', async () => {
    const a = await app();
    const c = await clerk(a);
    const res = await postForm(a, '/desk/book', { _csrf: c.token, ...slot('walk-in'), walkInName: '佐藤 一郎', walkInPhone: '090-1111-2222' }, c.cookie);
    expect(res.statusCode).toBe(303);
    expect(count(a.db, 'bookings')).toBe(1);
    expect(count(a.db, 'booking_series')).toBe(0);
  });
});
