import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { auditActions, body, bookingRow, call, expectLinesAddUp, expectProblem, makeGroup, snapshot, user } from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00');
});
afterEach(async () => {
  await t.close();
});

type Day = { date: string; open: string | null; close: string | null; closed: boolean; holiday: string | null; reason: string | null };
type Availability = { date: string; open: string | null; close: string | null; busy: { start: string; end: string }[]; free: { start: string; end: string }[] };

async function created(cookie: string, b: unknown): Promise<{ id: number; totalYen: number; lines: { amountYen: number }[] }> {
  const res = await call(t, 'POST', '/api/v1/bookings', { cookie, body: b });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; totalYen: number; lines: { amountYen: number }[] };
}

describe('GET /spaces', () => {
  it('lists the eight seeded spaces with their parts and hourly rates', async () => {
    const res = await call(t, 'GET', '/api/v1/spaces');
    expect(res.statusCode).toBe(200);
    const spaces = res.json() as { slug: string; name: string; capacity: number; parts: string[]; ratesYen: Record<string, number> }[];
    expect(spaces.map((s) => [s.slug, s.capacity, s.ratesYen.morning, s.ratesYen.afternoon, s.ratesYen.evening])).toEqual([
      ['hall', 180, 2000, 2000, 2400],
      ['training', 60, 800, 800, 900],
      ['training-a', 30, 400, 400, 450],
      ['training-b', 30, 400, 400, 450],
      ['small-1', 8, 200, 200, 250],
      ['small-2', 12, 250, 250, 300],
      ['lounge', 40, 300, 300, 300],
      ['plaza', 200, 500, 500, 500],
    ]);
    expect(spaces.find((s) => s.slug === 'training')).toMatchObject({ name: '会議研修室（全面）', parts: ['training-a', 'training-b'] });
    expect(spaces.filter((s) => s.slug !== 'training').every((s) => s.parts.length === 0)).toBe(true);
    expect(spaces.find((s) => s.slug === 'plaza')!.name).toBe('円環広場');
  });
});

