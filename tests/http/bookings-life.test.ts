import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { parseInstant } from '../../server/domain/time.js';
import { auditActions, body, bookingRow, call, expectLinesAddUp, expectProblem, makeGroup, snapshot, user } from './helpers.js';

// The default clock: Tuesday 2026-12-01 10:00 in Tokyo; heating season, so small-1 for two
// morning hours costs ¥480 general (¥400 + 20%) and ¥240 for a registered group.
let t: TestApp;
beforeEach(async () => {
  // Sessions last the longest allowed (30 days), so a login survives the clock moving to the day of use.
  t = await makeTestApp('2026-12-01T10:00', { sessionHours: 24 * 30 });
});
afterEach(async () => {
  await t.close();
});

type Booking = {
  id: number; start: string; end: string; status: string; paymentStatus: string; attendance: string; totalYen: number;
  paidYen: number; lines: { label: string; amountYen: number }[]; deadline?: string; permitNo: string | null;
  changeFeeYen?: number; actualAttendees: number | null; exemption: { percent: number; reason: string | null } | null; changeCount: number;
};

const walkIn = { name: '鈴木 一郎', phone: '090-2222-3333' };

async function created(cookie: string, b: unknown): Promise<Booking> {
  const res = await call(t, 'POST', '/api/v1/bookings', { cookie, body: b });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Booking;
}

const pay = (cookie: string, id: number, amountYen: number) => call(t, 'POST', `/api/v1/bookings/${id}/payments`, { cookie, body: { amountYen, method: 'cash' } });
const cancel = (cookie: string, id: number, b?: unknown) => call(t, 'POST', `/api/v1/bookings/${id}/cancel`, { cookie, ...(b !== undefined ? { body: b } : {}) });
const patch = (cookie: string, id: number, b: unknown) => call(t, 'PATCH', `/api/v1/bookings/${id}`, { cookie, body: b });
const availability = async (space: string, date: string) =>
  (await call(t, 'GET', `/api/v1/availability?space=${space}&date=${date}`)).json() as { busy: { start: string; end: string }[] };

/** A walk-in booking at the desk, paid in full: confirmed, so cancelling and changing it cost money. */
async function paidBooking(staffCookie: string, start: string, end: string): Promise<Booking> {
  const b = await created(staffCookie, body(start, end, { walkIn }));
  expect((await pay(staffCookie, b.id, b.totalYen)).statusCode).toBe(201);
  return b;
}

