import { describe, expect, it } from 'vitest';
import { count, PASSWORD, type TestApp, appPerTest } from '../support/app.js';
import { openForm, postForm } from '../support/forms.js';

const REP_PASSWORD = 'hanako-secret-1';

const app = appPerTest('2026-12-01T10:00');

/** Opens `formUrl`, then posts `fields` with its CSRF token to `action`. */
async function submit(a: TestApp, formUrl: string, action: string, fields: Record<string, string>, cookie = '') {
  const form = await openForm(a, formUrl, cookie);
  return postForm(a, action, { _csrf: form.token, ...fields }, form.cookie);
}

/** The application form as a person fills it in: flat fields, ticked boxes send `true`. */
function application(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    name: 'みどり町内会', kana: 'みどりちょうないかい', type: 'neighborhood-association',
    'representative.name': '佐藤花子', 'representative.email': 'hanako@example.jp', 'representative.password': REP_PASSWORD,
    'representative.phone': '090-1111-2222', memberCount: '25', fields: 'まちづくり、防災', description: '地域の防災活動をしています',
    publicProfile: 'true', 'attestations.nonPolitical': 'true', 'attestations.nonReligious': 'true', 'attestations.nonCommercial': 'true',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

function row(a: TestApp, sql: string, ...params: unknown[]) {
  return a.db.$client.prepare(sql).get(...params) as Record<string, unknown> | undefined;
}

/** Applies through the form; returns the registration id. */
async function apply(a: TestApp, overrides: Record<string, string | undefined> = {}): Promise<number> {
  const res = await submit(a, '/register', '/register', application(overrides));
  expect(res.statusCode, res.body).toBe(303);
  return row(a, 'SELECT id FROM registrations ORDER BY id DESC LIMIT 1')!.id as number;
}

async function manager(a: TestApp): Promise<string> {
  await a.account('manager', 'manager@example.jp', { name: '管理 太郎' });
  return a.login('manager@example.jp');
}

/** An application approved through the API; returns the group id and the representative's cookie. */
async function registeredGroup(a: TestApp, managerCookie: string, overrides: Record<string, string | undefined> = {}) {
  const id = await apply(a, overrides);
  const approved = await a.app.inject({ method: 'POST', url: `/api/v1/registrations/${id}/approve`, headers: { cookie: managerCookie } });
  expect(approved.statusCode).toBe(200);
  const email = overrides['representative.email'] ?? 'hanako@example.jp';
  return { groupId: approved.json().groupId as number, cookie: await a.login(email, REP_PASSWORD) };
}

describe('the application form (/register)', () => {
  it('is a Japanese page with a title, a CSRF field, every question and the purpose of the personal data', async () => {
    const a = await app();
    const res = await a.app.inject('/register');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ja">');
    expect(res.body).toContain('<title>利用登録の申請 | 市民活動交流センター Hiroba</title>');
    expect(res.body).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(res.body).toContain('個人情報の利用目的');
    expect(res.body).toContain('利用登録の審査、施設の予約とそれに関するご連絡、登録の更新のご案内のために利用します');
    expect(res.body).toContain('団体名・種類・活動分野・紹介文だけです');
    expect(res.body).toContain('保存期間（現在365日）を過ぎると、個人情報を削除します');
    for (const label of ['NPO法人', 'ボランティア団体', '町内会', '地区市民委員会', 'その他']) expect(res.body).toMatch(new RegExp(`<option value="[a-z-]+">${label}</option>`));
    // Every input has a label that points at it.
    const ids = [...res.body.matchAll(/<(?:input|select|textarea) class="[^"]*" id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThanOrEqual(14);
    for (const id of ids) expect(res.body, id).toContain(`for="${id}"`);
    // Works under the CSP: no inline script, no style attribute.
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(res.body).not.toMatch(/\sstyle=/);
  });

  it('stores a pending group with its representative and application, and says a manager will review it', async () => {
    const a = await app();
    const res = await submit(a, '/register', '/register', application());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/register/thanks');
    expect(row(a, 'SELECT name, status, member_count, public_profile, fields FROM groups')).toEqual({
      name: 'みどり町内会', status: 'pending', member_count: 25, public_profile: 1, fields: '["まちづくり","防災"]',
    });
    expect(row(a, 'SELECT status, channel, kind FROM registrations')).toEqual({ status: 'pending', channel: 'online', kind: 'new' });
    expect(row(a, 'SELECT role, is_representative FROM accounts WHERE email = ?', 'hanako@example.jp')).toEqual({ role: 'member', is_representative: 1 });
    const thanks = await a.app.inject(res.headers.location as string);
    expect(thanks.body).toContain('管理者が内容を審査します');
    expect(thanks.body).toContain('href="/login?next=%2Fmy%2Fgroup"');
  });

  it('reads full-width digits and commas as the member count and the fields', async () => {
    const a = await app();
    await apply(a, { memberCount: '２５', fields: 'まちづくり, 防災，子育て' });
    expect(row(a, 'SELECT member_count, fields FROM groups')).toEqual({ member_count: 25, fields: '["まちづくり","防災","子育て"]' });
  });

  it('without an attestation: 422 with the message in Japanese by the box, the input kept but not the password, nothing stored', async () => {
    const a = await app();
    const res = await submit(a, '/register', '/register', application({ 'attestations.nonReligious': undefined }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<html lang="ja">');
    const message = '「宗教活動を主な目的とする団体ではありません」を確認して、チェックを入れてください';
    expect(res.body).toContain(`<a href="#field-attestations.nonReligious">${message}</a>`);
    expect(res.body).toMatch(new RegExp(`<p class="field__error" id="field-attestations.nonReligious-error">${message}</p>\\s*<div class="checkbox__item">\\s*<input[^>]*id="field-attestations.nonReligious"[^>]*aria-invalid="true" aria-describedby="field-attestations.nonReligious-error">`));
    expect(res.body).toContain('value="みどり町内会"');
    expect(res.body).toContain('value="hanako@example.jp"');
    expect(res.body).toMatch(/<option value="neighborhood-association" selected>町内会<\/option>/);
    expect(res.body).toMatch(/id="field-attestations.nonPolitical" name="attestations.nonPolitical" type="checkbox" value="true" checked/);
    expect(res.body).toContain('>地域の防災活動をしています</textarea>');
    expect(res.body).not.toContain(REP_PASSWORD);
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(count(a.db, 'groups')).toBe(0);
    expect(count(a.db, 'accounts')).toBe(0);
    expect(count(a.db, 'registrations')).toBe(0);
  });

  it('ties a message in Japanese to each wrong field', async () => {
    const a = await app();
    const res = await submit(a, '/register', '/register', application({
      name: '', kana: '緑町内会', type: '', 'representative.email': 'not-an-email', 'representative.password': 'short', memberCount: '0', fields: '',
    }));
    expect(res.statusCode).toBe(422);
    const expected: [string, string][] = [
      ['name', '団体名を入力してください'],
      ['kana', '団体名のふりがなはひらがなまたはカタカナで入力してください'],
      ['type', '団体の種類を選んでください'],
      ['representative.email', '代表者のメールアドレスは「name@example.jp」のような形で入力してください'],
      ['representative.password', 'パスワードは10文字以上で入力してください'],
      ['memberCount', '会員数は1以上の数字で入力してください'],
      ['fields', '活動分野を1つ以上入力してください'],
    ];
    for (const [field, message] of expected) {
      expect(res.body, field).toContain(`<p class="field__error" id="field-${field}-error">${message}</p>`);
      expect(res.body, field).toMatch(new RegExp(`id="field-${field.replace('.', '\\.')}"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*field-${field.replace('.', '\\.')}-error"`));
    }
    expect(count(a.db, 'groups')).toBe(0);
  });

  it('refuses a post without _csrf with 403 and stores nothing', async () => {
    const a = await app();
    const { cookie } = await openForm(a, '/register');
    const res = await postForm(a, '/register', application(), cookie);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(count(a.db, 'groups')).toBe(0);
    expect(count(a.db, 'accounts')).toBe(0);
  });

  it('says in Japanese that a name or an e-mail address is already registered', async () => {
    const a = await app();
    await apply(a);
    const sameName = await submit(a, '/register', '/register', application({ 'representative.email': 'other@example.jp' }));
    expect(sameName.statusCode).toBe(422);
    expect(sameName.body).toContain('<p class="field__error" id="field-name-error">この団体名はすでに登録されています。');
    const sameEmail = await submit(a, '/register', '/register', application({ name: '別の会' }));
    expect(sameEmail.statusCode).toBe(422);
    expect(sameEmail.body).toContain('<p class="field__error" id="field-representative.email-error">このメールアドレスはすでに使われています。');
    expect(count(a.db, 'groups')).toBe(1);
  });

  it('registers at the desk for staff, without an e-mail address', async () => {
    const a = await app();
    await a.account('staff', 'desk@example.jp');
    const desk = await a.login('desk@example.jp');
    const page = await a.app.inject({ url: '/register', headers: { cookie: desk } });
    expect(page.body).toContain('窓口での受付です');
    const res = await submit(a, '/register', '/register', application({ 'representative.email': '', 'representative.password': '' }), desk);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/register');
    expect(row(a, 'SELECT channel FROM registrations')).toEqual({ channel: 'desk' });
    expect(row(a, "SELECT email, password_hash FROM accounts WHERE name = '佐藤花子'")).toEqual({ email: null, password_hash: null });
  });

  it('shows the page in English with the language cookie', async () => {
    const a = await app();
    const res = await a.app.inject({ url: '/register', headers: { cookie: 'hiroba_lang=en' } });
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<title>Apply for group registration | Civic Activity Exchange Center Hiroba</title>');
    expect(res.body).toContain('How we use your personal data');
  });
});

describe('the group directory (/groups)', () => {
  it('lists approved groups that opted in, escaped, without people or contacts', async () => {
    const a = await app();
    const m = await manager(a);
    await registeredGroup(a, m, { name: '<script>alert(1)</script>の会', description: '毎月<b>防災</b>訓練' });
    await registeredGroup(a, m, { name: '非公開の会', publicProfile: undefined, 'representative.email': 'ichiro@example.jp', 'representative.name': '鈴木一郎' });
    await apply(a, { name: '審査中の会', 'representative.email': 'jiro@example.jp' });
    const res = await a.app.inject('/groups');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>団体紹介 | 市民活動交流センター Hiroba</title>');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;の会');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('毎月&lt;b&gt;防災&lt;/b&gt;訓練');
    expect(res.body).toContain('<dd>町内会</dd>');
    expect(res.body).toContain('<dd>まちづくり、防災</dd>');
    expect(res.body).not.toContain('非公開の会');
    expect(res.body).not.toContain('審査中の会');
    expect(res.body).not.toMatch(/hanako|@example|090-|佐藤|鈴木/);
  });

  it('filters by type of group', async () => {
    const a = await app();
    const m = await manager(a);
    await registeredGroup(a, m);
    const other = await a.app.inject('/groups?type=npo');
    expect(other.body).toContain('この種類の団体はありません。');
    expect(other.body).toContain('<option value="npo" selected>NPO法人</option>');
    const same = await a.app.inject('/groups?type=neighborhood-association');
    expect(same.body).toContain('みどり町内会');
  });
});

describe('the review queue (/manage/registrations)', () => {
  it('is for managers: staff get 403 and an anonymous visitor is sent to log in', async () => {
    const a = await app();
    await a.account('staff', 'desk@example.jp');
    const staff = await a.login('desk@example.jp');
    const forbidden = await a.app.inject({ url: '/manage/registrations', headers: { cookie: staff } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.body).toContain('このページは管理者だけが使えます。');
    const anonymous = await a.app.inject('/manage/registrations');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fmanage%2Fregistrations');
  });

  it('lists a pending application with what a manager needs to decide', async () => {
    const a = await app();
    const m = await manager(a);
    await apply(a);
    const res = await a.app.inject({ url: '/manage/registrations', headers: { cookie: m } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('審査待ちの申請（1件）');
    for (const text of ['みどり町内会', 'みどりちょうないかい', '<dd>町内会</dd>', '<dd>25人</dd>', '<dd>まちづくり、防災</dd>', '<dd>オンライン</dd>', '<dd>2026年12月1日(火) 10:00</dd>', '2027年3月31日(水)まで有効になります']) {
      expect(res.body).toContain(text);
    }
    expect(res.body).toMatch(/<form method="post" action="\/manage\/registrations\/1\/approve"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(res.body).toMatch(/<form method="post" action="\/manage\/registrations\/1\/reject"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(res.body).toContain('<label class="field__label" for="field-reason-1">却下の理由');
  });

  it('approves through the form, and a second approval is a clear message, not an error page', async () => {
    const a = await app();
    const m = await manager(a);
    const id = await apply(a);
    const res = await submit(a, '/manage/registrations', `/manage/registrations/${id}/approve`, {}, m);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/manage/registrations');
    expect(row(a, 'SELECT status, valid_until FROM groups')).toEqual({ status: 'active', valid_until: '2027-03-31' });
    const after = await a.app.inject({ url: '/manage/registrations', headers: { cookie: `${m}; hiroba_flash=flash.registrationApproved` } });
    expect(after.body).toContain('申請を承認しました。');
    expect(after.body).toContain('審査待ちの申請（0件）');
    expect(after.body).toMatch(/<th scope="row">みどり町内会<\/th>[\s\S]*承認[\s\S]*2027年3月31日\(水\)まで有効/);
    const again = await submit(a, '/manage/registrations', `/manage/registrations/${id}/approve`, {}, m);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('この申請はすでに審査済みです。');
  });

  it('refuses to reject without a reason: 422, the queue again with the message by the box, still pending', async () => {
    const a = await app();
    const m = await manager(a);
    const id = await apply(a);
    const res = await submit(a, '/manage/registrations', `/manage/registrations/${id}/reject`, { reason: '  ' }, m);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`<a href="#field-reason-${id}">却下の理由を入力してください</a>`);
    expect(res.body).toMatch(new RegExp(`<textarea[^>]*id="field-reason-${id}"[^>]*aria-invalid="true" aria-describedby="field-reason-${id}-hint field-reason-${id}-error">`));
    expect(row(a, 'SELECT status FROM registrations')).toEqual({ status: 'pending' });
    expect(row(a, 'SELECT status FROM groups')).toEqual({ status: 'pending' });
  });

  it('rejects with a reason that the applicant then sees on the group page', async () => {
    const a = await app();
    const m = await manager(a);
    const id = await apply(a);
    const res = await submit(a, '/manage/registrations', `/manage/registrations/${id}/reject`, { reason: '活動実績が\r\n確認できません' }, m);
    expect(res.statusCode).toBe(303);
    expect(row(a, 'SELECT status, reason FROM registrations')).toEqual({ status: 'rejected', reason: '活動実績が 確認できません' });
    const rep = await a.login('hanako@example.jp', REP_PASSWORD);
    const page = await a.app.inject({ url: '/my/group', headers: { cookie: rep } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<span class="status status--rejected">却下</span>');
    expect(page.body).toContain('<dt>理由</dt><dd>活動実績が 確認できません</dd>');
  });

  it('refuses a decision posted by staff or without _csrf', async () => {
    const a = await app();
    const m = await manager(a);
    const id = await apply(a);
    await a.account('staff', 'desk@example.jp');
    const staff = await a.login('desk@example.jp');
    const byStaff = await submit(a, '/register', `/manage/registrations/${id}/approve`, {}, staff);
    expect(byStaff.statusCode).toBe(403);
    const noToken = await postForm(a, `/manage/registrations/${id}/approve`, {}, m);
    expect(noToken.statusCode).toBe(403);
    expect(row(a, 'SELECT status FROM registrations')).toEqual({ status: 'pending' });
  });
});

describe("a group's own page (/my/group)", () => {
  it('shows the standing, the validity, the profile and the members with the representative marked', async () => {
    const a = await app();
    const m = await manager(a);
    const { cookie } = await registeredGroup(a, m);
    const res = await a.app.inject({ url: '/my/group', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>団体のページ | 市民活動交流センター Hiroba</title>');
    expect(res.body).toContain('<span class="status status--active">登録済み</span>');
    expect(res.body).toContain('<dt>有効期限</dt><dd>2027年3月31日(水)</dd>');
    expect(res.body).toContain('更新の申請は2027年3月1日(月)から受け付けます。');
    expect(res.body).toMatch(/<th scope="row">佐藤花子<\/th>\s*<td>hanako@example.jp<\/td>\s*<td><span class="role role--representative">代表者<\/span><\/td>/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('says an application is under review', async () => {
    const a = await app();
    await apply(a);
    const rep = await a.login('hanako@example.jp', REP_PASSWORD);
    const res = await a.app.inject({ url: '/my/group', headers: { cookie: rep } });
    expect(res.body).toContain('<span class="status status--pending">審査中</span>');
  });

  it('sends an anonymous visitor to log in, and answers 404 to an account without a group', async () => {
    const a = await app();
    const anonymous = await a.app.inject('/my/group');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fmy%2Fgroup');
    await a.account('individual', 'citizen@example.jp');
    const citizen = await a.login('citizen@example.jp');
    expect((await a.app.inject({ url: '/my/group', headers: { cookie: citizen } })).statusCode).toBe(404);
  });

  it('lets the representative invite a member who joins through the link and can then log in', async () => {
    const a = await app();
    const m = await manager(a);
    const { groupId, cookie } = await registeredGroup(a, m);
    const res = await submit(a, '/my/group', '/my/group/invitations', { email: 'taro@example.jp' }, cookie);
    expect(res.statusCode).toBe(200);
    expect(row(a, 'SELECT group_id, email FROM group_invitations')).toEqual({ group_id: groupId, email: 'taro@example.jp' });
    const link = /value="(https?:\/\/[^"]+\/invitations\/([A-Za-z0-9_-]{43}))"/.exec(res.body);
    expect(link).not.toBeNull();
    expect(res.body).toContain('taro@example.jp さんへの招待リンクです。');
    const path = `/invitations/${link![2]}`;

    const form = await a.app.inject(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<title>団体への招待 | 市民活動交流センター Hiroba</title>');
    expect(form.body).toContain('taro@example.jp');
    const joined = await submit(a, path, path, { name: '田中太郎', password: 'taro-secret-12', phone: '' });
    expect(joined.statusCode).toBe(303);
    expect(joined.headers.location).toBe('/login');
    expect(row(a, "SELECT role, group_id, is_representative FROM accounts WHERE email = 'taro@example.jp'")).toEqual({ role: 'member', group_id: groupId, is_representative: 0 });
    await a.login('taro@example.jp', 'taro-secret-12');

    const members = await a.app.inject({ url: '/my/group', headers: { cookie } });
    expect(members.body).toMatch(/<th scope="row">田中太郎<\/th>\s*<td>taro@example.jp<\/td>\s*<td>メンバー<\/td>/);
    // The link works once: the page says so at once, and a post with a valid CSRF token is refused too.
    const reopened = await a.app.inject(path);
    expect(reopened.statusCode).toBe(404);
    expect(reopened.body).toContain('招待リンクが使えません');
    const again = await submit(a, '/login', path, { name: '別人', password: 'another-secret' });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('招待リンクが使えません');
    expect(count(a.db, 'accounts')).toBe(3);
  });

  it('answers 404 for an invitation link that is not one', async () => {
    const a = await app();
    const res = await a.app.inject('/invitations/nope');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('招待リンクが使えません');
    const unknown = `/invitations/${'A'.repeat(43)}`;
    expect((await a.app.inject(unknown)).statusCode).toBe(404);
    const post = await submit(a, '/login', unknown, { name: '田中太郎', password: 'taro-secret-12' });
    expect(post.statusCode).toBe(404);
    expect(count(a.db, 'accounts')).toBe(0);
  });

  it('re-renders the invite form with a message for an address that has an account', async () => {
    const a = await app();
    const m = await manager(a);
    const { cookie } = await registeredGroup(a, m);
    const res = await submit(a, '/my/group', '/my/group/invitations', { email: 'manager@example.jp' }, cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<p class="field__error" id="field-email-error">このメールアドレスにはすでにアカウントがあります</p>');
    expect(count(a.db, 'group_invitations')).toBe(0);
  });

  it('removes a member after asking on a page of its own', async () => {
    const a = await app();
    const m = await manager(a);
    const { groupId, cookie } = await registeredGroup(a, m);
    const taro = await a.account('member', 'taro@example.jp', { groupId, name: '田中太郎' });
    const confirm = await a.app.inject({ url: `/my/group/members/${taro}/remove`, headers: { cookie } });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('田中太郎さんをメンバーから削除しますか？');
    const res = await submit(a, `/my/group/members/${taro}/remove`, `/my/group/members/${taro}/remove`, {}, cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/my/group');
    expect(row(a, 'SELECT disabled_at IS NOT NULL AS disabled FROM accounts WHERE id = ?', taro)).toEqual({ disabled: 1 });
  });

  it('shows a member who is not the representative no invite form, and refuses their invitation', async () => {
    const a = await app();
    const m = await manager(a);
    const { groupId } = await registeredGroup(a, m);
    await a.account('member', 'taro@example.jp', { groupId, name: '田中太郎' });
    const taro = await a.login('taro@example.jp', PASSWORD);
    const page = await a.app.inject({ url: '/my/group', headers: { cookie: taro } });
    expect(page.body).not.toContain('action="/my/group/invitations"');
    expect(page.body).toContain('メンバーの招待と削除は代表者が行います。');
    const res = await submit(a, '/my/group', '/my/group/invitations', { email: 'x@example.jp' }, taro);
    expect(res.statusCode).toBe(403);
    expect(count(a.db, 'group_invitations')).toBe(0);
  });

  it("shows each member their own group only: nothing of another group's data", async () => {
    const a = await app();
    const m = await manager(a);
    await registeredGroup(a, m, { description: '秘密の活動内容' });
    const other = await registeredGroup(a, m, { name: '青空の会', 'representative.email': 'ichiro@example.jp', 'representative.name': '鈴木一郎', description: '青空の下で' });
    const res = await a.app.inject({ url: '/my/group', headers: { cookie: other.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('青空の会');
    expect(res.body).toContain('鈴木一郎');
    expect(res.body).not.toMatch(/みどり町内会|佐藤花子|hanako@example\.jp|秘密の活動内容/);
  });

  it('opens the renewal form on March 1 of the last year, and then says a renewal is pending', async () => {
    const a = await app();
    const m = await manager(a);
    const { groupId } = await registeredGroup(a, m);
    a.clock.set('2027-03-01T10:00');
    const cookie = await a.login('hanako@example.jp', REP_PASSWORD);
    const page = await a.app.inject({ url: '/my/group', headers: { cookie } });
    expect(page.body).toContain('action="/my/group/renewal"');
    expect(page.body).toMatch(/id="field-memberCount" name="memberCount" type="text" value="25"/);
    const missing = await submit(a, '/my/group', '/my/group/renewal', { memberCount: '30', fields: '防災' }, cookie);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('「政治活動を主な目的とする団体ではありません」を確認して、チェックを入れてください');
    expect(count(a.db, 'registrations')).toBe(1);
    const res = await submit(a, '/my/group', '/my/group/renewal', {
      memberCount: '30', fields: '防災', 'attestations.nonPolitical': 'true', 'attestations.nonReligious': 'true', 'attestations.nonCommercial': 'true',
    }, cookie);
    expect(res.statusCode).toBe(303);
    expect(row(a, "SELECT group_id, member_count FROM registrations WHERE kind = 'renewal' AND status = 'pending'")).toEqual({ group_id: groupId, member_count: 30 });
    const after = await a.app.inject({ url: '/my/group', headers: { cookie } });
    expect(after.body).toContain('更新申請中です。');
    expect(after.body).not.toContain('action="/my/group/renewal"');
  });
});

describe('the navigation', () => {
  it('shows each person the registration pages that are theirs', async () => {
    const a = await app();
    const anonymous = await a.app.inject('/');
    expect(anonymous.body).toContain('<a href="/groups">団体紹介</a>');
    expect(anonymous.body).toContain('<a href="/register">利用登録</a>');
    expect(anonymous.body).not.toContain('href="/my/group"');
    const m = await manager(a);
    const asManager = await a.app.inject({ url: '/', headers: { cookie: m } });
    expect(asManager.body).toContain('<a href="/manage/registrations">登録審査</a>');
    const { cookie } = await registeredGroup(a, m);
    const asMember = await a.app.inject({ url: '/', headers: { cookie } });
    expect(asMember.body).toContain('<a href="/my/group">団体のページ</a>');
    expect(asMember.body).not.toContain('href="/register"');
    expect(asMember.body).not.toContain('href="/manage/registrations"');
  });
});
