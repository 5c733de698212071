import { afterEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { openForm, postForm } from '../support/forms.js';
import { call, makeGroup, user } from './helpers.js';

// The clock starts on Tuesday 2026-12-01 10:00 in Tokyo. A registered group without e-mail
// (no account of its own) takes equipment out through the desk's take-out form (/desk/loans/takeout);
// the centre has three projectors. Monday 12/14 is the 2nd Monday: closed.

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = (a: TestApp, url: string, cookie: string) => a.app.inject({ url, headers: { cookie } });
const sql = <T>(a: TestApp, query: string, ...args: unknown[]) => a.db.$client.prepare(query).all(...args) as T[];
const loans = (a: TestApp) => sql<{ id: number; kind: string; group_id: number | null; status: string; start_at: string; end_at: string }>(a, 'SELECT id, kind, group_id, status, start_at, end_at FROM loans ORDER BY id');
/** The text of a page without its tags. */
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

async function scene() {
  const a = (t = await makeTestApp('2026-12-01T10:00', { sessionHours: 24 * 30 }));
  const groupId = makeGroup(a, '緑町映像クラブ');
  const lapsedId = makeGroup(a, '旧町内会', { status: 'lapsed', validUntil: '2026-03-31' });
  const staff = await user(a, 'staff', 'clerk@example.jp');
  const manager = await user(a, 'manager', 'boss@example.jp');
  const member = await user(a, 'member', 'kaiin@example.jp', { groupId });
  const individual = await user(a, 'individual', 'kojin@example.jp');
  return { a, groupId, lapsedId, staff, manager, member, individual };
}

const good = (groupId: number, extra: Record<string, string> = {}) => ({
  group: String(groupId), startDate: '2026-12-16', startTime: '10:00', endDate: '2026-12-18', endTime: '17:00', 'equipment-projector': '2', ...extra,
});

describe('the desk takes a take-out for a registered group', () => {
  it('finds the group by name, shows the form, stores the loan and goes to its page with a flash', async () => {
    const { a, groupId, staff } = await scene();
    const search = await get(a, `/desk/loans/takeout?q=${encodeURIComponent('緑町')}`, staff.cookie);
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain(`href="/desk/loans/takeout?group=${groupId}"`);
    expect(text(search.body)).toContain('緑町映像クラブ');

    const form = await openForm(a, `/desk/loans/takeout?group=${groupId}`, staff.cookie);
    expect(form.page.body).toContain('持ち出しを受け付ける');
    expect(form.page.body).toContain('name="equipment-projector"');
    const res = await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(groupId) }, form.cookie);
    expect(res.statusCode, res.body).toBe(303);
    const stored = loans(a);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'takeout', group_id: groupId, status: 'reserved' });
    expect(res.headers.location).toBe(`/desk/loans/${stored[0]!.id}`);
    expect(sql(a, 'SELECT quantity FROM loan_items WHERE loan_id = ?', stored[0]!.id)).toEqual([{ quantity: 2 }]);
    expect(res.cookies.find((c) => c.name === 'hiroba_flash')?.value).toBe('flash.deskTakeoutReserved');
    const page = await get(a, res.headers.location!, `${staff.cookie}; hiroba_flash=flash.deskTakeoutReserved`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('備品の持ち出しを受け付けました');
    expect(page.body).toContain('この持ち出しを取り消す');
  });

  it('answers a member searched by name with their group', async () => {
    const { a, groupId, staff } = await scene();
    const search = await get(a, `/desk/loans/takeout?q=${encodeURIComponent('kaiin@example.jp')}`, staff.cookie);
    expect(search.body).toContain(`href="/desk/loans/takeout?group=${groupId}"`);
  });

  it('re-renders 422 with Japanese messages for bad input, a closed day, desk hours and more than 7 days, storing nothing', async () => {
    const { a, groupId, staff } = await scene();
    const form = await openForm(a, `/desk/loans/takeout?group=${groupId}`, staff.cookie);
    const cases: [Record<string, string>, string][] = [
      [{ group: '' }, '持ち出す団体を探して選んでください'],
      [{ startDate: '' }, '受け取り日'],
      [{ 'equipment-projector': '0' }, ''],
      [{ startDate: '2026-12-14', endDate: '2026-12-15' }, '休館日'],
      [{ startTime: '08:00' }, '受け取り時刻'],
      [{ endDate: '2026-12-25' }, '持ち出しは最長7日間です'],
      [{ endDate: '2026-12-16', endTime: '09:00' }, '返却の日時は受け取りの日時より後にしてください'],
    ];
    for (const [change, message] of cases) {
      const res = await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(groupId), ...change }, form.cookie);
      expect(res.statusCode, JSON.stringify(change)).toBe(422);
      expect(text(res.body)).toContain(message);
      expect(res.body).toContain('class="error-summary');
    }
    expect(count(a.db, 'loans')).toBe(0);
  });

  it('refuses a group whose registration lapsed (422), and says so before the form', async () => {
    const { a, lapsedId, staff } = await scene();
    const form = await openForm(a, '/desk/loans/takeout', staff.cookie);
    const page = await get(a, `/desk/loans/takeout?group=${lapsedId}`, staff.cookie);
    expect(text(page.body)).toContain('登録が有効ではない');
    const res = await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(lapsedId) }, form.cookie);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('旧町内会は登録が有効ではないため');
    expect(count(a.db, 'loans')).toBe(0);
  });

  it('answers 409 naming the equipment when not enough is free', async () => {
    const { a, groupId, staff } = await scene();
    const form = await openForm(a, `/desk/loans/takeout?group=${groupId}`, staff.cookie);
    const res = await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(groupId), 'equipment-projector': '3' }, form.cookie);
    expect(res.statusCode, res.body).toBe(303);
    const again = await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(groupId), 'equipment-projector': '1' }, form.cookie);
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain('プロジェクター');
    expect(count(a.db, 'loans')).toBe(1);
  });

  it('refuses while a damage case suspends the group, naming the case (403)', async () => {
    const { a, groupId, staff } = await scene();
    const form = await openForm(a, `/desk/loans/takeout?group=${groupId}`, staff.cookie);
    expect((await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(groupId) }, form.cookie)).statusCode).toBe(303);
    const loanId = loans(a)[0]!.id;
    const unitId = sql<{ id: number }>(a, "SELECT id FROM equipment_units WHERE tag = 'PJ-01'")[0]!.id;
    a.db.$client.prepare("INSERT INTO damage_cases (unit_id, loan_id, group_id, kind, status, opened_at) VALUES (?, ?, ?, 'damaged', 'open', '2026-12-01T01:00:00.000Z')").run(unitId, loanId, groupId);
    const caseId = sql<{ id: number }>(a, 'SELECT id FROM damage_cases')[0]!.id;
    const res = await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(groupId, { startDate: '2026-12-21', endDate: '2026-12-22' }) }, form.cookie);
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain(`損害案件 #${caseId}`);
    expect(count(a.db, 'loans')).toBe(1);
  });

  it('cancels a reserved take-out after the confirmation tick, and not without it', async () => {
    const { a, groupId, staff } = await scene();
    const form = await openForm(a, `/desk/loans/takeout?group=${groupId}`, staff.cookie);
    await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(groupId) }, form.cookie);
    const loanId = loans(a)[0]!.id;
    const unticked = await postForm(a, `/desk/loans/${loanId}/cancel`, { _csrf: form.token }, form.cookie);
    expect(unticked.statusCode).toBe(422);
    expect(text(unticked.body)).toContain('確認のチェックを入れてください');
    expect(loans(a)[0]!.status).toBe('reserved');
    const done = await postForm(a, `/desk/loans/${loanId}/cancel`, { _csrf: form.token, confirm: 'yes' }, form.cookie);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/desk/loans/${loanId}`);
    expect(loans(a)[0]!.status).toBe('cancelled');
    const twice = await postForm(a, `/desk/loans/${loanId}/cancel`, { _csrf: form.token, confirm: 'yes' }, form.cookie);
    expect(twice.statusCode).toBe(409);
    expect((await get(a, `/desk/loans/${loanId}`, staff.cookie)).body).not.toContain('この持ち出しを取り消す');
  });

  it('does not cancel equipment that goes with a booking from the loan page', async () => {
    const { a, member, staff } = await scene();
    const made = await call(a, 'POST', '/api/v1/bookings', {
      cookie: member.cookie,
      body: { space: 'training-a', start: '2026-12-15T13:00', end: '2026-12-15T16:00', purpose: '上映会', attendees: 20, equipment: [{ type: 'projector', quantity: 1 }] },
    });
    expect(made.statusCode, made.body).toBe(201);
    const loanId = loans(a)[0]!.id;
    const form = await openForm(a, `/desk/loans/${loanId}`, staff.cookie);
    expect(form.page.body).not.toContain('この持ち出しを取り消す');
    const res = await postForm(a, `/desk/loans/${loanId}/cancel`, { _csrf: form.token, confirm: 'yes' }, form.cookie);
    expect(res.statusCode).toBe(409);
    expect(loans(a)[0]!.status).toBe('reserved');
  });

  it('is the desk’s: staff and managers in, members and individuals refused, visitors to the login', async () => {
    const { a, groupId, staff, manager, member, individual } = await scene();
    expect((await get(a, '/desk/loans', staff.cookie)).body).toContain('href="/desk/loans/takeout"');
    expect((await get(a, '/desk/loans/takeout', manager.cookie)).statusCode).toBe(200);
    for (const who of [member, individual]) {
      expect((await get(a, '/desk/loans/takeout', who.cookie)).statusCode).toBe(403);
      const form = await openForm(a, '/my/loans', who.cookie);
      const res = await postForm(a, '/desk/loans/takeout', { _csrf: form.token, ...good(groupId) }, form.cookie);
      expect(res.statusCode).toBe(403);
    }
    const anonymous = await a.app.inject('/desk/loans/takeout');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent('/desk/loans/takeout')}`);
    expect(count(a.db, 'loans')).toBe(0);
  });
});
