import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { auditActions, body, bookingRow, call, expectLinesAddUp, expectProblem, makeGroup, snapshot, user } from './helpers.js';

// The default clock: Tuesday 2026-12-01 10:00 in Tokyo. Windows open at that moment: registered
// groups up to June 2027, everyone else up to March 2027, commercial use up to January 2027.
// December is in the heating season, so indoor rooms cost 20% more.
let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp('2026-12-01T10:00');
});
afterEach(async () => {
  await t.close();
});

type Booking = {
  id: number; space: string; start: string; end: string; category: string; channel: string; status: string;
  paymentStatus: string; attendance: string; needsContact: boolean; totalYen: number; lines: { label: string; amountYen: number }[];
  deadline?: string; permitNo: string | null; groupId: number | null; accountId: number | null; walkIn?: { name: string; phone: string | null };
};

const post = (cookie: string, b: unknown) => call(t, 'POST', '/api/v1/bookings', { cookie, body: b });

async function created(cookie: string, b: unknown): Promise<Booking> {
  const res = await post(cookie, b);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Booking;
}

describe('POST /bookings by an individual online', () => {
  it('makes a provisional general booking with its payment deadline', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(hanako.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    expect(b).toMatchObject({
      space: 'small-1', start: '2026-12-10T10:00:00+09:00', end: '2026-12-10T12:00:00+09:00',
      category: 'general', channel: 'online', status: 'provisional', paymentStatus: 'unpaid', attendance: 'expected',
      needsContact: false, accountId: hanako.id, groupId: null, permitNo: null,
      // 2 hours at ¥200 = ¥400, +20% heating.
      totalYen: 480,
      // The earlier of 7 days after it was made and the day before use, at the desk's closing time.
      deadline: '2026-12-08T22:00:00+09:00',
    });
    expectLinesAddUp(b);
    const row = bookingRow(t, b.id)!;
    expect(row).toMatchObject({
      space_slug: 'small-1', use_date: '2026-12-10', status: 'provisional', payment_status: 'unpaid', category: 'general',
      channel: 'online', account_id: hanako.id, group_id: null, total_yen: 480, start_at: '2026-12-10T01:00:00.000Z', end_at: '2026-12-10T03:00:00.000Z',
      deadline_at: '2026-12-08T13:00:00.000Z',
    });
    const audit = auditActions(t, 'booking.create');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: hanako.id, entity: 'booking', entity_id: String(b.id) });
  });

  it('moves the payment deadline back over the year-end closure to the last open day', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    t.clock.set('2026-12-27T10:00');
    const cookie = await t.login('hanako@example.jp');
    // 7 days after is 1/3 and the day before use is 1/4: 1/3 back to 12/29 is the year-end
    // closure and 12/28 the 4th Monday, so the desk last closes on Sunday 12/27.
    const b = await created(cookie, body('2027-01-05T10:00', '2027-01-05T12:00'));
    expect(b.deadline).toBe('2026-12-27T22:00:00+09:00');
    expect(bookingRow(t, b.id)!.deadline_at).toBe('2026-12-27T13:00:00.000Z');
    expect(hanako.id).toBe(b.accountId);
  });

  it('reads a time with an explicit offset as that instant', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(hanako.cookie, body('2026-12-10T01:00:00Z', '2026-12-10T03:00:00Z'));
    expect(b.start).toBe('2026-12-10T10:00:00+09:00');
    expect(bookingRow(t, b.id)!.start_at).toBe('2026-12-10T01:00:00.000Z');
  });

  it('refuses online booking within 3 days of use, but accepts exactly 3 days before', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const before = snapshot(t);
    const problem = expectProblem(await post(hanako.cookie, body('2026-12-03T10:00', '2026-12-03T12:00')), 422, 'validation_failed');
    expect(problem.errors?.[0]?.path).toBe('start');
    expect(snapshot(t)).toEqual(before);
    await created(hanako.cookie, body('2026-12-04T10:00', '2026-12-04T12:00'));
    expect(count(t.db, 'bookings')).toBe(1);
  });

  it('lets the desk book for an individual within 3 days of use', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-03T10:00', '2026-12-03T12:00', { accountId: hanako.id }));
    expect(b).toMatchObject({ channel: 'desk', accountId: hanako.id, category: 'general', status: 'provisional' });
    expect(bookingRow(t, b.id)).toMatchObject({ channel: 'desk', account_id: hanako.id });
  });

  it("refuses an individual's 4th provisional booking with quota_exceeded", async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    for (const day of ['10', '11', '15']) await created(hanako.cookie, body(`2026-12-${day}T10:00`, `2026-12-${day}T12:00`));
    const before = snapshot(t);
    const res = await post(hanako.cookie, body('2026-12-16T10:00', '2026-12-16T12:00'));
    expectProblem(res, 422, 'quota_exceeded');
    expect(snapshot(t)).toEqual(before);
    expect(count(t.db, 'bookings')).toBe(3);
  });

  it('frees a place in the quota when a provisional booking is cancelled', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const ids: number[] = [];
    for (const day of ['10', '11', '15']) ids.push((await created(hanako.cookie, body(`2026-12-${day}T10:00`, `2026-12-${day}T12:00`))).id);
    expect((await call(t, 'POST', `/api/v1/bookings/${ids[0]}/cancel`, { cookie: hanako.cookie })).statusCode).toBe(200);
    await created(hanako.cookie, body('2026-12-16T10:00', '2026-12-16T12:00'));
    expect(count(t.db, 'bookings')).toBe(4);
  });

  it.each([
    ['walkIn', { walkIn: { name: '鈴木 一郎', phone: '090-2222-3333' } }],
    ['overrideReason', { overrideReason: '館長了承' }],
    ['exemption', { exemption: { percent: 100, reason: '市の共催' } }],
    ['accountId', { accountId: 1 }],
    ['groupId', { groupId: 1 }],
  ])('refuses a non-staff booking that sends %s with 403', async (_field, extra) => {
    const groupId = makeGroup(t);
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const before = snapshot(t);
    expectProblem(await post(hanako.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', extra)), 403, 'forbidden');
    expectProblem(await post(member.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', extra)), 403, 'forbidden');
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses to book without a login', async () => {
    expectProblem(await call(t, 'POST', '/api/v1/bookings', { body: body('2026-12-10T10:00', '2026-12-10T12:00') }), 401, 'unauthenticated');
    expect(count(t.db, 'bookings')).toBe(0);
  });
});

describe('POST /bookings by a registered group', () => {
  it('confirms a member booking at once as registered, at half the general fee', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const quote = await call(t, 'POST', '/api/v1/quotes', { body: body('2026-12-10T10:00', '2026-12-10T12:00') });
    expect(quote.json()).toMatchObject({ totalYen: 480 });
    const b = await created(member.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    expect(b).toMatchObject({ category: 'registered', status: 'confirmed', paymentStatus: 'unpaid', channel: 'online', groupId, accountId: member.id, totalYen: 240 });
    expect(b.deadline).toBeUndefined();
    expect(b.permitNo).toMatch(/^P2026-\d+$/);
    expectLinesAddUp(b);
    expect(bookingRow(t, b.id)).toMatchObject({ category: 'registered', status: 'confirmed', group_id: groupId, total_yen: 240, deadline_at: null, permit_no: b.permitNo });
  });

  it('books a registered group 6 months ahead, but not 7', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    await created(member.cookie, body('2027-06-09T10:00', '2027-06-09T12:00'));
    const res = await post(member.cookie, body('2027-07-07T10:00', '2027-07-07T12:00'));
    expect(expectProblem(res, 422, 'window_not_open').opensAt).toBe('2027-01-01T09:00:00+09:00');
    expect(count(t.db, 'bookings')).toBe(1);
  });

  it('books a lapsed group at general rates and windows', async () => {
    const groupId = makeGroup(t, '旧登録団体', { status: 'lapsed', validUntil: '2026-03-31' });
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    expect(b).toMatchObject({ category: 'general', status: 'provisional', totalYen: 480, groupId });
    expectProblem(await post(member.cookie, body('2027-04-07T10:00', '2027-04-07T12:00')), 422, 'window_not_open');
  });

  it("refuses a group's 5th live hall booking in a month with quota_exceeded", async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const hall = (day: string) => ({ space: 'hall', start: `2026-12-${day}T10:00`, end: `2026-12-${day}T12:00`, purpose: '定例会', attendees: 50 });
    for (const day of ['10', '11', '15', '16']) await created(member.cookie, hall(day));
    const before = snapshot(t);
    expectProblem(await post(member.cookie, hall('17')), 422, 'quota_exceeded');
    expect(snapshot(t)).toEqual(before);
    // The quota is per month of use, and per space.
    await created(member.cookie, { ...hall('17'), start: '2027-01-06T10:00', end: '2027-01-06T12:00' });
    await created(member.cookie, { ...hall('17'), space: 'training' });
    expect(count(t.db, 'bookings')).toBe(6);
  });
});

