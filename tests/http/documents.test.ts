import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { pdfText } from '../support/pdf-text.js';
import { body, call, expectProblem, makeGroup, user } from './helpers.js';

const isPdf = (res: { statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer }) => {
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
};

describe('use permits (使用許可書)', () => {
  let t: TestApp;
  let member: { id: number; cookie: string };
  let otherMember: { id: number; cookie: string };
  let staff: { id: number; cookie: string };
  let groupBooking: { id: number; permitNo: string };

  beforeEach(async () => {
    t = await makeTestApp('2026-11-20T10:00');
    const group = makeGroup(t, '緑川こども食堂ネット');
    member = await user(t, 'member', 'member@example.jp', { groupId: group });
    otherMember = await user(t, 'member', 'other@example.jp', { groupId: makeGroup(t, '別の団体') });
    staff = await user(t, 'staff', 'staff@example.jp');
    // A registered group's booking is confirmed at once, with its permit number.
    const res = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: body('2026-12-10T18:00', '2026-12-10T20:00', { purpose: '子ども食堂の打ち合わせ' }) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'confirmed' });
    groupBooking = { id: res.json().id, permitNo: res.json().permitNo };
  });
  afterEach(() => t.close());

  it('gives the group its permit, with the number, the booker, the space, the time and the fee', async () => {
    const res = await call(t, 'GET', `/api/v1/bookings/${groupBooking.id}/permit.pdf`, { cookie: member.cookie });
    isPdf(res);
    expect(res.headers['content-disposition']).toBe(`inline; filename="permit-${groupBooking.permitNo}.pdf"; filename*=UTF-8''${encodeURIComponent(`使用許可書_${groupBooking.permitNo}.pdf`)}`);
    const text = await pdfText(res.rawPayload);
    for (const expected of ['使用許可書', groupBooking.permitNo, '緑川こども食堂ネット 様', '小会議室1', '令和8年12月10日（木）', '18:00〜20:00', '子ども食堂の打ち合わせ', '5人', '合計', '市民活動交流センター', '発行日 令和8年11月20日']) {
      expect(text).toContain(expected);
    }
  });

  it('gives staff any permit', async () => {
    isPdf(await call(t, 'GET', `/api/v1/bookings/${groupBooking.id}/permit.pdf`, { cookie: staff.cookie }));
  });

  it('hides another group\'s permit (404), and asks an anonymous visitor to log in (401)', async () => {
    expectProblem(await call(t, 'GET', `/api/v1/bookings/${groupBooking.id}/permit.pdf`, { cookie: otherMember.cookie }), 404, 'not_found');
    expectProblem(await call(t, 'GET', `/api/v1/bookings/${groupBooking.id}/permit.pdf`), 401, 'unauthenticated');
    expectProblem(await call(t, 'GET', '/api/v1/bookings/999999/permit.pdf', { cookie: staff.cookie }), 404, 'not_found');
  });

  it('has no permit for a provisional booking (409) until it is paid, nor for a cancelled one', async () => {
    const individual = await user(t, 'individual', 'citizen@example.jp');
    const made = await call(t, 'POST', '/api/v1/bookings', { cookie: individual.cookie, body: body('2026-12-11T10:00', '2026-12-11T12:00') });
    expect(made.json()).toMatchObject({ status: 'provisional' });
    const url = `/api/v1/bookings/${made.json().id}/permit.pdf`;
    expectProblem(await call(t, 'GET', url, { cookie: individual.cookie }), 409, 'invalid_state');
    expect((await call(t, 'POST', `/api/v1/bookings/${made.json().id}/payments`, { cookie: staff.cookie, body: { amountYen: made.json().totalYen, method: 'cash' } })).statusCode).toBe(201);
    isPdf(await call(t, 'GET', url, { cookie: individual.cookie }));
    expect((await call(t, 'POST', `/api/v1/bookings/${groupBooking.id}/cancel`, { cookie: member.cookie, body: {} })).statusCode).toBe(200);
    expectProblem(await call(t, 'GET', `/api/v1/bookings/${groupBooking.id}/permit.pdf`, { cookie: member.cookie }), 409, 'invalid_state');
  });
});