describe('GET /calendar', () => {
  it('shows January 2027: the new-year closure, 成人の日 open, its moved closing day and the 4th Monday', async () => {
    const res = await call(t, 'GET', '/api/v1/calendar?from=2027-01-01&to=2027-01-31');
    expect(res.statusCode).toBe(200);
    const days = res.json() as Day[];
    expect(days).toHaveLength(31);
    expect(days[0]!.date).toBe('2027-01-01');
    expect(days[30]!.date).toBe('2027-01-31');
    const on = (date: string) => days.find((d) => d.date === date)!;
    for (const date of ['2027-01-01', '2027-01-02', '2027-01-03']) {
      expect(on(date)).toMatchObject({ closed: true, open: null, close: null });
    }
    expect(on('2027-01-01').holiday).toBe('元日');
    expect(on('2027-01-04')).toEqual({ date: '2027-01-04', open: '09:00', close: '22:00', closed: false, holiday: null, reason: null });
    // The 2nd Monday is 成人の日: the center opens, and closes on the Tuesday instead.
    expect(on('2027-01-11')).toEqual({ date: '2027-01-11', open: '09:00', close: '22:00', closed: false, holiday: '成人の日', reason: null });
    expect(on('2027-01-12')).toEqual({ date: '2027-01-12', open: null, close: null, closed: true, holiday: null, reason: '定例休館日' });
    expect(on('2027-01-18')).toMatchObject({ closed: false });
    expect(on('2027-01-25')).toMatchObject({ closed: true, reason: '定例休館日' });
    expect(days.filter((d) => d.closed).map((d) => d.date)).toEqual(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-12', '2027-01-25']);
  });

  it('shows a manager’s override with its public reason', async () => {
    const manager = await user(t, 'manager', 'kanri@example.jp');
    expect((await call(t, 'PUT', '/api/v1/calendar/2026-12-16', { cookie: manager.cookie, body: { closed: true, reason: '選挙の投票所' } })).statusCode).toBe(200);
    const days = (await call(t, 'GET', '/api/v1/calendar?from=2026-12-15&to=2026-12-17')).json() as Day[];
    expect(days.map((d) => [d.date, d.closed, d.reason])).toEqual([
      ['2026-12-15', false, null], ['2026-12-16', true, '選挙の投票所'], ['2026-12-17', false, null],
    ]);
  });

  it.each([
    ['no range', ''],
    ['an impossible date', 'from=2027-02-30&to=2027-03-01'],
    ['from after to', 'from=2027-01-31&to=2027-01-01'],
    ['more than 400 days', 'from=2027-01-01&to=2028-12-31'],
    // The day after 9999-12-31 is written "+010000-01-01", which sorted before it and looped forever.
    ['the last day of the year 9999', 'from=9999-12-01&to=9999-12-31'],
  ])('refuses %s with 422', async (_what, query) => {
    expectProblem(await call(t, 'GET', `/api/v1/calendar?${query}`), 422, 'validation_failed');
  });

  it('shows the days of a range ending just before the year 10000', async () => {
    const res = await call(t, 'GET', '/api/v1/calendar?from=9999-12-29&to=9999-12-30');
    expect(res.statusCode).toBe(200);
    expect((res.json() as Day[]).map((d) => d.date)).toEqual(['9999-12-29', '9999-12-30']);
  });
});

describe('GET /availability', () => {
  it('counts a part’s booking as busy for the whole room, but not for the other part', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    await created(member.cookie, { ...body('2026-12-10T10:00', '2026-12-10T12:00'), space: 'training-a' });
    const whole = (await call(t, 'GET', '/api/v1/availability?space=training&date=2026-12-10')).json() as Availability;
    expect(whole).toMatchObject({ date: '2026-12-10', open: '09:00', close: '22:00' });
    expect(whole.busy).toEqual([{ start: '2026-12-10T10:00:00+09:00', end: '2026-12-10T12:00:00+09:00' }]);
    expect(whole.free).toEqual([
      { start: '2026-12-10T09:00:00+09:00', end: '2026-12-10T10:00:00+09:00' },
      { start: '2026-12-10T12:00:00+09:00', end: '2026-12-10T22:00:00+09:00' },
    ]);
    const other = (await call(t, 'GET', '/api/v1/availability?space=training-b&date=2026-12-10')).json() as Availability;
    expect(other.busy).toEqual([]);
    expect(other.free).toEqual([{ start: '2026-12-10T09:00:00+09:00', end: '2026-12-10T22:00:00+09:00' }]);
    const part = (await call(t, 'GET', '/api/v1/availability?space=training-a&date=2026-12-10')).json() as Availability;
    expect(part.busy).toEqual(whole.busy);
  });

  it('counts the whole room’s booking as busy for each part', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    await created(member.cookie, { ...body('2026-12-10T18:00', '2026-12-10T22:00'), space: 'training' });
    for (const space of ['training-a', 'training-b']) {
      const a = (await call(t, 'GET', `/api/v1/availability?space=${space}&date=2026-12-10`)).json() as Availability;
      expect(a.busy).toEqual([{ start: '2026-12-10T18:00:00+09:00', end: '2026-12-10T22:00:00+09:00' }]);
      expect(a.free).toEqual([{ start: '2026-12-10T09:00:00+09:00', end: '2026-12-10T18:00:00+09:00' }]);
    }
  });

  it('shows a closed day with no free time', async () => {
    const a = (await call(t, 'GET', '/api/v1/availability?space=small-1&date=2026-12-29')).json() as Availability;
    expect(a).toMatchObject({ date: '2026-12-29', open: null, close: null, busy: [], free: [] });
  });

  it.each([
    ['an unknown space', 'space=attic&date=2026-12-10'],
    ['an impossible date', 'space=small-1&date=2027-02-30'],
    ['no date', 'space=small-1'],
  ])('refuses %s with 422', async (_what, query) => {
    expectProblem(await call(t, 'GET', `/api/v1/availability?${query}`), 422, 'validation_failed');
  });
});

