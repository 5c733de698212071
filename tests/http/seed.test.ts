import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.js';
import { testConfig } from '../../server/config.js';
import { parseInstant, toStored } from '../../server/domain/time.js';
import { makeServices } from '../../server/services/index.js';
import { seedDemo, type SeedSummary } from '../../scripts/seed-demo.js';

// A fixed `now`: the demo covers 2026-08-01 – 2027-02-20, so it crosses the plaza's season end,
// the year-end closure and January's moved closing Monday, whatever today's date is.
const NOW = parseInstant('2026-11-20T12:00');

let db: Db;
let summary: SeedSummary;

const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
const rows = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as T[];
const LIVE = `status IN ('provisional', 'confirmed')`;

beforeAll(async () => {
  db = openDatabase(':memory:');
  const result = await seedDemo(db, { now: NOW, config: testConfig() });
  if (!result.seeded) throw new Error(`the demo was not seeded: ${result.reason}`);
  summary = result.summary;
}, 120_000);

afterAll(() => db.$client.close());

describe('seedDemo', () => {
  it('books 400–700 bookings in the busiest month of use', () => {
    const months = rows<{ month: string; n: number }>(`SELECT substr(use_date, 1, 7) AS month, count(*) AS n FROM bookings GROUP BY month`);
    const busiest = Math.max(...months.map((m) => m.n));
    expect(busiest).toBeGreaterThanOrEqual(400);
    expect(busiest).toBeLessThanOrEqual(700);
    // The summary it prints counts the same rows.
    expect(Math.max(...summary.months.map((m) => m.total))).toBe(busiest);
  });

  it('spreads bookings over the three months before now and the three after', () => {
    const span = one<{ first: string; last: string }>(`SELECT min(use_date) AS first, max(use_date) AS last FROM bookings`);
    expect(span.first >= '2026-08-01' && span.first <= '2026-08-03').toBe(true);
    expect(span.last > '2027-01-31' && span.last <= '2027-02-20').toBe(true);
  });

  it('uses evenings and weekends', () => {
    const evening = one<{ n: number }>(`SELECT count(*) AS n FROM bookings WHERE ${LIVE} AND strftime('%H:%M', start_at, '+9 hours') >= '18:00'`).n;
    const weekend = one<{ n: number }>(`SELECT count(*) AS n FROM bookings WHERE ${LIVE} AND strftime('%w', use_date) IN ('0', '6')`).n;
    const live = one<{ n: number }>(`SELECT count(*) AS n FROM bookings WHERE ${LIVE}`).n;
    expect(evening / live).toBeGreaterThan(0.2);
    expect(weekend / live).toBeGreaterThan(0.2);
  });

  it('books the hall less often than the small rooms', () => {
    const bySpace = new Map(rows<{ slug: string; n: number }>(
      `SELECT s.slug, count(*) AS n FROM bookings b JOIN spaces s ON s.id = b.space_id GROUP BY s.slug`,
    ).map((r) => [r.slug, r.n]));
    expect(bySpace.get('hall')!).toBeGreaterThan(0);
    expect(bySpace.get('hall')!).toBeLessThan(bySpace.get('small-1')! / 2);
    expect(bySpace.get('hall')!).toBeLessThan(bySpace.get('small-2')! / 2);
  });

  it('has bookings in every state, with payments, refunds, check-ins and no-shows', () => {
    const byStatus = new Map(rows<{ status: string; n: number }>(`SELECT status, count(*) AS n FROM bookings GROUP BY status`).map((r) => [r.status, r.n]));
    for (const status of ['provisional', 'confirmed', 'cancelled', 'expired']) expect(byStatus.get(status) ?? 0, status).toBeGreaterThan(0);
    const payments = one<{ paid: number; refunds: number }>(`SELECT sum(kind = 'payment') AS paid, sum(kind = 'refund') AS refunds FROM payments`);
    expect(payments.paid).toBeGreaterThan(500);
    expect(payments.refunds).toBeGreaterThan(0);
    const attendance = new Map(rows<{ attendance: string; n: number }>(`SELECT attendance, count(*) AS n FROM bookings GROUP BY attendance`).map((r) => [r.attendance, r.n]));
    expect(attendance.get('checked_in') ?? 0).toBeGreaterThan(attendance.get('no_show') ?? 0);
    expect(attendance.get('no_show') ?? 0).toBeGreaterThan(0);
    expect(summary.payments.count).toBe(payments.paid);
  });

  it('has walk-ins, individuals online and at the desk, and registered groups with weekly series', () => {
    const kinds = one<{ walkIns: number; online: number; deskAccounts: number; registered: number; series: number; commercial: number }>(`
      SELECT sum(walk_in_name IS NOT NULL) AS walkIns,
             sum(account_id IS NOT NULL AND group_id IS NULL AND channel = 'online') AS online,
             sum(account_id IS NOT NULL AND group_id IS NULL AND channel = 'desk') AS deskAccounts,
             sum(category = 'registered') AS registered, sum(series_id IS NOT NULL) AS series,
             sum(category = 'commercial') AS commercial
      FROM bookings`);
    expect(kinds.walkIns).toBeGreaterThan(500);
    expect(kinds.online).toBeGreaterThan(100);
    expect(kinds.deskAccounts).toBeGreaterThan(20);
    expect(kinds.registered).toBeGreaterThan(200);
    expect(kinds.series).toBeGreaterThan(100);
    expect(kinds.commercial).toBeGreaterThan(0);
    const groups = one<{ n: number; active: number }>(`SELECT count(*) AS n, sum(status = 'active' AND valid_until = '2027-03-31') AS active FROM groups`);
    expect(groups.n).toBeGreaterThanOrEqual(5);
    expect(groups.active).toBe(groups.n);
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM accounts WHERE role = 'individual'`).n).toBe(30);
    expect(one<{ n: number }>(`SELECT count(DISTINCT group_id) AS n FROM registrations WHERE status = 'approved'`).n).toBe(groups.n);
  });

  it('lists the groups that chose a public profile in the public directory', () => {
    const services = makeServices({ db, clock: () => NOW, config: testConfig() });
    const directory = services.groups.directory();
    const publicGroups = one<{ n: number }>(`SELECT count(*) AS n FROM groups WHERE public_profile = 1`).n;
    expect(directory).toHaveLength(publicGroups);
    expect(directory.length).toBeGreaterThan(0);
    expect(directory.every((g) => Array.isArray(g.fields) && g.fields.length > 0)).toBe(true);
  });

  it('never stores two live bookings of the same or a related space at overlapping times', () => {
    const overlaps = (table: string) => one<{ n: number }>(`
      SELECT count(*) AS n FROM ${table} a JOIN ${table} b ON a.id < b.id
      WHERE a.status IN ('provisional', 'confirmed') AND b.status IN ('provisional', 'confirmed')
        AND a.start_at < b.end_at AND b.start_at < a.end_at
        AND (a.space_id = b.space_id
             OR EXISTS (SELECT 1 FROM space_parts p WHERE (p.whole_id = a.space_id AND p.part_id = b.space_id)
                                                      OR (p.whole_id = b.space_id AND p.part_id = a.space_id)))`).n;
    expect(overlaps('bookings')).toBe(0);
    // The check can see one: a copy without the trigger, given a part booked over a live whole-room booking.
    db.$client.exec(`
      CREATE TEMP TABLE copy AS SELECT * FROM bookings;
      INSERT INTO copy (id, space_id, start_at, end_at, status)
        SELECT (SELECT max(id) + 1 FROM bookings), p.part_id, b.start_at, b.end_at, b.status
        FROM bookings b JOIN space_parts p ON p.whole_id = b.space_id
        WHERE b.status = 'confirmed' LIMIT 1;`);
    expect(overlaps('temp.copy')).toBe(1);
    db.$client.exec('DROP TABLE temp.copy');
  });

  it('leaves the past settled: no overdue provisional booking, no past booking still expected', () => {
    const nowIso = toStored(NOW);
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM bookings WHERE status = 'provisional' AND deadline_at <= ?`, nowIso).n).toBe(0);
    const pastHourAgo = toStored(NOW.minus({ hours: 1 }));
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM bookings WHERE ${LIVE} AND start_at <= ? AND attendance = 'expected'`, pastHourAgo).n).toBe(0);
    // Nothing is booked for a closed day: not the year-end closure, not a regular closing Monday.
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM bookings WHERE use_date BETWEEN '2026-12-29' AND '2027-01-03'`).n).toBe(0);
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM bookings WHERE use_date IN ('2026-11-09', '2026-11-24')`).n).toBe(0);
    expect(summary.refused.conflict ?? 0).toBeGreaterThan(0);
  });

  it('refuses to seed a second time, storing nothing', async () => {
    const before = one<{ n: number }>(`SELECT count(*) AS n FROM bookings`).n;
    const again = await seedDemo(db, { now: NOW, config: testConfig() });
    expect(again.seeded).toBe(false);
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM bookings`).n).toBe(before);
  });
});
