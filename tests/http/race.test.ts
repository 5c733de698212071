import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heldInterval, peakHeld, type LoanStatus } from '../../server/domain/loans.js';
import { addDays } from '../../server/domain/time.js';
import { makeTestApp, PASSWORD, type TestApp } from '../support/app.js';
import { makeGroup } from './helpers.js';

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
  cookie = cookieOf(res);
});

/** The cookie header that repeats what a login set. */
function cookieOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** Logs an account in over the socket and returns its cookie header. */
async function login(email: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return cookieOf(res);
}

/** One JSON request over the socket, with a cookie. */
async function send(method: 'POST' | 'PATCH', path: string, body: unknown, as = cookie): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', cookie: as }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

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

/** Every live loan's hold on a type over the day, as the domain counts it (a checked-out loan holds until it is back). */
function projectorPeak(fromIso: string, toIso: string): number {
  const rows = t.db.$client.prepare(`
    SELECT l.id, l.status, l.start_at, l.end_at, l.checked_out_at, i.quantity FROM loans l
    JOIN loan_items i ON i.loan_id = l.id JOIN equipment_types e ON e.id = i.type_id
    WHERE e.slug = 'projector' AND l.status IN ('reserved', 'checked_out')`).all() as
    { id: number; status: LoanStatus; start_at: string; end_at: string; checked_out_at: string | null; quantity: number }[];
  const now = t.clock.now.toMillis();
  const holdings = rows.map((r) => ({
    loanId: r.id, quantity: r.quantity,
    ...heldInterval({ status: r.status, start: Date.parse(r.start_at), end: Date.parse(r.end_at), checkedOutAt: r.checked_out_at === null ? null : Date.parse(r.checked_out_at) }, now)!,
  }));
  return peakHeld(holdings, Date.parse(fromIso), Date.parse(toIso));
}

describe('concurrent equipment requests over HTTP', () => {
  it('gives the last projector to exactly one of 12 clients asking at once; the other 11 get 409 conflict naming the projector', async () => {
    const groups = Array.from({ length: 7 }, (_, i) => makeGroup(t, `市民活動グループ${i + 1}`));
    const rooms = ['small-1', 'small-2', 'training-a', 'training-b', 'lounge', 'hall'];
    const counts = () => t.db.$client.prepare('SELECT (SELECT count(*) FROM bookings) AS bookings, (SELECT count(*) FROM loans) AS loans').get() as { bookings: number; loans: number };
    // Twice: the walk-ins' requests sent first, then the take-outs'.
    for (const { date, takeoutsFirst } of [{ date: '2026-12-10', takeoutsFirst: false }, { date: '2026-12-11', takeoutsFirst: true }]) {
      // Two of the three projectors are out on a take-out all day.
      const held = await send('POST', '/api/v1/loans', { groupId: groups[0], start: `${date}T09:00`, end: `${date}T21:00`, items: [{ type: 'projector', quantity: 2 }] });
      expect(held.status, JSON.stringify(held.body)).toBe(201);
      const before = counts();
      // Six walk-ins in six rooms and six take-outs by six groups, every interval overlapping every other.
      const walkIns = rooms.map((space, i) => () => send('POST', '/api/v1/bookings', {
        space, start: `${date}T13:00`, end: `${date}T15:00`, purpose: '上映会', attendees: 5,
        walkIn: { name: `来館者 ${i}`, phone: '090-1234-5678' }, equipment: [{ type: 'projector', quantity: 1 }],
      }));
      const takeouts = groups.slice(1).map((groupId) => () => send('POST', '/api/v1/loans', {
        groupId, start: `${date}T14:00`, end: `${date}T17:00`, items: [{ type: 'projector', quantity: 1 }],
      }));
      const asks = takeoutsFirst ? [...takeouts, ...walkIns] : [...walkIns, ...takeouts];
      const answers = await Promise.all(asks.map((ask) => ask()));
      expect(answers.filter((a) => a.status === 201), date).toHaveLength(1);
      const lost = answers.filter((a) => a.status !== 201);
      expect(lost.map((a) => `${a.status} ${String(a.body.code)}`)).toEqual(Array(11).fill('409 conflict'));
      for (const a of lost) {
        expect((a.body.conflicts as { equipment: string; available: number }[]).map((c) => [c.equipment, c.available])).toEqual([['projector', 0]]);
      }
      // In the database: one more loan, a booking only if a walk-in won, and never more than three projectors held.
      const wonByBooking = answers.some((a) => a.status === 201 && 'space' in a.body);
      expect(counts()).toEqual({ bookings: before.bookings + (wonByBooking ? 1 : 0), loans: before.loans + 1 });
      const dayStart = `${addDays(date, -1)}T15:00:00.000Z`;
      expect(projectorPeak(dayStart, `${date}T15:00:00.000Z`)).toBe(3);
      const at1430 = t.db.$client.prepare(`
        SELECT coalesce(sum(i.quantity), 0) AS n FROM loans l JOIN loan_items i ON i.loan_id = l.id JOIN equipment_types e ON e.id = i.type_id
        WHERE e.slug = 'projector' AND l.status = 'reserved' AND l.start_at <= ? AND l.end_at > ?`).get(`${date}T05:30:00.000Z`, `${date}T05:30:00.000Z`) as { n: number };
      expect(at1430.n).toBe(3);
    }
  });
});