describe('POST /quotes', () => {
  it('quotes anyone, without a login, with lines adding up to the total', async () => {
    const res = await call(t, 'POST', '/api/v1/quotes', { body: { space: 'hall', start: '2026-12-10T17:00', end: '2026-12-10T19:30' } });
    expect(res.statusCode, res.body).toBe(200);
    const q = res.json() as { totalYen: number; lines: { label: string; amountYen: number }[] };
    // One afternoon hour at ¥2,000 and 1.5 evening hours at ¥2,400 = ¥5,600, +20% heating.
    expect(q.totalYen).toBe(6720);
    expectLinesAddUp(q);
    expect(count(t.db, 'bookings')).toBe(0);
    expect(count(t.db, 'audit_log')).toBe(0);
  });

  it('quotes a member at the registered rate and commercial use at 300%', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const registered = (await call(t, 'POST', '/api/v1/quotes', { cookie: member.cookie, body: body('2026-12-10T18:00', '2026-12-10T19:30') })).json() as { totalYen: number; lines: { amountYen: number }[] };
    // ¥375 × 50% + 20% = ¥225, floored to ¥220.
    expect(registered.totalYen).toBe(220);
    expectLinesAddUp(registered);
    const commercial = (await call(t, 'POST', '/api/v1/quotes', { body: { ...body('2027-05-10T10:00', '2027-05-10T12:00'), space: 'plaza', use: { commercial: true } } })).json() as { totalYen: number; lines: { amountYen: number }[] };
    // Outdoors and in May: no heating. ¥1,000 × 300%.
    expect(commercial.totalYen).toBe(3000);
    expectLinesAddUp(commercial);
  });

  it('quotes equipment at its listed fee in its own line, and refuses a type it does not know', async () => {
    const res = await call(t, 'POST', '/api/v1/quotes', { body: body('2026-12-10T10:00', '2026-12-10T12:00', { equipment: [{ type: 'projector', quantity: 1 }] }) });
    expect(res.statusCode, res.body).toBe(200);
    // General rate, heating season: ¥400 + 20% heating, and the projector's ¥500 with no heating on it.
    expect(res.json()).toEqual({ totalYen: 980, lines: [
      { label: '基本使用料（小会議室1 10:00–12:00）', amountYen: 400 }, { label: '暖房料（20%）', amountYen: 80 }, { label: 'プロジェクター ×1', amountYen: 500 },
    ] });
    const unknown = await call(t, 'POST', '/api/v1/quotes', { body: body('2026-12-10T10:00', '2026-12-10T12:00', { equipment: [{ type: 'karaoke', quantity: 1 }] }) });
    expect(expectProblem(unknown, 422, 'validation_failed').errors?.[0]?.path).toBe('equipment.0.type');
  });

  it('refuses a quote for an unknown space or an off-grid time with 422', async () => {
    expectProblem(await call(t, 'POST', '/api/v1/quotes', { body: body('2026-12-10T10:00', '2026-12-10T12:00', { space: 'attic' }) }), 422, 'validation_failed');
    expectProblem(await call(t, 'POST', '/api/v1/quotes', { body: body('2026-12-10T10:15', '2026-12-10T12:00') }), 422, 'validation_failed');
  });
});

