import { describe, expect, it } from 'vitest';
import { count, PASSWORD, type TestApp, appPerTest } from '../support/app.js';
import { auditActions, body, bookingRow, call, makeGroup, user } from './helpers.js';
import { openForm, postForm, signedInForm } from '../support/forms.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo.

const app = appPerTest('2026-12-01T10:00', { sessionHours: 24 * 30 });

const get = (a: TestApp, url: string, cookie: string) => a.app.inject({ url, headers: { cookie } });

const manager = (a: TestApp) => signedInForm(a, 'manager', 'boss@example.jp', '/manage');

describe('who may use the console', () => {
  it('is for managers: clerks and citizens see a 403 page, visitors log in first', async () => {
    const a = await app();
    const staff = await user(a, 'staff', 'clerk@example.jp');
    for (const url of ['/manage', '/manage/days', '/manage/blocks', '/manage/rates', '/manage/staff', '/manage/tokens', '/manage/audit', '/manage/rules']) {
      const res = await get(a, url, staff.cookie);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toContain('このページは管理者だけが使えます。');
      expect((await a.app.inject(url)).statusCode).toBe(303);
    }
    // A clerk's form post is refused by the service's own check too, storing nothing.
    const form = await openForm(a, '/desk', staff.cookie);
    const res = await postForm(a, '/manage/rates', { _csrf: form.token, space: 'hall', band: 'morning', hourlyYen: '3000', effectiveFrom: '2027-04-01' }, form.cookie);
    expect(res.statusCode).toBe(403);
    expect(count(a.db, 'rate_bands')).toBe(24);
  });
});