describe('PATCH /bookings/{id}', () => {
  it('moves a booking to a new slot in one step: the old slot is free afterwards and the new one taken', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(member.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    const res = await patch(member.cookie, b.id, { start: '2026-12-15T14:00', end: '2026-12-15T16:00', attendees: 6 });
    expect(res.statusCode, res.body).toBe(200);
    const changed = res.json() as Booking;
    // The first change made 7 or more days before use is free.
    expect(changed).toMatchObject({ id: b.id, start: '2026-12-15T14:00:00+09:00', end: '2026-12-15T16:00:00+09:00', changeFeeYen: 0, totalYen: 240, status: 'confirmed', changeCount: 1 });
    expect(bookingRow(t, b.id)).toMatchObject({ start_at: '2026-12-15T05:00:00.000Z', end_at: '2026-12-15T07:00:00.000Z', attendees: 6, change_count: 1, total_yen: 240 });
    expect((await availability('small-1', '2026-12-15')).busy).toEqual([{ start: '2026-12-15T14:00:00+09:00', end: '2026-12-15T16:00:00+09:00' }]);
    // The old slot is free for someone else, the new one is not.
    await created(hanako.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    expectProblem(await call(t, 'POST', '/api/v1/bookings', { cookie: hanako.cookie, body: body('2026-12-15T15:00', '2026-12-15T17:00') }), 409, 'conflict');
    expect(auditActions(t, 'booking.change')).toHaveLength(1);
  });

  it('moves a booking onto a slot overlapping its own old slot', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    const res = await patch(member.cookie, b.id, { start: '2026-12-15T11:00', end: '2026-12-15T13:00' });
    expect(res.statusCode, res.body).toBe(200);
    expect(bookingRow(t, b.id)!.start_at).toBe('2026-12-15T02:00:00.000Z');
  });

  it('moves a booking to another space, charged at that space’s rates', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    const res = await patch(member.cookie, b.id, { space: 'training-a' });
    expect(res.statusCode, res.body).toBe(200);
    // ¥800 × 50% + 20% heating.
    expect(res.json()).toMatchObject({ space: 'training-a', totalYen: 480, changeFeeYen: 0 });
    expect(bookingRow(t, b.id)).toMatchObject({ space_slug: 'training-a', total_yen: 480 });
  });

  it('refuses a move into a taken slot with 409 and changes nothing', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(member.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    await created(hanako.cookie, body('2026-12-15T14:00', '2026-12-15T16:00'));
    const rowBefore = bookingRow(t, b.id);
    const before = snapshot(t);
    const problem = expectProblem(await patch(member.cookie, b.id, { start: '2026-12-15T13:00', end: '2026-12-15T15:00' }), 409, 'conflict');
    expect(problem.conflicts).toEqual([{ start: '2026-12-15T14:00:00+09:00', end: '2026-12-15T16:00:00+09:00', space: 'small-1' }]);
    expect(bookingRow(t, b.id)).toEqual(rowBefore);
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses a move onto a closed day with 422 closed and changes nothing', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    const rowBefore = bookingRow(t, b.id);
    expectProblem(await patch(member.cookie, b.id, { start: '2026-12-29T10:00', end: '2026-12-29T12:00' }), 422, 'closed');
    expect(bookingRow(t, b.id)).toEqual(rowBefore);
  });

  it('refuses more attendees than the room holds', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    expectProblem(await patch(member.cookie, b.id, { attendees: 9 }), 422, 'capacity_exceeded');
    expect(bookingRow(t, b.id)!.attendees).toBe(5);
  });

  it('changes the purpose and headcount without a fee or a new slot', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    const res = await patch(member.cookie, b.id, { purpose: '総会', attendees: 7 });
    expect(res.json()).toMatchObject({ changeFeeYen: 0, totalYen: 240, changeCount: 0 });
    expect(bookingRow(t, b.id)).toMatchObject({ purpose: '総会', attendees: 7, change_count: 0 });
  });

  it('charges a change within 6 days of use like a cancellation of the old booking', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await paidBooking(staff.cookie, '2026-12-05T10:00', '2026-12-05T12:00');
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    const res = await patch(staff.cookie, b.id, { start: '2026-12-05T14:00', end: '2026-12-05T16:00' });
    expect(res.statusCode, res.body).toBe(200);
    const changed = res.json() as Booking;
    // 4 days before use: 50% of ¥480, added to the booking's fee.
    expect(changed.changeFeeYen).toBe(240);
    expect(changed.totalYen).toBe(720);
    expectLinesAddUp(changed);
    expect(changed.lines.some((l) => l.amountYen === 240 && l.label.includes('変更'))).toBe(true);
    // What was paid no longer covers the fee.
    expect(changed.paymentStatus).toBe('unpaid');
    expect(bookingRow(t, b.id)).toMatchObject({ total_yen: 720, payment_status: 'unpaid', status: 'confirmed', change_count: 1 });
  });

  it('charges a second change even when made early', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-22T10:00', '2026-12-22T12:00'));
    expect((await patch(member.cookie, b.id, { start: '2026-12-22T13:00', end: '2026-12-22T15:00' })).json()).toMatchObject({ changeFeeYen: 0 });
    // Three weeks before use the cancellation tier is 0%, so the second change is charged ¥0 as well.
    const second = (await patch(member.cookie, b.id, { start: '2026-12-22T16:00', end: '2026-12-22T18:00' })).json() as Booking;
    expect(second.changeFeeYen).toBe(0);
    expect(bookingRow(t, b.id)!.change_count).toBe(2);
  });

  it('refuses to change a cancelled booking with 409 invalid_state', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(hanako.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    expect((await cancel(hanako.cookie, b.id)).statusCode).toBe(200);
    expectProblem(await patch(hanako.cookie, b.id, { start: '2026-12-15T14:00', end: '2026-12-15T16:00' }), 409, 'invalid_state');
    expect(bookingRow(t, b.id)!.start_at).toBe('2026-12-15T01:00:00.000Z');
  });

  it('refuses an empty change with 422', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(hanako.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    expectProblem(await patch(hanako.cookie, b.id, {}), 422, 'validation_failed');
    expect(auditActions(t, 'booking.change')).toHaveLength(0);
  });
});

