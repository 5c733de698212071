import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { openForm, postForm } from '../support/forms.js';
import { call, makeGroup, user } from './helpers.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. The center lends 3 projectors (¥500 each a use at
// the general rate, free for a registered group), 1 portable PA set, 1 piano (with the hall only).
// 2026-12-14 is the 2nd Monday: a regular closing day.

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00', { sessionHours: 24 * 30 });
});
afterEach(async () => {
  await t.close();
});

const sql = <T>(query: string, ...args: unknown[]) => t.db.$client.prepare(query).all(...args) as T[];
const stored = () => ({ bookings: count(t.db, 'bookings'), loans: count(t.db, 'loans'), items: count(t.db, 'loan_items'), series: count(t.db, 'booking_series') });
const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });

/** The booking form's fields: training room A (30 people) on Tuesday 12/15, 13:00–16:00. */
const slot = (extra: Record<string, string> = {}) => ({
  space: 'training-a', date: '2026-12-15', start: '13:00', end: '16:00', attendees: '20', purpose: '防災講座', ...extra,
});

/** A member of a registered group, signed in, with the booking form open. */
async function member(email = 'kaiin@example.jp', groupName = '市民活動ネットワーク') {
  const groupId = makeGroup(t, groupName);
  const u = await user(t, 'member', email, { groupId });
  const form = await openForm(t, '/book', u.cookie);
  return { ...u, groupId, token: form.token, cookie: form.cookie };
}

async function individual(email = 'hanako@example.jp') {
  const u = await user(t, 'individual', email);
  const form = await openForm(t, '/book', u.cookie);
  return { ...u, token: form.token, cookie: form.cookie };
}

/** A take-out's fields on /my/loans: Thursday 12/10 10:00 to Saturday 12/12 17:00 unless told. */
const takeout = (extra: Record<string, string> = {}) => ({
  startDate: '2026-12-10', startTime: '10:00', endDate: '2026-12-12', endTime: '17:00', ...extra,
});

