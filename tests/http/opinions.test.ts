import { describe, expect, it } from 'vitest';
import { count, type TestApp, appPerTest } from '../support/app.js';

const app = appPerTest('2026-12-01T10:00');

const send = (a: TestApp, body: unknown, remoteAddress = '10.0.0.1') =>
  a.app.inject({ method: 'POST', url: '/api/v1/opinions', payload: body as object, remoteAddress });

const OPINION = {
  category: 'facility', body: 'ホールの空調が強すぎます。',
  contact: { name: '山田花子', email: 'hanako@example.jp', phone: '090-1234-5678' },
};

function rows(a: TestApp, sql: string, ...params: unknown[]) {
  return a.db.$client.prepare(sql).all(...params) as Record<string, unknown>[];
}

async function staffAndManager(a: TestApp) {
  await a.account('staff', 'staff@example.jp');
  await a.account('manager', 'manager@example.jp');
  return { staff: await a.login('staff@example.jp'), manager: await a.login('manager@example.jp') };
}

describe('POST /api/v1/opinions', () => {
  it('stores the opinion with a receipt number and no address or other identifier', async () => {
    const a = await app();
    const res = await send(a, OPINION);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ id: 1, receiptNo: 'O2026-000001' });
    const [row] = rows(a, 'SELECT * FROM opinions');
    expect(row).toMatchObject({
      receipt_no: 'O2026-000001', category: 'facility', body: 'ホールの空調が強すぎます。', status: 'new',
      contact_name: '山田花子', contact_email: 'hanako@example.jp', contact_phone: '090-1234-5678',
    });
    // Nothing in the row can identify the sender beyond what they chose to give.
    const columns = rows(a, 'PRAGMA table_info(opinions)').map((c) => c.name as string);
    expect(columns.filter((c) => /(^|_)(ip|address|user_agent|agent|session|account_id|cookie)(_|$)/i.test(c))).toEqual([]);
    expect(JSON.stringify(rows(a, 'SELECT * FROM audit_log'))).not.toContain('10.0.0.1');
    const second = await send(a, { category: 'other', body: '匿名です' });
    expect(second.json().receiptNo).toBe('O2026-000002');
    expect(rows(a, 'SELECT contact_name, contact_email FROM opinions WHERE id = 2')).toEqual([{ contact_name: null, contact_email: null }]);
  });

  it('answers a filled honeypot as if accepted but stores nothing', async () => {
    const a = await app();
    const res = await send(a, { ...OPINION, website: 'http://spam.example' });
    expect(res.statusCode).toBe(201);
    expect(res.json().receiptNo).toMatch(/^O2026-\d{6}$/);
    expect(count(a.db, 'opinions')).toBe(0);
  });

  it('limits one address to 5 opinions in 10 minutes (429 rate_limited), other addresses unaffected', async () => {
    const a = await app();
    for (let i = 0; i < 5; i++) expect((await send(a, { category: 'other', body: `意見${i}` })).statusCode).toBe(201);
    const sixth = await send(a, { category: 'other', body: '六件目' });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe('rate_limited');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await send(a, { category: 'other', body: '別の人' }, '10.0.0.2')).statusCode).toBe(201);
    expect(count(a.db, 'opinions')).toBe(6);
    a.clock.advance({ minutes: 10 });
    expect((await send(a, { category: 'other', body: 'また' })).statusCode).toBe(201);
  });

  it.each([
    ['an empty body', { category: 'other', body: '   ' }, 'body'],
    ['an over-long body', { category: 'other', body: 'あ'.repeat(2001) }, 'body'],
    ['control characters', { category: 'other', body: 'abc\u0007def' }, 'body'],
    ['an unknown category', { category: 'parking', body: '駐車場' }, 'category'],
    ['a bad e-mail', { category: 'other', body: 'x', contact: { email: 'not-mail' } }, 'contact.email'],
    ['an unknown field', { category: 'other', body: 'x', ip: '1.2.3.4' }, '(body)'],
  ])('refuses %s with 422 and stores nothing', async (_what, body, path) => {
    const a = await app();
    const res = await send(a, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(count(a.db, 'opinions')).toBe(0);
  });

  it('stores HTML as text', async () => {
    const a = await app();
    await send(a, { category: 'other', body: '<script>alert(1)</script>' });
    expect(rows(a, 'SELECT body FROM opinions')).toEqual([{ body: '<script>alert(1)</script>' }]);
  });
});