describe('PUT /calendar/{date}', () => {
  async function scene() {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const manager = await user(t, 'manager', 'kanri@example.jp');
    const evening = await created(member.cookie, body('2026-12-16T19:00', '2026-12-16T21:00'));
    const morning = await created(member.cookie, { ...body('2026-12-16T10:00', '2026-12-16T12:00'), space: 'small-2' });
    return { member, manager, evening, morning };
  }

  it('refuses to close a day with bookings, listing them, and stores nothing', async () => {
    const s = await scene();
    const before = snapshot(t);
    const problem = expectProblem(await call(t, 'PUT', '/api/v1/calendar/2026-12-16', { cookie: s.manager.cookie, body: { closed: true, reason: '停電' } }), 409, 'conflict');
    const conflicts = problem.conflicts as { bookingId: number; space: string; start: string; end: string }[];
    expect(conflicts.map((c) => c.bookingId).sort()).toEqual([s.evening.id, s.morning.id].sort());
    expect(conflicts.find((c) => c.bookingId === s.evening.id)).toMatchObject({ space: 'small-1', start: '2026-12-16T19:00:00+09:00', end: '2026-12-16T21:00:00+09:00' });
    expect(snapshot(t)).toEqual(before);
    expect(count(t.db, 'day_overrides')).toBe(0);
    expect(bookingRow(t, s.evening.id)!.needs_contact).toBe(0);
  });

  it('refuses to shorten a day, listing only the bookings it would strand', async () => {
    const s = await scene();
    const problem = expectProblem(await call(t, 'PUT', '/api/v1/calendar/2026-12-16', { cookie: s.manager.cookie, body: { open: '09:00', close: '20:00', reason: '設備点検' } }), 409, 'conflict');
    expect((problem.conflicts as { bookingId: number }[]).map((c) => c.bookingId)).toEqual([s.evening.id]);
    expect(count(t.db, 'day_overrides')).toBe(0);
  });

  it('closes the day on confirmation and flags the stranded bookings for staff to call', async () => {
    const s = await scene();
    const res = await call(t, 'PUT', '/api/v1/calendar/2026-12-16?confirm=true', { cookie: s.manager.cookie, body: { closed: true, reason: '停電' } });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json() as { affected: { bookingId: number; action: string }[] };
    expect(out.affected.map((a) => a.bookingId).sort()).toEqual([s.evening.id, s.morning.id].sort());
    expect(t.db.$client.prepare('SELECT date, closed, reason FROM day_overrides').all()).toEqual([{ date: '2026-12-16', closed: 1, reason: '停電' }]);
    for (const id of [s.evening.id, s.morning.id]) expect(bookingRow(t, id)).toMatchObject({ status: 'confirmed', needs_contact: 1 });
    const view = (await call(t, 'GET', `/api/v1/bookings/${s.evening.id}`, { cookie: s.member.cookie })).json();
    expect(view).toMatchObject({ needsContact: true, status: 'confirmed' });
    expect(auditActions(t, 'calendar.set')).toHaveLength(1);
    expect(auditActions(t, 'booking.needs_contact')).toHaveLength(2);
    const day = (await call(t, 'GET', '/api/v1/calendar?from=2026-12-16&to=2026-12-16')).json() as Day[];
    expect(day[0]).toMatchObject({ closed: true, reason: '停電' });
  });

  it('cancels the stranded bookings free when the manager chooses so', async () => {
    const s = await scene();
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    // A paid walk-in on that day is refunded in full.
    const paid = await created(staff.cookie, { ...body('2026-12-16T14:00', '2026-12-16T16:00'), walkIn: { name: '鈴木 一郎' } });
    expect((await call(t, 'POST', `/api/v1/bookings/${paid.id}/payments`, { cookie: staff.cookie, body: { amountYen: paid.totalYen, method: 'cash' } })).statusCode).toBe(201);
    const res = await call(t, 'PUT', '/api/v1/calendar/2026-12-16?confirm=true', { cookie: s.manager.cookie, body: { closed: true, reason: '停電', stranded: 'cancel' } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { affected: unknown[] }).affected).toHaveLength(3);
    for (const id of [s.evening.id, s.morning.id, paid.id]) {
      expect(bookingRow(t, id)).toMatchObject({ status: 'cancelled', facility_caused: 1, cancellation_fee_yen: 0, needs_contact: 1 });
    }
    expect(bookingRow(t, paid.id)!.payment_status).toBe('refunded');
    const refunds = t.db.$client.prepare("SELECT amount_yen FROM payments WHERE kind = 'refund'").all();
    expect(refunds).toEqual([{ amount_yen: paid.totalYen }]);
  });

  it('changes a day without bookings at once', async () => {
    const manager = await user(t, 'manager', 'kanri@example.jp');
    const res = await call(t, 'PUT', '/api/v1/calendar/2026-12-17', { cookie: manager.cookie, body: { open: '10:00', close: '18:00', reason: '職員研修' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ affected: [] });
    expect(t.db.$client.prepare('SELECT date, closed, open, close FROM day_overrides').all()).toEqual([{ date: '2026-12-17', closed: 0, open: '10:00', close: '18:00' }]);
  });

  it('extends a day to 23:00, which then takes a 22:00–23:00 booking at the evening rate', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const manager = await user(t, 'manager', 'kanri@example.jp');
    expectProblem(await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: body('2026-12-18T22:00', '2026-12-18T23:00') }), 422, 'closed');
    expect((await call(t, 'PUT', '/api/v1/calendar/2026-12-18', { cookie: manager.cookie, body: { open: '09:00', close: '23:00', reason: '年末特別開館' } })).statusCode).toBe(200);
    const b = await created(member.cookie, body('2026-12-18T22:00', '2026-12-18T23:00'));
    // ¥250 × 50% + 20%.
    expect(b.totalYen).toBe(150);
    expectLinesAddUp(b);
    expect(bookingRow(t, b.id)).toMatchObject({ end_at: '2026-12-18T14:00:00.000Z', status: 'confirmed' });
    expectProblem(await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: body('2026-12-18T22:30', '2026-12-18T23:30') }), 422, 'closed');
  });

  it('refuses to extend past 23:00 and stores nothing', async () => {
    const manager = await user(t, 'manager', 'kanri@example.jp');
    const before = snapshot(t);
    const problem = expectProblem(await call(t, 'PUT', '/api/v1/calendar/2026-12-18', { cookie: manager.cookie, body: { open: '09:00', close: '23:30' } }), 422, 'validation_failed');
    expect(problem.errors?.[0]?.path).toBe('close');
    expect(snapshot(t)).toEqual(before);
  });

  it.each([
    ['a close before the open', { open: '18:00', close: '09:00' }],
    ['24:00', { open: '09:00', close: '24:00' }],
    ['closed without a reason', { closed: true }],
    ['an unknown field', { open: '09:00', close: '21:00', color: 'red' }],
    ['an opening off the 30-minute grid', { open: '08:59', close: '22:00' }],
    ['a closing off the 30-minute grid', { open: '09:00', close: '21:45' }],
  ])('refuses %s with 422', async (_what, b) => {
    const manager = await user(t, 'manager', 'kanri@example.jp');
    expectProblem(await call(t, 'PUT', '/api/v1/calendar/2026-12-18', { cookie: manager.cookie, body: b }), 422, 'validation_failed');
    expect(count(t.db, 'day_overrides')).toBe(0);
  });

  it('refuses an impossible date with 422', async () => {
    const manager = await user(t, 'manager', 'kanri@example.jp');
    expectProblem(await call(t, 'PUT', '/api/v1/calendar/2027-02-30', { cookie: manager.cookie, body: { closed: true, reason: '点検' } }), 422, 'validation_failed');
    expect(count(t.db, 'day_overrides')).toBe(0);
  });

  it.each(['staff', 'member', 'individual'] as const)('refuses a calendar change by %s with 403', async (role) => {
    const groupId = makeGroup(t);
    const someone = await user(t, role, 'someone@example.jp', role === 'member' ? { groupId } : {});
    const before = snapshot(t);
    expectProblem(await call(t, 'PUT', '/api/v1/calendar/2026-12-18?confirm=true', { cookie: someone.cookie, body: { closed: true, reason: '点検' } }), 403, 'forbidden');
    expectProblem(await call(t, 'POST', '/api/v1/spaces/hall/blocks?confirm=true', { cookie: someone.cookie, body: { start: '2026-12-18T09:00', end: '2026-12-18T22:00', reason: '点検' } }), 403, 'forbidden');
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses a calendar change without a login with 401', async () => {
    expectProblem(await call(t, 'PUT', '/api/v1/calendar/2026-12-18', { body: { closed: true, reason: '点検' } }), 401, 'unauthenticated');
    expect(count(t.db, 'day_overrides')).toBe(0);
  });
});

