import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.js';
import { testConfig } from '../../server/config.js';
import { heldInterval, peakHeld, type Holding, type LoanStatus } from '../../server/domain/loans.js';
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

  it('lends equipment with a fair share of group and hall bookings, and registered groups take some out', () => {
    const bySpace = new Map(rows<{ slug: string; bookings: number; withLoan: number }>(`
      SELECT s.slug, count(*) AS bookings, sum(EXISTS (SELECT 1 FROM loans l WHERE l.booking_id = b.id)) AS withLoan
      FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE b.${LIVE} GROUP BY s.slug`).map((r) => [r.slug, r]));
    const share = (slug: string) => bySpace.get(slug)!.withLoan / bySpace.get(slug)!.bookings;
    expect(share('hall')).toBeGreaterThan(0.4);
    expect(share('training-a')).toBeGreaterThan(0.2);
    expect(share('lounge')).toBeGreaterThan(0.2);
    const registered = one<{ n: number; withLoan: number }>(`
      SELECT count(*) AS n, sum(EXISTS (SELECT 1 FROM loans l WHERE l.booking_id = b.id)) AS withLoan FROM bookings b WHERE category = 'registered' AND ${LIVE}`);
    expect(registered.withLoan / registered.n).toBeGreaterThan(0.15);
    // What goes with which room: projectors and screens with the training rooms, the piano and stage only in the hall, panels in the lounge.
    const lent = (type: string, space: string) => one<{ n: number }>(`
      SELECT count(*) AS n FROM loans l JOIN loan_items i ON i.loan_id = l.id JOIN equipment_types t ON t.id = i.type_id
      JOIN bookings b ON b.id = l.booking_id JOIN spaces s ON s.id = b.space_id WHERE t.slug = ? AND s.slug = ?`, type, space).n;
    expect(lent('projector', 'training-b')).toBeGreaterThan(20);
    expect(lent('screen', 'training-a')).toBeGreaterThan(20);
    expect(lent('wireless-mic', 'hall')).toBeGreaterThan(5);
    expect(lent('piano', 'hall')).toBeGreaterThan(5);
    expect(lent('panel', 'lounge')).toBeGreaterThan(5);
    expect(one<{ n: number }>(`
      SELECT count(*) AS n FROM loans l JOIN loan_items i ON i.loan_id = l.id JOIN equipment_types t ON t.id = i.type_id
      LEFT JOIN bookings b ON b.id = l.booking_id LEFT JOIN spaces s ON s.id = b.space_id
      WHERE t.hall_only = 1 AND (s.slug IS NULL OR s.slug <> 'hall')`).n).toBe(0);
    // A booking's loan has the booking's interval; the booking's equipment is what its loans hold.
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM loans l JOIN bookings b ON b.id = l.booking_id WHERE l.start_at <> b.start_at OR l.end_at <> b.end_at`).n).toBe(0);
    // Take-outs: registered groups, one to five days (at most the rule's 7), at desk hours.
    const takeouts = rows<{ group_id: number | null; start_at: string; end_at: string; hours: number }>(`
      SELECT group_id, start_at, end_at, (julianday(end_at) - julianday(start_at)) * 24 AS hours FROM loans WHERE kind = 'takeout'`);
    expect(takeouts.length).toBeGreaterThanOrEqual(5);
    expect(summary.takeouts).toBe(takeouts.length);
    for (const l of takeouts) {
      expect(l.group_id).not.toBeNull();
      expect(l.hours).toBeGreaterThan(0);
      expect(l.hours).toBeLessThanOrEqual(5 * 24);
    }
    expect(summary.loans.withBookings + summary.loans.takeouts).toBe(one<{ n: number }>('SELECT count(*) AS n FROM loans').n);
  });

  it('never holds more units of a type than the center has, at any moment', () => {
    const nowMs = NOW.toMillis();
    const ms = (iso: string) => Date.parse(iso);
    const types = rows<{ id: number; slug: string; units: number; pool: number }>(`
      SELECT t.id, t.slug, count(u.id) AS units, sum(u.state IN ('available', 'on_loan')) AS pool
      FROM equipment_types t JOIN equipment_units u ON u.type_id = t.id GROUP BY t.id`);
    const held = rows<{ id: number; type_id: number; quantity: number; status: LoanStatus; start_at: string; end_at: string; checked_out_at: string | null; returned_at: string | null; needs_attention: string | null }>(`
      SELECT l.id, i.type_id, i.quantity, l.status, l.start_at, l.end_at, l.checked_out_at, l.returned_at, l.needs_attention
      FROM loans l JOIN loan_items i ON i.loan_id = l.id WHERE l.status <> 'cancelled'`);
    // What each loan held: the domain's interval for a live loan, and for a returned one from pick-up until it came back.
    const holding = (l: (typeof held)[number]): Holding => {
      if (l.status === 'returned') {
        const start = Math.min(ms(l.start_at), ms(l.checked_out_at!));
        return { loanId: l.id, start, end: Math.max(ms(l.end_at), ms(l.returned_at!)), quantity: l.quantity };
      }
      const h = heldInterval({ status: l.status, start: ms(l.start_at), end: ms(l.end_at), checkedOutAt: l.checked_out_at === null ? null : ms(l.checked_out_at) }, nowMs)!;
      return { loanId: l.id, ...h, quantity: l.quantity };
    };
    const from = ms('2026-07-01T00:00:00.000Z');
    const to = ms('2027-04-01T00:00:00.000Z');
    const peaks: Record<string, number> = {};
    for (const type of types) {
      const holdings = held.filter((l) => l.type_id === type.id).map(holding);
      peaks[type.slug] = peakHeld(holdings, from, to);
      expect(peaks[type.slug], type.slug).toBeLessThanOrEqual(type.units);
      // From now on, against the pool as it is (a unit in repair is out of it), leaving out the
      // loans flagged for staff because the pool shrank under them.
      const ahead = held.filter((l) => l.type_id === type.id && l.needs_attention === null && l.status !== 'returned').map(holding);
      expect(peakHeld(ahead, nowMs, to), `${type.slug} from now on`).toBeLessThanOrEqual(type.pool);
    }
    // The rule was really at work: the projectors were all taken at some moment, and some asked for more.
    expect(peaks.projector).toBe(3);
    expect(summary.refused['equipment conflict'] ?? 0).toBeGreaterThan(0);
    // Unit by unit: no tagged unit was handed out on two loans at once.
    expect(one<{ n: number }>(`
      SELECT count(*) AS n FROM loan_units a JOIN loan_units b ON a.unit_id = b.unit_id AND a.loan_id < b.loan_id
      WHERE a.checked_out_at < coalesce(b.returned_at, ?) AND b.checked_out_at < coalesce(a.returned_at, ?)`, toStored(NOW), toStored(NOW)).n).toBe(0);
  });

  it('keeps each unit\'s state consistent with its loans and damage cases', () => {
    // A unit is on loan exactly when it is out on a checked-out loan and not back.
    const onLoan = rows<{ tag: string }>(`SELECT tag FROM equipment_units WHERE state = 'on_loan' ORDER BY tag`).map((r) => r.tag);
    const out = rows<{ tag: string }>(`
      SELECT u.tag FROM loan_units lu JOIN equipment_units u ON u.id = lu.unit_id JOIN loans l ON l.id = lu.loan_id
      WHERE lu.returned_at IS NULL AND l.status = 'checked_out' ORDER BY u.tag`).map((r) => r.tag);
    expect(onLoan).toEqual(out);
    expect(onLoan.length).toBeGreaterThan(0);
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM loan_units lu JOIN loans l ON l.id = lu.loan_id WHERE lu.returned_at IS NULL AND l.status <> 'checked_out'`).n).toBe(0);
    // Every checked-out or returned loan handed out exactly the units it reserved.
    expect(one<{ n: number }>(`
      SELECT count(*) AS n FROM loans l WHERE l.status IN ('checked_out', 'returned')
        AND (SELECT sum(quantity) FROM loan_items i WHERE i.loan_id = l.id) <> (SELECT count(*) FROM loan_units lu WHERE lu.loan_id = l.id)`).n).toBe(0);
    // In repair exactly while a case on the unit is open; the settled case's unit came back repaired.
    const inRepair = rows<{ tag: string }>(`SELECT tag FROM equipment_units WHERE state = 'in_repair' ORDER BY tag`).map((r) => r.tag);
    const openCases = rows<{ tag: string }>(`
      SELECT u.tag FROM damage_cases c JOIN equipment_units u ON u.id = c.unit_id WHERE c.status IN ('open', 'invoiced') ORDER BY u.tag`).map((r) => r.tag);
    expect(inRepair).toEqual(openCases);
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM equipment_units WHERE state IN ('lost', 'retired')`).n).toBe(0);
    // A unit whose last loan brought it back in good order is available.
    const lastBack = rows<{ tag: string; state: string }>(`
      SELECT u.tag, u.state FROM equipment_units u JOIN loan_units lu ON lu.unit_id = u.id
      WHERE lu.condition = 'ok' AND lu.checked_out_at = (SELECT max(x.checked_out_at) FROM loan_units x WHERE x.unit_id = u.id)`);
    expect(lastBack.length).toBeGreaterThan(10);
    expect(lastBack.filter((u) => u.state !== 'available')).toEqual([]);
  });

  it('has loans out now, one overdue, and a settled and an open damage case', () => {
    const nowIso = toStored(NOW);
    const out = rows<{ kind: string; end_at: string }>(`SELECT kind, end_at FROM loans WHERE status = 'checked_out'`);
    expect(out.filter((l) => l.end_at > nowIso).length).toBeGreaterThanOrEqual(1);
    expect(out.filter((l) => l.end_at < nowIso)).toEqual([{ kind: 'takeout', end_at: expect.any(String) }]);
    expect(summary.loans.overdue).toBe(1);
    // Past loans came back, but for the overdue one and those nobody picked up (no-shows).
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM loans WHERE status = 'returned'`).n).toBeGreaterThan(200);
    expect(one<{ n: number }>(`
      SELECT count(*) AS n FROM loans l JOIN bookings b ON b.id = l.booking_id
      WHERE l.status = 'reserved' AND l.end_at < ? AND b.attendance = 'checked_in' AND l.needs_attention IS NULL`, nowIso).n).toBeLessThanOrEqual(5);

    const cases = rows<{ id: number; status: string; kind: string; group_id: number | null; cost_yen: number | null; liable: number | null; invoice_no: string | null; closed_at: string | null; loan_status: string }>(`
      SELECT c.*, l.status AS loan_status FROM damage_cases c JOIN loans l ON l.id = c.loan_id ORDER BY c.id`);
    const settled = cases.filter((c) => c.status === 'settled');
    const open = cases.filter((c) => c.status === 'open');
    expect(settled).toHaveLength(1);
    expect(open).toHaveLength(1);
    expect(settled[0]).toMatchObject({ kind: 'damaged', liable: 1, invoice_no: expect.stringMatching(/^D2026-\d{4}$/), loan_status: 'returned' });
    expect(settled[0]!.cost_yen).toBeGreaterThan(0);
    expect(settled[0]!.closed_at! < nowIso).toBe(true);
    expect(open[0]).toMatchObject({ cost_yen: null, closed_at: null, loan_status: 'returned' });
    // The open case suspends its group's borrowing; the settled one no longer does.
    const services = makeServices({ db, clock: () => NOW, config: testConfig() });
    expect(services.loans.suspension({ groupId: open[0]!.group_id, accountId: null }).map((c) => c.id)).toEqual([open[0]!.id]);
    expect(services.loans.suspension({ groupId: settled[0]!.group_id, accountId: null })).toEqual([]);
    expect(summary.loans.damageCases).toEqual({ open: 1, settled: 1 });
  });

  it('has opinions in every category over the months before now: anonymous and with contact, in triage, closed and published', () => {
    const list = rows<{ id: number; category: string; status: string; contact_name: string | null; contact_email: string | null; contact_phone: string | null;
      answer_draft: string | null; answer: string | null; published_body: string | null; published_at: string | null; created_at: string }>(`SELECT * FROM opinions ORDER BY created_at`);
    expect(list.length).toBeGreaterThanOrEqual(8);
    expect(new Set(list.map((o) => o.category))).toEqual(new Set(['facility', 'booking', 'staff', 'events', 'other']));
    const nowIso = toStored(NOW);
    expect(list.every((o) => o.created_at <= nowIso)).toBe(true);
    expect(list[0]!.created_at < toStored(NOW.minus({ months: 5 }))).toBe(true);
    const withContact = list.filter((o) => o.contact_name !== null || o.contact_email !== null || o.contact_phone !== null);
    expect(withContact.length).toBeGreaterThan(0);
    expect(list.length - withContact.length).toBeGreaterThan(0);
    const byStatus = new Map(rows<{ status: string; n: number }>(`SELECT status, count(*) AS n FROM opinions GROUP BY status`).map((r) => [r.status, r.n]));
    for (const status of ['new', 'in_review', 'answered', 'closed']) expect(byStatus.get(status) ?? 0, status).toBeGreaterThan(0);
    // In triage: a draft answer, nothing public.
    for (const o of list.filter((x) => x.status === 'in_review')) expect(o).toMatchObject({ answer_draft: expect.any(String), answer: null, published_at: null });
    // Published: the answer and the opinion as the public reads it, without the sender's details.
    const published = list.filter((o) => o.published_at !== null);
    expect(published.length).toBeGreaterThanOrEqual(3);
    for (const o of published) {
      expect(o.status).toBe('answered');
      expect(o.answer).toEqual(expect.any(String));
      expect(o.published_at! > o.created_at).toBe(true);
      for (const detail of [o.contact_name, o.contact_email, o.contact_phone]) if (detail !== null) expect(o.published_body).not.toContain(detail.split(' ')[0]);
    }
    const services = makeServices({ db, clock: () => NOW, config: testConfig() });
    const shown = services.opinions.published();
    expect(shown.map((o) => o.id).sort()).toEqual(published.map((o) => o.id).sort());
    expect(shown.every((o) => o.answer.length > 0 && o.body.length > 0)).toBe(true);
    expect(summary.opinions.published).toBe(published.length);
    // Sent through the service: each arrival is in the audit log, with no actor and nothing about the sender.
    const received = rows<{ actor_id: number | null; detail_json: string }>(`SELECT actor_id, detail_json FROM audit_log WHERE action = 'opinion.receive'`);
    expect(received).toHaveLength(list.length);
    for (const r of received) {
      expect(r.actor_id).toBeNull();
      expect(Object.keys(JSON.parse(r.detail_json) as object)).toEqual(['category']);
    }
  });

  it('stores no IP address or other identifier of an opinion\'s sender', () => {
    const columns = rows<{ name: string }>(`PRAGMA table_info(opinions)`).map((c) => c.name);
    // Exactly these: what was said, the contact the sender chose to give, and the center's handling.
    expect(columns.sort()).toEqual([
      'answer', 'answer_draft', 'answered_by', 'body', 'category', 'contact_deleted_at', 'contact_email', 'contact_name', 'contact_phone',
      'created_at', 'id', 'published_at', 'published_body', 'receipt_no', 'status',
    ]);
    expect(columns.filter((c) => /(^|_)ip($|_)|addr|agent|session|cookie|account|device|fingerprint|token|ident/i.test(c))).toEqual([]);
    // Nothing in any row names the address the service was given.
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM opinions WHERE body LIKE '%demo%' OR coalesce(contact_name, '') LIKE '%demo%'`).n).toBe(0);
  });

  it('refuses to seed a second time, storing nothing', async () => {
    const before = one<{ n: number }>(`SELECT count(*) AS n FROM bookings`).n;
    const again = await seedDemo(db, { now: NOW, config: testConfig() });
    expect(again.seeded).toBe(false);
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM bookings`).n).toBe(before);
  });
});
