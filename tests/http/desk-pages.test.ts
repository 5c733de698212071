import { describe, expect, it } from 'vitest';
import { count, type TestApp, appPerTest } from '../support/app.js';
import { auditActions, body, bookingRow, call, makeGroup, user } from './helpers.js';
import { postForm, signedInForm } from '../support/forms.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. small-1 for two morning hours costs ¥480 at the
// general rate in the heating season, ¥240 at the registered rate.

const app = appPerTest('2026-12-01T10:00', { sessionHours: 24 * 30 });

const get = (a: TestApp, url: string, cookie: string) => a.app.inject({ url, headers: { cookie } });

/** A clerk with a desk page open: what posting the desk's forms needs. */
const clerk = (a: TestApp, role: 'staff' | 'manager' = 'staff') => signedInForm(a, role, `${role}@example.jp`, '/desk');

const walkInSlot = (extra: Record<string, string> = {}) => ({
  booker: 'walk-in', walkInName: '佐藤 一郎', walkInPhone: '090-1111-2222',
  space: 'small-1', date: '2026-12-10', start: '10:00', end: '12:00', attendees: '5', purpose: '自治会の定例会', ...extra,
});

function payments(a: TestApp, bookingId: number) {
  return a.db.$client.prepare('SELECT id, receipt_no, kind, amount_yen, note, voids_payment_id FROM payments WHERE booking_id = ? ORDER BY id').all(bookingId) as
    { id: number; receipt_no: string; kind: string; amount_yen: number; note: string | null; voids_payment_id: number | null }[];
}

describe('who may use the desk', () => {
  it('sends visitors to the login form and tells citizens and members the page is not theirs', async () => {
    const a = await app();
    const anonymous = await a.app.inject('/desk');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fdesk');
    const citizen = await user(a, 'individual', 'hanako@example.jp');
    for (const url of ['/desk', '/desk/book', '/desk/cash', '/desk/bookings?q=1', '/desk/calls']) {
      const res = await get(a, url, citizen.cookie);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toContain('このページは窓口職員と管理者だけが使えます。');
    }
    const staff = await user(a, 'staff', 'clerk@example.jp');
    const board = await get(a, '/desk', staff.cookie);
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('href="/desk" aria-current="page">窓口</a>');
    expect(board.body).not.toContain('href="/manage"');
  });

  it('refuses a form post without its CSRF token and stores nothing', async () => {
    const a = await app();
    const c = await clerk(a);
    const res = await postForm(a, '/desk/book', walkInSlot(), c.cookie);
    expect(res.statusCode).toBe(403);
    expect(count(a.db, 'bookings')).toBe(0);
  });
});

