import { describe, expect, it } from 'vitest';
import { cookieHeader, count, type TestApp, appPerTest } from '../support/app.js';
import { postForm, signedInForm } from '../support/forms.js';
import { auditActions, body, bookingRow, call, expectProblem, makeGroup, user } from './helpers.js';

// The clock: Tuesday 2027-01-05 10:00 in Tokyo, so the general window already reaches April
// (bookings for April open on January 1). small-1 costs ¥200 an hour in the morning: two hours are
// ¥400, and ¥480 with the heating surcharge of 20% (November to April). With heating at 50% from
// the fiscal year 2027 they are ¥600.

const app = appPerTest('2027-01-05T10:00', { sessionHours: 24 * 30 });

const walkIn = { walkIn: { name: '佐藤 一郎', phone: '090-1111-2222' } };
type Section = { key: string; value: Record<string, unknown>; effectiveFrom: string | null; scheduled: { effectiveFrom: string; until: string | null; value: Record<string, unknown> }[] };

async function rules(a: TestApp, cookie: string, key: string): Promise<Section & { earlier: Section['scheduled'] }> {
  const res = await call(a, 'GET', `/api/v1/rules/${key}`, { cookie });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Section & { earlier: Section['scheduled'] };
}

const versions = (a: TestApp, key: string) =>
  (a.db.$client.prepare('SELECT effective_from, value_json FROM rule_versions WHERE key = ? ORDER BY effective_from').all(key) as { effective_from: string; value_json: string }[])
    .map((r) => ({ from: r.effective_from, value: JSON.parse(r.value_json) as Record<string, unknown> }));

