import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { auditActions, call, expectProblem, makeGroup, user } from './helpers.js';

// Tuesday 2026-12-01 10:00 Tokyo. Sessions last 30 days so logins survive the clock moving to the day of use.
let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00', { sessionHours: 24 * 30 });
});
afterEach(async () => {
  await t.close();
});

const at = (iso: string) => t.clock.set(iso);
const sql = <T>(query: string, ...args: unknown[]) => t.db.$client.prepare(query).all(...args) as T[];
const unitState = (tag: string) => (sql<{ state: string }>('SELECT state FROM equipment_units WHERE tag = ?', tag)[0])?.state;
const loanCounts = () => ({ loans: count(t.db, 'loans'), items: count(t.db, 'loan_items'), units: count(t.db, 'loan_units'), cases: count(t.db, 'damage_cases'), bookings: count(t.db, 'bookings') });
const room = (start: string, end: string, extra: Record<string, unknown> = {}) =>
  ({ space: 'training-a', start, end, purpose: '講演会', attendees: 20, ...extra });
const freeProjectors = async (from: string, to: string) => {
  const res = await call(t, 'GET', `/api/v1/equipment/availability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { type: string; available: number }[]).find((e) => e.type === 'projector')!.available;
};

describe('GET /equipment', () => {
  it('lists the seeded types with their pool and per-use fee', async () => {
    const res = await call(t, 'GET', '/api/v1/equipment');
    expect(res.statusCode).toBe(200);
    const list = res.json() as { type: string; total: number; feeYen: number; hallOnly: boolean }[];
    expect(list.map((e) => [e.type, e.total, e.feeYen])).toEqual([
      ['projector', 3, 500], ['screen', 3, 200], ['wireless-mic', 2, 300], ['portable-pa', 1, 1000],
      ['piano', 1, 2000], ['stage', 1, 1000], ['panel', 20, 100], ['whiteboard', 6, 0],
    ]);
    expect(list.filter((e) => e.hallOnly).map((e) => e.type)).toEqual(['piano', 'stage']);
    expect(sql<{ tag: string }>("SELECT tag FROM equipment_units WHERE tag LIKE 'PJ-%' ORDER BY tag").map((r) => r.tag)).toEqual(['PJ-01', 'PJ-02', 'PJ-03']);
  });
});

describe('equipment on a booking', () => {
  it('is priced by the rate kind: free for a registered group, the listed fee for an individual', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const q = await call(t, 'POST', '/api/v1/quotes', { cookie: hanako.cookie, body: room('2026-12-15T13:00', '2026-12-15T16:00', { equipment: [{ type: 'projector', quantity: 1 }, { type: 'screen', quantity: 1 }] }) });
    expect(q.statusCode, q.body).toBe(200);
    const quote = q.json() as { totalYen: number; lines: { label: string; amountYen: number }[] };
    expect(quote.lines.filter((l) => /プロジェクター|スクリーン/.test(l.label)).map((l) => l.amountYen)).toEqual([500, 200]);
    const b = await call(t, 'POST', '/api/v1/bookings', { cookie: hanako.cookie, body: room('2026-12-15T13:00', '2026-12-15T16:00', { equipment: [{ type: 'projector', quantity: 1 }, { type: 'screen', quantity: 1 }] }) });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json()).toMatchObject({ totalYen: quote.totalYen, equipment: [{ type: 'projector', quantity: 1 }, { type: 'screen', quantity: 1 }] });
    const m = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-16T13:00', '2026-12-16T16:00', { equipment: [{ type: 'projector', quantity: 2 }] }) });
    expect(m.statusCode, m.body).toBe(201);
    const memberLines = (m.json() as { lines: { label: string; amountYen: number }[] }).lines;
    expect(memberLines.find((l) => l.label.includes('プロジェクター'))?.amountYen).toBe(0);
    // Each booking's equipment is a loan with the booking's interval, made in the same transaction.
    const loans = sql<{ kind: string; booking_id: number; group_id: number | null; account_id: number | null; start_at: string; status: string }>('SELECT * FROM loans ORDER BY id');
    expect(loans).toMatchObject([
      { kind: 'booking', booking_id: (b.json() as { id: number }).id, group_id: null, account_id: hanako.id, start_at: '2026-12-15T04:00:00.000Z', status: 'reserved' },
      { kind: 'booking', booking_id: (m.json() as { id: number }).id, group_id: groupId, account_id: null, status: 'reserved' },
    ]);
  });

  it('refuses the request that would exceed the free units at any overlapping moment (409 listing the equipment), storing nothing', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    expect((await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-15T13:00', '2026-12-15T16:00', { equipment: [{ type: 'projector', quantity: 2 }] }) })).statusCode).toBe(201);
    expect(await freeProjectors('2026-12-15T13:00', '2026-12-15T16:00')).toBe(1);
    expect(await freeProjectors('2026-12-15T16:00', '2026-12-15T18:00')).toBe(3); // back to back
    const before = loanCounts();
    const res = await call(t, 'POST', '/api/v1/bookings', { cookie: hanako.cookie, body: { ...room('2026-12-15T15:00', '2026-12-15T17:00'), space: 'training-b', equipment: [{ type: 'projector', quantity: 2 }] } });
    const problem = expectProblem(res, 409, 'conflict');
    expect(problem.conflicts).toEqual([{ start: '2026-12-15T15:00:00+09:00', end: '2026-12-15T17:00:00+09:00', equipment: 'projector', requested: 2, available: 1 }]);
    expect(loanCounts()).toEqual(before);
    // The last one is still there for whoever asks for one.
    expect((await call(t, 'POST', '/api/v1/bookings', { cookie: hanako.cookie, body: { ...room('2026-12-15T15:00', '2026-12-15T17:00'), space: 'training-b', equipment: [{ type: 'projector', quantity: 1 }] } })).statusCode).toBe(201);
    expect(await freeProjectors('2026-12-15T15:00', '2026-12-15T16:00')).toBe(0);
  });

  it('cancelling the booking releases its equipment; moving it moves the loan and re-checks it', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const first = (await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-15T13:00', '2026-12-15T16:00', { equipment: [{ type: 'portable-pa', quantity: 1 }] }) })).json() as { id: number };
    const second = (await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-15T17:00', '2026-12-15T19:00', { equipment: [{ type: 'portable-pa', quantity: 1 }] }) })).json() as { id: number };
    // Moving the first onto the second's time would need a second PA set.
    const moved = await call(t, 'PATCH', `/api/v1/bookings/${first.id}`, { cookie: member.cookie, body: { space: 'training-b', start: '2026-12-15T17:00', end: '2026-12-15T19:00' } });
    expect(expectProblem(moved, 409, 'conflict').conflicts).toMatchObject([{ equipment: 'portable-pa', available: 0 }]);
    const ok = await call(t, 'PATCH', `/api/v1/bookings/${first.id}`, { cookie: member.cookie, body: { start: '2026-12-15T10:00', end: '2026-12-15T12:00' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(sql<{ start_at: string; end_at: string }>('SELECT start_at, end_at FROM loans WHERE booking_id = ?', first.id)).toEqual([{ start_at: '2026-12-15T01:00:00.000Z', end_at: '2026-12-15T03:00:00.000Z' }]);
    expect((await call(t, 'POST', `/api/v1/bookings/${second.id}/cancel`, { cookie: member.cookie, body: {} })).statusCode).toBe(200);
    expect(sql<{ status: string }>('SELECT status FROM loans WHERE booking_id = ?', second.id)).toEqual([{ status: 'cancelled' }]);
    expect((await call(t, 'PATCH', `/api/v1/bookings/${first.id}`, { cookie: member.cookie, body: { space: 'training-b', start: '2026-12-15T17:00', end: '2026-12-15T19:00' } })).statusCode).toBe(200);
  });

  it('equipment added to a booking later joins its fee (and owes the difference); cancelling that loan takes it off again', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const staff = await user(t, 'staff', 'desk@example.jp');
    const made = (await call(t, 'POST', '/api/v1/bookings', { cookie: hanako.cookie, body: room('2026-12-15T13:00', '2026-12-15T16:00') })).json() as { id: number; totalYen: number };
    expect((await call(t, 'POST', `/api/v1/bookings/${made.id}/payments`, { cookie: staff.cookie, body: { amountYen: made.totalYen, method: 'cash' } })).statusCode).toBe(201);
    const row = () => sql<{ total_yen: number; payment_status: string; status: string }>('SELECT total_yen, payment_status, status FROM bookings WHERE id = ?', made.id)[0]!;
    expect(row()).toEqual({ total_yen: made.totalYen, payment_status: 'paid', status: 'confirmed' });
    const added = await call(t, 'POST', '/api/v1/loans', { cookie: hanako.cookie, body: { bookingId: made.id, items: [{ type: 'projector', quantity: 1 }] } });
    expect(added.statusCode, added.body).toBe(201);
    // General rate: the projector's ¥500 is added; what was paid no longer covers it.
    expect(row()).toEqual({ total_yen: made.totalYen + 500, payment_status: 'unpaid', status: 'confirmed' });
    const booking = (await call(t, 'GET', `/api/v1/bookings/${made.id}`, { cookie: hanako.cookie })).json() as { equipment: unknown; lines: { label: string; amountYen: number }[]; totalYen: number };
    expect(booking.equipment).toEqual([{ type: 'projector', quantity: 1 }]);
    expect(booking.lines.reduce((sum, l) => sum + l.amountYen, 0)).toBe(booking.totalYen);
    const loanId = (added.json() as { id: number }).id;
    expect((await call(t, 'POST', `/api/v1/loans/${loanId}/cancel`, { cookie: hanako.cookie })).statusCode).toBe(200);
    expect(row()).toEqual({ total_yen: made.totalYen, payment_status: 'paid', status: 'confirmed' });
    expect((await call(t, 'GET', `/api/v1/bookings/${made.id}`, { cookie: hanako.cookie })).json()).toMatchObject({ equipment: [] });
  });

  it('skips the dates of a series where the equipment is taken', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const other = await user(t, 'member', 'other@example.jp', { groupId: makeGroup(t, '別の会') });
    expect((await call(t, 'POST', '/api/v1/bookings', { cookie: other.cookie, body: { ...room('2026-12-22T13:00', '2026-12-22T16:00'), space: 'small-2', attendees: 5, equipment: [{ type: 'portable-pa', quantity: 1 }] } })).statusCode).toBe(201);
    const res = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-15T13:00', '2026-12-15T16:00', { equipment: [{ type: 'portable-pa', quantity: 1 }], recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3' } }) });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { created: { start: string }[]; skipped: { start: string; code: string }[] };
    // 12/22: the only PA set is out with the other group; 12/29: the year-end closure.
    expect(out.created.map((c) => c.start)).toEqual(['2026-12-15T13:00:00+09:00']);
    expect(out.skipped.map((s) => [s.start, s.code])).toEqual([['2026-12-22T13:00:00+09:00', 'conflict'], ['2026-12-29T13:00:00+09:00', 'closed']]);
    expect(count(t.db, 'loans')).toBe(1 + out.created.length);
  });
});

describe('the whole life of a loan', () => {
  it('reserve → check out → return damaged → suspended → assess → settle → borrow again', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const staff = await user(t, 'staff', 'desk@example.jp');
    const manager = await user(t, 'manager', 'boss@example.jp');
    const made = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-15T13:00', '2026-12-15T16:00', { equipment: [{ type: 'projector', quantity: 2 }] }) });
    expect(made.statusCode, made.body).toBe(201);
    // A later take-out of the third projector and one more reservation that will lose its cover.
    const later = await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-17T10:00', end: '2026-12-18T17:00', items: [{ type: 'projector', quantity: 3 }] } });
    expect(later.statusCode, later.body).toBe(201);
    const loanId = sql<{ id: number }>('SELECT id FROM loans WHERE kind = ?', 'booking')[0]!.id;

    // Early pick-up at 12:30: the units are free until 13:00.
    at('2026-12-15T12:30');
    const out = await call(t, 'POST', `/api/v1/loans/${loanId}/checkout`, { cookie: staff.cookie, body: { pickedUpBy: '田中' } });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toEqual({ units: [{ tag: 'PJ-01', type: 'projector' }, { tag: 'PJ-02', type: 'projector' }] });
    expect([unitState('PJ-01'), unitState('PJ-02'), unitState('PJ-03')]).toEqual(['on_loan', 'on_loan', 'available']);
    expect(sql('SELECT status, picked_up_by, checked_out_by FROM loans WHERE id = ?', loanId)).toEqual([{ status: 'checked_out', picked_up_by: '田中', checked_out_by: staff.id }]);
    expectProblem(await call(t, 'POST', `/api/v1/loans/${loanId}/checkout`, { cookie: staff.cookie, body: {} }), 409, 'invalid_state');

    // Back at 16:10: one fine, one damaged.
    at('2026-12-15T16:10');
    const notOnLoan = await call(t, 'POST', `/api/v1/loans/${loanId}/return`, { cookie: staff.cookie, body: { units: [{ tag: 'PJ-03', condition: 'ok' }] } });
    expect(expectProblem(notOnLoan, 422, 'validation_failed').errors).toEqual([{ path: 'units.0.tag', message: 'PJ-03 is not out on this loan' }]);
    const back = await call(t, 'POST', `/api/v1/loans/${loanId}/return`, { cookie: staff.cookie, body: { units: [{ tag: 'PJ-01', condition: 'ok' }, { tag: 'PJ-02', condition: 'damaged', note: 'レンズにひび' }] } });
    expect(back.statusCode, back.body).toBe(200);
    const caseId = (back.json() as { damageCases: number[] }).damageCases[0]!;
    expect([unitState('PJ-01'), unitState('PJ-02')]).toEqual(['available', 'in_repair']);
    expect(sql('SELECT status, kind, group_id, report_note FROM damage_cases WHERE id = ?', caseId)).toEqual([{ status: 'open', kind: 'damaged', group_id: groupId, report_note: 'レンズにひび' }]);
    expect(sql('SELECT status FROM loans WHERE id = ?', loanId)).toEqual([{ status: 'returned' }]);
    // The damaged unit left the pool: the take-out of three can no longer be covered and is flagged.
    expect((sql<{ needs_attention: string | null }>('SELECT needs_attention FROM loans WHERE kind = ?', 'takeout'))[0]!.needs_attention).toContain('PJ-02');
    expect(((await call(t, 'GET', '/api/v1/equipment')).json() as { type: string; total: number; inRepair: number }[])[0]).toMatchObject({ type: 'projector', total: 2, inRepair: 1 });

    // Suspended: no equipment until the case is closed, though rooms alone can still be booked.
    const before = count(t.db, 'bookings');
    const refused = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-20T13:00', '2026-12-20T15:00', { equipment: [{ type: 'screen', quantity: 1 }] }) });
    expect(expectProblem(refused, 403, 'borrowing_suspended').damageCases).toEqual([{ id: caseId, status: 'open' }]);
    expect(count(t.db, 'bookings')).toBe(before);
    expectProblem(await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-22T10:00', end: '2026-12-22T17:00', items: [{ type: 'screen', quantity: 1 }] } }), 403, 'borrowing_suspended');
    expect((await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-20T13:00', '2026-12-20T15:00') })).statusCode).toBe(201);

    // The group sees its own case; staff cannot assess; the cost is capped at the replacement value.
    expect((await call(t, 'GET', `/api/v1/damage-cases/${caseId}`, { cookie: member.cookie })).json()).toMatchObject({ id: caseId, unit: 'PJ-02', status: 'open', replacementYen: 120000 });
    expectProblem(await call(t, 'POST', `/api/v1/damage-cases/${caseId}/assess`, { cookie: staff.cookie, body: { costYen: 1000, liable: true } }), 403, 'forbidden');
    for (const costYen of [120001, -1]) {
      expectProblem(await call(t, 'POST', `/api/v1/damage-cases/${caseId}/assess`, { cookie: manager.cookie, body: { costYen, liable: true } }), 422, 'validation_failed');
    }
    expectProblem(await call(t, 'POST', `/api/v1/damage-cases/${caseId}/assess`, { cookie: manager.cookie, body: { costYen: 12.5, liable: true } }), 422, 'validation_failed');
    expect(sql('SELECT status, cost_yen FROM damage_cases WHERE id = ?', caseId)).toEqual([{ status: 'open', cost_yen: null }]);
    const assessed = await call(t, 'POST', `/api/v1/damage-cases/${caseId}/assess`, { cookie: manager.cookie, body: { costYen: 35000, liable: true, note: 'レンズ交換' } });
    expect(assessed.statusCode, assessed.body).toBe(200);
    expect(assessed.json()).toMatchObject({ status: 'invoiced', costYen: 35000, liable: true, invoiceNo: 'D2026-0001' });
    // Invoiced is still suspended.
    expectProblem(await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-22T10:00', end: '2026-12-22T17:00', items: [{ type: 'screen', quantity: 1 }] } }), 403, 'borrowing_suspended');
    expect((await call(t, 'POST', `/api/v1/damage-cases/${caseId}/settle`, { cookie: manager.cookie })).json()).toMatchObject({ status: 'settled' });
    expectProblem(await call(t, 'POST', `/api/v1/damage-cases/${caseId}/settle`, { cookie: manager.cookie, body: {} }), 409, 'invalid_state');

    // Borrowing again works; the repaired unit returns to the pool.
    expect((await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-22T10:00', end: '2026-12-22T17:00', items: [{ type: 'screen', quantity: 1 }] } })).statusCode).toBe(201);
    const repaired = await call(t, 'POST', '/api/v1/equipment/units/PJ-02/state', { cookie: manager.cookie, body: { action: 'repaired', note: '修理済' } });
    expect(repaired.statusCode, repaired.body).toBe(200);
    expect(unitState('PJ-02')).toBe('available');
    // With three projectors again, the take-out is covered and its flag is cleared.
    expect(repaired.json()).toMatchObject({ state: 'available', clearedLoans: [(later.json() as { id: number }).id] });
    expect(sql('SELECT needs_attention FROM loans WHERE id = ?', (later.json() as { id: number }).id)).toEqual([{ needs_attention: null }]);
    expect(auditActions(t, 'loan.checkout')).toHaveLength(1);
    expect(auditActions(t, 'damage.open').map((a) => a.entity_id)).toEqual([String(caseId)]);
    expect(auditActions(t, 'damage.assess')).toHaveLength(1);
    expect(auditActions(t, 'damage.settle')).toHaveLength(1);
    expect(auditActions(t, 'equipment.repaired')).toHaveLength(1);
  });

  it('a case found not liable lifts the suspension at once; waiving needs a reason', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const staff = await user(t, 'staff', 'desk@example.jp');
    const manager = await user(t, 'manager', 'boss@example.jp');
    const loan = (await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-08T10:00', end: '2026-12-09T17:00', items: [{ type: 'wireless-mic', quantity: 2 }] } })).json() as { id: number };
    at('2026-12-08T10:00');
    expect((await call(t, 'POST', `/api/v1/loans/${loan.id}/checkout`, { cookie: staff.cookie, body: { units: ['MC-02', 'MC-01'] } })).statusCode).toBe(200);
    at('2026-12-09T16:00');
    const back = (await call(t, 'POST', `/api/v1/loans/${loan.id}/return`, { cookie: staff.cookie, body: { units: [{ tag: 'MC-01', condition: 'lost', note: '会場で紛失' }, { tag: 'MC-02', condition: 'damaged', note: '電池蓋の破損' }] } })).json() as { damageCases: number[] };
    expect(back.damageCases).toHaveLength(2);
    expect([unitState('MC-01'), unitState('MC-02')]).toEqual(['lost', 'in_repair']);
    const [lost, worn] = back.damageCases as [number, number];
    expectProblem(await call(t, 'POST', `/api/v1/damage-cases/${worn}/waive`, { cookie: manager.cookie, body: {} }), 422, 'validation_failed');
    expect((await call(t, 'POST', `/api/v1/damage-cases/${worn}/assess`, { cookie: manager.cookie, body: { costYen: 0, liable: false, note: '経年劣化' } })).json()).toMatchObject({ status: 'not_liable' });
    // One case still open: still suspended.
    expectProblem(await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-22T10:00', end: '2026-12-22T17:00', items: [{ type: 'screen', quantity: 1 }] } }), 403, 'borrowing_suspended');
    expect((await call(t, 'POST', `/api/v1/damage-cases/${lost}/waive`, { cookie: manager.cookie, body: { reason: '災害による紛失（不可抗力）' } })).json()).toMatchObject({ status: 'waived', waiveReason: '災害による紛失（不可抗力）' });
    expect((await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-22T10:00', end: '2026-12-22T17:00', items: [{ type: 'screen', quantity: 1 }] } })).statusCode).toBe(201);
  });

  it('refuses an early pick-up when the units are needed before the loan starts, and lists overdue loans', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const staff = await user(t, 'staff', 'desk@example.jp');
    const first = (await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-08T10:00', end: '2026-12-08T12:00', items: [{ type: 'portable-pa', quantity: 1 }] } })).json() as { id: number };
    const second = (await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-08T13:00', end: '2026-12-08T17:00', items: [{ type: 'portable-pa', quantity: 1 }] } })).json() as { id: number };
    at('2026-12-08T09:30');
    expectProblem(await call(t, 'POST', `/api/v1/loans/${second.id}/checkout`, { cookie: staff.cookie, body: {} }), 409, 'conflict');
    expect((await call(t, 'POST', `/api/v1/loans/${first.id}/checkout`, { cookie: staff.cookie, body: {} })).statusCode).toBe(200);
    at('2026-12-08T13:00');
    // The first is overdue and the PA set is not at the desk: nothing to hand out.
    const overdue = (await call(t, 'GET', '/api/v1/loans?status=overdue', { cookie: staff.cookie })).json() as { id: number; overdue: boolean }[];
    expect(overdue.map((l) => [l.id, l.overdue])).toEqual([[first.id, true]]);
    expectProblem(await call(t, 'POST', `/api/v1/loans/${second.id}/checkout`, { cookie: staff.cookie, body: {} }), 409, 'conflict');
    expect(unitState('PA-01')).toBe('on_loan');
  });
});

describe('bad input stores nothing', () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    ['quantity 0', { items: [{ type: 'projector', quantity: 0 }] }, 422, 'items.0.quantity'],
    ['quantity below 0', { items: [{ type: 'projector', quantity: -1 }] }, 422, 'items.0.quantity'],
    ['quantity above the stock', { items: [{ type: 'projector', quantity: 4 }] }, 422, 'items.0.quantity'],
    ['fractional quantity', { items: [{ type: 'projector', quantity: 1.5 }] }, 422, 'items.0.quantity'],
    ['unknown type', { items: [{ type: 'karaoke', quantity: 1 }] }, 422, 'items.0.type'],
    ['a hall-only item on a take-out', { items: [{ type: 'piano', quantity: 1 }] }, 422, 'items.0.type'],
    ['a type twice', { items: [{ type: 'panel', quantity: 1 }, { type: 'panel', quantity: 2 }] }, 422, 'items.1.type'],
    ['no items', { items: [] }, 422, 'items'],
    ['a take-out longer than 7 days', { end: '2026-12-15T10:30', items: [{ type: 'screen', quantity: 1 }] }, 422, 'end'],
    ['a take-out ending before it starts', { end: '2026-12-08T09:00', items: [{ type: 'screen', quantity: 1 }] }, 422, 'end'],
    ['an impossible date', { start: '2026-02-30T10:00', items: [{ type: 'screen', quantity: 1 }] }, 422, 'start'],
    ['24:00', { end: '2026-12-08T24:00', items: [{ type: 'screen', quantity: 1 }] }, 422, 'end'],
    ['an unknown field', { items: [{ type: 'screen', quantity: 1 }], discount: 100 }, 422, '(body)'],
  ];
  it.each(cases)('%s', async (_name, patch, status, path) => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const before = loanCounts();
    const res = await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-08T10:00', end: '2026-12-09T17:00', ...patch } });
    const problem = expectProblem(res, status, 'validation_failed');
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect(loanCounts()).toEqual(before);
  });

  it('a hall-only item with another room, a non-registered borrower, another group: clear errors, nothing stored', async () => {
    const groupId = makeGroup(t);
    const lapsed = makeGroup(t, '休眠の会', { status: 'lapsed', validUntil: '2026-03-31' });
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const former = await user(t, 'member', 'former@example.jp', { groupId: lapsed });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const before = loanCounts();
    const piano = await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: room('2026-12-15T13:00', '2026-12-15T16:00', { equipment: [{ type: 'piano', quantity: 1 }] }) });
    expect(expectProblem(piano, 422, 'validation_failed').errors).toEqual([{ path: 'equipment.0.type', message: 'piano is lent only with the hall' }]);
    const takeout = { start: '2026-12-08T10:00', end: '2026-12-09T17:00', items: [{ type: 'screen', quantity: 1 }] };
    expectProblem(await call(t, 'POST', '/api/v1/loans', { cookie: hanako.cookie, body: takeout }), 403, 'forbidden');
    expect(expectProblem(await call(t, 'POST', '/api/v1/loans', { cookie: former.cookie, body: takeout }), 422, 'validation_failed').errors?.[0]?.path).toBe('groupId');
    expectProblem(await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { ...takeout, groupId: lapsed } }), 404, 'not_found');
    expectProblem(await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { ...takeout, start: '2026-12-14T10:00', end: '2026-12-14T17:00' } }), 422, 'closed');
    expect(loanCounts()).toEqual(before);
    // With the hall the piano is fine.
    expect((await call(t, 'POST', '/api/v1/bookings', { cookie: member.cookie, body: { ...room('2026-12-15T13:00', '2026-12-15T16:00'), space: 'hall', equipment: [{ type: 'piano', quantity: 1 }] } })).statusCode).toBe(201);
  });

  it("another person's loan and case answer 404", async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const stranger = await user(t, 'member', 'stranger@example.jp', { groupId: makeGroup(t, '別の会') });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const loan = (await call(t, 'POST', '/api/v1/loans', { cookie: member.cookie, body: { start: '2026-12-08T10:00', end: '2026-12-09T17:00', items: [{ type: 'screen', quantity: 1 }] } })).json() as { id: number };
    for (const cookie of [stranger.cookie, hanako.cookie]) {
      expectProblem(await call(t, 'GET', `/api/v1/loans/${loan.id}`, { cookie }), 404, 'not_found');
      expectProblem(await call(t, 'POST', `/api/v1/loans/${loan.id}/cancel`, { cookie }), 404, 'not_found');
      expect((await call(t, 'GET', '/api/v1/loans', { cookie })).json()).toEqual([]);
    }
    expect(sql('SELECT status FROM loans WHERE id = ?', loan.id)).toEqual([{ status: 'reserved' }]);
    expect((await call(t, 'GET', `/api/v1/loans/${loan.id}`, { cookie: member.cookie })).json()).toMatchObject({ id: loan.id, status: 'reserved', items: [{ type: 'screen', quantity: 1 }] });
  });
});
