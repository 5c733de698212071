import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openDatabase, type Db } from '../../db/client.js';
import { accounts } from '../../db/schema.js';
import { buildApp } from '../../server/app.js';
import { testConfig } from '../../server/config.js';
import { parseInstant, toStored } from '../../server/domain/time.js';
import { num, yen } from '../../server/reports/japanese.js';
import { hashPassword } from '../../server/services/secrets.js';
import { seedDemo } from '../../scripts/seed-demo.js';
import { cookieHeader, makeTestApp, PASSWORD, type TestApp } from '../support/app.js';
import { pdfPages, pdfText } from '../support/pdf-text.js';
import { body, call, expectProblem, user } from './helpers.js';

/** A CSV answer as rows of cells (quotes removed), after checking its BOM. */
function csvRows(res: LightMyRequestResponse): string[][] {
  const raw = res.rawPayload.toString('utf8');
  expect(raw.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const text = raw.slice(1);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  return rows;
}

describe('/reports/monthly', () => {
  let t: TestApp;
  let manager: string;
  let bookingId: number;

  beforeEach(async () => {
    t = await makeTestApp('2026-11-20T10:00');
    manager = (await user(t, 'manager', 'manager@example.jp')).cookie;
    const staff = await user(t, 'staff', 'staff@example.jp');
    // A walk-in whose purpose, typed at the desk, would run as a formula in Excel.
    const res = await call(t, 'POST', '/api/v1/bookings', {
      cookie: staff.cookie,
      body: body('2026-11-25T10:00', '2026-11-25T12:00', {
        purpose: '=HYPERLINK("http://evil.example","x")', walkIn: { name: '山田 花子', phone: '090-1111-2222' }, equipment: [{ type: 'projector', quantity: 1 }],
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    bookingId = res.json().id;
    const paid = await call(t, 'POST', `/api/v1/bookings/${bookingId}/payments`, { cookie: staff.cookie, body: { amountYen: res.json().totalYen, method: 'cash' } });
    expect(paid.statusCode, paid.body).toBe(201);
  });
  afterEach(() => t.close());

  it('gives a manager the month as a PDF with a Japanese file name', async () => {
    const res = await call(t, 'GET', '/reports/monthly/2026-11.pdf', { cookie: manager });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.headers['content-disposition']).toBe(`inline; filename="hiroba-report-2026-11.pdf"; filename*=UTF-8''${encodeURIComponent('施設利用状況報告書_2026-11.pdf')}`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('市民活動交流センター');
    expect(text).toContain('令和8年11月（2026年11月）');
    expect(text).toContain('利用件数 1件');
    // The walk-in's projector: one loan of one unit with a booking, its ¥500 fee.
    expect(text).toContain('プロジェクター 1件 1 1件 0件 ¥500');
    expect(text).toContain('スクリーン 0件 0 0件 0件 ¥0');
    expect(text).toContain('破損の届出 0件');
    expect(text).not.toContain('まだ稼働していません');
    expect(text).toMatch(/1 \/ \d ページ/);
  });

  it('gives a manager the bookings CSV, one row a booking, with a formula in the purpose defused', async () => {
    const res = await call(t, 'GET', '/reports/monthly/2026-11.csv', { cookie: manager });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`attachment; filename="hiroba-bookings-2026-11.csv"; filename*=UTF-8''`);
    const raw = res.rawPayload.toString('utf8');
    expect(raw).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    const rows = csvRows(res);
    expect(rows[0]).toEqual(['予約番号', '利用日', '開始', '終了', '施設', '利用区分', '受付方法', '予約状況', '支払状況', '利用状況', '利用目的', '予定人数', '実人数', '使用料', '入金額', '取消料', '減免率', '減免額', '減免理由', '許可番号']);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 11)).toEqual([String(bookingId), '2026-11-25', '10:00', '12:00', '小会議室1', '一般', '窓口（ウォークイン）', '確定', '支払済', '利用予定', `'=HYPERLINK("http://evil.example","x")`]);
    // A walk-in's name and phone are personal data: the CSV for the city does not carry them.
    expect(raw).not.toContain('山田');
  });

  it('gives a manager the summary CSV of the report figures', async () => {
    const res = await call(t, 'GET', '/reports/monthly/2026-11.summary.csv', { cookie: manager });
    expect(res.statusCode).toBe(200);
    const rows = csvRows(res);
    expect(rows[0]).toEqual(['区分', '項目', '内訳', '値', '単位', '備考']);
    expect(rows).toContainEqual(['予約', '利用件数', '計', '1', '件', '仮予約・確定の予約（利用日基準）']);
    expect(rows).toContainEqual(['備品貸出', 'プロジェクター', '貸出件数', '1', '件', '開始日基準・取消を除く']);
    expect(rows).toContainEqual(['備品貸出', 'プロジェクター', '備品使用料', '500', '円', '利用日基準・減免前']);
    expect(rows).toContainEqual(['備品貸出', '計', '持ち出し', '0', '件', '']);
    expect(rows).toContainEqual(['破損・紛失', '届出', '破損', '0', '件', '届出日基準']);
    expect(rows.some((r) => r.some((c) => c.includes('まだ稼働していません')))).toBe(false);
  });

  it('gives a manager the fiscal year as PDF and summary CSV', async () => {
    const pdf = await call(t, 'GET', '/reports/fiscal/2026.pdf', { cookie: manager });
    expect(pdf.statusCode).toBe(200);
    expect(await pdfText(pdf.rawPayload)).toContain('令和8年度（2026年度）');
    const csv = await call(t, 'GET', '/reports/fiscal/2026.summary.csv', { cookie: manager });
    expect(csvRows(csv)).toContainEqual(['月別', '2026-11', '利用件数', '1', '件', '']);
    expect(csvRows(csv)).toContainEqual(['月別', '2026-11', '備品の貸出件数', '1', '件', '']);
    expect(csvRows(csv)).toContainEqual(['月別', '2026-11', '備品使用料', '500', '円', '']);
  });

  it.each([
    ['staff', 403, 'forbidden'],
    ['individual', 403, 'forbidden'],
    ['member', 403, 'forbidden'],
  ] as const)('refuses %s with %i', async (role, status, code) => {
    const other = await user(t, role, `${role}2@example.jp`);
    for (const file of ['2026-11.pdf', '2026-11.csv', '2026-11.summary.csv']) {
      expectProblem(await call(t, 'GET', `/reports/monthly/${file}`, { cookie: other.cookie }), status, code);
    }
    expectProblem(await call(t, 'GET', '/reports/fiscal/2026.pdf', { cookie: other.cookie }), status, code);
  });

  it('asks an anonymous visitor to log in (401)', async () => {
    expectProblem(await call(t, 'GET', '/reports/monthly/2026-11.pdf'), 401, 'unauthenticated');
    expectProblem(await call(t, 'GET', '/reports/monthly/2026-11.summary.csv'), 401, 'unauthenticated');
  });

  it.each(['2026-13.pdf', '2026-11.xlsx', '2026-11.pdf.exe', 'latest.pdf'])('has no report %s (404)', async (file) => {
    expectProblem(await call(t, 'GET', `/reports/monthly/${file}`, { cookie: manager }), 404, 'not_found');
  });

  it('lists the months on a managers\' page, linking each file', async () => {
    const res = await call(t, 'GET', '/manage/reports', { cookie: manager });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/reports/monthly/2026-11.pdf"');
    expect(res.body).toContain('href="/reports/monthly/2026-11.summary.csv"');
    expect(res.body).toContain('href="/reports/fiscal/2026.pdf"');
    expect(res.body).toContain('令和8年11月（2026年11月）');
    const staff = await user(t, 'staff', 'staff3@example.jp');
    expect((await call(t, 'GET', '/manage/reports', { cookie: staff.cookie })).statusCode).toBe(403);
    const anonymous = await call(t, 'GET', '/manage/reports');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fmanage%2Freports');
  });
});

// One source of truth: the PDF's text, both CSVs and SQL over the database tell the same story of
// the demo's November (a month with past use, bookings still ahead, cancellations and refunds).
describe('the report, its CSVs and the database agree (seeded demo)', () => {
  const NOW = parseInstant('2026-11-20T12:00');
  const MONTH = '2026-11';
  let db: Db;
  let app: FastifyInstance;
  let cookie: string;
  let pdf: string[];
  let bookingsCsv: string[][];
  let summaryCsv: string[][];
  let septemberCsv: string[][];
  let fiscalCsv: string[][];

  const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;

  beforeAll(async () => {
    db = openDatabase(':memory:');
    const config = testConfig();
    const seeded = await seedDemo(db, { now: NOW, config });
    if (!seeded.seeded) throw new Error(seeded.reason);
    db.insert(accounts).values({ role: 'manager', name: '管理者', email: 'boss@example.jp', passwordHash: await hashPassword(PASSWORD, config.scryptLogN), createdAt: toStored(NOW) }).run();
    app = await buildApp({ db, clock: () => NOW, config });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'boss@example.jp', password: PASSWORD } });
    cookie = cookieHeader(login);
    const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
    pdf = await pdfPages((await get(`/reports/monthly/${MONTH}.pdf`)).rawPayload);
    bookingsCsv = csvRows(await get(`/reports/monthly/${MONTH}.csv`));
    summaryCsv = csvRows(await get(`/reports/monthly/${MONTH}.summary.csv`));
    septemberCsv = csvRows(await get('/reports/monthly/2026-09.summary.csv'));
    fiscalCsv = csvRows(await get('/reports/fiscal/2026.summary.csv'));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    db?.$client.close();
  });

  const figure = (section: string, item: string, detail: string, rows = summaryCsv) => {
    const row = rows.find((r) => r[0] === section && r[1] === item && r[2] === detail);
    if (!row) throw new Error(`no summary row ${section}/${item}/${detail}`);
    return Number(row[3]);
  };

  it('on the bookings in use, and every booking of the month', () => {
    const sql = one<{ all: number; live: number }>(`SELECT count(*) AS "all", sum(status IN ('provisional', 'confirmed')) AS live FROM bookings WHERE use_date BETWEEN ? AND ?`, `${MONTH}-01`, `${MONTH}-30`);
    expect(sql.live).toBeGreaterThan(100);
    expect(bookingsCsv).toHaveLength(sql.all + 1);
    expect(bookingsCsv.slice(1).filter((r) => r[7] === '仮予約' || r[7] === '確定')).toHaveLength(sql.live);
    expect(figure('予約', '利用件数', '計')).toBe(sql.live);
    expect(pdf[0]).toContain(`利用件数 ${num(sql.live)}件`);
  });

  it('on the fees charged by date of use', () => {
    const sql = one<{ usage: number; cancellation: number }>(
      `SELECT sum(CASE WHEN status IN ('provisional', 'confirmed') THEN total_yen ELSE 0 END) AS usage,
              sum(CASE WHEN status = 'cancelled' THEN coalesce(cancellation_fee_yen, 0) ELSE 0 END) AS cancellation
       FROM bookings WHERE use_date BETWEEN ? AND ?`, `${MONTH}-01`, `${MONTH}-30`);
    expect(sql.cancellation).toBeGreaterThan(0);
    const rows = bookingsCsv.slice(1);
    expect(rows.filter((r) => r[7] === '仮予約' || r[7] === '確定').reduce((s, r) => s + Number(r[13]), 0)).toBe(sql.usage);
    expect(rows.filter((r) => r[7] === '取消').reduce((s, r) => s + Number(r[15] || 0), 0)).toBe(sql.cancellation);
    expect(figure('使用料', '使用料', '利用日基準')).toBe(sql.usage);
    expect(figure('使用料', '調定額', '使用料＋取消料')).toBe(sql.usage + sql.cancellation);
    const text = pdf.join('\n');
    expect(text).toContain(`調定額（利用日基準） ${yen(sql.usage + sql.cancellation)}`);
    expect(text).toContain(`使用料 ${yen(sql.usage)}`);
    expect(text).toContain(`調定額 計 ${yen(sql.usage + sql.cancellation)}`);
  });

  it('on the income received by date of payment (payments less refunds and voids)', () => {
    const sql = one<{ paid: number; back: number; refunds: number }>(
      `SELECT sum(CASE WHEN kind = 'payment' THEN amount_yen ELSE 0 END) AS paid,
              sum(CASE WHEN kind <> 'payment' THEN amount_yen ELSE 0 END) AS back,
              sum(kind = 'refund') AS refunds
       FROM payments WHERE date(created_at, '+9 hours') BETWEEN ? AND ?`, `${MONTH}-01`, `${MONTH}-30`);
    expect(sql.refunds).toBeGreaterThan(0);
    const income = sql.paid - sql.back;
    expect(figure('収入', '入金', '金額')).toBe(sql.paid);
    expect(figure('収入', '収入額', '入金−返金−入金取消')).toBe(income);
    const text = pdf.join('\n');
    expect(text).toContain(`収入額（入金日基準） ${yen(income)}`);
    expect(text).toContain(`収入額 計 ${yen(income)}`);
  });

  it('on the attendees and the registered groups', () => {
    const sql = one<{ planned: number; actual: number }>(
      `SELECT sum(attendees) AS planned, sum(CASE WHEN attendance = 'checked_in' THEN actual_attendees ELSE 0 END) AS actual
       FROM bookings WHERE status IN ('provisional', 'confirmed') AND use_date BETWEEN ? AND ?`, `${MONTH}-01`, `${MONTH}-30`);
    expect(figure('利用区分', '登録団体', '予定人数') + figure('利用区分', '一般', '予定人数') + figure('利用区分', '営利', '予定人数')).toBe(sql.planned);
    expect(pdf[0]).toContain(`利用予定人数 ${num(sql.planned)}人`);
    expect(pdf[0]).toContain(`利用実人数 ${num(sql.actual)}人`);
    const groups = one<{ n: number }>(`SELECT count(DISTINCT group_id) AS n FROM registrations WHERE status = 'approved' AND valid_until >= ?`, `${MONTH}-30`).n;
    expect(figure('利用登録', '登録団体数', `${MONTH}-30時点`)).toBe(groups);
  });

  const all = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as T[];

  it('on the equipment lent by type, with bookings and taken out', () => {
    const byType = all<{ slug: string; name: string; loans: number; units: number; withBooking: number; takeouts: number }>(`
      SELECT t.slug, t.name, count(x.quantity) AS loans, coalesce(sum(x.quantity), 0) AS units,
             coalesce(sum(x.kind = 'booking'), 0) AS withBooking, coalesce(sum(x.kind = 'takeout'), 0) AS takeouts
      FROM equipment_types t LEFT JOIN (
        SELECT i.type_id, i.quantity, l.kind FROM loan_items i JOIN loans l ON l.id = i.loan_id
        WHERE l.status <> 'cancelled' AND date(l.start_at, '+9 hours') BETWEEN ? AND ?
      ) x ON x.type_id = t.id
      GROUP BY t.id ORDER BY t.sort_order`, `${MONTH}-01`, `${MONTH}-30`);
    // The fee each type earned, from the pricing snapshots (fee × quantity × the rate kind's multiplier), not from the fee lines the report reads.
    const fees = new Map(all<{ slug: string; fee: number }>(`
      SELECT json_extract(e.value, '$.type') AS slug,
             sum(json_extract(e.value, '$.feeYen') * json_extract(e.value, '$.quantity') * json_extract(b.pricing_json, '$.pricing.equipmentMultiplier.' || b.rate_kind)) AS fee
      FROM bookings b, json_each(b.pricing_json, '$.equipment') e
      WHERE b.status IN ('provisional', 'confirmed') AND b.use_date BETWEEN ? AND ? GROUP BY slug`, `${MONTH}-01`, `${MONTH}-30`).map((r) => [r.slug, r.fee]));
    const total = one<{ loans: number; withBooking: number; takeouts: number }>(`
      SELECT count(*) AS loans, sum(kind = 'booking') AS withBooking, sum(kind = 'takeout') AS takeouts
      FROM loans WHERE status <> 'cancelled' AND date(start_at, '+9 hours') BETWEEN ? AND ?`, `${MONTH}-01`, `${MONTH}-30`);
    expect(total.loans).toBeGreaterThan(50);
    expect(total.takeouts).toBeGreaterThan(0);
    expect(byType.find((r) => r.slug === 'projector')!.loans).toBeGreaterThan(10);
    const text = pdf.join('\n');
    for (const r of byType) {
      const fee = fees.get(r.slug) ?? 0;
      expect(figure('備品貸出', r.name, '貸出件数'), r.slug).toBe(r.loans);
      expect(figure('備品貸出', r.name, '数量'), r.slug).toBe(r.units);
      expect(figure('備品貸出', r.name, '利用とあわせた貸出'), r.slug).toBe(r.withBooking);
      expect(figure('備品貸出', r.name, '持ち出し'), r.slug).toBe(r.takeouts);
      expect(figure('備品貸出', r.name, '備品使用料'), r.slug).toBe(fee);
      expect(text).toContain(`${r.name} ${num(r.loans)}件 ${num(r.units)} ${num(r.withBooking)}件 ${num(r.takeouts)}件 ${yen(fee)}`);
    }
    const units = byType.reduce((s, r) => s + r.units, 0);
    const feeYen = [...fees.values()].reduce((s, f) => s + f, 0);
    expect(feeYen).toBeGreaterThan(0);
    expect(figure('備品貸出', '計', '貸出件数')).toBe(total.loans);
    expect(figure('備品貸出', '計', '数量')).toBe(units);
    expect(figure('備品貸出', '計', '利用とあわせた貸出')).toBe(total.withBooking);
    expect(figure('備品貸出', '計', '持ち出し')).toBe(total.takeouts);
    expect(figure('備品貸出', '計', '備品使用料')).toBe(feeYen);
    expect(text).toContain(`計 ${num(total.loans)}件 ${num(units)} ${num(total.withBooking)}件 ${num(total.takeouts)}件 ${yen(feeYen)}`);
    // Nobody came for these: still reserved after their end.
    const notPickedUp = one<{ n: number }>(`
      SELECT count(*) AS n FROM loans WHERE status = 'reserved' AND end_at < ? AND date(start_at, '+9 hours') BETWEEN ? AND ?`, toStored(NOW), `${MONTH}-01`, `${MONTH}-30`).n;
    expect(figure('備品貸出', '計', '受け取りなし')).toBe(notPickedUp);
    expect(text).toContain(`受け取りのなかった貸出（作成時点で期間を過ぎても予約のまま）は${num(notPickedUp)}件`);
  });

  it('on the damage cases of the month, of September and of the fiscal year', () => {
    type Case = { id: number; tag: string; name: string; kind: string; status: string; cost_yen: number | null; opened: string; assessed: string | null; closed: string | null };
    const cases = all<Case>(`
      SELECT c.id, u.tag, t.name, c.kind, c.status, c.cost_yen, date(c.opened_at, '+9 hours') AS opened,
             date(c.assessed_at, '+9 hours') AS assessed, date(c.closed_at, '+9 hours') AS closed
      FROM damage_cases c JOIN equipment_units u ON u.id = c.unit_id JOIN equipment_types t ON t.id = u.type_id ORDER BY c.id`);
    const inMonth = (d: string | null, from: string, to: string) => d !== null && d >= from && d <= to;
    const check = (rows: string[][], from: string, to: string) => {
      const opened = cases.filter((c) => inMonth(c.opened, from, to));
      const settled = cases.filter((c) => c.status === 'settled' && inMonth(c.closed, from, to));
      const invoiced = all<{ cost_yen: number }>(`SELECT cost_yen FROM damage_cases WHERE invoice_no IS NOT NULL AND date(assessed_at, '+9 hours') BETWEEN ? AND ?`, from, to);
      expect(figure('破損・紛失', '届出', '破損', rows)).toBe(opened.filter((c) => c.kind === 'damaged').length);
      expect(figure('破損・紛失', '届出', '紛失', rows)).toBe(opened.filter((c) => c.kind === 'lost').length);
      expect(figure('破損・紛失', '弁償の請求', '件数', rows)).toBe(invoiced.length);
      expect(figure('破損・紛失', '弁償の請求', '金額', rows)).toBe(invoiced.reduce((s, c) => s + c.cost_yen, 0));
      expect(figure('破損・紛失', '収納', '件数', rows)).toBe(settled.length);
      expect(figure('破損・紛失', '収納', '金額', rows)).toBe(settled.reduce((s, c) => s + (c.cost_yen ?? 0), 0));
      return { opened, settled, invoiced };
    };
    // November: the projector that came back with a cracked lens, its case still open.
    const november = check(summaryCsv, `${MONTH}-01`, `${MONTH}-30`);
    expect(november.opened.map((c) => [c.status, c.cost_yen])).toEqual([['open', null]]);
    const open = november.opened[0]!;
    const text = pdf.join('\n');
    expect(text).toContain(`破損の届出 ${november.opened.length}件`);
    expect(text).toContain(`${Number(open.opened.slice(5, 7))}/${Number(open.opened.slice(8, 10))} ${open.name}（${open.tag}） 破損 査定前 — — —`);
    // September: the microphone assessed, invoiced and settled.
    const september = check(septemberCsv, '2026-09-01', '2026-09-30');
    expect(september.settled).toHaveLength(1);
    expect(september.settled[0]!.cost_yen).toBeGreaterThan(0);
    // The fiscal year: both, and the months add up to the year.
    const year = check(fiscalCsv, '2026-04-01', '2027-03-31');
    expect(year.opened).toHaveLength(2);
    const months = ['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02'];
    expect(months.reduce((s, m) => s + figure('月別', m, '破損・紛失の届出', fiscalCsv), 0)).toBe(2);
    expect(months.reduce((s, m) => s + figure('月別', m, '備品の貸出件数', fiscalCsv), 0)).toBe(figure('備品貸出', '計', '貸出件数', fiscalCsv));
    expect(figure('月別', MONTH, '備品使用料', fiscalCsv)).toBe(figure('備品貸出', '計', '備品使用料'));
  });
});

