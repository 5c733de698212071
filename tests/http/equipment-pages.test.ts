import { afterEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { openForm, postForm } from '../support/forms.js';
import { auditActions, call, makeGroup, user } from './helpers.js';

// The clock starts on Tuesday 2026-12-01 10:00 in Tokyo. A registered group books training room A
// on Tuesday 12/15 13:00–16:00 with two of the three projectors (PJ-01…PJ-03, ¥120,000 each to
// replace); tests move the clock to the day of use. Sessions last 30 days so logins survive that.

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = (a: TestApp, url: string, cookie: string) => a.app.inject({ url, headers: { cookie } });
const sql = <T>(a: TestApp, query: string, ...args: unknown[]) => a.db.$client.prepare(query).all(...args) as T[];
const unitState = (a: TestApp, tag: string) => sql<{ state: string }>(a, 'SELECT state FROM equipment_units WHERE tag = ?', tag)[0]?.state;
const rows = (a: TestApp) => ({
  loanUnits: count(a.db, 'loan_units'),
  returned: sql<{ n: number }>(a, 'SELECT count(*) AS n FROM loan_units WHERE returned_at IS NOT NULL')[0]!.n,
  cases: count(a.db, 'damage_cases'),
  units: sql<{ tag: string; state: string }>(a, 'SELECT tag, state FROM equipment_units ORDER BY tag'),
  loans: sql<{ id: number; status: string }>(a, 'SELECT id, status FROM loans ORDER BY id'),
  audit: count(a.db, 'audit_log'),
});
/** The text of a page without its tags, to read sentences that wrap a link. */
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

/** A group with a member, a clerk and a manager, and the group's booking with two projectors. */
async function scene() {
  const a = (t = await makeTestApp('2026-12-01T10:00', { sessionHours: 24 * 30 }));
  const groupId = makeGroup(a, '緑町映像クラブ');
  const member = await user(a, 'member', 'kaiin@example.jp', { groupId });
  const staff = await user(a, 'staff', 'clerk@example.jp');
  const manager = await user(a, 'manager', 'boss@example.jp');
  const made = await call(a, 'POST', '/api/v1/bookings', {
    cookie: member.cookie,
    body: { space: 'training-a', start: '2026-12-15T13:00', end: '2026-12-15T16:00', purpose: '上映会', attendees: 20, equipment: [{ type: 'projector', quantity: 2 }] },
  });
  expect(made.statusCode, made.body).toBe(201);
  const bookingId = (made.json() as { id: number }).id;
  const loanId = sql<{ id: number }>(a, 'SELECT id FROM loans WHERE booking_id = ?', bookingId)[0]!.id;
  return { a, groupId, member, staff, manager, bookingId, loanId };
}

/** Hands the loan's two projectors out through the form at 13:05 on the day. */
async function checkOut(a: TestApp, loanId: number, cookie: string) {
  a.clock.set('2026-12-15T13:05');
  const form = await openForm(a, `/desk/loans/${loanId}`, cookie);
  const res = await postForm(a, `/desk/loans/${loanId}/checkout`, { _csrf: form.token, units: 'PJ-01', pickedUpBy: '田中' } as Record<string, string>, form.cookie);
  return { form, res };
}

function checkoutBody(token: string, tags: string[], pickedUpBy = '') {
  const body = new URLSearchParams({ _csrf: token });
  for (const tag of tags) body.append('units', tag);
  if (pickedUpBy) body.append('pickedUpBy', pickedUpBy);
  return body.toString();
}

const postRaw = (a: TestApp, url: string, payload: string, cookie: string) =>
  a.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });

async function handOutBoth(a: TestApp, loanId: number, cookie: string) {
  a.clock.set('2026-12-15T13:05');
  const form = await openForm(a, `/desk/loans/${loanId}`, cookie);
  const res = await postRaw(a, `/desk/loans/${loanId}/checkout`, checkoutBody(form.token, ['PJ-01', 'PJ-02'], '田中'), form.cookie);
  expect(res.statusCode, res.body).toBe(303);
  return form;
}