describe('POST /bookings by staff', () => {
  it('books a walk-in at the desk, showing the name to staff only', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-02T10:00', '2026-12-02T12:00', { walkIn: { name: '鈴木 一郎', phone: '090-2222-3333' } }));
    expect(b).toMatchObject({ channel: 'desk', category: 'general', status: 'provisional', accountId: null, groupId: null, walkIn: { name: '鈴木 一郎', phone: '090-2222-3333' } });
    expect(bookingRow(t, b.id)).toMatchObject({ walk_in_name: '鈴木 一郎', account_id: null, group_id: null, channel: 'desk' });
  });

  it('books for a group at the registered rate', async () => {
    const groupId = makeGroup(t);
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const b = await created(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { groupId }));
    expect(b).toMatchObject({ channel: 'desk', category: 'registered', status: 'confirmed', groupId, totalYen: 240 });
    expect(bookingRow(t, b.id)).toMatchObject({ group_id: groupId, category: 'registered', status: 'confirmed' });
  });

  it.each([
    ['no booker', {}],
    ['two bookers', { accountId: 1, walkIn: { name: '鈴木 一郎' } }],
  ])('refuses a staff booking naming %s with 422', async (_what, extra) => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const before = snapshot(t);
    expectProblem(await post(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', extra)), 422, 'validation_failed');
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses a booking for an unknown account or group with 422', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const before = snapshot(t);
    expect(expectProblem(await post(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { accountId: 999 })), 422, 'validation_failed').errors?.[0]?.path).toBe('accountId');
    expect(expectProblem(await post(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { groupId: 999 })), 422, 'validation_failed').errors?.[0]?.path).toBe('groupId');
    expect(expectProblem(await post(staff.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { accountId: staff.id })), 422, 'validation_failed').errors?.[0]?.path).toBe('accountId');
    expect(snapshot(t)).toEqual(before);
  });

  it('passes a closed window with an overrideReason, which is audited', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const walkIn = { name: '鈴木 一郎', phone: '090-2222-3333' };
    // April 2027 opens to the general public on 2027-01-01 09:00.
    expect(expectProblem(await post(staff.cookie, body('2027-04-07T10:00', '2027-04-07T12:00', { walkIn })), 422, 'window_not_open').opensAt).toBe('2027-01-01T09:00:00+09:00');
    expect(count(t.db, 'bookings')).toBe(0);
    const b = await created(staff.cookie, body('2027-04-07T10:00', '2027-04-07T12:00', { walkIn, overrideReason: '市の事業のため館長了承' }));
    expect(bookingRow(t, b.id)!.override_reason).toBe('市の事業のため館長了承');
    const audit = auditActions(t, 'booking.create');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(staff.id);
    expect(JSON.parse(audit[0]!.detail_json)).toMatchObject({ overrideReason: '市の事業のため館長了承' });
  });

  it('does not let an overrideReason open a closed day', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const res = await post(staff.cookie, body('2026-12-29T10:00', '2026-12-29T12:00', { walkIn: { name: '鈴木 一郎' }, overrideReason: '特例' }));
    expectProblem(res, 422, 'closed');
    expect(count(t.db, 'bookings')).toBe(0);
  });
});

