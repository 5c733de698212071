import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let staff: string;
let manager: string;
const walkIn = { space: 'small-1', purpose: '会議', attendees: 4, walkIn: { name: '山田太郎', phone: '090-1234-5678' } };

beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00');
  await t.account('staff', 'desk@example.jp');
  await t.account('manager', 'boss@example.jp');
  staff = await t.login('desk@example.jp');
  manager = await t.login('boss@example.jp');
});
afterEach(async () => t.close());

const inject = (method: 'POST' | 'PATCH' | 'GET' | 'DELETE', url: string, cookie: string | undefined, payload?: object) =>
  t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

describe('previews run every check and store nothing', () => {
  it('previews a series with the dates that would be skipped, and stores no booking, series or audit row', async () => {
    const audits = count(t.db, 'audit_log');
    const res = await inject('POST', '/api/v1/bookings?preview=true', staff, { ...walkIn, start: '2026-12-22T18:00', end: '2026-12-22T20:00', recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().created.map((b: { start: string }) => b.start)).toEqual(['2026-12-22T18:00:00+09:00', '2027-01-05T18:00:00+09:00']);
    expect(res.json().skipped).toEqual([expect.objectContaining({ start: '2026-12-29T18:00:00+09:00', code: 'closed' })]);
    expect(count(t.db, 'bookings')).toBe(0);
    expect(count(t.db, 'booking_series')).toBe(0);
    expect(count(t.db, 'audit_log')).toBe(audits);
  });

  it('previews a change fee and a cancellation charge without changing the booking', async () => {
    const booking = (await inject('POST', '/api/v1/bookings', staff, { ...walkIn, start: '2026-12-04T18:00', end: '2026-12-04T20:00' })).json();
    await inject('POST', `/api/v1/bookings/${booking.id}/payments`, staff, { amountYen: booking.totalYen, method: 'cash' });
    const change = await inject('PATCH', `/api/v1/bookings/${booking.id}?preview=true`, staff, { start: '2026-12-05T18:00', end: '2026-12-05T20:00' });
    expect(change.statusCode).toBe(200);
    // Three days before use: charged like a 50% cancellation of the old booking.
    expect(change.json().changeFeeYen).toBe(Math.floor(booking.totalYen / 2 / 10) * 10);
    const cancel = await inject('POST', `/api/v1/bookings/${booking.id}/cancel?preview=true`, staff, {});
    expect(cancel.json()).toMatchObject({ status: 'cancelled', cancellationFeeYen: Math.floor(booking.totalYen / 2 / 10) * 10 });
    const stored = (await inject('GET', `/api/v1/bookings/${booking.id}`, staff)).json();
    expect(stored).toMatchObject({ status: 'confirmed', start: '2026-12-04T18:00:00+09:00', changeCount: 0 });
    expect(count(t.db, 'payments')).toBe(1);
  });

  it('answers a preview of a refused booking with the same error as the real request', async () => {
    const res = await inject('POST', '/api/v1/bookings?preview=true', staff, { ...walkIn, start: '2026-12-29T18:00', end: '2026-12-29T20:00' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('closed');
  });
});

describe('notices (お知らせ)', () => {
  it('a manager schedules a notice that shows only within its period, and removes it', async () => {
    const created = await inject('POST', '/api/v1/notices', manager, { title: '年末年始の休館', body: '12月29日から1月3日まで休館します。', publishFrom: '2026-12-10T00:00', publishUntil: '2027-01-04T00:00' });
    expect(created.statusCode).toBe(201);
    expect((await inject('GET', '/api/v1/notices', undefined)).json()).toEqual([]);
    t.clock.set('2026-12-10T00:00');
    expect((await inject('GET', '/api/v1/notices', undefined)).json()).toEqual([expect.objectContaining({ title: '年末年始の休館' })]);
    t.clock.set('2027-01-04T00:00');
    expect((await inject('GET', '/api/v1/notices', undefined)).json()).toEqual([]);
    t.clock.set('2026-12-20T10:00');
    manager = await t.login('boss@example.jp');
    expect((await inject('DELETE', `/api/v1/notices/${created.json().id}`, manager)).statusCode).toBe(200);
    expect((await inject('GET', '/api/v1/notices', undefined)).json()).toEqual([]);
    expect(t.db.$client.prepare('SELECT removed_at IS NOT NULL FROM notices').pluck().get()).toBe(1);
  });

  it('only managers write notices; bad input stores nothing', async () => {
    expect((await inject('POST', '/api/v1/notices', staff, { title: 'x', body: 'y' })).statusCode).toBe(403);
    expect((await inject('POST', '/api/v1/notices', manager, { title: '', body: 'y' })).statusCode).toBe(422);
    expect((await inject('POST', '/api/v1/notices', manager, { title: 'x', body: 'y', publishFrom: '2026-12-10T00:00', publishUntil: '2026-12-09T00:00' })).statusCode).toBe(422);
    expect(count(t.db, 'notices')).toBe(0);
  });
});
