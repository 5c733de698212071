/**
 * Access control of every route, generated from the table in access-table.ts (routes × roles;
 * how to add a row is explained at its top). The first test fails when the app registers a route
 * the table does not name, or the table names a route that no longer exists.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLES, TABLE, buildWorld, classify, probe, type Outcome, type RoleName, type World } from './access-table.js';

const registered = vi.hoisted(() => new Set<string>());
vi.mock('fastify', async (original) => (await import('../support/routes.js')).collectingRoutes(await original(), registered));

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w.t.close();
});

describe('the access table', () => {
  it('names every route the app registers, and no route that it does not', () => {
    expect(registered.size).toBeGreaterThan(100);
    const missing = [...registered].filter((key) => !(key in TABLE)).sort();
    const stale = Object.keys(TABLE).filter((key) => !registered.has(key)).sort();
    // A route missing here needs a row in tests/http/access-table.ts: decide who may use it.
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });
});

describe('the world the rows point at', () => {
  it('puts the objects where the table says: the member’s group, the other group, the individual', () => {
    const sql = (query: string, ...args: unknown[]) => w.t.db.$client.prepare(query).get(...args) as Record<string, unknown>;
    const actorOf = (role: keyof World['cookies']) => {
      const a = w.t.app.services.auth.actorForSession(/hiroba_session=([^;]+)/.exec(w.cookies[role])![1]!);
      return a && { role: a.role, groupId: a.groupId, isRepresentative: a.isRepresentative };
    };
    expect(actorOf('member')).toEqual({ role: 'member', groupId: w.group, isRepresentative: false });
    expect(actorOf('representative')).toEqual({ role: 'member', groupId: w.group, isRepresentative: true });
    expect(actorOf('otherMember')).toEqual({ role: 'member', groupId: w.otherGroup, isRepresentative: true });
    expect(actorOf('individual')).toEqual({ role: 'individual', groupId: null, isRepresentative: false });
    expect(actorOf('staff')).toMatchObject({ role: 'staff', groupId: null });
    expect(actorOf('manager')).toMatchObject({ role: 'manager', groupId: null });
    expect(sql('SELECT group_id, status FROM bookings WHERE id = ?', w.booking)).toEqual({ group_id: w.group, status: 'confirmed' });
    expect(sql('SELECT group_id FROM bookings WHERE id = ?', w.otherGroupBooking)).toEqual({ group_id: w.otherGroup });
    expect(sql('SELECT group_id FROM bookings WHERE id = ?', w.individualBooking)).toEqual({ group_id: null });
    expect(sql('SELECT booking_id, receipt_no FROM payments WHERE id = ?', w.payment)).toEqual({ booking_id: w.booking, receipt_no: w.receiptNo });
    expect(sql('SELECT group_id FROM accounts WHERE id = ?', w.secondMember)).toEqual({ group_id: w.group });
    expect(sql('SELECT group_id, status FROM loans WHERE id = ?', w.loan)).toEqual({ group_id: w.group, status: 'reserved' });
    expect(sql('SELECT group_id FROM damage_cases WHERE id = ?', w.damageCase)).toEqual({ group_id: w.group });
  });
});

describe('lists show each person only their own', () => {
  const ids = async (url: string, cookie: string) => {
    const res = await w.t.app.inject({ url, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { id: number }[]).map((x) => x.id);
  };

  it.each([
    ['bookings', '/api/v1/bookings?from=2026-12-01&to=2026-12-31', (x: World) => x.booking],
    ['loans', '/api/v1/loans', (x: World) => x.loan],
    ['damage cases', '/api/v1/damage-cases', (x: World) => x.damageCase],
  ] as const)('%s of the member’s group are listed to its members and the desk only', async (_what, url, own) => {
    for (const role of ['member', 'representative', 'staff', 'manager'] as const) expect(await ids(url, w.cookies[role]), role).toContain(own(w));
    for (const role of ['individual', 'otherMember'] as const) expect(await ids(url, w.cookies[role]), role).not.toContain(own(w));
  });

  it('shows each booker only their own bookings on /my/bookings', async () => {
    const page = async (role: 'member' | 'individual' | 'otherMember') =>
      (await w.t.app.inject({ url: '/my/bookings?from=2026-12-01&to=2026-12-31', headers: { cookie: w.cookies[role] } })).body;
    const links = (html: string) => [...html.matchAll(/href="\/my\/bookings\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(new Set(links(await page('member')))).toEqual(new Set([w.booking]));
    expect(new Set(links(await page('otherMember')))).toEqual(new Set([w.otherGroupBooking]));
    expect(new Set(links(await page('individual')))).toEqual(new Set([w.individualBooking]));
  });
});

describe('every route answers each role as the table says', () => {
  it.each(Object.entries(TABLE))('%s', async (key, row) => {
    const got = {} as Record<RoleName, Outcome | string>;
    const changedByRefused: Partial<Record<RoleName, string[]>> = {};
    for (const role of ROLES) {
      const { res, changed } = await probe(w, key, row, role);
      got[role] = classify(key, res);
      if (row.access[role] !== 'ok' && changed.length > 0) changedByRefused[role] = changed;
    }
    expect(got).toEqual(row.access);
    // A refused request stores nothing: no row added or removed, none updated.
    expect(changedByRefused).toEqual({});
  });
});