describe('windows', () => {
  it('opens March to the general public at 09:00 on December 1st, not at 08:59', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    t.clock.set('2026-12-01T08:59');
    const early = expectProblem(await post(hanako.cookie, body('2027-03-10T10:00', '2027-03-10T12:00')), 422, 'window_not_open');
    expect(early.opensAt).toBe('2026-12-01T09:00:00+09:00');
    expect(count(t.db, 'bookings')).toBe(0);
    t.clock.set('2026-12-01T09:00');
    const b = await created(hanako.cookie, body('2027-03-10T10:00', '2027-03-10T12:00'));
    expect(bookingRow(t, b.id)!.use_date).toBe('2027-03-10');
  });

  it('charges commercial use at 300% and opens it only one month ahead', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(hanako.cookie, body('2027-01-20T10:00', '2027-01-20T12:00', { use: { commercial: true } }));
    // ¥400 × 300% = ¥1,200, +20% heating.
    expect(b).toMatchObject({ category: 'commercial', totalYen: 1440, status: 'provisional' });
    expectLinesAddUp(b);
    expect(bookingRow(t, b.id)).toMatchObject({ category: 'commercial', total_yen: 1440 });
    const res = await post(hanako.cookie, body('2027-02-10T10:00', '2027-02-10T12:00', { use: { commercial: true } }));
    expect(expectProblem(res, 422, 'window_not_open').opensAt).toBe('2027-01-01T09:00:00+09:00');
    expect(count(t.db, 'bookings')).toBe(1);
  });

  it('holds a registered group to the commercial window when the use is commercial', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    expectProblem(await post(member.cookie, body('2027-02-10T10:00', '2027-02-10T12:00', { use: { commercial: true } })), 422, 'window_not_open');
    const b = await created(member.cookie, body('2027-01-20T10:00', '2027-01-20T12:00', { use: { admissionFeeYen: 3000 } }));
    expect(b.category).toBe('commercial');
  });

  it('charges an admission of up to ¥2,000 at 150% as a general booking', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const b = await created(hanako.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { use: { admissionFeeYen: 2000 } }));
    expect(b).toMatchObject({ category: 'general', totalYen: 720 });
    expectLinesAddUp(b);
  });
});