describe('who may use the equipment pages', () => {
  it('sends visitors to the login form, tells citizens the pages are not theirs, and lets staff look but not change', async () => {
    const { a, member, staff, manager, loanId } = await scene();
    for (const url of ['/desk/loans', `/desk/loans/${loanId}`, '/manage/equipment', '/manage/damage-cases', '/manage/damage-cases/1']) {
      const anonymous = await a.app.inject(url);
      expect(anonymous.statusCode, url).toBe(303);
      expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
      const citizen = await get(a, url, member.cookie);
      expect(citizen.statusCode, url).toBe(403);
      expect(citizen.body).toContain('このページは窓口職員と管理者だけが使えます。');
    }
    for (const cookie of [staff.cookie, manager.cookie]) {
      expect((await get(a, '/desk/loans', cookie)).statusCode).toBe(200);
      expect((await get(a, `/desk/loans/${loanId}`, cookie)).statusCode).toBe(200);
    }
    // Staff see the inventory and the cases as they are (like the opinion box), without the forms.
    const inventory = await get(a, '/manage/equipment', staff.cookie);
    expect(inventory.statusCode).toBe(200);
    expect(inventory.body).toContain('PJ-01');
    expect(inventory.body).not.toContain('action="/manage/equipment/units"');
    expect((await get(a, '/manage/equipment', manager.cookie)).body).toContain('action="/manage/equipment/units"');
    const form = await openForm(a, '/manage/equipment', staff.cookie);
    const before = rows(a);
    const added = await postForm(a, '/manage/equipment/units', { _csrf: form.token, type: 'projector', tag: '' }, form.cookie);
    expect(added.statusCode).toBe(403);
    expect(added.body).toContain('このページは管理者だけが使えます。');
    const repaired = await postForm(a, '/manage/equipment/units/PJ-03/state', { _csrf: form.token, action: 'repair' }, form.cookie);
    expect(repaired.statusCode).toBe(403);
    expect(rows(a)).toEqual(before);
    // A form without its CSRF token stores nothing either.
    expect((await postRaw(a, `/desk/loans/${loanId}/checkout`, 'units=PJ-01&units=PJ-02', form.cookie)).statusCode).toBe(403);
    expect(rows(a)).toEqual(before);
  });

  it('links the loans screen from the desk board, the staff menu and the manager console', async () => {
    const { a, staff, manager } = await scene();
    const board = await get(a, '/desk', staff.cookie);
    expect(board.body).toContain('<a class="button button--secondary" href="/desk/loans">備品の貸出・返却</a>');
    expect(board.body).toContain('<li><a href="/desk/loans">備品貸出</a></li>');
    const loansPage = await get(a, '/desk/loans', staff.cookie);
    expect(loansPage.body).toContain('href="/desk/loans" aria-current="page"');
    const console = await get(a, '/manage', manager.cookie);
    expect(console.body).toContain('href="/manage/equipment"');
    expect(console.body).toContain('href="/manage/damage-cases"');
  });
});