describe('triage, answers and publication', () => {
  it('shows contact details to managers only', async () => {
    const a = await app();
    const { staff, manager } = await staffAndManager(a);
    await send(a, OPINION);
    expect((await a.app.inject({ url: '/api/v1/opinions' })).statusCode).toBe(401);
    const staffList = (await a.app.inject({ url: '/api/v1/opinions', headers: { cookie: staff } })).json();
    expect(staffList).toHaveLength(1);
    expect(staffList[0].contact).toBeUndefined();
    expect(JSON.stringify(staffList)).not.toContain('hanako@example.jp');
    expect(staffList[0].hasContact).toBe(true);
    const managerList = (await a.app.inject({ url: '/api/v1/opinions', headers: { cookie: manager } })).json();
    expect(managerList[0].contact).toEqual({ name: '山田花子', email: 'hanako@example.jp', phone: '090-1234-5678' });
  });

  it('lets staff draft and change the status, but only a manager publishes', async () => {
    const a = await app();
    const { staff, manager } = await staffAndManager(a);
    const { id } = (await send(a, { ...OPINION, body: '山田です。ホールの空調が強すぎます。' })).json();
    const draft = await a.app.inject({ method: 'POST', url: `/api/v1/opinions/${id}/answer`, headers: { cookie: staff }, payload: { answer: '設定を見直します。', publish: false } });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(rows(a, 'SELECT status, answer_draft, answer, published_at FROM opinions')).toEqual([{ status: 'in_review', answer_draft: '設定を見直します。', answer: null, published_at: null }]);
    const refused = await a.app.inject({ method: 'POST', url: `/api/v1/opinions/${id}/answer`, headers: { cookie: staff }, payload: { answer: '設定を見直します。', publish: true } });
    expect(refused.statusCode).toBe(403);
    expect(rows(a, 'SELECT published_at FROM opinions')).toEqual([{ published_at: null }]);
    expect((await a.app.inject({ url: '/api/v1/opinions/published' })).json()).toEqual([]);

    const published = await a.app.inject({
      method: 'POST', url: `/api/v1/opinions/${id}/answer`, headers: { cookie: manager },
      payload: { answer: '温度設定を見直しました。', publish: true, publishedBody: 'ホールの空調が強すぎます。' },
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(rows(a, 'SELECT status, answer, published_body FROM opinions')).toEqual([{ status: 'answered', answer: '温度設定を見直しました。', published_body: 'ホールの空調が強すぎます。' }]);
    const list = (await a.app.inject({ url: '/api/v1/opinions/published' })).json();
    expect(list).toEqual([expect.objectContaining({ receiptNo: 'O2026-000001', category: 'facility', body: 'ホールの空調が強すぎます。', answer: '温度設定を見直しました。' })]);
    expect(JSON.stringify(list)).not.toMatch(/山田|hanako|090-1234/);
    const page = await a.app.inject('/opinions');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('温度設定を見直しました。');
    expect(page.body).not.toMatch(/山田|hanako|090-1234/);

    const closed = await a.app.inject({ method: 'POST', url: `/api/v1/opinions/${id}/status`, headers: { cookie: staff }, payload: { status: 'closed' } });
    expect(closed.statusCode).toBe(200);
    expect(rows(a, 'SELECT status FROM opinions')).toEqual([{ status: 'closed' }]);
    const bad = await a.app.inject({ method: 'POST', url: `/api/v1/opinions/${id}/status`, headers: { cookie: staff }, payload: { status: 'lost' } });
    expect(bad.statusCode).toBe(422);
  });

  it('escapes a published opinion on the public page', async () => {
    const a = await app();
    const { manager } = await staffAndManager(a);
    const { id } = (await send(a, { category: 'other', body: '<img src=x onerror=alert(1)>' })).json();
    await a.app.inject({ method: 'POST', url: `/api/v1/opinions/${id}/answer`, headers: { cookie: manager }, payload: { answer: '<b>ok</b>', publish: true } });
    const page = await a.app.inject('/opinions');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.body).toContain('&lt;b&gt;ok&lt;/b&gt;');
    expect(page.body).not.toContain('<img src=x');
  });
});

describe('retention of contact details', () => {
  it('deletes contacts after the period the manager set, not before', async () => {
    const a = await app();
    const { staff, manager } = await staffAndManager(a);
    await send(a, OPINION);
    expect((await a.app.inject({ method: 'PUT', url: '/api/v1/settings/opinions', headers: { cookie: staff }, payload: { retentionDays: 90 } })).statusCode).toBe(403);
    expect((await a.app.inject({ method: 'PUT', url: '/api/v1/settings/opinions', headers: { cookie: manager }, payload: { retentionDays: 5 } })).statusCode).toBe(422);
    const set = await a.app.inject({ method: 'PUT', url: '/api/v1/settings/opinions', headers: { cookie: manager }, payload: { retentionDays: 90 } });
    expect(set.statusCode).toBe(200);
    const { opinions } = a.app.services;
    const received = a.clock.now;
    expect(opinions.runContactRetention(received.plus({ days: 89 })).erased).toEqual([]);
    expect(rows(a, 'SELECT contact_email FROM opinions')).toEqual([{ contact_email: 'hanako@example.jp' }]);
    expect(opinions.runContactRetention(received.plus({ days: 90, minutes: 1 })).erased).toEqual([1]);
    expect(rows(a, 'SELECT body, contact_name, contact_email, contact_phone, contact_deleted_at IS NOT NULL AS gone FROM opinions'))
      .toEqual([{ body: OPINION.body, contact_name: null, contact_email: null, contact_phone: null, gone: 1 }]);
  });

  it('keeps contacts for 365 days by default', async () => {
    const a = await app();
    await send(a, OPINION);
    const { opinions } = a.app.services;
    expect(opinions.runContactRetention(a.clock.now.plus({ days: 364 })).erased).toEqual([]);
    expect(opinions.runContactRetention(a.clock.now.plus({ days: 366 })).erased).toEqual([1]);
  });
});