describe('rules of the slot', () => {
  it('refuses more attendees than the room holds with capacity_exceeded', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const res = await post(hanako.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { attendees: 9 }));
    expect(expectProblem(res, 422, 'capacity_exceeded').capacity).toBe(8);
    expect(count(t.db, 'bookings')).toBe(0);
    await created(hanako.cookie, body('2026-12-10T10:00', '2026-12-10T12:00', { attendees: 8 }));
  });

  it.each([
    ['a year-end closed day', body('2026-12-29T10:00', '2026-12-29T12:00')],
    ['a regular closing Monday', body('2026-12-14T10:00', '2026-12-14T12:00')],
    ['hours past closing', body('2026-12-10T21:30', '2026-12-10T22:30')],
    ['hours before opening', body('2026-12-10T08:00', '2026-12-10T10:00')],
    ['the plaza in December', { ...body('2026-12-10T10:00', '2026-12-10T12:00'), space: 'plaza' }],
  ])('refuses %s with 422 closed', async (_what, b) => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const before = snapshot(t);
    expectProblem(await post(member.cookie, b), 422, 'closed');
    expect(snapshot(t)).toEqual(before);
  });

  it('books until 22:00 exactly', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, body('2026-12-10T20:30', '2026-12-10T22:00'));
    expect(bookingRow(t, b.id)!.end_at).toBe('2026-12-10T13:00:00.000Z');
  });

  it('books the plaza in its season', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const b = await created(member.cookie, { ...body('2027-05-12T10:00', '2027-05-12T12:00'), space: 'plaza', attendees: 100 });
    // Outdoors: no heating; ¥1,000 at the registered 50%.
    expect(b).toMatchObject({ space: 'plaza', totalYen: 500 });
  });

  it('refuses a booking in a blocked space with 422 closed, and of its parts', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const manager = await user(t, 'manager', 'kanri@example.jp');
    const block = await call(t, 'POST', '/api/v1/spaces/training/blocks', { cookie: manager.cookie, body: { start: '2026-12-10T09:00', end: '2026-12-10T13:00', reason: '空調工事' } });
    expect(block.statusCode).toBe(201);
    const before = snapshot(t);
    const problem = expectProblem(await post(member.cookie, { ...body('2026-12-10T12:00', '2026-12-10T14:00'), space: 'training' }), 422, 'closed');
    expect(problem.reason).toBe('空調工事');
    expectProblem(await post(member.cookie, { ...body('2026-12-10T10:00', '2026-12-10T12:00'), space: 'training-a' }), 422, 'closed');
    expect(snapshot(t)).toEqual(before);
    // After the block it is free.
    await created(member.cookie, { ...body('2026-12-10T13:00', '2026-12-10T15:00'), space: 'training' });
    // Another room is not blocked.
    await created(member.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
  });
});