describe('the desk hands equipment out', () => {
  it("lists the day's loans with the borrower and links each to its page", async () => {
    const { a, staff, loanId } = await scene();
    expect(text((await get(a, '/desk/loans', staff.cookie)).body)).toContain('今日受け渡す備品はありません。');
    a.clock.set('2026-12-15T09:00');
    const page = await get(a, '/desk/loans', staff.cookie);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('今日の受け渡し（1件）');
    expect(page.body).toContain(`href="/desk/loans/${loanId}"`);
    expect(page.body).toContain('緑町映像クラブ');
    expect(page.body).toContain('href="tel:09000000000"');
    expect(text(page.body)).toContain('プロジェクター ×2');
    const board = await get(a, '/desk', staff.cookie);
    expect(text(board.body)).toContain('備品：今日の受け渡し 1件・延滞 0件・要連絡 0件');
  });

  it("offers the free units with the system's pick checked, and the check-out stores the units and their states", async () => {
    const { a, staff, loanId } = await scene();
    a.clock.set('2026-12-15T13:05');
    const page = await get(a, `/desk/loans/${loanId}`, staff.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/name="units" value="PJ-01" id="field-units" checked/);
    expect(page.body).toMatch(/name="units" value="PJ-02" id="unit-PJ-02" checked/);
    expect(page.body).toMatch(/name="units" value="PJ-03" id="unit-PJ-03">/);
    expect(page.body).toMatch(/id="field-pickedUpBy"[^>]*autofocus/);
    // Checking another unit than the system would is fine: the clerk has the one in hand.
    const form = await openForm(a, `/desk/loans/${loanId}`, staff.cookie);
    const res = await postRaw(a, `/desk/loans/${loanId}/checkout`, checkoutBody(form.token, ['PJ-01', 'PJ-03'], '田中 一郎'), form.cookie);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/desk/loans/${loanId}`);
    expect(sql(a, 'SELECT u.tag FROM loan_units lu JOIN equipment_units u ON u.id = lu.unit_id WHERE lu.loan_id = ? ORDER BY u.tag', loanId)).toEqual([{ tag: 'PJ-01' }, { tag: 'PJ-03' }]);
    expect([unitState(a, 'PJ-01'), unitState(a, 'PJ-02'), unitState(a, 'PJ-03')]).toEqual(['on_loan', 'available', 'on_loan']);
    expect(sql(a, 'SELECT status, picked_up_by, checked_out_by FROM loans WHERE id = ?', loanId)).toEqual([{ status: 'checked_out', picked_up_by: '田中 一郎', checked_out_by: staff.id }]);
    const flash = res.cookies.find((c) => c.name === 'hiroba_flash')!;
    const after = await get(a, `/desk/loans/${loanId}`, `${staff.cookie}; hiroba_flash=${flash.value}`);
    expect(after.body).toContain('備品を受け渡しました。');
    expect(after.body).toContain('action="/desk/loans/' + loanId + '/return"');
    expect(after.body).not.toContain('/checkout"');
  });

  it('refuses a wrong number of units with a Japanese message (422) and stores nothing', async () => {
    const { a, staff, loanId } = await scene();
    const before = rows(a);
    const { res } = await checkOut(a, loanId, staff.cookie);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('プロジェクターはこの貸出で2点です（チェックは1点）。');
    expect(res.body).toContain('<a href="#field-units">');
    // What the clerk checked stays checked; the name typed stays too.
    expect(res.body).toMatch(/value="PJ-01" id="field-units" checked/);
    expect(res.body).toMatch(/value="PJ-02" id="unit-PJ-02" aria-invalid="true">/);
    expect(res.body).toContain('value="田中"');
    const form = await openForm(a, `/desk/loans/${loanId}`, staff.cookie);
    const none = await postRaw(a, `/desk/loans/${loanId}/checkout`, checkoutBody(form.token, []), form.cookie);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('<a href="#field-units">渡す備品にチェックを入れてください。</a>');
    expect(rows(a)).toEqual(before);
  });

  it('refuses an early pick-up when the units are promised before the start, saying when to come back', async () => {
    const { a, member, staff } = await scene();
    const first = (await call(a, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-08T10:00', end: '2026-12-08T12:00', items: [{ type: 'portable-pa', quantity: 1 }] } })).json() as { id: number };
    const second = (await call(a, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-08T13:00', end: '2026-12-08T17:00', items: [{ type: 'portable-pa', quantity: 1 }] } })).json() as { id: number };
    a.clock.set('2026-12-08T09:30');
    const page = await get(a, `/desk/loans/${second.id}`, staff.cookie);
    expect(text(page.body)).toContain('開始（2026年12月8日(火) 13:00）より前の受け渡しです。');
    const before = rows(a);
    const form = await openForm(a, `/desk/loans/${second.id}`, staff.cookie);
    const res = await postRaw(a, `/desk/loans/${second.id}/checkout`, checkoutBody(form.token, ['PA-01']), form.cookie);
    expect(res.statusCode).toBe(409);
    expect(text(res.body)).toContain('まだ受け渡せません。同じ備品が開始（2026年12月8日(火) 13:00）までにほかの貸出で使われます。');
    expect(rows(a)).toEqual(before);
    // The first loan may go early: nothing needs the set before it starts.
    const early = await postRaw(a, `/desk/loans/${first.id}/checkout`, checkoutBody(form.token, ['PA-01']), form.cookie);
    expect(early.statusCode, early.body).toBe(303);
    expect(unitState(a, 'PA-01')).toBe('on_loan');
  });
});

describe('the desk takes equipment back', () => {
  it('a return with one damaged unit opens a damage case, names it after the redirect, and suspends the group', async () => {
    const { a, staff, loanId, groupId, bookingId } = await scene();
    await handOutBoth(a, loanId, staff.cookie);
    a.clock.set('2026-12-15T16:10');
    const page = await get(a, `/desk/loans/${loanId}`, staff.cookie);
    expect(page.body).toMatch(/name="condition-0" value="ok" id="field-condition-0" checked autofocus/);
    expect(page.body).toContain('<legend class="fieldset__legend fieldset__legend--small">PJ-02（プロジェクター）の状態</legend>');
    const form = await openForm(a, `/desk/loans/${loanId}`, staff.cookie);
    const res = await postForm(a, `/desk/loans/${loanId}/return`, {
      _csrf: form.token, 'unit-0': 'PJ-01', 'condition-0': 'ok', 'note-0': '', 'unit-1': 'PJ-02', 'condition-1': 'damaged', 'note-1': 'レンズにひび',
    }, form.cookie);
    expect(res.statusCode, res.body).toBe(303);
    const cases = sql<{ id: number; status: string; kind: string; group_id: number; report_note: string }>(a, 'SELECT id, status, kind, group_id, report_note FROM damage_cases');
    expect(cases).toEqual([{ id: cases[0]!.id, status: 'open', kind: 'damaged', group_id: groupId, report_note: 'レンズにひび' }]);
    const caseId = cases[0]!.id;
    expect(res.headers.location).toBe(`/desk/loans/${loanId}?cases=${caseId}`);
    expect([unitState(a, 'PJ-01'), unitState(a, 'PJ-02')]).toEqual(['available', 'in_repair']);
    expect(sql(a, 'SELECT status FROM loans WHERE id = ?', loanId)).toEqual([{ status: 'returned' }]);
    const flash = res.cookies.find((c) => c.name === 'hiroba_flash')!;
    const after = await get(a, res.headers.location as string, `${staff.cookie}; hiroba_flash=${flash.value}`);
    expect(after.body).toContain('返却を記録し、破損・紛失の損害案件を開きました。');
    expect(text(after.body)).toContain(`損害案件を1件開きました 損害案件 #${caseId} PJ-02（プロジェクター・破損）`);
    expect(after.body).toContain(`href="/manage/damage-cases/${caseId}"`);

    // Where staff book for the group, and on the booking's own page, the suspension shows with its case.
    const book = await get(a, `/desk/book?booker=group:${groupId}`, staff.cookie);
    expect(text(book.body)).toContain(`備品の貸出停止中：損害案件 #${caseId}（未精算）`);
    expect(book.body).toContain(`<a href="/manage/damage-cases/${caseId}">損害案件 #${caseId}（未精算）</a>`);
    const bookingPage = await get(a, `/desk/bookings/${bookingId}`, staff.cookie);
    expect(text(bookingPage.body)).toContain(`備品の貸出停止中：損害案件 #${caseId}（未精算）`);
    expect(text(bookingPage.body)).toContain('この予約の備品');
    expect(bookingPage.body).toContain(`href="/desk/loans/${loanId}"`);
    // A walk-in or another group has no notice.
    const other = makeGroup(a, '別の会');
    expect(text((await get(a, `/desk/book?booker=group:${other}`, staff.cookie)).body)).not.toContain('備品の貸出停止中');
  });

  it('re-renders a bad return with 422 and a Japanese message, and changes nothing', async () => {
    const { a, staff, loanId } = await scene();
    await handOutBoth(a, loanId, staff.cookie);
    a.clock.set('2026-12-15T16:10');
    const form = await openForm(a, `/desk/loans/${loanId}`, staff.cookie);
    const before = rows(a);
    // A unit that is not out on this loan (a stale or altered form).
    const notOut = await postForm(a, `/desk/loans/${loanId}/return`, {
      _csrf: form.token, 'unit-0': 'PJ-01', 'condition-0': 'ok', 'unit-1': 'PJ-03', 'condition-1': 'ok',
    }, form.cookie);
    expect(notOut.statusCode).toBe(422);
    expect(notOut.body).toContain('<a href="#field-condition-1">PJ-03はこの貸出で貸出中の備品ではありません（返却済みか、ほかの貸出の備品です）。</a>');
    expect(rows(a)).toEqual(before);
    // A damaged unit without a word about what happened.
    const noNote = await postForm(a, `/desk/loans/${loanId}/return`, {
      _csrf: form.token, 'unit-0': 'PJ-01', 'condition-0': 'ok', 'note-0': '', 'unit-1': 'PJ-02', 'condition-1': 'damaged', 'note-1': '  ',
    }, form.cookie);
    expect(noNote.statusCode).toBe(422);
    expect(noNote.body).toContain('<a href="#field-note-1">PJ-02は破損・紛失の様子をメモに書いてください。</a>');
    expect(noNote.body).toMatch(/name="condition-1" value="damaged" id="field-condition-1-damaged" checked/);
    expect(noNote.body).toMatch(/id="field-note-1"[^>]*aria-invalid="true"/);
    // Nothing marked as back.
    const nothing = await postForm(a, `/desk/loans/${loanId}/return`, {
      _csrf: form.token, 'unit-0': 'PJ-01', 'condition-0': 'later', 'unit-1': 'PJ-02', 'condition-1': 'later',
    }, form.cookie);
    expect(nothing.statusCode).toBe(422);
    expect(nothing.body).toContain('返却する備品がありません。');
    expect(rows(a)).toEqual(before);
    expect(count(a.db, 'damage_cases')).toBe(0);
    // One back now, one later: the loan stays out.
    const partly = await postForm(a, `/desk/loans/${loanId}/return`, {
      _csrf: form.token, 'unit-0': 'PJ-01', 'condition-0': 'ok', 'unit-1': 'PJ-02', 'condition-1': 'later',
    }, form.cookie);
    expect(partly.statusCode, partly.body).toBe(303);
    expect(sql(a, 'SELECT status FROM loans WHERE id = ?', loanId)).toEqual([{ status: 'checked_out' }]);
    expect([unitState(a, 'PJ-01'), unitState(a, 'PJ-02')]).toEqual(['available', 'on_loan']);
  });

  it('shows overdue loans highlighted in words, and flagged loans with a button to clear the flag', async () => {
    const { a, member, staff, manager, loanId } = await scene();
    // A take-out of all three projectors the next day loses its cover when one goes to repair.
    const takeout = (await call(a, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-16T10:00', end: '2026-12-16T17:00', items: [{ type: 'projector', quantity: 3 }] } })).json() as { id: number };
    await handOutBoth(a, loanId, staff.cookie);
    a.clock.set('2026-12-15T16:30');
    const mform = await openForm(a, '/manage/equipment', manager.cookie);
    const repair = await postForm(a, '/manage/equipment/units/PJ-03/state', { _csrf: mform.token, action: 'repair', note: 'ランプ切れ' }, mform.cookie);
    expect(repair.statusCode, repair.body).toBe(303);
    expect(repair.headers.location).toBe(`/manage/equipment?flagged=${takeout.id}`);
    expect(unitState(a, 'PJ-03')).toBe('in_repair');
    const flashed = await get(a, repair.headers.location as string, manager.cookie);
    expect(text(flashed.body)).toContain('備品が足りなくなった貸出（1件）');
    expect(flashed.body).toContain(`href="/desk/loans/${takeout.id}"`);

    const page = await get(a, '/desk/loans', staff.cookie);
    expect(text(page.body)).toContain('延滞（1件）');
    expect(text(page.body)).toContain('延滞（返却予定 2026年12月15日(火) 16:00）');
    expect(text(page.body)).toContain('要連絡：備品が足りなくなった貸出（1件）');
    expect(text(page.body)).toContain('PJ-03 修理中（プロジェクター）');
    const form = await openForm(a, '/desk/loans', staff.cookie);
    const cleared = await postForm(a, `/desk/loans/${takeout.id}/clear-flag`, { _csrf: form.token, next: '/desk/loans' }, form.cookie);
    expect(cleared.statusCode).toBe(303);
    expect(cleared.headers.location).toBe('/desk/loans');
    expect(sql(a, 'SELECT needs_attention FROM loans WHERE id = ?', takeout.id)).toEqual([{ needs_attention: null }]);
    expect(auditActions(a, 'loan.clear_flag')).toHaveLength(1);
    // A second click changes nothing and still lands on the list.
    expect((await postForm(a, `/desk/loans/${takeout.id}/clear-flag`, { _csrf: form.token, next: '/desk/loans' }, form.cookie)).statusCode).toBe(303);
  });
});

describe('the manager', () => {
  async function withCase() {
    const s = await scene();
    await handOutBoth(s.a, s.loanId, s.staff.cookie);
    s.a.clock.set('2026-12-15T16:10');
    const form = await openForm(s.a, `/desk/loans/${s.loanId}`, s.staff.cookie);
    const res = await postForm(s.a, `/desk/loans/${s.loanId}/return`, {
      _csrf: form.token, 'unit-0': 'PJ-01', 'condition-0': 'ok', 'unit-1': 'PJ-02', 'condition-1': 'damaged', 'note-1': 'レンズにひび',
    }, form.cookie);
    expect(res.statusCode).toBe(303);
    const caseId = sql<{ id: number }>(s.a, 'SELECT id FROM damage_cases')[0]!.id;
    return { ...s, caseId };
  }

  it('lists cases by status and shows one with its borrower, unit, loan, note and replacement value', async () => {
    const { a, staff, manager, caseId, loanId, bookingId } = await withCase();
    const list = await get(a, '/manage/damage-cases?status=open', manager.cookie);
    expect(list.statusCode).toBe(200);
    expect(text(list.body)).toContain('査定待ちの案件（1件）');
    expect(list.body).toContain(`href="/manage/damage-cases/${caseId}"`);
    expect(list.body).toMatch(/<option value="open" selected>/);
    expect(text((await get(a, '/manage/damage-cases?status=settled', manager.cookie)).body)).toContain('該当する案件はありません。');
    const detail = await get(a, `/manage/damage-cases/${caseId}`, manager.cookie);
    const words = text(detail.body);
    for (const s of ['緑町映像クラブ', 'PJ-02 プロジェクター', '（現在：修理中）', 'レンズにひび', '¥120,000', `貸出 #${loanId}`]) expect(words).toContain(s);
    expect(detail.body).toContain(`href="/desk/bookings/${bookingId}"`);
    expect(detail.body).toContain('費用の上限は、この備品の再調達価格 ¥120,000 です。');
    expect(detail.body).toContain('<legend class="fieldset__legend fieldset__legend--small">借り手の責任');
    // Staff read the same page without the manager's forms.
    const asStaff = await get(a, `/manage/damage-cases/${caseId}`, staff.cookie);
    expect(asStaff.statusCode).toBe(200);
    expect(asStaff.body).not.toContain('/assess"');
    expect(asStaff.body).toContain('査定・精算・免除は管理者が行います。');
  });

  it('refuses a cost above the replacement value (422, nothing stored), then assesses and settles; staff may not', async () => {
    const { a, staff, manager, caseId, groupId, loanId } = await withCase();
    const sform = await openForm(a, `/desk/loans/${loanId}`, staff.cookie);
    const byStaff = await postForm(a, `/manage/damage-cases/${caseId}/assess`, { _csrf: sform.token, liable: 'yes', costYen: '1000' }, sform.cookie);
    expect(byStaff.statusCode).toBe(403);
    const form = await openForm(a, `/manage/damage-cases/${caseId}`, manager.cookie);
    const before = rows(a);
    const tooMuch = await postForm(a, `/manage/damage-cases/${caseId}/assess`, { _csrf: form.token, liable: 'yes', costYen: '120,001', assessNote: 'レンズ交換' }, form.cookie);
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.body).toContain('<a href="#field-costYen">費用は再調達価格（¥120,000）以下で入力してください</a>');
    expect(tooMuch.body).toContain('value="120,001"');
    expect(tooMuch.body).toMatch(/value="yes" id="field-liable" checked/);
    const noChoice = await postForm(a, `/manage/damage-cases/${caseId}/assess`, { _csrf: form.token, costYen: '1000' }, form.cookie);
    expect(noChoice.statusCode).toBe(422);
    expect(noChoice.body).toContain('<a href="#field-liable">借り手の責任を選んでください</a>');
    const zero = await postForm(a, `/manage/damage-cases/${caseId}/assess`, { _csrf: form.token, liable: 'yes', costYen: '0' }, form.cookie);
    expect(zero.statusCode).toBe(422);
    expect(rows(a)).toEqual(before);
    expect(sql(a, 'SELECT status, cost_yen FROM damage_cases WHERE id = ?', caseId)).toEqual([{ status: 'open', cost_yen: null }]);

    const assessed = await postForm(a, `/manage/damage-cases/${caseId}/assess`, { _csrf: form.token, liable: 'yes', costYen: '35000', assessNote: 'レンズ交換' }, form.cookie);
    expect(assessed.statusCode, assessed.body).toBe(303);
    expect(sql(a, 'SELECT status, cost_yen, liable, invoice_no, assessment_note FROM damage_cases WHERE id = ?', caseId))
      .toEqual([{ status: 'invoiced', cost_yen: 35000, liable: 1, invoice_no: 'D2026-0001', assessment_note: 'レンズ交換' }]);
    const invoiced = await get(a, `/manage/damage-cases/${caseId}`, manager.cookie);
    expect(text(invoiced.body)).toContain('請求番号 D2026-0001、¥35,000 の入金を確かめたら精算済みにしてください。');
    // Still suspended while invoiced.
    expect(text((await get(a, `/desk/book?booker=group:${groupId}`, staff.cookie)).body)).toContain(`損害案件 #${caseId}（未精算）`);
    const settled = await postForm(a, `/manage/damage-cases/${caseId}/settle`, { _csrf: form.token }, form.cookie);
    expect(settled.statusCode).toBe(303);
    expect(sql(a, 'SELECT status FROM damage_cases WHERE id = ?', caseId)).toEqual([{ status: 'settled' }]);
    expect(text((await get(a, `/desk/book?booker=group:${groupId}`, staff.cookie)).body)).not.toContain('備品の貸出停止中');
    // A second settle is refused in words, not stored twice.
    const again = await postForm(a, `/manage/damage-cases/${caseId}/settle`, { _csrf: form.token }, form.cookie);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('この案件は今の状況ではこの操作ができません。');
    expect(auditActions(a, 'damage.settle')).toHaveLength(1);
  });

  it('waives a case only with a reason, and finds a case not liable with the cost left empty', async () => {
    const { a, manager, caseId } = await withCase();
    const form = await openForm(a, `/manage/damage-cases/${caseId}`, manager.cookie);
    const noReason = await postForm(a, `/manage/damage-cases/${caseId}/waive`, { _csrf: form.token, waiveReason: ' ' }, form.cookie);
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('<a href="#field-waiveReason">免除の理由を入力してください</a>');
    expect(sql(a, 'SELECT status FROM damage_cases WHERE id = ?', caseId)).toEqual([{ status: 'open' }]);
    const notLiable = await postForm(a, `/manage/damage-cases/${caseId}/assess`, { _csrf: form.token, liable: 'no', costYen: '', assessNote: '経年劣化' }, form.cookie);
    expect(notLiable.statusCode, notLiable.body).toBe(303);
    expect(sql(a, 'SELECT status, cost_yen, liable FROM damage_cases WHERE id = ?', caseId)).toEqual([{ status: 'not_liable', cost_yen: 0, liable: 0 }]);
  });

  it('renders every equipment page in English too', async () => {
    const { a, manager, caseId, loanId, bookingId } = await withCase();
    const en = `${manager.cookie}; hiroba_lang=en`;
    const pages: [string, string][] = [
      ['/desk/loans', 'Equipment loans'], [`/desk/loans/${loanId}`, 'Loan #'], ['/manage/equipment', 'Equipment inventory'],
      ['/manage/damage-cases', 'Damage cases'], [`/manage/damage-cases/${caseId}`, 'Is the borrower liable?'], [`/desk/bookings/${bookingId}`, 'Equipment borrowing suspended'],
    ];
    for (const [url, words] of pages) {
      const res = await get(a, url, en);
      expect(res.statusCode, url).toBe(200);
      expect(text(res.body), url).toContain(words);
    }
  });

  it('adds units (the next tag, or one given), refuses a malformed tag, and brings a repaired unit back', async () => {
    const { a, manager } = await scene();
    const form = await openForm(a, '/manage/equipment', manager.cookie);
    const page = form.page.body;
    expect(text(page)).toContain('プロジェクター 3 0 0 0 0 ¥500 ¥120,000');
    const next = await postForm(a, '/manage/equipment/units', { _csrf: form.token, type: 'projector', tag: '', note: '' }, form.cookie);
    expect(next.statusCode, next.body).toBe(303);
    expect(unitState(a, 'PJ-04')).toBe('available');
    const given = await postForm(a, '/manage/equipment/units', { _csrf: form.token, type: 'screen', tag: 'sc-10', note: '寄贈' }, form.cookie);
    expect(given.statusCode).toBe(303);
    expect(sql(a, "SELECT state, note FROM equipment_units WHERE tag = 'SC-10'")).toEqual([{ state: 'available', note: '寄贈' }]);
    const before = count(a.db, 'equipment_units');
    const bad = await postForm(a, '/manage/equipment/units', { _csrf: form.token, type: 'screen', tag: 'スクリーン1' }, form.cookie);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('<a href="#field-tag">備品番号は「PJ-04」のように');
    const taken = await postForm(a, '/manage/equipment/units', { _csrf: form.token, type: 'screen', tag: 'SC-10' }, form.cookie);
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('SC-10はすでにあります');
    expect(count(a.db, 'equipment_units')).toBe(before);
    // To repair, then repaired; a retired unit cannot come back.
    expect((await postForm(a, '/manage/equipment/units/PJ-04/state', { _csrf: form.token, action: 'repair' }, form.cookie)).statusCode).toBe(303);
    expect(unitState(a, 'PJ-04')).toBe('in_repair');
    expect((await postForm(a, '/manage/equipment/units/PJ-04/state', { _csrf: form.token, action: 'repaired', note: '修理済' }, form.cookie)).statusCode).toBe(303);
    expect(unitState(a, 'PJ-04')).toBe('available');
    expect((await postForm(a, '/manage/equipment/units/PJ-04/state', { _csrf: form.token, action: 'retire' }, form.cookie)).statusCode).toBe(303);
    const back = await postForm(a, '/manage/equipment/units/PJ-04/state', { _csrf: form.token, action: 'repaired' }, form.cookie);
    expect(back.statusCode).toBe(409);
    expect(back.body).toContain('PJ-04は今の状態ではこの操作ができません。');
    expect(unitState(a, 'PJ-04')).toBe('retired');
  });
});