describe('a walk-in booking at the desk', () => {
  it('shows the fee lines first without storing anything, then books for the walk-in and goes to the payment', async () => {
    const a = await app();
    const c = await clerk(a);
    const start = await get(a, '/desk/book?booker=walk-in', c.session);
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('id="field-walkInName"');
    expect(start.body).toMatch(/id="field-walkInName"[^>]*autofocus/);

    const confirm = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...walkInSlot() }, c.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toContain('使用料 ¥480');
    expect(confirm.body).toContain('基本使用料（小会議室1 10:00–12:00）');
    expect(confirm.body).toContain('佐藤 一郎（窓口申込・090-1111-2222）');
    expect(count(a.db, 'bookings')).toBe(0);

    const res = await postForm(a, '/desk/book', { _csrf: c.token, ...walkInSlot() }, c.cookie);
    expect(res.statusCode, res.body).toBe(303);
    const id = Number(/\/desk\/bookings\/(\d+)\?focus=pay$/.exec(res.headers.location as string)?.[1]);
    expect(bookingRow(a, id)).toMatchObject({ walk_in_name: '佐藤 一郎', channel: 'desk', status: 'provisional', total_yen: 480, category: 'general' });
    const page = await get(a, `/desk/bookings/${id}?focus=pay`, c.session);
    expect(page.body).toMatch(/id="field-amountYen"[^>]*value="480"[^>]*autofocus/);
    expect(page.body).toContain('090-1111-2222');
  });

  it('re-renders with 422, each message tied to its field, and keeps what was typed', async () => {
    const a = await app();
    const c = await clerk(a);
    const res = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...walkInSlot({ walkInName: '', walkInPhone: 'abc', attendees: '' }) }, c.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#field-walkInName">申込者の氏名を入力してください</a>');
    expect(res.body).toContain('<a href="#field-walkInPhone">電話番号は数字とハイフンで入力してください</a>');
    expect(res.body).toContain('<a href="#field-attendees">');
    expect(res.body).toMatch(/id="field-walkInPhone"[^>]*aria-invalid="true"[^>]*aria-describedby="walkin-hint field-walkInPhone-error"/);
    expect(res.body).toContain('value="自治会の定例会"');
    // A date past the window is refused next to the date, unless staff give a reason to override it.
    const far = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...walkInSlot({ date: '2027-05-12' }) }, c.cookie);
    expect(far.statusCode).toBe(422);
    expect(far.body).toContain('<a href="#field-date">');
    const overridden = await postForm(a, '/desk/book', { _csrf: c.token, ...walkInSlot({ date: '2027-05-12', overrideReason: '市の共催行事の準備' }) }, c.cookie);
    expect(overridden.statusCode, overridden.body).toBe(303);
    expect(a.db.$client.prepare('SELECT override_reason FROM bookings').get()).toEqual({ override_reason: '市の共催行事の準備' });
    expect(count(a.db, 'bookings')).toBe(1);
  });

  it('finds a registered group by name, books at the registered rate with a 50% exemption, confirmed at once', async () => {
    const a = await app();
    const c = await clerk(a);
    const groupId = makeGroup(a, '緑町町内会');
    const search = await get(a, '/desk/book?q=%E7%B7%91%E7%94%BA&space=small-1&date=2026-12-10', c.session);
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain('緑町町内会');
    expect(search.body).toContain(`href="/desk/book?space=small-1&amp;date=2026-12-10&amp;booker=group%3A${groupId}"`);
    const chosen = await get(a, `/desk/book?space=small-1&date=2026-12-10&booker=group:${groupId}`, c.session);
    expect(chosen.body).toContain('登録有効期限 2027年3月31日(水)');
    expect(chosen.body).toMatch(/<option value="small-1" selected>/);
    const fields = { ...walkInSlot({ booker: `group:${groupId}`, walkInName: '', walkInPhone: '' }), exemptionPercent: '50', exemptionReason: '市の共催事業' };
    const confirm = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...fields }, c.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toContain('使用料 ¥120');
    expect(confirm.body).toContain('すぐに確定します');
    const res = await postForm(a, '/desk/book', { _csrf: c.token, ...fields }, c.cookie);
    expect(res.statusCode).toBe(303);
    expect(a.db.$client.prepare('SELECT group_id, category, status, total_yen, exemption_percent, exemption_reason FROM bookings').get())
      .toEqual({ group_id: groupId, category: 'registered', status: 'confirmed', total_yen: 120, exemption_percent: 50, exemption_reason: '市の共催事業' });
    expect(JSON.parse(auditActions(a, 'booking.create')[0]!.detail_json)).toMatchObject({ exemption: { percent: 50, reason: '市の共催事業' } });
    // An exemption needs its reason.
    const noReason = await postForm(a, '/desk/book/confirm', { _csrf: c.token, ...fields, exemptionReason: '' }, c.cookie);
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('<a href="#field-exemptionReason">減免の理由を入力してください</a>');
  });
});