describe('closing a day that has bookings', () => {
  it('lists the stranded bookings with names and phones first, then cancels them as facility-caused and gives the call list', async () => {
    const a = await app();
    const m = await manager(a);
    const groupId = makeGroup(a, '緑町町内会');
    a.db.$client.prepare("UPDATE groups SET phone = '03-1234-5678' WHERE id = ?").run(groupId);
    const walk = (await call(a, 'POST', '/api/v1/bookings', { cookie: m.session, body: body('2026-12-15T10:00', '2026-12-15T12:00', { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' } }) })).json() as { id: number };
    const group = (await call(a, 'POST', '/api/v1/bookings', { cookie: m.session, body: body('2026-12-15T13:00', '2026-12-15T15:00', { groupId }) })).json() as { id: number };
    await call(a, 'POST', `/api/v1/bookings/${walk.id}/payments`, { cookie: m.session, body: { amountYen: 480, method: 'cash' } });

    const form = { _csrf: m.token, date: '2026-12-15', mode: 'closed', reason: '臨時の設備点検', open: '09:00', close: '22:00' };
    const stranded = await postForm(a, '/manage/days', form, m.cookie);
    expect(stranded.statusCode).toBe(409);
    expect(stranded.body).toContain('影響を受ける予約（2件）');
    expect(stranded.body).toContain('佐藤 一郎');
    expect(stranded.body).toContain('03-1234-5678');
    expect(stranded.body).toContain('name="confirm" value="true"');
    expect(count(a.db, 'day_overrides')).toBe(0);

    const res = await postForm(a, '/manage/days', { ...form, confirm: 'true', stranded: 'cancel' }, m.cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/desk/calls?ids=${walk.id},${group.id}`);
    for (const id of [walk.id, group.id]) expect(bookingRow(a, id)).toMatchObject({ status: 'cancelled', facility_caused: 1, needs_contact: 1, cancellation_fee_yen: 0 });
    expect(a.db.$client.prepare("SELECT kind, amount_yen FROM payments WHERE kind = 'refund'").all()).toEqual([{ kind: 'refund', amount_yen: 480 }]);

    const calls = await get(a, res.headers.location as string, m.session);
    expect(calls.statusCode).toBe(200);
    expect(calls.body).toContain('2件（うち未連絡 2件）');
    expect(calls.body).toContain('href="tel:09011112222"');
    expect(calls.body).toContain('href="tel:0312345678"');
    expect(calls.body).toContain('施設都合');
    const home = await a.app.inject('/?date=2026-12-15');
    expect(home.body).toContain('臨時の設備点検');
  });

  it('re-renders with 422 when closing without a reason, or with hours past 23:00', async () => {
    const a = await app();
    const m = await manager(a);
    const noReason = await postForm(a, '/manage/days', { _csrf: m.token, date: '2026-12-15', mode: 'closed', reason: '' }, m.cookie);
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('<a href="#field-reason">臨時休館の理由を入力してください</a>');
    const late = await postForm(a, '/manage/days', { _csrf: m.token, date: '2026-12-15', mode: 'hours', open: '09:00', close: '08:00' }, m.cookie);
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('<a href="#field-close">閉館は開館より後の時刻を選んでください</a>');
    const ok = await postForm(a, '/manage/days', { _csrf: m.token, date: '2026-12-15', mode: 'hours', open: '09:00', close: '23:00', reason: '音楽祭のため延長' }, m.cookie);
    expect(ok.statusCode).toBe(303);
    expect(a.db.$client.prepare('SELECT date, closed, open, close FROM day_overrides').get()).toEqual({ date: '2026-12-15', closed: 0, open: '09:00', close: '23:00' });
  });

  it('blocks one space, flagging the bookings it strands for a call', async () => {
    const a = await app();
    const m = await manager(a);
    const b = (await call(a, 'POST', '/api/v1/bookings', { cookie: m.session, body: body('2026-12-15T10:00', '2026-12-15T12:00', { space: 'training-a', walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' } }) })).json() as { id: number };
    const form = { _csrf: m.token, space: 'training', startDate: '2026-12-15', startTime: '09:00', endDate: '2026-12-16', endTime: '22:00', reason: '避難所開設' };
    const stranded = await postForm(a, '/manage/blocks', form, m.cookie);
    expect(stranded.statusCode).toBe(409);
    expect(stranded.body).toContain('佐藤 一郎');
    const res = await postForm(a, '/manage/blocks', { ...form, confirm: 'true', stranded: 'contact' }, m.cookie);
    expect(res.headers.location).toBe(`/desk/calls?ids=${b.id}`);
    expect(bookingRow(a, b.id)).toMatchObject({ status: 'provisional', needs_contact: 1 });
    const list = await get(a, '/manage/blocks', m.session);
    expect(list.body).toContain('避難所開設');
    const blockId = (a.db.$client.prepare('SELECT id FROM space_blocks').get() as { id: number }).id;
    expect((await postForm(a, `/manage/blocks/${blockId}/remove`, { _csrf: m.token }, m.cookie)).statusCode).toBe(303);
    expect(count(a.db, 'space_blocks')).toBe(0);
    expect(auditActions(a, 'block.remove')).toHaveLength(1);
  });
});

describe('rates from a future date', () => {
  it('adds the rate from the form, shows it scheduled, and refuses today with a message next to the date', async () => {
    const a = await app();
    const m = await manager(a);
    const past = await postForm(a, '/manage/rates', { _csrf: m.token, space: 'hall', band: 'evening', hourlyYen: '2600', effectiveFrom: '2026-12-01' }, m.cookie);
    expect(past.statusCode).toBe(422);
    expect(past.body).toContain('<a href="#field-effectiveFrom">適用日は明日以降の日付にしてください</a>');
    const odd = await postForm(a, '/manage/rates', { _csrf: m.token, space: 'hall', band: 'evening', hourlyYen: '2601', effectiveFrom: '2027-04-01' }, m.cookie);
    expect(odd.statusCode).toBe(422);
    expect(odd.body).toContain('<a href="#field-hourlyYen">');
    const res = await postForm(a, '/manage/rates', { _csrf: m.token, space: 'hall', band: 'evening', hourlyYen: '2,600', effectiveFrom: '2027-04-01' }, m.cookie);
    expect(res.statusCode).toBe(303);
    const page = await get(a, '/manage/rates', m.session);
    expect(page.body).toContain('2027年4月1日(木)から ¥2,600');
    expect(a.db.$client.prepare("SELECT count(*) AS n FROM rate_bands WHERE effective_from = '2027-04-01'").get()).toEqual({ n: 1 });
    const id = (a.db.$client.prepare("SELECT id FROM rate_bands WHERE effective_from = '2027-04-01'").get() as { id: number }).id;
    expect((await postForm(a, `/manage/rates/${id}/withdraw`, { _csrf: m.token }, m.cookie)).statusCode).toBe(303);
    expect(a.db.$client.prepare("SELECT count(*) AS n FROM rate_bands WHERE effective_from = '2027-04-01'").get()).toEqual({ n: 0 });
  });
});

describe('staff accounts and API tokens', () => {
  it('creates a clerk, and disabling them ends their sessions: their cookie goes back to the login form', async () => {
    const a = await app();
    const m = await manager(a);
    const short = await postForm(a, '/manage/staff', { _csrf: m.token, name: '窓口 太郎', email: 'taro@example.jp', phone: '03-0000-0000', password: 'short', role: 'staff' }, m.cookie);
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('<a href="#field-password">');
    expect(short.body).not.toContain('value="short"');
    const created = await postForm(a, '/manage/staff', { _csrf: m.token, name: '窓口 太郎', email: 'taro@example.jp', phone: '03-0000-0000', password: PASSWORD, role: 'staff' }, m.cookie);
    expect(created.statusCode).toBe(303);
    const taken = await postForm(a, '/manage/staff', { _csrf: m.token, name: '別人', email: 'taro@example.jp', phone: '03-0000-0000', password: PASSWORD, role: 'staff' }, m.cookie);
    expect(taken.body).toContain('このメールアドレスはすでに使われています');
    const clerkId = (a.db.$client.prepare("SELECT id FROM accounts WHERE email = 'taro@example.jp'").get() as { id: number }).id;
    const clerkCookie = await a.login('taro@example.jp');
    expect((await get(a, '/desk', clerkCookie)).statusCode).toBe(200);

    const res = await postForm(a, `/manage/staff/${clerkId}/disable`, { _csrf: m.token }, m.cookie);
    expect(res.statusCode).toBe(303);
    expect(a.db.$client.prepare('SELECT count(*) AS n FROM sessions WHERE account_id = ?').get(clerkId)).toEqual({ n: 0 });
    const after = await get(a, '/desk', clerkCookie);
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Fdesk');
    // A manager cannot lock themself out.
    const self = await postForm(a, `/manage/staff/${m.id}/disable`, { _csrf: m.token }, m.cookie);
    expect(self.statusCode).toBe(409);
    expect(self.body).toContain('自分のアカウントは無効にできません。');
  });

  it('shows an issued token once, lists it without the secret, and revokes it', async () => {
    const a = await app();
    const m = await manager(a);
    const res = await postForm(a, '/manage/tokens', { _csrf: m.token, name: '市の集計システム' }, m.cookie);
    expect(res.statusCode).toBe(200);
    const token = /id="issued-token" type="text" readonly value="([^"]+)"/.exec(res.body)?.[1];
    expect(token).toBeTruthy();
    const list = await get(a, '/manage/tokens', m.session);
    expect(list.body).toContain('市の集計システム');
    expect(list.body).not.toContain(token);
    const id = (a.db.$client.prepare('SELECT id FROM api_tokens').get() as { id: number }).id;
    expect((await postForm(a, `/manage/tokens/${id}/revoke`, { _csrf: m.token }, m.cookie)).statusCode).toBe(303);
    expect((await call(a, 'GET', '/api/v1/rates', { headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });
});

describe('the audit log and the rules', () => {
  it('filters the log by who, what and when', async () => {
    const a = await app();
    const m = await manager(a);
    const staff = await user(a, 'staff', 'clerk@example.jp', {});
    await call(a, 'POST', '/api/v1/bookings', { cookie: staff.cookie, body: body('2026-12-10T10:00', '2026-12-10T12:00', { walkIn: { name: '佐藤', phone: '090-1111-2222' } }) });
    const all = await get(a, '/manage/audit', m.session);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('<code>booking.create</code>');
    const byClerk = await get(a, `/manage/audit?actor=clerk&action=booking.create&from=2026-12-01&to=2026-12-01`, m.session);
    expect(byClerk.body).toContain('1件（1／1ページ）');
    const none = await get(a, '/manage/audit?action=booking.create&from=2026-12-02', m.session);
    expect(none.body).toContain('条件に合う記録はありません。');
    const bad = await get(a, '/manage/audit?from=2026-12-05&to=2026-12-01', m.session);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('<a href="#field-to">');
  });

  it('saves a section of the rules, refusing unreadable JSON and values out of range with 422', async () => {
    const a = await app();
    const m = await manager(a);
    const broken = await postForm(a, '/manage/rules/windows', { _csrf: m.token, value: '{ "opensAt": ' }, m.cookie);
    expect(broken.statusCode).toBe(422);
    expect(broken.body).toContain('JSONとして読み取れません');
    const page = await get(a, '/manage/rules', m.session);
    const windows = JSON.parse(/id="field-windows"[^>]*>([^<]*)<\/textarea>/.exec(page.body)![1]!.replace(/&quot;/g, '"')) as Record<string, unknown>;
    const out = await postForm(a, '/manage/rules/windows', { _csrf: m.token, value: JSON.stringify({ ...windows, onlineCutoffDays: -3 }) }, m.cookie);
    expect(out.statusCode).toBe(422);
    expect(out.body).toContain('onlineCutoffDays');
    const ok = await postForm(a, '/manage/rules/windows', { _csrf: m.token, value: JSON.stringify({ ...windows, onlineCutoffDays: 4 }) }, m.cookie);
    expect(ok.statusCode).toBe(303);
    expect(JSON.parse((a.db.$client.prepare("SELECT value_json FROM rule_versions WHERE key = 'windows' ORDER BY effective_from DESC LIMIT 1").get() as { value_json: string }).value_json)).toMatchObject({ onlineCutoffDays: 4 });
  });
});
