import { afterEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { openForm } from '../support/forms.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function app(): Promise<TestApp> {
  t = await makeTestApp('2026-12-01T10:00');
  return t;
}


async function submit(a: TestApp, formUrl: string, action: string, fields: Record<string, string>, cookie = '') {
  const form = await openForm(a, formUrl, cookie);
  return a.app.inject({
    method: 'POST', url: action, payload: new URLSearchParams({ _csrf: form.token, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
  });
}

const row = (a: TestApp, sql: string) => a.db.$client.prepare(sql).get() as Record<string, unknown> | undefined;

describe('the opinion form (/opinions/new)', () => {
  it('states the purpose of use, labels every field and hides the honeypot from people', async () => {
    const a = await app();
    const res = await a.app.inject('/opinions/new');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>ご意見箱 | 市民活動交流センター Hiroba</title>');
    expect(res.body).toContain('確認やご回答が必要な場合の連絡にだけ使います');
    expect(res.body).toContain('IPアドレス');
    expect(res.body).toMatch(/<div class="hp-field" aria-hidden="true">/);
    expect(res.body).toMatch(/name="website" type="text" value="" tabindex="-1" autocomplete="off"/);
    const ids = [...res.body.matchAll(/<(?:input|select|textarea) class="[^"]*" id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['field-category', 'field-body', 'field-contact.name', 'field-contact.email', 'field-contact.phone']);
    for (const id of ids) expect(res.body).toContain(`for="${id}"`);
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(res.body).not.toMatch(/\sstyle=/);
  });

  it('stores an opinion and shows its receipt number', async () => {
    const a = await app();
    const res = await submit(a, '/opinions/new', '/opinions/new', { category: 'booking', body: '予約画面が分かりにくい', 'contact.name': '', 'contact.email': 'a@example.jp', 'contact.phone': '', website: '' });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/opinions/thanks?no=O2026-000001');
    expect(row(a, 'SELECT category, body, contact_name, contact_email FROM opinions')).toEqual({ category: 'booking', body: '予約画面が分かりにくい', contact_name: null, contact_email: 'a@example.jp' });
    const thanks = await a.app.inject(res.headers.location as string);
    expect(thanks.body).toContain('O2026-000001');
  });

  it('refuses a form without its CSRF token', async () => {
    const a = await app();
    const res = await a.app.inject({ method: 'POST', url: '/opinions/new', payload: 'category=other&body=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(403);
    expect(count(a.db, 'opinions')).toBe(0);
  });

  it('re-renders bad input with 422, errors tied to fields, and the text escaped', async () => {
    const a = await app();
    const res = await submit(a, '/opinions/new', '/opinions/new', { category: 'nope', body: '<b>太字</b>'.repeat(300), website: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-category"');
    expect(res.body).toContain('href="#field-body"');
    expect(res.body).toMatch(/id="field-body"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('&lt;b&gt;太字&lt;/b&gt;');
    expect(count(a.db, 'opinions')).toBe(0);
  });

  it('thanks a filled honeypot and stores nothing', async () => {
    const a = await app();
    const res = await submit(a, '/opinions/new', '/opinions/new', { category: 'other', body: 'buy now', website: 'http://spam.example' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/opinions\/thanks\?no=O2026-\d{6}$/);
    expect(count(a.db, 'opinions')).toBe(0);
  });
});

describe('the triage pages (/manage/opinions)', () => {
  it('lists opinions for staff without contact details, and with them for managers', async () => {
    const a = await app();
    await a.account('staff', 'staff@example.jp');
    await a.account('manager', 'manager@example.jp');
    await a.account('individual', 'me@example.jp');
    await submit(a, '/opinions/new', '/opinions/new', { category: 'staff', body: '親切でした', 'contact.name': '佐藤一郎', 'contact.email': 'ichiro@example.jp' });
    const staff = await a.login('staff@example.jp');
    const staffPage = await a.app.inject({ url: '/manage/opinions', headers: { cookie: staff } });
    expect(staffPage.statusCode).toBe(200);
    expect(staffPage.body).toContain('親切でした');
    expect(staffPage.body).not.toContain('ichiro@example.jp');
    const staffDetail = await a.app.inject({ url: '/manage/opinions/1', headers: { cookie: staff } });
    expect(staffDetail.body).not.toContain('ichiro@example.jp');
    expect(staffDetail.body).not.toContain('value="true"');
    const manager = await a.login('manager@example.jp');
    const managerPage = await a.app.inject({ url: '/manage/opinions', headers: { cookie: manager } });
    expect(managerPage.body).toContain('ichiro@example.jp');
    expect((await a.app.inject({ url: '/manage/opinions', headers: { cookie: await a.login('me@example.jp') } })).statusCode).toBe(403);
    expect((await a.app.inject({ url: '/manage/opinions' })).statusCode).toBe(303);
  });

  it('lets staff save a draft and a manager publish an edited text', async () => {
    const a = await app();
    await a.account('staff', 'staff@example.jp');
    await a.account('manager', 'manager@example.jp');
    await submit(a, '/opinions/new', '/opinions/new', { category: 'facility', body: '佐藤です。トイレが寒い' });
    const staff = await a.login('staff@example.jp');
    const drafted = await submit(a, '/manage/opinions/1', '/manage/opinions/1/answer', { answer: '暖房を入れます', publish: 'false' }, staff);
    expect(drafted.statusCode, drafted.body).toBe(303);
    expect(row(a, 'SELECT answer_draft, published_at FROM opinions')).toEqual({ answer_draft: '暖房を入れます', published_at: null });
    // Even if staff post publish=true by hand, the service refuses it.
    const forged = await submit(a, '/manage/opinions/1', '/manage/opinions/1/answer', { answer: '暖房を入れます', publish: 'true' }, staff);
    expect(forged.statusCode).toBe(403);
    const manager = await a.login('manager@example.jp');
    const published = await submit(a, '/manage/opinions/1', '/manage/opinions/1/answer', { answer: '暖房を入れました', publishedBody: 'トイレが寒い', publish: 'true' }, manager);
    expect(published.statusCode).toBe(303);
    expect(row(a, 'SELECT status, published_body, answer FROM opinions')).toEqual({ status: 'answered', published_body: 'トイレが寒い', answer: '暖房を入れました' });
    const page = await a.app.inject('/opinions');
    expect(page.body).toContain('トイレが寒い');
    expect(page.body).not.toContain('佐藤');
    const status = await submit(a, '/manage/opinions/1', '/manage/opinions/1/status', { status: 'closed' }, staff);
    expect(status.statusCode).toBe(303);
    expect(row(a, 'SELECT status FROM opinions')).toEqual({ status: 'closed' });
    const retention = await submit(a, '/manage/opinions', '/manage/opinions/retention', { retentionDays: '180' }, manager);
    expect(retention.statusCode).toBe(303);
    expect(a.app.services.opinions.retentionDays()).toBe(180);
  });
});