describe('receipts (領収書)', () => {
  let t: TestApp;
  let payer: { id: number; cookie: string };
  let staff: { id: number; cookie: string };
  let receiptNo: string;
  let bookingId: number;
  let totalYen: number;

  beforeEach(async () => {
    t = await makeTestApp('2026-11-20T10:00');
    payer = await user(t, 'individual', 'payer@example.jp');
    staff = await user(t, 'staff', 'staff@example.jp');
    const made = await call(t, 'POST', '/api/v1/bookings', { cookie: payer.cookie, body: body('2026-12-11T10:00', '2026-12-11T12:00') });
    bookingId = made.json().id;
    totalYen = made.json().totalYen;
    const paid = await call(t, 'POST', `/api/v1/bookings/${bookingId}/payments`, { cookie: staff.cookie, body: { amountYen: totalYen, method: 'cash' } });
    receiptNo = paid.json().receiptNo;
  });
  afterEach(() => t.close());

  it('gives the payer the receipt: amount, 但し書き, date, receipt and booking numbers', async () => {
    const res = await call(t, 'GET', `/api/v1/receipts/${receiptNo}.pdf`, { cookie: payer.cookie });
    isPdf(res);
    expect(res.headers['content-disposition']).toBe(`inline; filename="receipt-${receiptNo}.pdf"; filename*=UTF-8''${encodeURIComponent(`領収書_${receiptNo}.pdf`)}`);
    const text = await pdfText(res.rawPayload);
    for (const expected of ['領 収 書', `¥${totalYen.toLocaleString('en-US')}-`, '但し 施設使用料として', '令和8年11月20日', receiptNo, String(bookingId), 'individual payer@example.jp 様', '市民活動交流センター']) {
      expect(text).toContain(expected);
    }
  });

  it('lists a booking\'s receipts for its page, to whoever may see the booking', async () => {
    const actor = { id: payer.id, role: 'individual' as const, name: 'payer', groupId: null, isRepresentative: false };
    expect(t.app.services.documents.receiptsOf(actor, bookingId)).toEqual([{ receiptNo, amountYen: totalYen, receivedOn: '2026-11-20', voided: false }]);
    const stranger = { ...actor, id: payer.id + 1000 };
    expect(() => t.app.services.documents.receiptsOf(stranger, bookingId)).toThrow(/not found/);
  });

  it('gives staff the receipt', async () => {
    isPdf(await call(t, 'GET', `/api/v1/receipts/${receiptNo}.pdf`, { cookie: staff.cookie }));
  });

  it('hides the receipt from anyone else (404) and asks an anonymous visitor to log in (401)', async () => {
    const other = await user(t, 'individual', 'other@example.jp');
    expectProblem(await call(t, 'GET', `/api/v1/receipts/${receiptNo}.pdf`, { cookie: other.cookie }), 404, 'not_found');
    expectProblem(await call(t, 'GET', `/api/v1/receipts/${receiptNo}.pdf`), 401, 'unauthenticated');
  });

  it.each(['R2026-999999.pdf', 'nonsense.pdf', `R2026-000001`])('has no receipt %s (404)', async (file) => {
    expectProblem(await call(t, 'GET', `/api/v1/receipts/${file}`, { cookie: staff.cookie }), 404, 'not_found');
  });

  it('marks the receipt of a voided payment as void, and has no receipt for the void itself', async () => {
    const paymentId = (t.db.$client.prepare('SELECT id FROM payments WHERE receipt_no = ?').get(receiptNo) as { id: number }).id;
    // The desk voids a payment taken by mistake (written directly: the void is the desk's feature).
    t.db.$client.prepare(`INSERT INTO payments (booking_id, receipt_no, kind, amount_yen, method, note, voids_payment_id, received_by, created_at)
      VALUES (?, 'V2026-000001', 'void', ?, 'cash', 'mistake', ?, ?, '2026-11-21T01:00:00.000Z')`).run(bookingId, totalYen, paymentId, staff.id);
    const text = await pdfText((await call(t, 'GET', `/api/v1/receipts/${receiptNo}.pdf`, { cookie: payer.cookie })).rawPayload);
    expect(text).toContain('この領収書は令和8年11月21日に取り消されました（無効）');
    expectProblem(await call(t, 'GET', '/api/v1/receipts/V2026-000001.pdf', { cookie: staff.cookie }), 404, 'not_found');
  });

  it('has no receipt for a refund: a refund is money paid out', async () => {
    // Cancelled 6 days before use: half the fee is charged and the rest refunded.
    t.clock.set('2026-12-05T10:00');
    // Sessions last hours, not weeks: log in again on the later day.
    payer = { ...payer, cookie: await t.login('payer@example.jp') };
    staff = { ...staff, cookie: await t.login('staff@example.jp') };
    const cancelled = await call(t, 'POST', `/api/v1/bookings/${bookingId}/cancel`, { cookie: payer.cookie, body: {} });
    expect(cancelled.json().refundYen).toBeGreaterThan(0);
    const refund = t.db.$client.prepare(`SELECT receipt_no FROM payments WHERE kind = 'refund'`).get() as { receipt_no: string };
    expectProblem(await call(t, 'GET', `/api/v1/receipts/${refund.receipt_no}.pdf`, { cookie: staff.cookie }), 404, 'not_found');
    // The payment's own receipt still stands.
    isPdf(await call(t, 'GET', `/api/v1/receipts/${receiptNo}.pdf`, { cookie: payer.cookie }));
  });
});

describe('the booking page links the permit', () => {
  it('shows a link to the permit of a confirmed booking', async () => {
    const t = await makeTestApp('2026-11-20T10:00');
    try {
      const member = await user(t, 'member', 'member@example.jp', { groupId: makeGroup(t) });
      const made = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: body('2026-12-10T18:00', '2026-12-10T20:00') });
      const page = await call(t, 'GET', `/my/bookings/${made.json().id}`, { cookie: member.cookie });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`href="/api/v1/bookings/${made.json().id}/permit.pdf"`);
    } finally {
      await t.close();
    }
  });
});
