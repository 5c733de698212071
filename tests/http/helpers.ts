import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { groups } from '../../db/schema.js';
import { count, type TestApp } from '../support/app.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request: `body` is sent as JSON, `cookie` (from `t.login`) authenticates it. */
export function call(
  t: TestApp,
  method: Method,
  url: string,
  opts: { cookie?: string; body?: unknown; headers?: Record<string, string>; remoteAddress?: string } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
    ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...opts.headers,
  };
  return t.app.inject({
    method,
    url,
    headers,
    ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
    ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
  });
}

/** A registered group (active until the end of the fiscal year), inserted directly. */
export function makeGroup(t: TestApp, name = '市民活動ネットワーク', extra: { status?: 'active' | 'lapsed'; validUntil?: string } = {}): number {
  return t.db.insert(groups).values({
    name, kana: 'しみんかつどうねっとわーく', type: 'npo', status: extra.status ?? 'active',
    validUntil: extra.validUntil ?? '2027-03-31', memberCount: 12, createdAt: '2026-04-01T00:00:00.000Z',
  }).returning({ id: groups.id }).get().id;
}

/** An account of the role, logged in; returns its id and cookie. */
export async function user(t: TestApp, role: 'individual' | 'member' | 'staff' | 'manager', email: string, extra: { groupId?: number } = {}) {
  const id = await t.account(role, email, extra);
  return { id, cookie: await t.login(email) };
}

/** Asserts a problem+json answer with the given status and code, and returns its body. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> & { errors?: { path: string; message: string }[] } {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown> & { errors?: { path: string; message: string }[] };
  expect(body).toMatchObject({ status, code });
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

/** The rows a failing request must leave as they were. */
export function snapshot(t: TestApp) {
  const tables = ['bookings', 'booking_series', 'payments', 'audit_log', 'day_overrides', 'space_blocks'];
  return Object.fromEntries(tables.map((name) => [name, count(t.db, name)]));
}

/** A booking row as stored, read with raw SQL so a test sees what the database holds. */
export function bookingRow(t: TestApp, id: number) {
  return t.db.$client.prepare('SELECT b.*, s.slug AS space_slug FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE b.id = ?').get(id) as {
    id: number; space_slug: string; start_at: string; end_at: string; use_date: string; status: string; payment_status: string;
    attendance: string; category: string; channel: string; needs_contact: number; total_yen: number; lines_json: string;
    attendees: number; actual_attendees: number | null; account_id: number | null; group_id: number | null;
    walk_in_name: string | null; deadline_at: string | null; permit_no: string | null; change_count: number;
    cancellation_fee_yen: number | null; facility_caused: number; exemption_percent: number; override_reason: string | null;
    series_id: number | null; purpose: string;
  } | undefined;
}

export function auditActions(t: TestApp, action: string) {
  return t.db.$client.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id').all(action) as
    { id: number; actor_id: number | null; action: string; entity: string; entity_id: string | null; detail_json: string }[];
}

/** A plain booking body: small-1 (8 people) at the given Tokyo times. */
export function body(start: string, end: string, extra: Record<string, unknown> = {}) {
  return { space: 'small-1', start, end, purpose: '打ち合わせ', attendees: 5, ...extra };
}

/** Lines of a booking or quote add up to its total. */
export function expectLinesAddUp(b: { totalYen: number; lines: { amountYen: number }[] }) {
  expect(b.lines.reduce((sum, l) => sum + l.amountYen, 0)).toBe(b.totalYen);
}