describe('POST /bookings/{id}/cancel', () => {
  it.each([
    { when: '7 or more days before use', now: '2026-12-01T10:00', feeYen: 0, refundYen: 480, paymentStatus: 'refunded' },
    { when: '6 days before use', now: '2026-12-14T23:59', feeYen: 240, refundYen: 240, paymentStatus: 'refunded' },
    { when: 'the day before use', now: '2026-12-19T21:00', feeYen: 240, refundYen: 240, paymentStatus: 'refunded' },
    { when: 'on the day of use', now: '2026-12-20T08:00', feeYen: 480, refundYen: 0, paymentStatus: 'paid' },
  ])('charges a paid booking cancelled $when $feeYen yen', async ({ now, feeYen, refundYen, paymentStatus }) => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    // Sunday 2026-12-20.
    const b = await paidBooking(staff.cookie, '2026-12-20T10:00', '2026-12-20T12:00');
    t.clock.set(now);
    const res = await cancel(staff.cookie, b.id, { reason: '都合により' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ status: 'cancelled', cancellationFeeYen: feeYen, refundYen, balanceYen: 0 });
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'cancelled', cancellation_fee_yen: feeYen, payment_status: paymentStatus, facility_caused: 0 });
    const refunds = t.db.$client.prepare("SELECT amount_yen FROM payments WHERE booking_id = ? AND kind = 'refund'").all(b.id) as { amount_yen: number }[];
    expect(refunds.map((r) => r.amount_yen)).toEqual(refundYen > 0 ? [refundYen] : []);
    expect(auditActions(t, 'booking.cancel')).toHaveLength(1);
  });

  it('states the balance still owed when an unpaid confirmed booking is cancelled late', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-05T10:00', '2026-12-05T12:00'));
    const res = await cancel(member.cookie, b.id, { reason: '講師の都合' });
    expect(res.json()).toEqual({ status: 'cancelled', cancellationFeeYen: 120, refundYen: 0, balanceYen: 120 });
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'cancelled', cancellation_fee_yen: 120, payment_status: 'unpaid' });
  });

  it('cancels an unpaid provisional booking free, even on the day before', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-02T10:00', '2026-12-02T12:00', { walkIn }));
    const res = await cancel(staff.cookie, b.id);
    expect(res.json()).toEqual({ status: 'cancelled', cancellationFeeYen: 0, refundYen: 0, balanceYen: 0 });
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'cancelled', cancellation_fee_yen: 0, deadline_at: null });
  });

  it('refuses to cancel twice with 409 invalid_state', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(hanako.cookie, body('2026-12-15T10:00', '2026-12-15T12:00'));
    expect((await cancel(hanako.cookie, b.id)).statusCode).toBe(200);
    const before = snapshot(t);
    expectProblem(await cancel(hanako.cookie, b.id), 409, 'invalid_state');
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses facilityCaused from a non-staff user with 422', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-05T10:00', '2026-12-05T12:00'));
    const before = snapshot(t);
    const problem = expectProblem(await cancel(member.cookie, b.id, { facilityCaused: true }), 422, 'validation_failed');
    expect(problem.errors?.[0]?.path).toBe('facilityCaused');
    expect(snapshot(t)).toEqual(before);
    expect(bookingRow(t, b.id)!.status).toBe('confirmed');
  });

  it('cancels free when staff mark it facility-caused, refunding everything', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await paidBooking(staff.cookie, '2026-12-05T10:00', '2026-12-05T12:00');
    const res = await cancel(staff.cookie, b.id, { reason: '台風の警報', facilityCaused: true });
    expect(res.json()).toEqual({ status: 'cancelled', cancellationFeeYen: 0, refundYen: 480, balanceYen: 0 });
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'cancelled', facility_caused: 1, cancellation_fee_yen: 0, payment_status: 'refunded' });
  });
});