describe('POST /spaces/{slug}/blocks', () => {
  async function scene() {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const manager = await user(t, 'manager', 'kanri@example.jp');
    const part = await created(member.cookie, { ...body('2026-12-16T10:00', '2026-12-16T12:00'), space: 'training-a' });
    const elsewhere = await created(member.cookie, body('2026-12-16T10:00', '2026-12-16T12:00'));
    return { member, manager, part, elsewhere };
  }

  it('refuses a block over a part’s booking, listing it, and stores nothing', async () => {
    const s = await scene();
    const before = snapshot(t);
    const problem = expectProblem(await call(t, 'POST', '/api/v1/spaces/training/blocks', { cookie: s.manager.cookie, body: { start: '2026-12-16T09:00', end: '2026-12-16T13:00', reason: '空調工事' } }), 409, 'conflict');
    expect(problem.conflicts).toEqual([expect.objectContaining({ bookingId: s.part.id, space: 'training-a', start: '2026-12-16T10:00:00+09:00', end: '2026-12-16T12:00:00+09:00' })]);
    expect(snapshot(t)).toEqual(before);
    expect(bookingRow(t, s.part.id)!.needs_contact).toBe(0);
  });

  it('stores the block on confirmation and flags the stranded booking', async () => {
    const s = await scene();
    const res = await call(t, 'POST', '/api/v1/spaces/training/blocks?confirm=true', { cookie: s.manager.cookie, body: { start: '2026-12-16T09:00', end: '2026-12-16T13:00', reason: '空調工事' } });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as { affected: { bookingId: number }[] }).affected.map((a) => a.bookingId)).toEqual([s.part.id]);
    expect(count(t.db, 'space_blocks')).toBe(1);
    expect(bookingRow(t, s.part.id)).toMatchObject({ status: 'confirmed', needs_contact: 1 });
    expect(bookingRow(t, s.elsewhere.id)!.needs_contact).toBe(0);
    expect(auditActions(t, 'block.create')).toHaveLength(1);
    const a = (await call(t, 'GET', '/api/v1/availability?space=training-b&date=2026-12-16')).json() as Availability;
    expect(a.busy).toEqual([{ start: '2026-12-16T09:00:00+09:00', end: '2026-12-16T13:00:00+09:00' }]);
  });

  it('cancels the stranded booking free when asked', async () => {
    const s = await scene();
    const res = await call(t, 'POST', '/api/v1/spaces/training-a/blocks?confirm=true', { cookie: s.manager.cookie, body: { start: '2026-12-16T09:00', end: '2026-12-16T22:00', reason: '避難所として使用', stranded: 'cancel' } });
    expect(res.statusCode).toBe(201);
    expect(bookingRow(t, s.part.id)).toMatchObject({ status: 'cancelled', facility_caused: 1, cancellation_fee_yen: 0 });
    expect(bookingRow(t, s.elsewhere.id)!.status).toBe('confirmed');
  });

  it('blocks a free space at once, and bookings in it are then refused as closed', async () => {
    const s = await scene();
    const res = await call(t, 'POST', '/api/v1/spaces/hall/blocks', { cookie: s.manager.cookie, body: { start: '2026-12-20T09:00', end: '2026-12-27T22:00', reason: 'ピアノ調律と舞台改修' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ space: 'hall', start: '2026-12-20T09:00:00+09:00', end: '2026-12-27T22:00:00+09:00', reason: 'ピアノ調律と舞台改修', affected: [] });
    expect(t.db.$client.prepare('SELECT start_at, end_at, reason FROM space_blocks').all()).toEqual([
      { start_at: '2026-12-20T00:00:00.000Z', end_at: '2026-12-27T13:00:00.000Z', reason: 'ピアノ調律と舞台改修' },
    ]);
    expectProblem(await call(t, 'POST', '/api/v1/bookings', { cookie: s.member.cookie, body: { ...body('2026-12-23T10:00', '2026-12-23T12:00'), space: 'hall' } }), 422, 'closed');
  });

  it('answers 404 for a block of a space that does not exist', async () => {
    const manager = await user(t, 'manager', 'kanri@example.jp');
    expectProblem(await call(t, 'POST', '/api/v1/spaces/attic/blocks', { cookie: manager.cookie, body: { start: '2026-12-20T09:00', end: '2026-12-20T12:00', reason: '点検' } }), 404, 'not_found');
    expect(count(t.db, 'space_blocks')).toBe(0);
  });

  it.each([
    ['an end before the start', 'hall', { start: '2026-12-20T12:00', end: '2026-12-20T09:00', reason: '点検' }],
    ['no reason', 'hall', { start: '2026-12-20T09:00', end: '2026-12-20T12:00' }],
    ['a date that does not exist', 'hall', { start: '2027-02-30T09:00', end: '2027-03-01T12:00', reason: '点検' }],
  ])('refuses a block with %s with 422', async (_what, slug, b) => {
    const manager = await user(t, 'manager', 'kanri@example.jp');
    expectProblem(await call(t, 'POST', `/api/v1/spaces/${slug}/blocks`, { cookie: manager.cookie, body: b }), 422, 'validation_failed');
    expect(count(t.db, 'space_blocks')).toBe(0);
  });
});