describe('conflicts', () => {
  it('refuses an overlapping booking of the same space with 409 listing what is in the way', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    await created(member.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    const before = snapshot(t);
    const problem = expectProblem(await post(hanako.cookie, body('2026-12-10T11:00', '2026-12-10T13:00')), 409, 'conflict');
    expect(problem.conflicts).toEqual([{ start: '2026-12-10T10:00:00+09:00', end: '2026-12-10T12:00:00+09:00', space: 'small-1' }]);
    expect(snapshot(t)).toEqual(before);
  });

  it('takes back-to-back bookings: one may start when another ends', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    await created(member.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    await created(hanako.cookie, body('2026-12-10T12:00', '2026-12-10T14:00'));
    await created(hanako.cookie, body('2026-12-10T09:00', '2026-12-10T10:00'));
    expect(count(t.db, 'bookings')).toBe(3);
  });

  it('refuses the whole room while a part is taken, and a part while the whole is', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    await created(member.cookie, { ...body('2026-12-10T10:00', '2026-12-10T12:00'), space: 'training-a' });
    await created(member.cookie, { ...body('2026-12-11T10:00', '2026-12-11T12:00'), space: 'training' });
    const whole = expectProblem(await post(hanako.cookie, { ...body('2026-12-10T11:00', '2026-12-10T13:00'), space: 'training' }), 409, 'conflict');
    expect(whole.conflicts).toEqual([{ start: '2026-12-10T10:00:00+09:00', end: '2026-12-10T12:00:00+09:00', space: 'training-a' }]);
    const part = expectProblem(await post(hanako.cookie, { ...body('2026-12-11T09:00', '2026-12-11T11:00'), space: 'training-b' }), 409, 'conflict');
    expect(part.conflicts).toEqual([{ start: '2026-12-11T10:00:00+09:00', end: '2026-12-11T12:00:00+09:00', space: 'training' }]);
    expect(count(t.db, 'bookings')).toBe(2);
    // The two halves do not collide with each other.
    await created(hanako.cookie, { ...body('2026-12-10T10:00', '2026-12-10T12:00'), space: 'training-b' });
    expect(count(t.db, 'bookings')).toBe(3);
  });

  it('frees the slot of a cancelled booking', async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const taro = await user(t, 'individual', 'taro@example.jp');
    const first = await created(hanako.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    expect((await call(t, 'POST', `/api/v1/bookings/${first.id}/cancel`, { cookie: hanako.cookie, body: { reason: '中止' } })).statusCode).toBe(200);
    await created(taro.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    expect(count(t.db, 'bookings')).toBe(2);
  });
});