describe('POST /bookings/{id}/exemption', () => {
  it('halves the total with a 50% exemption, the lines still adding up', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn }));
    const res = await call(t, 'POST', `/api/v1/bookings/${b.id}/exemption`, { cookie: staff.cookie, body: { percent: 50, reason: '市の後援事業' } });
    expect(res.statusCode, res.body).toBe(200);
    const exempted = res.json() as Booking;
    expect(exempted).toMatchObject({ totalYen: 240, status: 'provisional', paymentStatus: 'unpaid', exemption: { percent: 50, reason: '市の後援事業' } });
    expectLinesAddUp(exempted);
    expect(bookingRow(t, b.id)).toMatchObject({ total_yen: 240, exemption_percent: 50 });
    expect(auditActions(t, 'booking.exemption')).toHaveLength(1);
  });

  it('keeps the lines adding up when halving leaves a fraction of ten yen', async () => {
    const groupId = makeGroup(t);
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    // 18:00–19:30 of small-1 for a group: ¥375 × 50% + 20% = ¥225 → ¥220; halved ¥112.5 → ¥110.
    const b = await created(staff.cookie, body('2026-12-10T18:00', '2026-12-10T19:30', { groupId }));
    expect(b.totalYen).toBe(220);
    expectLinesAddUp(b);
    const exempted = (await call(t, 'POST', `/api/v1/bookings/${b.id}/exemption`, { cookie: staff.cookie, body: { percent: 50, reason: '共催' } })).json() as Booking;
    expect(exempted.totalYen).toBe(110);
    expectLinesAddUp(exempted);
  });

  it('makes a 100% exempt booking confirmed with nothing to pay', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn }));
    const exempted = (await call(t, 'POST', `/api/v1/bookings/${b.id}/exemption`, { cookie: staff.cookie, body: { percent: 100, reason: '避難訓練' } })).json() as Booking;
    expect(exempted).toMatchObject({ totalYen: 0, paymentStatus: 'exempt', status: 'confirmed' });
    expect(exempted.deadline).toBeUndefined();
    expect(exempted.permitNo).toMatch(/^P2026-/);
    expectLinesAddUp(exempted);
    expect(bookingRow(t, b.id)).toMatchObject({ total_yen: 0, payment_status: 'exempt', status: 'confirmed', deadline_at: null });
    // Nothing is owed, so nothing can be paid.
    expectProblem(await pay(staff.cookie, b.id, 10), 409, 'invalid_state');
  });

  it('books with a 100% exemption at once when staff give it on creation', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn, exemption: { percent: 100, reason: '市の事業' } }));
    expect(b).toMatchObject({ totalYen: 0, paymentStatus: 'exempt', status: 'confirmed' });
    expect(bookingRow(t, b.id)).toMatchObject({ exemption_percent: 100, payment_status: 'exempt' });
  });

  it('refuses an exemption from a non-staff user with 403', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${b.id}/exemption`, { cookie: member.cookie, body: { percent: 100, reason: 'お願い' } }), 403, 'forbidden');
    expect(bookingRow(t, b.id)).toMatchObject({ total_yen: 240, exemption_percent: 0 });
  });

  it('refuses a percentage other than 50 or 100 with 422', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn }));
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${b.id}/exemption`, { cookie: staff.cookie, body: { percent: 30, reason: '特例' } }), 422, 'validation_failed');
    expect(bookingRow(t, b.id)!.total_yen).toBe(480);
  });
});