describe('a pricing change scheduled from April 1 (the fiscal year 2027)', () => {
  it('leaves existing bookings and use dates before it as they were, and prices April 1 on at the new rule', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const book = async (date: string) => {
      const res = await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body(`${date}T10:00`, `${date}T12:00`, walkIn) });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: number; totalYen: number; lines: { label: string; amountYen: number }[] };
    };
    const quote = async (date: string) => (await call(a, 'POST', '/api/v1/quotes', { body: body(`${date}T10:00`, `${date}T12:00`) })).json() as { totalYen: number };

    // (a) made before the change, used after it.
    const existing = await book('2027-04-02');
    expect(existing.totalYen).toBe(480);

    const pricing = (await rules(a, manager.cookie, 'pricing')).value;
    const res = await call(a, 'PUT', '/api/v1/rules/pricing', { cookie: manager.cookie, body: { ...pricing, heatingPercent: 50, effectiveFrom: '2027-04-01' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ key: 'pricing', effectiveFrom: '2027-04-01', until: null, value: { heatingPercent: 50 } });
    expect(versions(a, 'pricing').map((v) => [v.from, v.value.heatingPercent])).toEqual([['2000-01-01', 20], ['2027-04-01', 50]]);
    expect(auditActions(a, 'rules.set')).toMatchObject([{ actor_id: manager.id, entity: 'rules', entity_id: 'pricing' }]);
    expect(JSON.parse(auditActions(a, 'rules.set')[0]!.detail_json)).toMatchObject({ effectiveFrom: '2027-04-01', before: { heatingPercent: 20 }, after: { heatingPercent: 50 } });

    // GET shows what is in force today and what is scheduled.
    const shown = await rules(a, manager.cookie, 'pricing');
    expect(shown).toMatchObject({ effectiveFrom: '2000-01-01', value: { heatingPercent: 20 }, scheduled: [{ effectiveFrom: '2027-04-01', until: null, value: { heatingPercent: 50 } }] });
    const listed = (await call(a, 'GET', '/api/v1/rules', { cookie: manager.cookie })).json() as Section[];
    expect(listed.find((r) => r.key === 'pricing')).toMatchObject({ value: { heatingPercent: 20 }, scheduled: [{ effectiveFrom: '2027-04-01' }] });

    // (a) The existing booking keeps its stored fee.
    expect(bookingRow(a, existing.id)?.total_yen).toBe(480);
    expect((await call(a, 'GET', `/api/v1/bookings/${existing.id}`, { cookie: clerk.cookie })).json()).toMatchObject({ totalYen: 480 });

    // (b) March 31, the last day of the fiscal year, is quoted and booked at the old rule...
    expect((await quote('2027-03-31')).totalYen).toBe(480);
    const march31 = await book('2027-03-31');
    expect(march31.totalYen).toBe(480);
    expect(march31.lines.map((l) => l.label)).toContain('暖房料（20%）');
    // (c) ...and April 1 on at the new one.
    expect((await quote('2027-04-01')).totalYen).toBe(600);
    const april1 = await book('2027-04-01');
    expect(april1.totalYen).toBe(600);
    expect(april1.lines.map((l) => l.label)).toContain('暖房料（50%）');
    expect(bookingRow(a, march31.id)?.total_yen).toBe(480);
    expect(bookingRow(a, april1.id)?.total_yen).toBe(600);

    // A series across the boundary prices each date by its own use date.
    const member = await user(a, 'member', 'member@example.jp', { groupId: makeGroup(a) });
    const series = await call(a, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: { ...body('2027-03-24T13:00', '2027-03-24T15:00', { space: 'small-2' }), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3' } } });
    expect(series.statusCode, series.body).toBe(201);
    // small-2 ¥250 an hour, registered 50%: ¥250 for two hours, heating 20% → ¥300, 50% → ¥370 (¥375 floored to 10 yen).
    expect((series.json() as { created: { useDate: string; totalYen: number }[] }).created.map((b) => [b.useDate, b.totalYen]))
      .toEqual([['2027-03-24', 300], ['2027-03-31', 300], ['2027-04-07', 370]]);
  });

  it('withdraws a scheduled version, but never one in force; quotes follow at once', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const pricing = (await rules(a, manager.cookie, 'pricing')).value;
    expect((await call(a, 'PUT', '/api/v1/rules/pricing', { cookie: manager.cookie, body: { ...pricing, heatingPercent: 50, effectiveFrom: '2027-04-01' } })).statusCode).toBe(200);
    const quote = async () => ((await call(a, 'POST', '/api/v1/quotes', { body: body('2027-04-01T10:00', '2027-04-01T12:00') })).json() as { totalYen: number }).totalYen;
    expect(await quote()).toBe(600);

    expectProblem(await call(a, 'DELETE', '/api/v1/rules/pricing/versions/2000-01-01', { cookie: manager.cookie }), 409, 'invalid_state');
    expectProblem(await call(a, 'DELETE', '/api/v1/rules/pricing/versions/2027-05-01', { cookie: manager.cookie }), 404, 'not_found');
    expectProblem(await call(a, 'DELETE', '/api/v1/rules/nothing/versions/2027-04-01', { cookie: manager.cookie }), 404, 'not_found');
    const gone = await call(a, 'DELETE', '/api/v1/rules/pricing/versions/2027-04-01', { cookie: manager.cookie });
    expect(gone.statusCode, gone.body).toBe(204);
    expect(versions(a, 'pricing').map((v) => v.from)).toEqual(['2000-01-01']);
    expect(auditActions(a, 'rules.withdraw')).toMatchObject([{ entity_id: 'pricing' }]);
    expect(await quote()).toBe(480);
  });

  it('puts a version between two others until the later one begins, and replaces one of the same date', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const pricing = (await rules(a, manager.cookie, 'pricing')).value;
    const put = (heatingPercent: number, effectiveFrom: string) =>
      call(a, 'PUT', '/api/v1/rules/pricing', { cookie: manager.cookie, body: { ...pricing, heatingPercent, effectiveFrom } });
    expect((await put(50, '2027-04-01')).statusCode).toBe(200);
    const between = await put(30, '2027-02-01');
    expect(between.json()).toMatchObject({ effectiveFrom: '2027-02-01', until: '2027-04-01' });
    expect((await put(40, '2027-04-01')).statusCode).toBe(200);
    expect(versions(a, 'pricing').map((v) => [v.from, v.value.heatingPercent])).toEqual([['2000-01-01', 20], ['2027-02-01', 30], ['2027-04-01', 40]]);
    const q = async (date: string) => ((await call(a, 'POST', '/api/v1/quotes', { body: body(`${date}T10:00`, `${date}T12:00`) })).json() as { totalYen: number }).totalYen;
    expect([await q('2027-01-29'), await q('2027-02-01'), await q('2027-03-31'), await q('2027-04-01')]).toEqual([480, 520, 520, 560]);
  });

  it('refuses a past date, an impossible date and bad values with 422, storing nothing', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const pricing = (await rules(a, manager.cookie, 'pricing')).value;
    const before = { versions: count(a.db, 'rule_versions'), audit: count(a.db, 'audit_log') };
    const put = (b: unknown) => call(a, 'PUT', '/api/v1/rules/pricing', { cookie: manager.cookie, body: b });

    const past = expectProblem(await put({ ...pricing, heatingPercent: 50, effectiveFrom: '2027-01-04' }), 422, 'validation_failed');
    expect(past.errors).toEqual([{ path: 'effectiveFrom', message: 'a date from today on' }]);
    expect(expectProblem(await put({ ...pricing, effectiveFrom: '2027-02-30' }), 422, 'validation_failed').errors).toEqual([{ path: 'effectiveFrom', message: 'a real date as YYYY-MM-DD' }]);
    expect(expectProblem(await put({ ...pricing, effectiveFrom: 20270401 }), 422, 'validation_failed').errors?.map((e) => e.path)).toEqual(['effectiveFrom']);
    // Both mistakes are told at once.
    const both = expectProblem(await put({ ...pricing, heatingPercent: 101, effectiveFrom: '2026-04-01' }), 422, 'validation_failed');
    expect(both.errors?.map((e) => e.path).sort()).toEqual(['effectiveFrom', 'heatingPercent']);
    expectProblem(await put([1, 2]), 422, 'validation_failed');
    expect({ versions: count(a.db, 'rule_versions'), audit: count(a.db, 'audit_log') }).toEqual(before);

    // Today is allowed, and applies at once.
    const today = await put({ ...pricing, heatingPercent: 30, effectiveFrom: '2027-01-05' });
    expect(today.statusCode, today.body).toBe(200);
    expect((await rules(a, manager.cookie, 'pricing'))).toMatchObject({ effectiveFrom: '2027-01-05', value: { heatingPercent: 30 }, scheduled: [], earlier: [{ effectiveFrom: '2000-01-01' }] });
  });
});