describe('recurring series', () => {
  it("books a member's weekly series, skipping the year-end closure and the moved closing day", async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const res = await post(member.cookie, { ...body('2026-12-22T10:00', '2026-12-22T12:00'), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=4' } });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { created: Booking[]; skipped: { start: string; code: string }[] };
    expect(out.created.map((b) => b.start)).toEqual(['2026-12-22T10:00:00+09:00', '2027-01-05T10:00:00+09:00']);
    expect(out.created.every((b) => b.status === 'confirmed' && b.category === 'registered')).toBe(true);
    // 12/29 is the year-end closure; 1/12 closes because the 2nd Monday (1/11) is 成人の日.
    expect(out.skipped.map(({ start, code }) => ({ start, code }))).toEqual([
      { start: '2026-12-29T10:00:00+09:00', code: 'closed' },
      { start: '2027-01-12T10:00:00+09:00', code: 'closed' },
    ]);
    const series = t.db.$client.prepare('SELECT * FROM booking_series').all() as { id: number; skipped_json: string }[];
    expect(series).toHaveLength(1);
    expect(JSON.parse(series[0]!.skipped_json)).toHaveLength(2);
    const rows = t.db.$client.prepare('SELECT use_date, series_id FROM bookings ORDER BY start_at').all();
    expect(rows).toEqual([{ use_date: '2026-12-22', series_id: series[0]!.id }, { use_date: '2027-01-05', series_id: series[0]!.id }]);
  });

  it('skips a date that is already taken and books the others', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    await created(staff.cookie, body('2026-12-16T11:00', '2026-12-16T13:00', { walkIn: { name: '鈴木 一郎' } }));
    const res = await post(member.cookie, { ...body('2026-12-09T10:00', '2026-12-09T12:00'), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3' } });
    expect(res.statusCode).toBe(201);
    const out = res.json() as { created: Booking[]; skipped: { start: string; code: string }[] };
    expect(out.created).toHaveLength(2);
    expect(out.skipped.map(({ start, code }) => ({ start, code }))).toEqual([{ start: '2026-12-16T10:00:00+09:00', code: 'conflict' }]);
    expect(count(t.db, 'bookings')).toBe(3);
  });

  it("refuses an individual's series with 403", async () => {
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const before = snapshot(t);
    expectProblem(await post(hanako.cookie, { ...body('2026-12-08T10:00', '2026-12-08T12:00'), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=2' } }), 403, 'forbidden');
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses a series of which nothing can be booked, storing neither bookings nor the series', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const before = snapshot(t);
    const res = await post(member.cookie, { ...body('2026-12-29T10:00', '2026-12-29T12:00'), recurrence: { rrule: 'FREQ=DAILY;COUNT=3' } });
    const problem = expectProblem(res, 422, 'validation_failed');
    expect((problem.skipped as { code: string }[]).map((s) => s.code)).toEqual(['closed', 'closed', 'closed']);
    expect(snapshot(t)).toEqual(before);
    expect(count(t.db, 'booking_series')).toBe(0);
  });

  it.each([
    ['an unknown frequency', 'FREQ=HOURLY;COUNT=3'],
    ['a nonsense weekday', 'FREQ=WEEKLY;BYDAY=XX'],
    ['a first date outside the rule', 'FREQ=WEEKLY;BYDAY=MO;COUNT=2'],
    ['garbage', 'every tuesday'],
  ])('refuses %s in the rrule with 422', async (_what, rrule) => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const before = snapshot(t);
    const problem = expectProblem(await post(member.cookie, { ...body('2026-12-22T10:00', '2026-12-22T12:00'), recurrence: { rrule } }), 422, 'validation_failed');
    expect(problem.errors?.[0]?.path).toBe('recurrence.rrule');
    expect(snapshot(t)).toEqual(before);
  });

  it('lets staff book a series for a walk-in', async () => {
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const res = await post(staff.cookie, { ...body('2026-12-09T18:00', '2026-12-09T20:00', { walkIn: { name: '鈴木 一郎' } }), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=2' } });
    expect(res.statusCode).toBe(201);
    expect((res.json() as { created: Booking[] }).created.map((b) => b.channel)).toEqual(['desk', 'desk']);
    expect(count(t.db, 'bookings')).toBe(2);
  });
});

describe('GET /bookings and /bookings/{id}', () => {
  async function scene() {
    const groupId = makeGroup(t);
    const otherGroup = makeGroup(t, '別の会');
    const hanako = await user(t, 'individual', 'hanako@example.jp');
    const taro = await user(t, 'individual', 'taro@example.jp');
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const member2 = await user(t, 'member', 'kaiin2@example.jp', { groupId });
    const outsider = await user(t, 'member', 'yoso@example.jp', { groupId: otherGroup });
    const staff = await user(t, 'staff', 'madoguchi@example.jp');
    const mine = await created(hanako.cookie, body('2026-12-10T10:00', '2026-12-10T12:00'));
    const theirs = await created(taro.cookie, body('2026-12-11T10:00', '2026-12-11T12:00'));
    const groups = await created(member.cookie, body('2026-12-12T10:00', '2026-12-12T12:00'));
    return { hanako, taro, member, member2, outsider, staff, mine, theirs, groups };
  }
  const list = (cookie: string, query = 'from=2026-12-01&to=2026-12-31') => call(t, 'GET', `/api/v1/bookings?${query}`, { cookie });
  const ids = (res: { json(): unknown }) => (res.json() as Booking[]).map((b) => b.id);

  it("lists an individual's own bookings, a member's group's, and everything for staff", async () => {
    const s = await scene();
    expect(ids(await list(s.hanako.cookie))).toEqual([s.mine.id]);
    expect(ids(await list(s.taro.cookie))).toEqual([s.theirs.id]);
    // Another member of the same group sees what a fellow member booked.
    expect(ids(await list(s.member2.cookie))).toEqual([s.groups.id]);
    expect(ids(await list(s.outsider.cookie))).toEqual([]);
    expect(ids(await list(s.staff.cookie))).toEqual([s.mine.id, s.theirs.id, s.groups.id]);
  });

  it('filters by use date, from and to both included, and by space', async () => {
    const s = await scene();
    expect(ids(await list(s.staff.cookie, 'from=2026-12-10&to=2026-12-11'))).toEqual([s.mine.id, s.theirs.id]);
    expect(ids(await list(s.staff.cookie, 'from=2026-12-11&to=2026-12-11'))).toEqual([s.theirs.id]);
    expect(ids(await list(s.staff.cookie, 'from=2026-12-13&to=2026-12-31'))).toEqual([]);
    expect(ids(await list(s.staff.cookie, 'from=2026-12-01&to=2026-12-31&space=small-1'))).toHaveLength(3);
    expect(ids(await list(s.staff.cookie, 'from=2026-12-01&to=2026-12-31&space=hall'))).toEqual([]);
  });

  it('lists bookings of every status', async () => {
    const s = await scene();
    expect((await call(t, 'POST', `/api/v1/bookings/${s.mine.id}/cancel`, { cookie: s.hanako.cookie })).statusCode).toBe(200);
    const listed = (await list(s.hanako.cookie)).json() as Booking[];
    expect(listed.map((b) => [b.id, b.status])).toEqual([[s.mine.id, 'cancelled']]);
  });

  it.each([
    ['no dates', ''],
    ['an impossible date', 'from=2026-02-30&to=2026-03-01'],
    ['from after to', 'from=2026-12-31&to=2026-12-01'],
  ])('refuses a list query with %s with 422', async (_what, query) => {
    const s = await scene();
    expectProblem(await list(s.staff.cookie, query), 422, 'validation_failed');
  });

  it('refuses the list without a login with 401', async () => {
    expectProblem(await call(t, 'GET', '/api/v1/bookings?from=2026-12-01&to=2026-12-31'), 401, 'unauthenticated');
  });

  it('shows a booking to its owner, the group and staff', async () => {
    const s = await scene();
    expect((await call(t, 'GET', `/api/v1/bookings/${s.mine.id}`, { cookie: s.hanako.cookie })).json()).toMatchObject({ id: s.mine.id, totalYen: 480 });
    expect((await call(t, 'GET', `/api/v1/bookings/${s.groups.id}`, { cookie: s.member2.cookie })).json()).toMatchObject({ id: s.groups.id });
    expect((await call(t, 'GET', `/api/v1/bookings/${s.mine.id}`, { cookie: s.staff.cookie })).json()).toMatchObject({ id: s.mine.id });
  });

  it("answers 404, not 403, for another user's booking on GET, PATCH and cancel, changing nothing", async () => {
    const s = await scene();
    const before = snapshot(t);
    const rowBefore = bookingRow(t, s.mine.id);
    for (const cookie of [s.taro.cookie, s.outsider.cookie]) {
      expectProblem(await call(t, 'GET', `/api/v1/bookings/${s.mine.id}`, { cookie }), 404, 'not_found');
      expectProblem(await call(t, 'PATCH', `/api/v1/bookings/${s.mine.id}`, { cookie, body: { attendees: 3 } }), 404, 'not_found');
      expectProblem(await call(t, 'POST', `/api/v1/bookings/${s.mine.id}/cancel`, { cookie, body: {} }), 404, 'not_found');
    }
    expectProblem(await call(t, 'GET', `/api/v1/bookings/${s.groups.id}`, { cookie: s.hanako.cookie }), 404, 'not_found');
    expectProblem(await call(t, 'POST', `/api/v1/bookings/${s.groups.id}/cancel`, { cookie: s.outsider.cookie }), 404, 'not_found');
    expect(snapshot(t)).toEqual(before);
    expect(bookingRow(t, s.mine.id)).toEqual(rowBefore);
  });

  it.each(['999999', 'abc', '1.5', '-1', '99999999999999999999'])('answers 404 for booking id %s', async (id) => {
    const s = await scene();
    expectProblem(await call(t, 'GET', `/api/v1/bookings/${id}`, { cookie: s.staff.cookie }), 404, 'not_found');
  });
});

describe('recurring series at the edge of the window', () => {
  it.each(['FREQ=WEEKLY;COUNT=4', 'RRULE:COUNT=4;FREQ=WEEKLY', 'FREQ=WEEKLY;UNTIL=20270707'])('reports the dates of a bounded series (%s) that lie beyond the window as skipped', async (rrule) => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    // The registered window reaches 2027-06-30; the 4th Wednesday is 2027-07-07.
    const res = await post(member.cookie, { ...body('2027-06-16T10:00', '2027-06-16T12:00'), recurrence: { rrule } });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { created: Booking[]; skipped: { start: string; code: string }[] };
    expect(out.created.map((b) => b.start)).toEqual(['2027-06-16T10:00:00+09:00', '2027-06-23T10:00:00+09:00', '2027-06-30T10:00:00+09:00']);
    expect(out.skipped.map(({ start, code }) => ({ start, code }))).toEqual([{ start: '2027-07-07T10:00:00+09:00', code: 'window_not_open' }]);
    expect(count(t.db, 'bookings')).toBe(3);
  });

  it('cuts a series without an end at the furthest open window, silently', async () => {
    const groupId = makeGroup(t);
    const member = await user(t, 'member', 'kaiin@example.jp', { groupId });
    const res = await post(member.cookie, { ...body('2027-06-16T10:00', '2027-06-16T12:00'), recurrence: { rrule: 'FREQ=WEEKLY' } });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { created: Booking[]; skipped: unknown[] };
    expect(out.created).toHaveLength(3);
    expect(out.skipped).toEqual([]);
    expect(count(t.db, 'bookings')).toBe(3);
  });
});