describe('POST /bookings/{id}/payments', () => {
  it('keeps a partly paid booking unpaid and provisional', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn }));
    const res = await pay(staff.cookie, b.id, 200);
    expect(res.statusCode).toBe(201);
    expect((res.json() as { receiptNo: string }).receiptNo).toMatch(/^R2026-\d+$/);
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'provisional', payment_status: 'unpaid', permit_no: null });
    expect(count(t.db, 'payments')).toBe(1);
    expect((await call(t, 'GET', `/api/v1/bookings/${b.id}`, { cookie: staff.cookie })).json()).toMatchObject({ paidYen: 200, status: 'provisional' });
  });

  it('confirms a booking paid in full, giving it a permit number', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn }));
    expect((await pay(staff.cookie, b.id, 200)).statusCode).toBe(201);
    expect((await pay(staff.cookie, b.id, 280)).statusCode).toBe(201);
    const row = bookingRow(t, b.id)!;
    expect(row).toMatchObject({ status: 'confirmed', payment_status: 'paid', deadline_at: null });
    expect(row.permit_no).toMatch(/^P2026-\d+$/);
    const view = (await call(t, 'GET', `/api/v1/bookings/${b.id}`, { cookie: staff.cookie })).json() as Booking;
    expect(view).toMatchObject({ status: 'confirmed', paymentStatus: 'paid', paidYen: 480, permitNo: row.permit_no });
    expect(view.deadline).toBeUndefined();
  });

  it('refuses to take more than is owed with 422, storing nothing', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn }));
    expect((await pay(staff.cookie, b.id, 400)).statusCode).toBe(201);
    const before = snapshot(t);
    const problem = expectProblem(await pay(staff.cookie, b.id, 100), 422, 'validation_failed');
    expect(problem.errors?.[0]?.path).toBe('amountYen');
    expect(snapshot(t)).toEqual(before);
    expect(bookingRow(t, b.id)).toMatchObject({ payment_status: 'unpaid', status: 'provisional' });
  });

  it('numbers every receipt uniquely', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const receipts: string[] = [];
    for (const day of ['10', '11']) {
      const b = await created(staff.cookie, body(`2026-12-${day}T10:00`, `2026-12-${day}T12:00`, { walkIn }));
      for (const amount of [100, 100, 280]) receipts.push((((await pay(staff.cookie, b.id, amount)).json()) as { receiptNo: string }).receiptNo);
    }
    expect(new Set(receipts).size).toBe(6);
    const stored = t.db.$client.prepare('SELECT receipt_no FROM payments ORDER BY id').all() as { receipt_no: string }[];
    expect(stored.map((r) => r.receipt_no)).toEqual(receipts);
  });

  it.each([
    ['an individual', 'individual'],
    ['a member', 'member'],
  ] as const)('refuses a payment recorded by %s with 403', async (_who, role) => {
    const groupId = makeGroup(t);
    const someone = await user(t, role, 'someone@example.jp', role === 'member' ? { groupId } : {});
    const b = await created(someone.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    const before = snapshot(t);
    expectProblem(await pay(someone.cookie, b.id, b.totalYen), 403, 'forbidden');
    expect(snapshot(t)).toEqual(before);
    expect(bookingRow(t, b.id)!.payment_status).toBe('unpaid');
  });

  it.each([
    ['zero yen', { amountYen: 0, method: 'cash' }],
    ['a fraction of a yen', { amountYen: 100.5, method: 'cash' }],
    ['a card', { amountYen: 100, method: 'card' }],
  ])('refuses a payment of %s with 422', async (_what, payment) => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn }));
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${b.id}/payments`, { cookie: staff.cookie, body: payment }), 422, 'validation_failed');
    expect(count(t.db, 'payments')).toBe(0);
  });
});

describe('check-in, no-shows and expiry', () => {
  async function memberBooking(start = '2026-12-10T14:00', end = '2026-12-10T16:00') {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(member.cookie, body(start, end));
    return { member, staff, b };
  }

  it('records the actual headcount at check-in on the day', async () => {
    const { staff, b } = await memberBooking();
    t.clock.set('2026-12-10T13:50');
    const res = await call(t, 'POST', `/api/v1/bookings/${b.id}/check-in`, { cookie: staff.cookie, body: { attendees: 4 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ attendance: 'checked_in', actualAttendees: 4 });
    expect(bookingRow(t, b.id)).toMatchObject({ attendance: 'checked_in', actual_attendees: 4 });
  });

  it('refuses a check-in before the day of use with 409 invalid_state', async () => {
    const { staff, b } = await memberBooking();
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${b.id}/check-in`, { cookie: staff.cookie, body: { attendees: 4 } }), 409, 'invalid_state');
    expect(bookingRow(t, b.id)).toMatchObject({ attendance: 'expected', actual_attendees: null });
  });

  it('refuses a check-in by the booker with 403', async () => {
    const { member, b } = await memberBooking();
    t.clock.set('2026-12-10T13:50');
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${b.id}/check-in`, { cookie: member.cookie, body: { attendees: 4 } }), 403, 'forbidden');
    expect(bookingRow(t, b.id)!.attendance).toBe('expected');
  });

  it('marks a no-show 30 minutes after the start, not 29, and a late check-in undoes it', async () => {
    const { staff, b } = await memberBooking();
    expect(app().runPeriodic(parseInstant('2026-12-10T14:29')).noShows).toEqual([]);
    expect(bookingRow(t, b.id)!.attendance).toBe('expected');
    expect(auditActions(t, 'booking.no_show')).toHaveLength(0);

    expect(app().runPeriodic(parseInstant('2026-12-10T14:30')).noShows).toEqual([b.id]);
    expect(bookingRow(t, b.id)!.attendance).toBe('no_show');
    const audit = auditActions(t, 'booking.no_show');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'booking', entity_id: String(b.id), actor_id: null });
    // Running again changes nothing.
    expect(app().runPeriodic(parseInstant('2026-12-10T14:31')).noShows).toEqual([]);

    t.clock.set('2026-12-10T14:40');
    const late = await call(t, 'POST', `/api/v1/bookings/${b.id}/check-in`, { cookie: staff.cookie, body: { attendees: 3 } });
    expect(late.statusCode).toBe(200);
    expect(bookingRow(t, b.id)).toMatchObject({ attendance: 'checked_in', actual_attendees: 3 });
  });

  it('expires an unpaid provisional booking when its deadline passes, and not before', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(hanako.cookie, body('2026-12-20T10:00', '2026-12-20T12:00'));
    expect(b.deadline).toBe('2026-12-08T22:00:00+09:00');
    expect(app().runPeriodic(parseInstant('2026-12-08T21:59')).expired).toEqual([]);
    expect(bookingRow(t, b.id)!.status).toBe('provisional');
    expect(app().runPeriodic(parseInstant('2026-12-08T22:00')).expired).toEqual([b.id]);
    expect(bookingRow(t, b.id)!.status).toBe('expired');
    const audit = auditActions(t, 'booking.expire');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'booking', entity_id: String(b.id) });
    expect((await availability('small-1', '2026-12-20')).busy).toEqual([]);
  });

  it('never expires a booking that was paid in full', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await paidBooking(staff.cookie, '2026-12-20T10:00', '2026-12-20T12:00');
    expect(app().runPeriodic(parseInstant('2026-12-19T23:00')).expired).toEqual([]);
    expect(bookingRow(t, b.id)!.status).toBe('confirmed');
  });

  it('expires an overdue booking inside the next booking write, so its slot is free at once', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const taro = await user(t, 'individual', 'taro@example.jp');
    const b = await created(hanako.cookie, body('2026-12-20T10:00', '2026-12-20T12:00'));
    t.clock.set('2026-12-08T21:59');
    expectProblem(await call(t, 'POST', '/api/v1/bookings', { cookie: taro.cookie, body: body('2026-12-20T10:00', '2026-12-20T12:00') }), 409, 'conflict');
    t.clock.set('2026-12-08T22:00');
    const second = await created(taro.cookie, body('2026-12-20T10:00', '2026-12-20T12:00'));
    expect(bookingRow(t, b.id)!.status).toBe('expired');
    expect(bookingRow(t, second.id)!.status).toBe('provisional');
    expect(auditActions(t, 'booking.expire')).toHaveLength(1);
  });

  it('refuses to pay or check in an expired booking', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-20T10:00', '2026-12-20T12:00', { walkIn }));
    t.clock.set('2026-12-08T22:00');
    expectProblem(await pay(staff.cookie, b.id, 480), 409, 'invalid_state');
    expect(count(t.db, 'payments')).toBe(0);
    // The refused request stored nothing, its expiry included; the job records it.
    expect(app().runPeriodic(parseInstant('2026-12-08T22:00')).expired).toEqual([b.id]);
    t.clock.set('2026-12-20T09:50');
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${b.id}/check-in`, { cookie: staff.cookie, body: { attendees: 4 } }), 409, 'invalid_state');
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'expired', attendance: 'expected', payment_status: 'unpaid' });
  });
});