describe('concurrent rule checks over HTTP', () => {
  it('lets a group hold exactly its hall quota (4 a month) when five members ask for ten hall dates at once', async () => {
    const groupId = makeGroup(t, '市民合唱団');
    const members = await Promise.all(Array.from({ length: 5 }, async (_, i) => {
      await t.account('member', `member${i}@hiroba.test`, { groupId });
      return login(`member${i}@hiroba.test`);
    }));
    // Ten open days in December (Monday the 14th is a closing day), each member asking for two.
    const dates = ['2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18'];
    const answers = await Promise.all(dates.map((date, i) => send('POST', '/api/v1/bookings', {
      space: 'hall', start: `${date}T18:00`, end: `${date}T21:00`, purpose: '合唱練習', attendees: 40,
    }, members[i % members.length])));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(4);
    expect(answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${String(a.body.code)}`)).toEqual(Array(6).fill('422 quota_exceeded'));
    const live = t.db.$client.prepare(`
      SELECT count(*) AS n FROM bookings b JOIN spaces s ON s.id = b.space_id
      WHERE s.slug = 'hall' AND b.group_id = ? AND b.${LIVE} AND substr(b.use_date, 1, 7) = '2026-12'`).get(groupId) as { n: number };
    expect(live.n).toBe(4);
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM bookings').get()).toEqual({ n: 4 });
  });

  it('lets a change into a slot and nine bookings of it race: exactly one wins, whichever comes first', async () => {
    // Three rounds, the change sent first, in the middle and last.
    for (const [date, position] of [['2026-12-15', 0], ['2026-12-16', 5], ['2026-12-17', 9]] as const) {
      const moving = await book('small-2', `${date}T10:00`, `${date}T12:00`, 100);
      expect(moving.status).toBe(201);
      const id = moving.body.id!;
      const asks: (() => Promise<{ status: number; body: Record<string, unknown> }>)[] = Array.from({ length: 9 }, (_, i) => async () => {
        const a = await book('small-2', `${date}T${i % 2 ? '14:30' : '14:00'}`, `${date}T${i % 2 ? '16:30' : '16:00'}`, i);
        return { status: a.status, body: a.body as Record<string, unknown> };
      });
      asks.splice(position, 0, () => send('PATCH', `/api/v1/bookings/${id}`, { start: `${date}T14:00`, end: `${date}T16:00` }));
      const answers = await Promise.all(asks.map((ask) => ask()));
      const won = answers.filter((a) => a.status === 200 || a.status === 201);
      expect(won, date).toHaveLength(1);
      expect(answers.filter((a) => !won.includes(a)).map((a) => `${a.status} ${String(a.body.code)}`)).toEqual(Array(9).fill('409 conflict'));
      const row = t.db.$client.prepare('SELECT start_at, status FROM bookings WHERE id = ?').get(id) as { start_at: string; status: string };
      // The change either moved the booking to 14:00 or left it at 10:00 untouched.
      expect(row).toEqual({ start_at: answers[position]!.status === 200 ? `${date}T05:00:00.000Z` : `${date}T01:00:00.000Z`, status: 'provisional' });
      // Whoever won, small-2 holds one live booking over the contested afternoon and none overlap.
      expect(liveAt('small-2', `${date}T05:00:00.000Z`, `${date}T07:30:00.000Z`)).toBe(1);
      const overlaps = t.db.$client.prepare(`
        SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.id < b.id AND a.space_id = b.space_id
        WHERE a.${LIVE} AND b.${LIVE} AND a.start_at < b.end_at AND b.start_at < a.end_at`).get() as { n: number };
      expect(overlaps.n).toBe(0);
    }
  });

  it('lets a weekly series and nine single bookings race for one of its dates: never both', async () => {
    const groupId = makeGroup(t, '日本語ボランティア');
    await t.account('member', 'series@hiroba.test', { groupId });
    const member = await login('series@hiroba.test');
    // Twice: the series asked first (training room A, Tuesdays), then last (training room B, Wednesdays).
    // The singles ask for the room or the whole training room, which holds it.
    for (const { part, first, contested, seriesFirst } of [
      { part: 'training-a', first: '2026-12-08', contested: '2026-12-15', seriesFirst: true },
      { part: 'training-b', first: '2026-12-09', contested: '2026-12-16', seriesFirst: false },
    ]) {
      const series = () => send('POST', '/api/v1/bookings', {
        space: part, start: `${first}T10:00`, end: `${first}T12:00`, purpose: '日本語教室', attendees: 20, recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3' },
      }, member);
      const singles = Array.from({ length: 9 }, (_, i) => async () => {
        const a = await book(i % 3 === 2 ? 'training' : part, `${contested}T${i % 2 ? '11:00' : '10:00'}`, `${contested}T${i % 2 ? '13:00' : '12:00'}`, i);
        return { status: a.status, body: a.body as Record<string, unknown> };
      });
      const asks = seriesFirst ? [series, ...singles] : [...singles, series];
      const answers = await Promise.all(asks.map((ask) => ask()));
      const seriesAnswer = answers[seriesFirst ? 0 : answers.length - 1]!;
      const singleAnswers = answers.filter((a) => a !== seriesAnswer);
      expect(seriesAnswer.status, JSON.stringify(seriesAnswer.body)).toBe(201);
      const { created, skipped } = seriesAnswer.body as { created: { start: string }[]; skipped: { start: string; code: string }[] };
      const seriesHasIt = created.some((c) => c.start.startsWith(contested));
      const singleWins = singleAnswers.filter((a) => a.status === 201);
      // Either the series has the date and every single is refused, or one single has it and the series skipped it.
      expect(singleWins).toHaveLength(seriesHasIt ? 0 : 1);
      expect(singleAnswers.filter((a) => a.status !== 201).map((a) => `${a.status} ${String(a.body.code)}`)).toEqual(Array(singleAnswers.length - singleWins.length).fill('409 conflict'));
      if (!seriesHasIt) expect(skipped.map((k) => [k.start.slice(0, 10), k.code])).toEqual([[contested, 'conflict']]);
      expect(created).toHaveLength(seriesHasIt ? 3 : 2);
      // In the database: one live booking of the room (or the whole room) over the contested morning, and no whole over a part.
      const held = t.db.$client.prepare(`
        SELECT count(*) AS n FROM bookings b JOIN spaces s ON s.id = b.space_id
        WHERE s.slug IN (?, 'training') AND b.${LIVE} AND b.start_at < ? AND b.end_at > ?`).get(part, `${contested}T04:00:00.000Z`, `${contested}T01:00:00.000Z`) as { n: number };
      expect(held.n).toBe(1);
      expect(wholeOverlapsPart()).toBe(0);
      const inSeries = t.db.$client.prepare(`SELECT count(*) AS n FROM bookings WHERE use_date = ? AND series_id IS NOT NULL AND ${LIVE}`).get(contested) as { n: number };
      expect(inSeries.n).toBe(seriesHasIt ? 1 : 0);
    }
  });
});