describe('the public fee page', () => {
  it('states the pricing rules in force today, not a change scheduled for later', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const pricing = (await rules(a, manager.cookie, 'pricing')).value;
    expect((await call(a, 'PUT', '/api/v1/rules/pricing', { cookie: manager.cookie, body: { ...pricing, heatingPercent: 50, effectiveFrom: '2027-04-01' } })).statusCode).toBe(200);
    expect((await a.app.inject('/fees')).body).toContain('屋内の施設に20%を加算');
    expect((await call(a, 'PUT', '/api/v1/rules/pricing', { cookie: manager.cookie, body: { ...pricing, heatingPercent: 30 } })).statusCode).toBe(200);
    expect((await a.app.inject('/fees')).body).toContain('屋内の施設に30%を加算');
  });
});

describe('other sections from a date', () => {
  it('charges a cancellation by the tiers in force on the booking’s use date', async () => {
    const a = await app('2027-03-24T10:00');
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const group = makeGroup(a);
    const life = (await rules(a, manager.cookie, 'life')).value;
    // From April 1: free only 14 or more days ahead.
    const tiers = [{ minDaysBefore: 14, percent: 0 }, { minDaysBefore: 1, percent: 50 }, { minDaysBefore: 0, percent: 100 }];
    expect((await call(a, 'PUT', '/api/v1/rules/life', { cookie: manager.cookie, body: { ...life, cancellationTiers: tiers, effectiveFrom: '2027-04-01' } })).statusCode).toBe(200);
    const book = async (date: string) => {
      const res = await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body(`${date}T10:00`, `${date}T12:00`, { groupId: group }) });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: number; totalYen: number; status: string };
    };
    // Registered, confirmed at once: ¥200 for two hours at 50%, ¥240 with heating.
    const march31 = await book('2027-03-31');
    const april2 = await book('2027-04-02');
    expect([march31.status, march31.totalYen, april2.totalYen]).toEqual(['confirmed', 240, 240]);
    const preview = async (id: number) => (await call(a, 'POST', `/api/v1/bookings/${id}/cancel?preview=true`, { cookie: clerk.cookie, body: {} })).json() as { cancellationFeeYen: number };
    // 7 days before March 31: free under the old tiers. 9 days before April 2: 50% under the new ones.
    expect((await preview(march31.id)).cancellationFeeYen).toBe(0);
    expect((await preview(april2.id)).cancellationFeeYen).toBe(120);
  });

  it('refuses a calendar that would strand bookings in its own period only, and opens each date by the calendar in force on it', async () => {
    const a = await app();
    const manager = await user(a, 'manager', 'boss@example.jp');
    const clerk = await user(a, 'staff', 'clerk@example.jp');
    const late = async (date: string) => {
      const res = await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body(`${date}T20:00`, `${date}T22:00`, walkIn) });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: number }).id;
    };
    await late('2027-03-31');
    const april = await late('2027-04-07');
    const calendar = (await rules(a, manager.cookie, 'calendar')).value;
    const put = () => call(a, 'PUT', '/api/v1/rules/calendar', { cookie: manager.cookie, body: { ...calendar, defaultClose: '21:00', effectiveFrom: '2027-04-01' } });
    const refused = expectProblem(await put(), 409, 'conflict');
    expect((refused.conflicts as { bookingId: number }[]).map((c) => c.bookingId)).toEqual([april]);
    expect(versions(a, 'calendar').map((v) => v.from)).toEqual(['2000-01-01']);

    expect((await call(a, 'POST', `/api/v1/bookings/${april}/cancel`, { cookie: clerk.cookie, body: {} })).statusCode).toBe(200);
    expect((await put()).statusCode).toBe(200);
    const day = async (date: string) => (await call(a, 'GET', `/api/v1/availability?space=small-2&date=${date}`)).json() as { close: string };
    expect((await day('2027-03-31')).close).toBe('22:00');
    expect((await day('2027-04-01')).close).toBe('21:00');
    const cal = (await call(a, 'GET', '/api/v1/calendar?from=2027-03-31&to=2027-04-01')).json() as { date: string; close: string }[];
    expect(cal.map((d) => [d.date, d.close])).toEqual([['2027-03-31', '22:00'], ['2027-04-01', '21:00']]);
    // A booking until 22:00 on April 1 is now refused as closed.
    expectProblem(await call(a, 'POST', '/api/v1/bookings', { cookie: clerk.cookie, body: body('2027-04-01T20:00', '2027-04-01T22:00', walkIn) }), 422, 'closed');
  });
});