describe('equipment on the booking form', () => {
  it('offers every type with a number field from 0 to the pool, its fee for this booker and "ホールのみ" for the piano and the stage', async () => {
    const m = await member();
    const page = await get('/book', m.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<legend class="fieldset__legend">備品（必要なときだけ）</legend>');
    expect(page.body).toMatch(/<label class="equipment__label" for="field-equipment-projector">プロジェクター<\/label>/);
    expect(page.body).toMatch(/<input class="field__input equipment__input" type="number" id="field-equipment-projector" name="equipment-projector" value="0" min="0" max="3" step="1"[^>]*aria-describedby="field-equipment-projector-hint">/);
    expect(page.body).toContain('無料（登録団体）');
    expect(page.body).toMatch(/id="field-equipment-piano-hint">.*ホールのみ/);
    expect(page.body).toMatch(/id="field-equipment-stage-hint">.*ホールのみ/);
    expect(page.body).not.toMatch(/id="field-equipment-projector-hint">.*ホールのみ/);
    expect(page.body).toContain('ワイヤレスマイク');
    expect(page.body).toMatch(/id="field-equipment-wireless-mic-hint">.*2本まで/);

    const h = await individual();
    const general = await get('/book', h.cookie);
    expect(general.body).toMatch(/id="field-equipment-projector-hint"><span class="equipment__fee">1つ¥500<\/span><span class="equipment__stock">3台まで<\/span>/);
    expect(general.body).not.toContain('無料（登録団体）');
  });

  it('books a room with two projectors: the confirmation shows the lines and stores nothing; booking stores the booking and a loan with its items', async () => {
    const m = await member();
    const confirm = await postForm(t, '/book/confirm', { _csrf: m.token, ...slot({ 'equipment-projector': '2', 'equipment-screen': '0' }) }, m.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toMatch(/<dt>備品<\/dt><dd>プロジェクター 2台<\/dd>/);
    expect(confirm.body).toContain('プロジェクター ×2（登録団体無料）');
    // The values ride along to the final step.
    expect(confirm.body).toContain('<input type="hidden" name="equipment-projector" value="2">');
    expect(stored()).toEqual({ bookings: 0, loans: 0, items: 0, series: 0 });

    const res = await postForm(t, '/book', { _csrf: m.token, ...slot({ 'equipment-projector': '2', 'equipment-screen': '0' }) }, m.cookie);
    expect(res.statusCode, res.body).toBe(303);
    const bookingId = Number(/^\/my\/bookings\/(\d+)$/.exec(res.headers.location as string)?.[1]);
    expect(bookingId).toBeGreaterThan(0);
    expect(sql('SELECT status, group_id FROM bookings')).toEqual([{ status: 'confirmed', group_id: m.groupId }]);
    expect(sql('SELECT kind, booking_id, group_id, account_id, start_at, end_at, status FROM loans')).toEqual([
      { kind: 'booking', booking_id: bookingId, group_id: m.groupId, account_id: null, start_at: '2026-12-15T04:00:00.000Z', end_at: '2026-12-15T07:00:00.000Z', status: 'reserved' },
    ]);
    expect(sql('SELECT t.slug AS type, i.quantity FROM loan_items i JOIN equipment_types t ON t.id = i.type_id')).toEqual([{ type: 'projector', quantity: 2 }]);

    // The group's bookings say what each borrows, and link to the loans.
    const list = await get('/my/bookings', m.cookie);
    expect(list.body).toContain('備品：プロジェクター 2台');
    expect(list.body).toContain('href="/my/loans"');
    const detail = await get(`/my/bookings/${bookingId}`, m.cookie);
    expect(detail.body).toMatch(/<dt>備品<\/dt><dd>プロジェクター 2台 <a href="\/my\/loans">/);
  });

  it('prices equipment at the listed fee for an individual, in the fee lines of the confirmation', async () => {
    const h = await individual();
    const confirm = await postForm(t, '/book/confirm', { _csrf: h.token, ...slot({ 'equipment-projector': '２' }) }, h.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toMatch(/<th scope="row" class="fee-lines__label">プロジェクター ×2<\/th>\s*<td class="num">¥1,000<\/td>/);
  });

  it('re-renders the form when more are asked for than are free, saying how many are left, and stores nothing', async () => {
    const other = await user(t, 'member', 'other@example.jp', { groupId: makeGroup(t, '別の会') });
    const first = await call(t, 'POST', '/api/v1/bookings', { cookie: other.cookie, body: { space: 'training-b', start: '2026-12-15T14:00', end: '2026-12-15T17:00', purpose: '講演会', attendees: 10, equipment: [{ type: 'projector', quantity: 2 }] } });
    expect(first.statusCode, first.body).toBe(201);
    const m = await member();
    const before = stored();
    for (const url of ['/book/confirm', '/book']) {
      const res = await postForm(t, url, { _csrf: m.token, ...slot({ 'equipment-projector': '2' }) }, m.cookie);
      expect(res.statusCode, url).toBe(422);
      expect(res.body).toContain('プロジェクターは残り1台です');
      expect(res.body).toContain('<a href="#field-equipment-projector">プロジェクターは残り1台です');
      expect(res.body).toMatch(/id="field-equipment-projector" name="equipment-projector" value="2"[^>]*aria-invalid="true" aria-describedby="field-equipment-projector-hint field-equipment-projector-error"/);
      expect(res.body).toContain('>防災講座</textarea>');
      expect(stored()).toEqual(before);
    }
    // The one that is left can still be had.
    const one = await postForm(t, '/book', { _csrf: m.token, ...slot({ 'equipment-projector': '1' }) }, m.cookie);
    expect(one.statusCode, one.body).toBe(303);
  });

  it('refuses the piano without the hall, next to the piano, and stores nothing; with the hall it is offered', async () => {
    const m = await member();
    const res = await postForm(t, '/book/confirm', { _csrf: m.token, ...slot({ 'equipment-piano': '1' }) }, m.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#field-equipment-piano">ピアノはホールを利用するときだけ借りられます。施設にホールを選ぶか、ピアノの数を0にしてください</a>');
    expect(stored()).toEqual({ bookings: 0, loans: 0, items: 0, series: 0 });
    const hall = await postForm(t, '/book', { _csrf: m.token, ...slot({ space: 'hall', attendees: '100', 'equipment-piano': '1', 'equipment-stage': '1' }) }, m.cookie);
    expect(hall.statusCode, hall.body).toBe(303);
    expect(sql('SELECT t.slug AS type, i.quantity FROM loan_items i JOIN equipment_types t ON t.id = i.type_id ORDER BY t.sort_order')).toEqual([{ type: 'piano', quantity: 1 }, { type: 'stage', quantity: 1 }]);
  });

  it('says what is wrong with a quantity that is not a number, or more than the center has', async () => {
    const m = await member();
    const res = await postForm(t, '/book/confirm', { _csrf: m.token, ...slot({ 'equipment-projector': 'たくさん', 'equipment-screen': '9' }) }, m.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('プロジェクターの数は0以上の数字で入力してください');
    // The form's own check stops at the bad number; the service then names the stock.
    const more = await postForm(t, '/book/confirm', { _csrf: m.token, ...slot({ 'equipment-screen': '9' }) }, m.cookie);
    expect(more.statusCode).toBe(422);
    expect(more.body).toContain('スクリーンはセンターに3台しかありません。3台以下にしてください');
  });

  it('names the dates of a series skipped because the equipment is taken', async () => {
    const other = await user(t, 'member', 'other@example.jp', { groupId: makeGroup(t, '別の会') });
    expect((await call(t, 'POST', '/api/v1/bookings', { cookie: other.cookie, body: { space: 'small-2', start: '2026-12-22T13:00', end: '2026-12-22T16:00', purpose: '練習', attendees: 5, equipment: [{ type: 'portable-pa', quantity: 1 }] } })).statusCode).toBe(201);
    const m = await member();
    const res = await postForm(t, '/book/confirm', { _csrf: m.token, ...slot({ 'equipment-portable-pa': '1', repeat: 'weekly', repeatEnd: 'count', count: '2' }) }, m.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toMatch(/2026年12月22日\(火\) 13:00<\/th>\s*<td>備品が足りません（ポータブル拡声装置は残り0台）<\/td>/);
  });

  it('shows the English fee line of equipment in English', async () => {
    const m = await member();
    const res = await postForm(t, '/book/confirm', { _csrf: m.token, ...slot({ 'equipment-projector': '2' }) }, `${m.cookie}; hiroba_lang=en`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Projector × 2 (free for registered groups)');
    expect(res.body).toMatch(/<dt>Equipment<\/dt><dd>Projector × 2<\/dd>/);
  });
});

/** A group whose projector came back damaged: a damage case opens and suspends its borrowing. */
async function damagedCase(m: { cookie: string }) {
  const staff = await user(t, 'staff', 'desk@example.jp');
  const booked = await call(t, 'POST', '/api/v1/bookings', { cookie: m.cookie, body: { space: 'small-1', start: '2026-12-02T10:00', end: '2026-12-02T12:00', purpose: '会議', attendees: 5, equipment: [{ type: 'projector', quantity: 1 }] } });
  expect(booked.statusCode, booked.body).toBe(201);
  const loanId = sql<{ id: number }>('SELECT id FROM loans ORDER BY id DESC LIMIT 1')[0]!.id;
  t.clock.set('2026-12-02T09:50');
  expect((await call(t, 'POST', `/api/v1/loans/${loanId}/checkout`, { cookie: staff.cookie, body: {} })).statusCode).toBe(200);
  t.clock.set('2026-12-02T12:05');
  const back = await call(t, 'POST', `/api/v1/loans/${loanId}/return`, { cookie: staff.cookie, body: { units: [{ tag: 'PJ-01', condition: 'damaged', note: 'レンズにひび' }] } });
  expect(back.statusCode, back.body).toBe(200);
  return { loanId, caseId: (back.json() as { damageCases: number[] }).damageCases[0]! };
}

describe('a group whose borrowing is suspended', () => {
  it('is told on the booking form, with a link to its cases, and the room alone can still be booked', async () => {
    const m = await member();
    await damagedCase(m);
    // Said as soon as the form opens, before any equipment is asked for.
    const form = await get('/book', m.cookie);
    expect(form.body).toContain('<p><strong>備品を借りられません</strong></p>');
    expect(form.body).toContain('<a href="/my/loans#cases">破損・紛失の案件を見る</a>');
    const before = stored();
    const res = await postForm(t, '/book/confirm', { _csrf: m.token, ...slot({ 'equipment-screen': '1' }) }, m.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('破損・紛失の手続きが済んでいない案件があるため、現在は備品を借りられません');
    expect(res.body).toContain('<a href="/my/loans#cases">破損・紛失の案件を見る</a>');
    expect(stored()).toEqual(before);
    const roomOnly = await postForm(t, '/book', { _csrf: m.token, ...slot({ 'equipment-screen': '0' }) }, m.cookie);
    expect(roomOnly.statusCode, roomOnly.body).toBe(303);
  });

  it('sees the banner and the case on /my/loans, with the cost and invoice number once invoiced, and no take-out form', async () => {
    const m = await member();
    const { caseId, loanId } = await damagedCase(m);
    const page = await get('/my/loans', m.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="suspension-title" class="suspension__title">備品の貸出を停止しています</h2>');
    expect(page.body).toContain('案件が精算（または免除）されるまで、備品を借りることはできません');
    expect(page.body).toContain(`<a href="#case-${caseId}">No.${caseId} プロジェクター（PJ-01） 破損（確認中）</a>`);
    expect(page.body).toMatch(new RegExp(`<tr class="bookings__row" id="case-${caseId}">[\\s\\S]*?確認中[\\s\\S]*?査定中`));
    expect(page.body).toContain('手続き中の破損・紛失の案件があるため、今は持ち出しを申し込めません。');
    expect(page.body).not.toContain('action="/my/loans"');
    // The returned loan, with the unit that was handed out.
    expect(page.body).toContain(`href="/my/loans/${loanId}"`);
    expect(page.body).toContain('1点（PJ-01）');
    expect(page.body).toContain('返却済');

    const manager = await user(t, 'manager', 'boss@example.jp');
    expect((await call(t, 'POST', `/api/v1/damage-cases/${caseId}/assess`, { cookie: manager.cookie, body: { costYen: 12000, liable: true } })).statusCode).toBe(200);
    const invoiced = await get('/my/loans', m.cookie);
    expect(invoiced.body).toMatch(new RegExp(`id="case-${caseId}">[\\s\\S]*?請求中[\\s\\S]*?¥12,000[\\s\\S]*?D2026-0001`));
    expect(invoiced.body).toContain('請求中の案件は、請求額を窓口でお支払いいただくと精算済みになり');

    expect((await call(t, 'POST', `/api/v1/damage-cases/${caseId}/settle`, { cookie: manager.cookie, body: {} })).statusCode).toBe(200);
    const settled = await get('/my/loans', m.cookie);
    expect(settled.body).not.toContain('備品の貸出を停止しています');
    expect(settled.body).toContain('精算済');
    expect(settled.body).toContain('action="/my/loans"');
  });
});

describe('taking equipment out (/my/loans)', () => {
  async function loansForm(m: { cookie: string }) {
    return openForm(t, '/my/loans', m.cookie);
  }

  it('stores a take-out of the group, and lists it as reserved', async () => {
    const m = await member();
    const form = await loansForm(m);
    expect(form.res.body).toContain('<h2 id="takeout-title">備品を持ち出す</h2>');
    // Hall-only equipment is never taken out.
    expect(form.res.body).not.toContain('name="equipment-piano"');
    const res = await postForm(t, '/my/loans', { _csrf: form.token, ...takeout({ 'equipment-projector': '1', 'equipment-screen': '1' }) }, form.cookie);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/my/loans');
    expect(sql('SELECT kind, booking_id, group_id, account_id, start_at, end_at, status FROM loans')).toEqual([
      { kind: 'takeout', booking_id: null, group_id: m.groupId, account_id: null, start_at: '2026-12-10T01:00:00.000Z', end_at: '2026-12-12T08:00:00.000Z', status: 'reserved' },
    ]);
    expect(sql('SELECT t.slug AS type, i.quantity FROM loan_items i JOIN equipment_types t ON t.id = i.type_id ORDER BY t.sort_order')).toEqual([{ type: 'projector', quantity: 1 }, { type: 'screen', quantity: 1 }]);
    const list = await get('/my/loans', `${form.cookie}; hiroba_flash=flash.takeoutReserved`);
    expect(list.body).toContain('備品の持ち出しを受け付けました。');
    expect(list.body).toContain('2026年12月10日(木) 10:00 〜 2026年12月12日(土) 17:00');
    expect(list.body).toMatch(/持ち出し<\/td>\s*<td data-label="備品">プロジェクター 1台、スクリーン 1台<\/td>\s*<td data-label="状況" class="loans__short"><span><span class="status status--loan-reserved">予約済<\/span>/);
    expect(list.body).toContain('受け取り前');
  });

  it('re-renders an 8-day take-out with 422 and the input kept, storing nothing', async () => {
    const m = await member();
    const form = await loansForm(m);
    const res = await postForm(t, '/my/loans', { _csrf: form.token, ...takeout({ endDate: '2026-12-18', 'equipment-projector': '1' }) }, form.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#field-endDate">持ち出しは最長7日間です。返却の日時を早めてください</a>');
    expect(res.body).toContain('value="2026-12-18"');
    expect(res.body).toMatch(/id="field-equipment-projector" name="equipment-projector" value="1"/);
    expect(count(t.db, 'loans')).toBe(0);
    expect(count(t.db, 'loan_items')).toBe(0);
  });

  it('says so when the desk is closed on the pick-up day, when nothing is chosen, and when equipment is short', async () => {
    const m = await member();
    const form = await loansForm(m);
    const closed = await postForm(t, '/my/loans', { _csrf: form.token, ...takeout({ startDate: '2026-12-14', endDate: '2026-12-15', 'equipment-projector': '1' }) }, form.cookie);
    expect(closed.statusCode).toBe(422);
    expect(closed.body).toContain('2026年12月14日(月)は休館日（定例休館日）のため、窓口で受け取り・返却ができません');
    const none = await postForm(t, '/my/loans', { _csrf: form.token, ...takeout() }, form.cookie);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('備品の数を1つ以上入力してください');
    const other = await user(t, 'member', 'other@example.jp', { groupId: makeGroup(t, '別の会') });
    expect((await call(t, 'POST', '/api/v1/loans', { cookie: other.cookie, body: { start: '2026-12-11T10:00', end: '2026-12-11T17:00', items: [{ type: 'portable-pa', quantity: 1 }] } })).statusCode).toBe(201);
    const short = await postForm(t, '/my/loans', { _csrf: form.token, ...takeout({ 'equipment-portable-pa': '1' }) }, form.cookie);
    expect(short.statusCode).toBe(409);
    expect(short.body).toContain('<a href="#field-equipment-portable-pa">ポータブル拡声装置は残り0台です');
    expect(count(t.db, 'loans')).toBe(1);
  });

  it('cancels a take-out before pick-up, and not after', async () => {
    const m = await member();
    const form = await loansForm(m);
    expect((await postForm(t, '/my/loans', { _csrf: form.token, ...takeout({ 'equipment-projector': '1' }) }, form.cookie)).statusCode).toBe(303);
    const id = sql<{ id: number }>('SELECT id FROM loans')[0]!.id;
    const detail = await get(`/my/loans/${id}`, form.cookie);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain(`action="/my/loans/${id}/cancel"`);
    const cancelled = await postForm(t, `/my/loans/${id}/cancel`, { _csrf: form.token }, form.cookie);
    expect(cancelled.statusCode).toBe(303);
    expect(sql('SELECT status FROM loans')).toEqual([{ status: 'cancelled' }]);
    const again = await postForm(t, `/my/loans/${id}/cancel`, { _csrf: form.token }, form.cookie);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('この貸出は取り消せません');
  });

  it('keeps another group\'s loans out of sight: not listed, its page and its cancel are 404, and nothing changes', async () => {
    const other = await user(t, 'member', 'other@example.jp', { groupId: makeGroup(t, '別の会') });
    expect((await call(t, 'POST', '/api/v1/loans', { cookie: other.cookie, body: { start: '2026-12-11T10:00', end: '2026-12-11T17:00', items: [{ type: 'panel', quantity: 4 }] } })).statusCode).toBe(201);
    const id = sql<{ id: number }>('SELECT id FROM loans')[0]!.id;
    const m = await member();
    const form = await loansForm(m);
    expect(form.res.body).not.toContain(`/my/loans/${id}`);
    expect(form.res.body).toContain('これからの貸出はありません。');
    expect((await get(`/my/loans/${id}`, form.cookie)).statusCode).toBe(404);
    expect((await postForm(t, `/my/loans/${id}/cancel`, { _csrf: form.token }, form.cookie)).statusCode).toBe(404);
    expect(sql('SELECT status FROM loans')).toEqual([{ status: 'reserved' }]);
  });

  it('is for members of registered groups: an individual sees its loans but no form, and a post is refused', async () => {
    const h = await individual();
    const form = await loansForm(h);
    expect(form.res.body).toContain('予約と一緒に借りる備品と、破損・紛失の案件です。');
    expect(form.res.body).not.toContain('action="/my/loans"');
    const res = await postForm(t, '/my/loans', { _csrf: form.token, ...takeout({ 'equipment-projector': '1' }) }, form.cookie);
    expect(res.statusCode).toBe(403);
    expect(count(t.db, 'loans')).toBe(0);
    // Staff use the desk's pages.
    const staff = await user(t, 'staff', 'desk@example.jp');
    expect((await get('/my/loans', staff.cookie)).statusCode).toBe(403);
    expect((await t.app.inject('/my/loans')).headers.location).toBe('/login?next=%2Fmy%2Floans');
  });
});

describe('in English', () => {
  it('renders the equipment fields, /my/loans and the fee table with English words', async () => {
    const m = await member();
    const en = `${m.cookie}; hiroba_lang=en`;
    const book = await get('/book', en);
    expect(book.body).toContain('Equipment (only if needed)');
    expect(book.body).toMatch(/id="field-equipment-piano-hint">.*Hall only/);
    const loans = await get('/my/loans', en);
    expect(loans.statusCode).toBe(200);
    expect(loans.body).toContain('<h2 id="takeout-title">Take equipment out</h2>');
    expect(loans.body).toContain('Equipment loans</a>');
    const fees = await t.app.inject({ url: '/fees', headers: { cookie: 'hiroba_lang=en' } });
    expect(fees.body).toContain('<caption>Equipment fees (per use, each)</caption>');
    expect(fees.body).toContain('3 times that for commercial use');
  });
});

describe('the desk books with equipment', () => {
  it('lends equipment to a walk-in at the listed fee, storing the loan with the booking', async () => {
    const staff = await user(t, 'staff', 'desk@example.jp');
    const form = await openForm(t, '/desk/book?booker=walk-in&space=training-a&date=2026-12-15&start=13:00', staff.cookie);
    expect(form.res.body).toContain('name="equipment-projector"');
    const fields = { _csrf: form.token, booker: 'walk-in', walkInName: '山田太郎', walkInPhone: '090-1234-5678', ...slot({ 'equipment-projector': '1' }) };
    const confirm = await postForm(t, '/desk/book/confirm', fields, form.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toMatch(/プロジェクター ×1<\/th>\s*<td class="num">¥500<\/td>/);
    expect(confirm.body).toContain('<dd>プロジェクター 1台</dd>');
    const res = await postForm(t, '/desk/book', fields, form.cookie);
    expect(res.statusCode, res.body).toBe(303);
    expect(sql('SELECT kind, group_id, account_id, status FROM loans')).toEqual([{ kind: 'booking', group_id: null, account_id: null, status: 'reserved' }]);
  });
});

describe('/fees', () => {
  it('lists the equipment with its fees and hall-only items, and the calculator includes equipment', async () => {
    const page = await t.app.inject('/fees');
    expect(page.body).toContain('<caption>備品の使用料（1回の利用、1つあたり）</caption>');
    expect(page.body).toMatch(/<th scope="row">ピアノ<\/th>\s*<td class="num" data-label="数">1台<\/td>\s*<td class="num" data-label="一般">¥2,000<\/td>\s*<td class="num" data-label="登録団体">無料<\/td>\s*<td data-label="備考"><span class="equipment__tag">ホールの利用時のみ<\/span><\/td>/);
    expect(page.body).toContain('営利目的の利用は表の額の3倍です');
    expect(page.body).not.toContain('含まれません');
    const calc = await t.app.inject('/fees?space=training-a&date=2026-12-15&start=13:00&end=16:00&equipment-projector=2');
    expect(calc.statusCode).toBe(200);
    expect(calc.body).toMatch(/プロジェクター ×2<\/th>\s*<td class="num">¥1,000<\/td>/);
    const piano = await t.app.inject('/fees?space=training-a&date=2026-12-15&start=13:00&end=16:00&equipment-piano=1');
    expect(piano.statusCode).toBe(422);
    expect(piano.body).toContain('ピアノはホールを利用するときだけ借りられます');
  });
});
