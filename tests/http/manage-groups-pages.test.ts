import { afterEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { openForm, postForm } from '../support/forms.js';
import { auditActions, makeGroup, user } from './helpers.js';

// A manager suspends a registered group with a reason and reinstates it from /manage/groups/{id},
// and sets how long a lapsed group's personal data is kept on /manage/registrations.

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = (a: TestApp, url: string, cookie: string) => a.app.inject({ url, headers: { cookie } });
const sql = <T>(a: TestApp, query: string, ...args: unknown[]) => a.db.$client.prepare(query).all(...args) as T[];
const groupRow = (a: TestApp, id: number) => sql<{ status: string; status_reason: string | null }>(a, 'SELECT status, status_reason FROM groups WHERE id = ?', id)[0];
const retention = (a: TestApp) => sql<{ value_json: string }>(a, "SELECT value_json FROM rule_settings WHERE key = 'registration'")[0]?.value_json ?? null;
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

async function scene() {
  const a = (t = await makeTestApp('2026-12-01T10:00'));
  const groupId = makeGroup(a, '緑町映像クラブ');
  const lapsedId = makeGroup(a, '旧町内会', { status: 'lapsed', validUntil: '2026-03-31' });
  const manager = await user(a, 'manager', 'boss@example.jp');
  const staff = await user(a, 'staff', 'clerk@example.jp');
  const member = await user(a, 'member', 'kaiin@example.jp', { groupId });
  return { a, groupId, lapsedId, manager, staff, member };
}

describe('suspending and reinstating a group from the console', () => {
  it('lists registered groups, finds one by name, and links its page', async () => {
    const { a, groupId, lapsedId, manager } = await scene();
    const list = await get(a, '/manage/groups', manager.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/manage/groups/${groupId}"`);
    expect(list.body).not.toContain(`href="/manage/groups/${lapsedId}"`);
    const none = await get(a, `/manage/groups?q=${encodeURIComponent('存在しない')}`, manager.cookie);
    expect(text(none.body)).toContain('該当する団体はありません');
    expect((await get(a, '/manage', manager.cookie)).body).toContain('href="/manage/groups"');
    expect((await get(a, '/manage/registrations', manager.cookie)).body).toContain('href="/manage/groups"');
  });

  it('suspends with a reason (stored and audited), then reinstates', async () => {
    const { a, groupId, manager } = await scene();
    const form = await openForm(a, `/manage/groups/${groupId}`, manager.cookie);
    expect(form.page.body).toContain('利用を停止する');
    const res = await postForm(a, `/manage/groups/${groupId}/suspend`, { _csrf: form.token, reason: '規約違反\n（再三の無断キャンセル）' }, form.cookie);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/manage/groups/${groupId}`);
    expect(res.cookies.find((c) => c.name === 'hiroba_flash')?.value).toBe('flash.groupSuspended');
    expect(groupRow(a, groupId)).toEqual({ status: 'suspended', status_reason: '規約違反 （再三の無断キャンセル）' });
    expect(auditActions(a, 'group.suspend')).toHaveLength(1);

    const page = await get(a, `/manage/groups/${groupId}`, manager.cookie);
    expect(text(page.body)).toContain('停止の理由：規約違反');
    expect(page.body).toContain(`action="/manage/groups/${groupId}/reinstate"`);
    const again = await postForm(a, `/manage/groups/${groupId}/suspend`, { _csrf: form.token, reason: 'もう一度' }, form.cookie);
    expect(again.statusCode).toBe(409);

    const back = await postForm(a, `/manage/groups/${groupId}/reinstate`, { _csrf: form.token }, form.cookie);
    expect(back.statusCode).toBe(303);
    expect(groupRow(a, groupId)).toEqual({ status: 'active', status_reason: null });
    expect(auditActions(a, 'group.reinstate')).toHaveLength(1);
    expect((await postForm(a, `/manage/groups/${groupId}/reinstate`, { _csrf: form.token }, form.cookie)).statusCode).toBe(409);
  });

  it('re-renders 422 without a reason and changes nothing', async () => {
    const { a, groupId, manager } = await scene();
    const form = await openForm(a, `/manage/groups/${groupId}`, manager.cookie);
    const audit = count(a.db, 'audit_log');
    for (const reason of ['', '   ', 'あ'.repeat(501)]) {
      const res = await postForm(a, `/manage/groups/${groupId}/suspend`, { _csrf: form.token, reason }, form.cookie);
      expect(res.statusCode).toBe(422);
      expect(text(res.body)).toContain('停止の理由');
      expect(res.body).toContain('id="field-reason-error"');
    }
    expect(groupRow(a, groupId)).toEqual({ status: 'active', status_reason: null });
    expect(count(a.db, 'audit_log')).toBe(audit);
  });

  it('shows a lapsed group without the forms, and an unknown group as 404', async () => {
    const { a, lapsedId, manager } = await scene();
    const page = await get(a, `/manage/groups/${lapsedId}`, manager.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/suspend"');
    expect((await get(a, '/manage/groups/9999', manager.cookie)).statusCode).toBe(404);
  });

  it('is for managers: staff and members refused, visitors to the login, nothing changes', async () => {
    const { a, groupId, staff, member } = await scene();
    for (const who of [staff, member]) {
      expect((await get(a, '/manage/groups', who.cookie)).statusCode).toBe(403);
      expect((await get(a, `/manage/groups/${groupId}`, who.cookie)).statusCode).toBe(403);
      const form = await openForm(a, '/my/loans', member.cookie);
      const cookie = `${who.cookie}; ${form.cookie.split('; ').find((c) => c.startsWith('hiroba_csrf='))}`;
      expect((await postForm(a, `/manage/groups/${groupId}/suspend`, { _csrf: form.token, reason: '規約違反' }, cookie)).statusCode).toBe(403);
      expect((await postForm(a, '/manage/registrations/retention', { _csrf: form.token, retentionDays: '100' }, cookie)).statusCode).toBe(403);
    }
    const anonymous = await a.app.inject('/manage/groups');
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent('/manage/groups')}`);
    expect(groupRow(a, groupId)!.status).toBe('active');
    expect(retention(a)).toBeNull();
  });
});

describe('the personal-data retention days on the registration page', () => {
  it('shows the current days and stores a new number', async () => {
    const { a, manager } = await scene();
    const form = await openForm(a, '/manage/registrations', manager.cookie);
    expect(form.page.body).toMatch(/name="retentionDays" type="number" value="365"/);
    const res = await postForm(a, '/manage/registrations/retention', { _csrf: form.token, retentionDays: '730' }, form.cookie);
    expect(res.statusCode).toBe(303);
    expect(res.cookies.find((c) => c.name === 'hiroba_flash')?.value).toBe('flash.retentionSaved');
    expect(JSON.parse(retention(a)!)).toEqual({ retentionDays: 730 });
    expect((await get(a, '/manage/registrations', manager.cookie)).body).toMatch(/name="retentionDays" type="number" value="730"/);
  });

  it('re-renders 422 for a number out of range or not a number, storing nothing', async () => {
    const { a, manager } = await scene();
    const form = await openForm(a, '/manage/registrations', manager.cookie);
    for (const retentionDays of ['', '29', '3651', 'abc', '1.5', '-5']) {
      const res = await postForm(a, '/manage/registrations/retention', { _csrf: form.token, retentionDays }, form.cookie);
      expect(res.statusCode, retentionDays).toBe(422);
      expect(text(res.body)).toContain('保存する日数は30〜3650の整数で入力してください');
    }
    expect(retention(a)).toBeNull();
  });
});