function app() {
  return t.app.services.bookingLife;
}

describe('expiry inside every write', () => {
  // Walk-in, Sunday 2026-12-20, made 2026-12-01: unpaid, it lapses at 2026-12-08 22:00.
  async function lapsing() {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const manager = await user(t, 'manager', 'kanri@example.jp');
    const b = await created(staff.cookie, body('2026-12-20T10:00', '2026-12-20T12:00', { walkIn }));
    expect(b.deadline).toBe('2026-12-08T22:00:00+09:00');
    return { staff, manager, b };
  }

  it('refuses an exemption for a booking whose deadline has passed, even before the job ran', async () => {
    const { staff, b } = await lapsing();
    t.clock.set('2026-12-08T22:00');
    const before = snapshot(t);
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${b.id}/exemption`, { cookie: staff.cookie, body: { percent: 100, reason: '市の事業' } }), 409, 'invalid_state');
    expect(snapshot(t)).toEqual(before);
    expect(bookingRow(t, b.id)).toMatchObject({ total_yen: 480, exemption_percent: 0, payment_status: 'unpaid' });
    expect(bookingRow(t, b.id)!.status).not.toBe('confirmed');
  });

  it('refuses a check-in for a booking that lapsed unpaid, even before the job ran', async () => {
    const { staff, b } = await lapsing();
    t.clock.set('2026-12-20T09:50');
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${b.id}/check-in`, { cookie: staff.cookie, body: { attendees: 4 } }), 409, 'invalid_state');
    expect(bookingRow(t, b.id)).toMatchObject({ attendance: 'expected', actual_attendees: null });
  });

  it('does not count a lapsed booking as stranded by a closure', async () => {
    const { manager, b } = await lapsing();
    t.clock.set('2026-12-08T22:00');
    const res = await call(t, 'PUT', '/api/v1/calendar/2026-12-20', { cookie: manager.cookie, body: { closed: true, reason: '停電' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ affected: [] });
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'expired', needs_contact: 0 });
    expect(auditActions(t, 'booking.expire')).toHaveLength(1);
  });

  it('does not count a lapsed booking as stranded by a block', async () => {
    const { manager, b } = await lapsing();
    t.clock.set('2026-12-08T22:00');
    const res = await call(t, 'POST', '/api/v1/spaces/small-1/blocks', { cookie: manager.cookie, body: { start: '2026-12-20T09:00', end: '2026-12-20T22:00', reason: '床の張り替え' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ affected: [] });
    expect(bookingRow(t, b.id)).toMatchObject({ status: 'expired', needs_contact: 0 });
  });
});
