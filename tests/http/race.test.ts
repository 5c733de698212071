import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, PASSWORD, type TestApp } from '../support/app.js';

// Over a real listening socket, not app.inject: the requests really are in flight together. The
// event loop and better-sqlite3's synchronous BEGIN IMMEDIATE serialise the writes (that is the
// design); these tests prove the contract the clients see: one winner, everyone else a 409.

let t: TestApp;
let base: string;
let cookie: string;

beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00');
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  await t.account('staff', 'desk@hiroba.test');
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'desk@hiroba.test', password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
});

afterEach(async () => {
  await t.close();
});

interface Answer {
  status: number;
  body: { code?: string; space?: string; id?: number };
  space: string;
}

async function book(space: string, start: string, end: string, n: number): Promise<Answer> {
  const res = await fetch(`${base}/api/v1/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ space, start, end, purpose: '打合せ', attendees: 5, walkIn: { name: `来館者 ${n}`, phone: '090-1234-5678' } }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'], space };
}

const LIVE = `status IN ('provisional', 'confirmed')`;

function liveAt(space: string, startIso: string, endIso: string): number {
  return (t.db.$client.prepare(`
    SELECT count(*) AS n FROM bookings b JOIN spaces s ON s.id = b.space_id
    WHERE s.slug = ? AND b.${LIVE} AND b.start_at < ? AND b.end_at > ?`).get(space, endIso, startIso) as { n: number }).n;
}

/** Live bookings of a whole room that overlap a live booking of one of its parts: must always be 0. */
function wholeOverlapsPart(): number {
  return (t.db.$client.prepare(`
    SELECT count(*) AS n FROM bookings w JOIN space_parts p ON p.whole_id = w.space_id JOIN bookings b ON b.space_id = p.part_id
    WHERE w.${LIVE} AND b.${LIVE} AND w.start_at < b.end_at AND b.start_at < w.end_at`).get() as { n: number }).n;
}

describe('concurrent bookings over HTTP', () => {
  it('gives a slot asked for 30 times at once to exactly one request; the other 29 get 409 conflict', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => book('small-1', '2026-12-10T10:00', '2026-12-10T12:00', i)));
    const won = answers.filter((a) => a.status === 201);
    const lost = answers.filter((a) => a.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(29);
    expect(lost.every((a) => a.body.code === 'conflict')).toBe(true);
    expect(liveAt('small-1', '2026-12-10T01:00:00.000Z', '2026-12-10T03:00:00.000Z')).toBe(1);
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM bookings').get()).toEqual({ n: 1 });
    // Nothing is stored by a request that fails: one audit entry for the one booking (plus the login).
    expect(t.db.$client.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'booking.create'`).get()).toEqual({ n: 1 });
  });

  it('lets either the whole training room or its parts win a contested time, never both', async () => {
    // Four rounds on four open weekdays (Monday the 14th is a closing day), the requests in a different order each time, with overlapping but unequal times.
    const rounds = [
      { date: '2026-12-15', order: ['training', 'training-a', 'training-b'] },
      { date: '2026-12-16', order: ['training-a', 'training', 'training-b'] },
      { date: '2026-12-17', order: ['training-b', 'training-a', 'training'] },
      { date: '2026-12-18', order: ['training-a', 'training-b', 'training'] },
    ];
    for (const { date, order } of rounds) {
      const times: Record<string, [string, string]> = {
        training: [`${date}T14:00`, `${date}T16:00`],
        'training-a': [`${date}T15:00`, `${date}T17:00`],
        'training-b': [`${date}T13:00`, `${date}T15:00`],
      };
      const requests = Array.from({ length: 24 }, (_, i) => order[i % 3]!);
      const answers = await Promise.all(requests.map((space, i) => book(space, times[space]![0], times[space]![1], i)));
      const winners = answers.filter((a) => a.status === 201).map((a) => a.space).sort();
      expect(answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.body.code}`)).toEqual(Array(answers.length - winners.length).fill('409 conflict'));
      // A consistent set: the whole alone, or the parts (each at most once), never the whole with a part.
      const consistent = JSON.stringify(winners) === '["training"]' || JSON.stringify(winners) === '["training-a","training-b"]';
      expect(consistent, `${date}: ${winners.join(', ')}`).toBe(true);
      expect(wholeOverlapsPart()).toBe(0);
    }
  });
});

describe('the overlap trigger', () => {
  it('refuses a raw INSERT of a live booking overlapping a live one of the same or a related space', async () => {
    const first = await book('training', '2026-12-10T14:00', '2026-12-10T16:00', 1);
    expect(first.status).toBe(201);
    const copy = (space: string, status: string, startAt: string, endAt: string) => t.db.$client.prepare(`
      INSERT INTO bookings (space_id, start_at, end_at, use_date, category, rate_kind, channel, status, payment_status,
        purpose, attendees, total_yen, lines_json, pricing_json, walk_in_name, created_at, updated_at)
      SELECT (SELECT id FROM spaces WHERE slug = ?), ?, ?, use_date, category, rate_kind, channel, ?, payment_status,
        purpose, attendees, total_yen, lines_json, pricing_json, walk_in_name, created_at, updated_at
      FROM bookings WHERE id = ?`).run(space, startAt, endAt, status, first.body.id);

    // 15:00–17:00 Tokyo overlaps 14:00–16:00: the same space, then a part of it.
    expect(() => copy('training', 'confirmed', '2026-12-10T06:00:00.000Z', '2026-12-10T08:00:00.000Z'))
      .toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'booking_overlap' }));
    expect(() => copy('training-a', 'provisional', '2026-12-10T04:00:00.000Z', '2026-12-10T06:00:00.000Z'))
      .toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_TRIGGER' }));
    // The same statement stores a cancelled row, and a live one that starts as the other ends: it was only the overlap.
    expect(copy('training', 'cancelled', '2026-12-10T06:00:00.000Z', '2026-12-10T08:00:00.000Z').changes).toBe(1);
    expect(copy('training-a', 'confirmed', '2026-12-10T07:00:00.000Z', '2026-12-10T08:00:00.000Z').changes).toBe(1);
    // Bringing the cancelled row back to life over the slot is refused by the update trigger.
    expect(() => t.db.$client.prepare(`UPDATE bookings SET status = 'confirmed' WHERE status = 'cancelled'`).run())
      .toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_TRIGGER' }));
    expect(liveAt('training', '2026-12-10T05:00:00.000Z', '2026-12-10T07:00:00.000Z')).toBe(1);
    expect(wholeOverlapsPart()).toBe(0);
  });
});