// The opinion box and the surveys, made through the API and the services, land in the month of
// their Tokyo date: just after midnight on the 1st is still the last month in UTC.
describe('the report\'s opinions and surveys agree with the database', () => {
  let t: TestApp;
  let manager: string;
  let staff: string;
  let monthPdf: string;
  let monthRows: string[][];
  let fiscalRows: string[][];

  const rowsOf = (sql: string, ...p: unknown[]) => t.db.$client.prepare(sql).all(...p) as Record<string, number | string | null>[];
  const oneOf = <T>(sql: string, ...p: unknown[]) => t.db.$client.prepare(sql).get(...p) as T;
  const value = (rows: string[][], section: string, item: string, detail: string) => {
    const row = rows.find((r) => r[0] === section && r[1] === item && r[2] === detail);
    if (!row) throw new Error(`no summary row ${section}/${item}/${detail}`);
    return row[3] === '' ? null : Number(row[3]);
  };

  let address = 0;
  async function opinion(at: string, category: string): Promise<number> {
    t.clock.set(at);
    const res = await call(t, 'POST', '/api/v1/opinions', { body: { category, body: `${category}についての意見` }, remoteAddress: `10.0.0.${++address}` });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }
  async function publish(at: string, id: number) {
    t.clock.set(at);
    manager = await t.login('manager@example.jp'); // sessions end: log in at the time of the act
    const res = await call(t, 'POST', `/api/v1/opinions/${id}/answer`, { cookie: manager, body: { answer: 'ご意見ありがとうございます。', publish: true } });
    expect(res.statusCode, res.body).toBe(200);
  }

  beforeEach(async () => {
    t = await makeTestApp('2026-10-01T09:00');
    const boss = await user(t, 'manager', 'manager@example.jp');
    manager = boss.cookie;
    await t.account('staff', 'staff@example.jp');

    const a = await opinion('2026-10-31T23:50', 'facility'); // October's; its answer is published in November
    await opinion('2026-11-01T00:10', 'facility'); // November's (still October in UTC), not answered
    const c = await opinion('2026-11-10T10:00', 'staff');
    const d = await opinion('2026-11-10T11:00', 'booking');
    const e = await opinion('2026-11-10T12:00', 'other');
    await opinion('2026-11-30T23:55', 'events');
    await opinion('2026-12-01T00:05', 'other'); // December's (still November in UTC)
    await publish('2026-11-02T10:00', a);
    await publish('2026-11-11T10:00', c);
    staff = await t.login('staff@example.jp');
    expect((await call(t, 'POST', `/api/v1/opinions/${c}/status`, { cookie: staff, body: { status: 'closed' } })).statusCode).toBe(200); // closed, with its answer
    expect((await call(t, 'POST', `/api/v1/opinions/${d}/answer`, { cookie: staff, body: { answer: '確認中です。' } })).statusCode).toBe(200); // a draft only
    expect((await call(t, 'POST', `/api/v1/opinions/${e}/status`, { cookie: staff, body: { status: 'closed' } })).statusCode).toBe(200); // closed, no answer

    const surveys = t.app.services.surveys;
    t.clock.set('2026-10-01T09:00');
    const actor = { id: boss.id, role: 'manager' as const, name: '管理者', groupId: null, isRepresentative: false };
    const { id } = surveys.create(actor, {
      title: '利用者アンケート', opensAt: '2026-10-01T09:00', closesAt: '2026-12-31T22:00',
      questions: [{ kind: 'rating', prompt: '満足度は？' }, { kind: 'rating', prompt: '職員の対応は？' }, { kind: 'text', prompt: 'ご意見' }],
    });
    const { slug, questions } = surveys.get(actor, id);
    const [q1, q2, q3] = questions.map((q) => String(q.id));
    const respond = (at: string, answers: Record<string, string>) => {
      t.clock.set(at);
      surveys.answer(slug, { answers });
    };
    respond('2026-10-31T23:50', { [q1!]: '1' });
    respond('2026-11-01T00:10', { [q1!]: '5', [q2!]: '4' });
    respond('2026-11-15T14:00', { [q1!]: '3', [q3!]: 'よかったです' });
    respond('2026-11-20T14:00', { [q3!]: '評価はしません' }); // a response with no rating
    respond('2026-12-01T00:05', { [q1!]: '2' });

    t.clock.set('2026-12-05T10:00');
    manager = await t.login('manager@example.jp');
    monthPdf = await pdfText((await call(t, 'GET', '/reports/monthly/2026-11.pdf', { cookie: manager })).rawPayload);
    monthRows = csvRows(await call(t, 'GET', '/reports/monthly/2026-11.summary.csv', { cookie: manager }));
    fiscalRows = csvRows(await call(t, 'GET', '/reports/fiscal/2026.summary.csv', { cookie: manager }));
  });
  afterEach(() => t.close());

  it('counts the month\'s opinions by category, those answered, and the answers published', () => {
    const byCategory = rowsOf(
      `SELECT category, count(*) AS received, sum(status IN ('answered', 'closed') AND answer IS NOT NULL) AS answered
       FROM opinions WHERE date(created_at, '+9 hours') BETWEEN '2026-11-01' AND '2026-11-30' GROUP BY category`);
    const published = oneOf<{ n: number }>(`SELECT count(*) AS n FROM opinions WHERE date(published_at, '+9 hours') BETWEEN '2026-11-01' AND '2026-11-30'`).n;
    const received = byCategory.reduce((s, r) => s + Number(r.received), 0);
    const answered = byCategory.reduce((s, r) => s + Number(r.answered), 0);
    expect([received, answered, published]).toEqual([5, 1, 2]);

    const labels: Record<string, string> = { facility: '施設・設備', booking: '予約', staff: '職員の対応', events: '催し', other: 'その他' };
    for (const [category, label] of Object.entries(labels)) {
      const sql = byCategory.find((r) => r.category === category) ?? { received: 0, answered: 0 };
      expect(value(monthRows, '意見箱', label, '受付')).toBe(Number(sql.received));
      expect(value(monthRows, '意見箱', label, 'うち回答済')).toBe(Number(sql.answered));
      expect(monthPdf).toContain(`${label} ${num(Number(sql.received))}件 ${num(Number(sql.answered))}件 ${num(Number(sql.received) - Number(sql.answered))}件`);
    }
    expect(value(monthRows, '意見箱', '計', '受付')).toBe(received);
    expect(value(monthRows, '意見箱', '計', 'うち回答済')).toBe(answered);
    expect(value(monthRows, '意見箱', '回答の公開', '')).toBe(published);
    expect(monthPdf).toContain(`計 ${received}件 ${answered}件 ${received - answered}件`);
    expect(monthPdf).toContain(`回答を公開した意見 ${published}件`);
  });

  it('counts the month\'s survey responses and averages their ratings, as the survey service does', () => {
    const sql = oneOf<{ responses: number }>(`SELECT count(*) AS responses FROM survey_responses WHERE date(submitted_at, '+9 hours') BETWEEN '2026-11-01' AND '2026-11-30'`);
    const ratings = oneOf<{ count: number; average: number }>(
      `SELECT count(a.rating) AS count, avg(a.rating) AS average FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE a.rating IS NOT NULL AND date(r.submitted_at, '+9 hours') BETWEEN '2026-11-01' AND '2026-11-30'`);
    expect([sql.responses, ratings.count, ratings.average]).toEqual([3, 3, 4]);
    expect(t.app.services.surveys.monthlySatisfaction('2026-11')).toEqual({ month: '2026-11', average: 4, count: 3 });
    expect(value(monthRows, 'アンケート', '回答数', '')).toBe(sql.responses);
    expect(value(monthRows, 'アンケート', '満足度', '評価の数')).toBe(ratings.count);
    expect(value(monthRows, 'アンケート', '満足度', '平均')).toBe(ratings.average);
    expect(monthPdf).toContain(`アンケートの回答数 ${sql.responses}件`);
    expect(monthPdf).toContain(`満足度の評価の数 ${ratings.count}件`);
    expect(monthPdf).toContain(`満足度（5段階の平均） ${ratings.average.toFixed(2)}`);
    // Every section has its numbers now, equipment included.
    expect(monthPdf).not.toContain('まだ稼働していません');
    expect(monthPdf).toContain('備品の貸出と破損');
  });

  it('says 回答なし for a month without ratings', async () => {
    const pdf = await pdfText((await call(t, 'GET', '/reports/monthly/2026-09.pdf', { cookie: manager })).rawPayload);
    expect(pdf).toContain('満足度（5段階の平均） 回答なし');
    expect(pdf).toContain('アンケートの回答数 0件');
    const rows = csvRows(await call(t, 'GET', '/reports/monthly/2026-09.summary.csv', { cookie: manager }));
    expect(rows).toContainEqual(['アンケート', '満足度', '平均', '', '点', '回答なし']);
  });

  it('sums the fiscal year over its months, the average weighted by the number of ratings', () => {
    const months = ['2026-10', '2026-11', '2026-12'];
    expect(months.map((m) => value(fiscalRows, '月別', m, '意見の受付'))).toEqual([1, 5, 1]);
    expect(months.map((m) => value(fiscalRows, '月別', m, '満足度の評価の数'))).toEqual([1, 3, 1]);
    expect(months.map((m) => value(fiscalRows, '月別', m, '満足度の平均'))).toEqual([1, 4, 2]);
    expect(value(fiscalRows, '月別', '2027-01', '満足度の平均')).toBeNull();
    const all = oneOf<{ received: number; answered: number; published: number }>(
      `SELECT count(*) AS received, sum(status IN ('answered', 'closed') AND answer IS NOT NULL) AS answered, count(published_at) AS published FROM opinions`);
    expect(value(fiscalRows, '意見箱', '計', '受付')).toBe(all.received);
    expect(value(fiscalRows, '意見箱', '計', 'うち回答済')).toBe(all.answered);
    expect(value(fiscalRows, '意見箱', '回答の公開', '')).toBe(all.published);
    const ratings = oneOf<{ responses: number; count: number; average: number }>(
      `SELECT count(DISTINCT r.id) AS responses, count(a.rating) AS count, avg(a.rating) AS average FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id`);
    expect(value(fiscalRows, 'アンケート', '回答数', '')).toBe(ratings.responses);
    expect(value(fiscalRows, 'アンケート', '満足度', '評価の数')).toBe(ratings.count);
    // (1 + 5 + 4 + 3 + 2) / 5 = 3, not the mean of the monthly averages (1 + 4 + 2) / 3.
    expect(value(fiscalRows, 'アンケート', '満足度', '平均')).toBe(ratings.average);
    expect(ratings.average).toBe(3);
  });
});
