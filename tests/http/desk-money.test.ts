import { describe, expect, it } from 'vitest';
import { type TestApp, appPerTest } from '../support/app.js';
import { auditActions, bookingRow, body, call, expectProblem, makeGroup, snapshot, user } from './helpers.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. small-1 for two morning hours costs ¥480 at the
// general rate in the heating season (¥400 + 20%), ¥240 at the registered rate.

const app = appPerTest('2026-12-01T10:00', { sessionHours: 24 * 30 });

async function walkIn(a: TestApp, cookie: string, start = '2026-12-10T10:00', end = '2026-12-10T12:00', extra: Record<string, unknown> = {}) {
  const res = await call(a, 'POST', '/api/v1/bookings', { cookie, body: body(start, end, { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' }, ...extra }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; totalYen: number; status: string };
}

async function pay(a: TestApp, cookie: string, id: number, amountYen: number) {
  const res = await call(a, 'POST', `/api/v1/bookings/${id}/payments`, { cookie, body: { amountYen, method: 'cash' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { receiptNo: string; paymentStatus: string; status: string };
}

function paymentRows(a: TestApp, bookingId: number) {
  return a.db.$client.prepare('SELECT id, receipt_no, kind, amount_yen, note, voids_payment_id FROM payments WHERE booking_id = ? ORDER BY id').all(bookingId) as
    { id: number; receipt_no: string; kind: string; amount_yen: number; note: string | null; voids_payment_id: number | null }[];
}

describe('voiding a payment', () => {
  it('stores a void row of the same amount pointing at the payment, recomputes the payment status and audits it', async () => {
    const a = await app();
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const b = await walkIn(a, clerk.cookie);
    expect(b).toMatchObject({ totalYen: 480, status: 'provisional' });
    await pay(a, clerk.cookie, b.id, 200);
    const second = await pay(a, clerk.cookie, b.id, 280);
    expect(second).toMatchObject({ paymentStatus: 'paid', status: 'confirmed' });
    const [first, last] = paymentRows(a, b.id);

    const res = await call(a, 'POST', `/api/v1/payments/${last!.id}/void`, { cookie: clerk.cookie, body: { reason: '金額の打ち間違い' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ voidsReceiptNo: last!.receipt_no, amountYen: 280, status: 'confirmed', paymentStatus: 'unpaid', keptConfirmed: true });
    expect(res.json().receiptNo).toMatch(/^V2026-\d{6}$/);

    const rows = paymentRows(a, b.id);
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({ kind: 'void', amount_yen: 280, note: '金額の打ち間違い', voids_payment_id: last!.id });
    // The payment it confirmed stays confirmed, with its permit, but is unpaid again.
    expect(bookingRow(a, b.id)).toMatchObject({ status: 'confirmed', payment_status: 'unpaid' });
    expect(bookingRow(a, b.id)!.permit_no).toMatch(/^P2026-/);
    const audit = auditActions(a, 'payment.void');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: clerk.id, entity: 'booking', entity_id: String(b.id) });
    expect(JSON.parse(audit[0]!.detail_json)).toMatchObject({ receiptNo: last!.receipt_no, amountYen: 280, reason: '金額の打ち間違い', keptConfirmed: true, paymentStatus: { from: 'paid', to: 'unpaid' } });

    // The desk sees what is owed again, and can take it.
    const desk = await call(a, 'GET', `/api/v1/desk/bookings/${b.id}`, { cookie: clerk.cookie });
    expect(desk.json().booking).toMatchObject({ paidYen: 200, balanceYen: 280 });
    expect(desk.json().payments.find((p: { id: number }) => p.id === last!.id)).toMatchObject({ voidedBy: res.json().receiptNo });
    expect(desk.json().payments.find((p: { id: number }) => p.id === first!.id)).toMatchObject({ voidedBy: null });
    expect((await pay(a, clerk.cookie, b.id, 280)).paymentStatus).toBe('paid');
  });

  it('refuses to void a payment twice, a void or a refund, and stores nothing', async () => {
    const a = await app();
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const b = await walkIn(a, clerk.cookie);
    await pay(a, clerk.cookie, b.id, 480);
    const [p] = paymentRows(a, b.id);
    expect((await call(a, 'POST', `/api/v1/payments/${p!.id}/void`, { cookie: clerk.cookie, body: { reason: '二重入力' } })).statusCode).toBe(201);
    const before = snapshot(a);
    expectProblem(await call(a, 'POST', `/api/v1/payments/${p!.id}/void`, { cookie: clerk.cookie, body: { reason: '二重入力' } }), 409, 'invalid_state');
    const voidRow = paymentRows(a, b.id)[1]!;
    expectProblem(await call(a, 'POST', `/api/v1/payments/${voidRow.id}/void`, { cookie: clerk.cookie, body: { reason: 'x' } }), 409, 'invalid_state');
    expectProblem(await call(a, 'POST', `/api/v1/payments/${p!.id}/void`, { cookie: clerk.cookie, body: {} }), 422, 'validation_failed');
    expectProblem(await call(a, 'POST', '/api/v1/payments/9999/void', { cookie: clerk.cookie, body: { reason: 'x' } }), 404, 'not_found');
    expect(snapshot(a)).toEqual(before);
  });

  it('refuses to void money that was already refunded at a cancellation', async () => {
    const a = await app();
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const b = await walkIn(a, clerk.cookie, '2026-12-03T10:00', '2026-12-03T12:00');
    await pay(a, clerk.cookie, b.id, 480);
    // Two days before use: 50% is charged, ¥240 is refunded.
    const cancel = await call(a, 'POST', `/api/v1/bookings/${b.id}/cancel`, { cookie: clerk.cookie, body: {} });
    expect(cancel.json()).toMatchObject({ cancellationFeeYen: 240, refundYen: 240 });
    const [p] = paymentRows(a, b.id);
    expectProblem(await call(a, 'POST', `/api/v1/payments/${p!.id}/void`, { cookie: clerk.cookie, body: { reason: '取消' } }), 409, 'invalid_state');
  });

  it('is for staff only: members, individuals and visitors are refused', async () => {
    const a = await app();
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const b = await walkIn(a, clerk.cookie);
    await pay(a, clerk.cookie, b.id, 480);
    const [p] = paymentRows(a, b.id);
    const citizen = await user(a, 'individual', 'hanako@example.jp');
    expectProblem(await call(a, 'POST', `/api/v1/payments/${p!.id}/void`, { cookie: citizen.cookie, body: { reason: 'x' } }), 403, 'forbidden');
    expectProblem(await call(a, 'POST', `/api/v1/payments/${p!.id}/void`, { body: { reason: 'x' } }), 401, 'unauthenticated');
    expectProblem(await call(a, 'GET', '/api/v1/cash-close?date=2026-12-01', { cookie: citizen.cookie }), 403, 'forbidden');
    expectProblem(await call(a, 'GET', '/api/v1/desk/bookings?q=佐藤', { cookie: citizen.cookie }), 403, 'forbidden');
    expectProblem(await call(a, 'POST', `/api/v1/bookings/${b.id}/refunds`, { cookie: citizen.cookie, body: { amountYen: 10, reason: 'x' } }), 403, 'forbidden');
    expect(paymentRows(a, b.id)).toHaveLength(1);
  });
});

describe('refunds', () => {
  it('pays back an overpayment after a change to a cheaper slot, up to what was paid above the fee', async () => {
    const a = await app();
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const b = await walkIn(a, clerk.cookie, '2026-12-20T10:00', '2026-12-20T12:00');
    await pay(a, clerk.cookie, b.id, 480);
    // The first change 7+ days before use is free: one hour instead of two costs ¥240.
    const change = await call(a, 'PATCH', `/api/v1/bookings/${b.id}`, { cookie: clerk.cookie, body: { end: '2026-12-20T11:00' } });
    expect(change.json()).toMatchObject({ totalYen: 240, changeFeeYen: 0 });
    expectProblem(await call(a, 'POST', `/api/v1/bookings/${b.id}/refunds`, { cookie: clerk.cookie, body: { amountYen: 250, reason: '時間短縮' } }), 422, 'validation_failed');
    const res = await call(a, 'POST', `/api/v1/bookings/${b.id}/refunds`, { cookie: clerk.cookie, body: { amountYen: 240, reason: '時間短縮' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ amountYen: 240, paymentStatus: 'paid', refundableYen: 0 });
    expect(paymentRows(a, b.id)[1]).toMatchObject({ kind: 'refund', amount_yen: 240, note: '時間短縮' });
    expect(auditActions(a, 'payment.refund')).toHaveLength(1);
    expectProblem(await call(a, 'POST', `/api/v1/bookings/${b.id}/refunds`, { cookie: clerk.cookie, body: { amountYen: 10, reason: 'x' } }), 409, 'invalid_state');
  });
});

describe('the cash close (日計表)', () => {
  it('lists every payment, refund and void of the day with totals that equal the SQL over the payments', async () => {
    const a = await app('2026-12-01T09:30');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const groupId = makeGroup(a);
    const one = await walkIn(a, clerk.cookie);
    const two = await walkIn(a, clerk.cookie, '2026-12-03T10:00', '2026-12-03T12:00');
    const reg = await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2026-12-11T10:00', '2026-12-11T12:00', { groupId }) });
    const regId = (reg.json() as { id: number }).id;
    await pay(a, clerk.cookie, one.id, 100);
    await pay(a, clerk.cookie, one.id, 380);
    await pay(a, clerk.cookie, two.id, 480);
    await pay(a, clerk.cookie, regId, 240);
    const [firstOfOne] = paymentRows(a, one.id);
    await call(a, 'POST', `/api/v1/payments/${firstOfOne!.id}/void`, { cookie: clerk.cookie, body: { reason: '打ち間違い' } });
    await call(a, 'POST', `/api/v1/bookings/${two.id}/cancel`, { cookie: clerk.cookie, body: {} });
    // A payment of the next day is not in this day's close.
    a.clock.set('2026-12-02T09:10');
    await pay(a, clerk.cookie, one.id, 100);

    const res = await call(a, 'GET', '/api/v1/cash-close?date=2026-12-01', { cookie: clerk.cookie });
    expect(res.statusCode, res.body).toBe(200);
    const close = res.json();
    const sql = a.db.$client.prepare(`SELECT kind, count(*) AS n, sum(amount_yen) AS yen FROM payments
      WHERE created_at >= '2026-11-30T15:00:00.000Z' AND created_at < '2026-12-01T15:00:00.000Z' GROUP BY kind`).all() as { kind: string; n: number; yen: number }[];
    const of = (kind: string) => sql.find((r) => r.kind === kind) ?? { n: 0, yen: 0 };
    expect(close.byKind).toEqual({
      payment: { count: of('payment').n, yen: of('payment').yen },
      refund: { count: of('refund').n, yen: of('refund').yen },
      void: { count: of('void').n, yen: of('void').yen },
    });
    expect(close.byKind).toEqual({ payment: { count: 4, yen: 1200 }, refund: { count: 1, yen: 240 }, void: { count: 1, yen: 100 } });
    expect(close.netYen).toBe(of('payment').yen - of('refund').yen - of('void').yen);
    expect(close.netYen).toBe(860);
    expect(close.entries).toHaveLength(6);
    expect(close.byMethod.cash).toEqual({ count: 6, inYen: 1200, outYen: 340, netYen: 860 });
    expect(close.byCategory.registered).toEqual({ count: 1, inYen: 240, outYen: 0, netYen: 240 });
    expect(close.byCategory.general).toEqual({ count: 5, inYen: 960, outYen: 340, netYen: 620 });
    expect(close.entries.find((e: { kind: string }) => e.kind === 'void')).toMatchObject({ voidsReceiptNo: firstOfOne!.receipt_no, signedYen: -100, booker: '佐藤 一郎' });
    const next = (await call(a, 'GET', '/api/v1/cash-close?date=2026-12-02', { cookie: clerk.cookie })).json();
    expect(next.netYen).toBe(100);
    expectProblem(await call(a, 'GET', '/api/v1/cash-close?date=2026-02-30', { cookie: clerk.cookie }), 422, 'validation_failed');
  });
});

describe('searching at the desk', () => {
  it('finds bookings by number, walk-in name, group name and phone digits, and bookers by name, phone or number', async () => {
    const a = await app();
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const groupId = makeGroup(a, '緑町町内会');
    a.db.$client.prepare("UPDATE groups SET phone = '03-1234-5678' WHERE id = ?").run(groupId);
    const w = await walkIn(a, clerk.cookie);
    const g = (await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2026-12-11T10:00', '2026-12-11T12:00', { groupId }) })).json() as { id: number };
    const ids = async (q: string) => ((await call(a, 'GET', `/api/v1/desk/bookings?q=${encodeURIComponent(q)}`, { cookie: clerk.cookie })).json() as { id: number }[]).map((b) => b.id);
    expect(await ids(String(w.id))).toContain(w.id);
    expect(await ids('佐藤')).toEqual([w.id]);
    expect(await ids('緑町')).toEqual([g.id]);
    expect(await ids('09011112222')).toEqual([w.id]);
    expect(await ids('1234-5678')).toEqual([g.id]);
    expect(await ids('誰もいない')).toEqual([]);

    await a.account('individual', 'hanako@example.jp', { name: '山田 花子' });
    const bookers = async (q: string) => ((await call(a, 'GET', `/api/v1/desk/bookers?q=${encodeURIComponent(q)}`, { cookie: clerk.cookie })).json() as { kind: string; name: string }[]).map((b) => `${b.kind}:${b.name}`);
    expect(await bookers('山田')).toEqual(['account:山田 花子']);
    expect(await bookers('町内会')).toEqual(['group:緑町町内会']);
    expect(await bookers('0312345678')).toEqual(['group:緑町町内会']);
    expect(await bookers(String(groupId))).toContain('group:緑町町内会');
    // LIKE wildcards typed at the desk are plain characters.
    expect(await bookers('%')).toEqual([]);
  });
});

describe('the board and the call list', () => {
  it('shows the day with bookers and balances, the bookings flagged for contact with phones, and clears them when called', async () => {
    const a = await app('2026-12-10T08:00');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const manager = await user(a, 'manager', 'boss@example.jp');
    const w = await walkIn(a, clerk.cookie, '2026-12-10T10:00', '2026-12-10T12:00');
    const later = await walkIn(a, clerk.cookie, '2026-12-15T10:00', '2026-12-15T12:00');
    const close = await call(a, 'PUT', '/api/v1/calendar/2026-12-15?confirm=true', { cookie: manager.cookie, body: { closed: true, reason: '設備点検' } });
    expect(close.statusCode, close.body).toBe(200);

    const board = (await call(a, 'GET', '/api/v1/desk/board', { cookie: clerk.cookie })).json();
    expect(board.date).toBe('2026-12-10');
    expect(board.bookings).toHaveLength(1);
    expect(board.bookings[0]).toMatchObject({ id: w.id, balanceYen: 480, booker: { kind: 'walkIn', name: '佐藤 一郎', phones: ['090-1111-2222'] } });
    expect(board.needsContact.map((b: { id: number }) => b.id)).toEqual([later.id]);
    expect(board.owing.map((b: { id: number }) => b.id)).toEqual(expect.arrayContaining([w.id]));

    const res = await call(a, 'POST', `/api/v1/bookings/${later.id}/contacted`, { cookie: clerk.cookie });
    expect(res.statusCode).toBe(204);
    expect(bookingRow(a, later.id)!.needs_contact).toBe(0);
    expect(auditActions(a, 'booking.contacted')).toHaveLength(1);
    const after = (await call(a, 'GET', '/api/v1/desk/board', { cookie: clerk.cookie })).json();
    expect(after.needsContact).toEqual([]);
  });
});