describe('money at the desk', () => {
  async function booked(a: TestApp, session: string, extra: Record<string, unknown> = {}) {
    const res = await call(a, 'POST', '/api/v1/bookings', { cookie: session, body: body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' }, ...extra }) });
    return (res.json() as { id: number }).id;
  }

  it('takes a partial and then the full payment with receipt numbers, and voids one with a reason', async () => {
    const a = await app();
    const c = await clerk(a);
    const id = await booked(a, c.session);
    const first = await postForm(a, `/desk/bookings/${id}/payments`, { _csrf: c.token, amountYen: '２００' }, c.cookie);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toMatch(new RegExp(`^/desk/bookings/${id}\\?receipt=R2026-000001&focus=pay$`));
    const page = await get(a, first.headers.location as string, c.session);
    expect(page.body).toContain('領収書番号 R2026-000001（¥200）を発行しました。');
    expect(page.body).toMatch(/id="field-amountYen"[^>]*value="280"/);
    const tooMuch = await postForm(a, `/desk/bookings/${id}/payments`, { _csrf: c.token, amountYen: '300' }, c.cookie);
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.body).toContain('受け取れるのは残高の ¥280 までです');
    const second = await postForm(a, `/desk/bookings/${id}/payments`, { _csrf: c.token, amountYen: '280' }, c.cookie);
    expect(second.headers.location).toBe(`/desk/bookings/${id}?receipt=R2026-000002`);
    expect(bookingRow(a, id)).toMatchObject({ status: 'confirmed', payment_status: 'paid' });

    const [p1] = payments(a, id);
    const noReason = await postForm(a, `/desk/payments/${p1!.id}/void`, { _csrf: c.token, booking: String(id), reason: '' }, c.cookie);
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain(`<a href="#field-voidReason-${p1!.id}">取消の理由を入力してください</a>`);
    expect(payments(a, id)).toHaveLength(2);
    const voided = await postForm(a, `/desk/payments/${p1!.id}/void`, { _csrf: c.token, booking: String(id), reason: '二重に受け取った' }, c.cookie);
    expect(voided.statusCode).toBe(303);
    expect(payments(a, id)[2]).toMatchObject({ kind: 'void', amount_yen: 200, voids_payment_id: p1!.id, note: '二重に受け取った' });
    expect(bookingRow(a, id)).toMatchObject({ status: 'confirmed', payment_status: 'unpaid' });
    const after = await get(a, `/desk/bookings/${id}`, `${c.session}; hiroba_flash=flash.paymentVoidedUnpaid`);
    expect(after.body).toContain('予約は確定のままですが、未払いになりました。');
    expect(after.body).toContain('V2026-000001 で取消済み');
  });

  it('checks people in from the board with the actual headcount', async () => {
    const a = await app('2026-12-10T09:40');
    const c = await clerk(a);
    const id = await booked(a, c.session);
    const board = await get(a, '/desk', c.session);
    expect(board.body).toContain('まもなく開始');
    expect(board.body).toContain(`for="field-attendees-${id}"`);
    const bad = await postForm(a, `/desk/bookings/${id}/check-in`, { _csrf: c.token, attendees: 'たくさん', next: '/desk' }, c.cookie);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain(`<a href="#field-attendees-${id}">`);
    const res = await postForm(a, `/desk/bookings/${id}/check-in`, { _csrf: c.token, attendees: '4', next: '/desk' }, c.cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/desk');
    expect(bookingRow(a, id)).toMatchObject({ attendance: 'checked_in', actual_attendees: 4 });
    // `next` only ever leads back to a desk page.
    const away = await postForm(a, `/desk/bookings/${id}/check-in`, { _csrf: c.token, attendees: '5', next: 'https://evil.example/' }, c.cookie);
    expect(away.headers.location).toBe('/desk');
  });

  it('cancels as facility-caused for free, refunding what was paid', async () => {
    const a = await app();
    const c = await clerk(a);
    const id = await call(a, 'POST', '/api/v1/bookings', { cookie: c.session, body: body('2026-12-03T10:00', '2026-12-03T12:00', { walkIn: { name: '佐藤', phone: '090-1111-2222' } }) }).then((r) => (r.json() as { id: number }).id);
    await call(a, 'POST', `/api/v1/bookings/${id}/payments`, { cookie: c.session, body: { amountYen: 480, method: 'cash' } });
    const preview = await get(a, `/desk/bookings/${id}/cancel`, c.session);
    expect(preview.body).toContain('申込者の都合');
    expect(preview.body).toMatch(/キャンセル料<\/th><td class="num">¥240<\/td><td class="num">¥0<\/td>/);
    const res = await postForm(a, `/desk/bookings/${id}/cancel`, { _csrf: c.token, facilityCaused: 'true', reason: '気象警報' }, c.cookie);
    expect(res.statusCode).toBe(303);
    expect(bookingRow(a, id)).toMatchObject({ status: 'cancelled', facility_caused: 1, cancellation_fee_yen: 0, payment_status: 'refunded' });
    expect(payments(a, id)[1]).toMatchObject({ kind: 'refund', amount_yen: 480 });
  });

  it('shows the cash close with the same totals as the payments of the day', async () => {
    const a = await app();
    const c = await clerk(a);
    const one = await booked(a, c.session);
    await call(a, 'POST', `/api/v1/bookings/${one}/payments`, { cookie: c.session, body: { amountYen: 300, method: 'cash' } });
    await call(a, 'POST', `/api/v1/bookings/${one}/payments`, { cookie: c.session, body: { amountYen: 180, method: 'cash' } });
    const [p] = payments(a, one);
    await call(a, 'POST', `/api/v1/payments/${p!.id}/void`, { cookie: c.session, body: { reason: '打ち間違い' } });
    const page = await get(a, '/desk/cash?date=2026-12-01', c.session);
    expect(page.statusCode).toBe(200);
    const net = (a.db.$client.prepare("SELECT sum(CASE kind WHEN 'payment' THEN amount_yen ELSE -amount_yen END) AS net FROM payments").get() as { net: number }).net;
    expect(net).toBe(180);
    expect(page.body).toContain(`<p class="cash-net__amount" id="cash-net">¥${net}</p>`);
    expect(page.body).toContain('<td class="num" id="cash-payment">¥480</td>');
    expect(page.body).toContain('<td class="num" id="cash-void">-¥300</td>');
    expect(page.body).toContain('R2026-000001 の取消');
    expect((await get(a, '/desk/cash?date=2026-13-01', c.session)).statusCode).toBe(400);
  });
});

describe('finding a booking', () => {
  it('finds by name, phone, booking and receipt number', async () => {
    const a = await app();
    const c = await clerk(a);
    const res = await call(a, 'POST', '/api/v1/bookings', { cookie: c.session, body: body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' } }) });
    const id = (res.json() as { id: number }).id;
    await call(a, 'POST', `/api/v1/bookings/${id}/payments`, { cookie: c.session, body: { amountYen: 100, method: 'cash' } });
    for (const q of ['佐藤', '09011112222', String(id), 'r2026-000001']) {
      const page = await get(a, `/desk/bookings?q=${encodeURIComponent(q)}`, c.session);
      expect(page.body, q).toContain(`href="/desk/bookings/${id}"`);
      expect(page.body).toContain('検索結果 1件');
    }
    expect((await get(a, '/desk/bookings?q=nobody', c.session)).body).toContain('見つかりませんでした');
    expect((await get(a, '/desk/bookings/99999', c.session)).statusCode).toBe(404);
  });
});

describe('in English', () => {
  it('renders every page of the desk and the console with lang="en" and no Japanese-only labels missing', async () => {
    const a = await app();
    const m = await user(a, 'manager', 'boss@example.jp');
    const groupId = makeGroup(a);
    const res = await call(a, 'POST', '/api/v1/bookings', { cookie: m.cookie, body: body('2026-12-01T13:00', '2026-12-01T15:00', { walkIn: { name: '佐藤', phone: '090-1111-2222' } }) });
    const id = (res.json() as { id: number }).id;
    await call(a, 'POST', `/api/v1/bookings/${id}/payments`, { cookie: m.cookie, body: { amountYen: 100, method: 'cash' } });
    const cookie = `${m.cookie}; hiroba_lang=en`;
    for (const url of ['/desk', '/desk/bookings?q=%E4%BD%90%E8%97%A4', `/desk/bookings/${id}`, '/desk/book?q=%E5%B8%82%E6%B0%91', '/desk/book?booker=walk-in', `/desk/book?booker=group:${groupId}`,
      `/desk/bookings/${id}/change`, `/desk/bookings/${id}/cancel`, '/desk/cash', '/desk/calls',
      '/manage', '/manage/days', '/manage/blocks', '/manage/rates', '/manage/staff', '/manage/tokens', '/manage/audit', '/manage/rules']) {
      const page = await get(a, url, cookie);
      expect(page.statusCode, `${url}: ${page.body.slice(0, 500)}`).toBe(200);
      expect(page.body).toContain('<html lang="en">');
    }
    expect((await get(a, '/desk', cookie)).body).toContain('Bookings of the day (1)');
    expect((await get(a, '/desk/cash', cookie)).body).toContain('Net (payments − refunds − voids)');
  });
});