describe('the rules page', () => {
  const manager = (a: TestApp) => signedInForm(a, 'manager', 'boss@example.jp', '/manage/rules');

  const textarea = (html: string, key: string) =>
    JSON.parse(new RegExp(`id="field-${key}"[^>]*>([^<]*)</textarea>`).exec(html)![1]!.replace(/&quot;/g, '"')) as Record<string, unknown>;

  it('schedules a heating change from a future date, shows it, and withdraws it', async () => {
    const a = await app();
    const m = await manager(a);
    expect(m.page.body).toContain('当初から適用中');
    expect(m.page.body).toContain('id="field-pricing-effectiveFrom"');
    const pricing = textarea(m.page.body, 'pricing');
    const saved = await postForm(a, '/manage/rules/pricing', { _csrf: m.token, value: JSON.stringify({ ...pricing, heatingPercent: 30 }), effectiveFrom: '2027-04-01' }, m.cookie);
    expect(saved.statusCode).toBe(303);
    expect(versions(a, 'pricing').map((v) => [v.from, v.value.heatingPercent])).toEqual([['2000-01-01', 20], ['2027-04-01', 30]]);
    const page = await a.app.inject({ url: '/manage/rules', headers: { cookie: `${m.cookie}; ${cookieHeader(saved)}` } });
    expect(page.body).toContain('ルールの変更を登録しました。適用日より前に利用する予約には、これまでのルールが使われます。');
    expect(page.body).toContain('予定されている料金の割合・暖房料の変更（1件）');
    expect(page.body).toContain('2027年4月1日(木)から適用');
    expect(page.body).toContain('action="/manage/rules/pricing/versions/2027-04-01/withdraw"');
    // The form still shows the rules in force today.
    expect(textarea(page.body, 'pricing').heatingPercent).toBe(20);

    const withdrawn = await postForm(a, '/manage/rules/pricing/versions/2027-04-01/withdraw', { _csrf: m.token }, m.cookie);
    expect(withdrawn.statusCode).toBe(303);
    expect(versions(a, 'pricing').map((v) => v.from)).toEqual(['2000-01-01']);
    const inForce = await postForm(a, '/manage/rules/pricing/versions/2000-01-01/withdraw', { _csrf: m.token }, m.cookie);
    expect(inForce.statusCode).toBe(409);
  });

  it('re-renders with 422 and Japanese messages for a past date or bad values, storing nothing', async () => {
    const a = await app();
    const m = await manager(a);
    const life = textarea(m.page.body, 'life');
    const before = { versions: count(a.db, 'rule_versions'), audit: count(a.db, 'audit_log') };

    const past = await postForm(a, '/manage/rules/life', { _csrf: m.token, value: JSON.stringify(life), effectiveFrom: '2027-01-04' }, m.cookie);
    expect(past.statusCode).toBe(422);
    expect(past.body).toContain('適用日は今日（2027年1月5日(火)）以降の日付にしてください');
    expect(past.body).toContain('<a href="#field-life-effectiveFrom">');
    expect(past.body).toContain('value="2027-01-04"');

    const impossible = await postForm(a, '/manage/rules/life', { _csrf: m.token, value: JSON.stringify(life), effectiveFrom: '2027-02-30' }, m.cookie);
    expect(impossible.statusCode).toBe(422);
    expect(impossible.body).toContain('適用日は「2026-12-05」のような正しい日付で入力してください');

    const bad = await postForm(a, '/manage/rules/life', { _csrf: m.token, value: JSON.stringify({ ...life, cancellationTiers: [{ minDaysBefore: 7, percent: 0 }] }), effectiveFrom: '2027-04-01' }, m.cookie);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('仮予約・キャンセル料・件数の次の項目を確認してください：cancellationTiers');

    const both = await postForm(a, '/manage/rules/life', { _csrf: m.token, value: '{ "provisionalDays": ', effectiveFrom: '2026-12-31' }, m.cookie);
    expect(both.statusCode).toBe(422);
    expect(both.body).toContain('JSONとして読み取れません');
    expect(both.body).toContain('適用日は今日（2027年1月5日(火)）以降の日付にしてください');
    expect({ versions: count(a.db, 'rule_versions'), audit: count(a.db, 'audit_log') }).toEqual(before);
  });
});
