/**
 * `npm run seed:demo`: adds a realistic demo to the database at DATABASE_PATH (API.md, "Running").
 *
 * The demo is not written as rows: it replays months of desk and online work in time order through
 * the real services, with a clock moved to each moment, so every rule (windows, quotas, opening
 * days, conflicts, fees, expiry, no-shows) applies exactly as it would have. What the rules refuse
 * is skipped and counted. The same `now` always gives the same demo (a seeded PRNG).
 *
 * Equipment goes the same way: borrowed with bookings (a loan in the booking's transaction), taken
 * out by registered groups (lib/demo-loans.ts), checked out at the desk when people come and back
 * as they leave, so the loans, their tagged units and the units' states always agree. Told the
 * equipment is taken, people keep the room with what is free.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import { openDatabase, migrateDatabase, type Db } from '../db/client.js';
import { accounts, groups, registrations } from '../db/schema.js';
import { readConfig, type Config } from '../server/config.js';
import { ProblemError } from '../server/errors.js';
import { inSeason } from '../server/domain/calendar.js';
import { ZONE, addDays, at, fiscalYear, fiscalYearEnd, toApi, toStored, tokyoDate } from '../server/domain/time.js';
import { recordAudit } from '../server/repositories/audit.js';
import { findLoan, loansOfBooking, unitsOfLoans } from '../server/repositories/loans.js';
import { loadSpaces } from '../server/repositories/reference.js';
import type { BookingView } from '../server/services/booking-view.js';
import type { Actor } from '../server/services/context.js';
import { makeServices, type Services } from '../server/services/index.js';
import { ensureReferenceData } from '../server/services/reference.js';
import { hashPassword } from '../server/services/secrets.js';
import { DEMO_GROUPS, DEMO_MARKER_GROUP, person, type Person } from './lib/demo-data.js';
import { assessCase, openDay, planTakeouts, settleCase, unitRepaired, type PlannedTakeout, type TakeoutFate } from './lib/demo-loans.js';
import { DEMO_OPINIONS, publishOpinion } from './lib/demo-opinions.js';
import { planRequests, planSeries, type EquipmentItem, type PlannedRequest, type PlannedSeries } from './lib/demo-plan.js';
import { EventQueue } from './lib/event-queue.js';
import { formatSummary, summarize, type SeedSummary } from './lib/demo-summary.js';
import { Random } from './lib/random.js';

/** Every demo account shares this password; the demo is for trying Hiroba out, never for real data. */
export const DEMO_PASSWORD = 'hiroba-demo-2026';
export const DEMO_STAFF_EMAIL = 'staff@hiroba.local';
const DEMO_SEED = 20260401;
/** The equipment's own PRNG (demo-plan.ts, PlanInput.gear). */
const GEAR_SEED = 0x6ea7;
const INDIVIDUALS = 30;
/** Demo accounts are hashed at a low scrypt cost: 17 would take ~10 s for the demo's accounts alone. */
const DEMO_SCRYPT_LOG_N = 14;

export type { SeedSummary };
export type SeedResult = { seeded: false; reason: string } | { seeded: true; summary: SeedSummary };

type DemoEvent =
  | { kind: 'request'; request: PlannedRequest }
  | { kind: 'series'; series: PlannedSeries }
  | { kind: 'pay'; bookingId: number }
  | { kind: 'cancel'; bookingId: number; actor: Actor; reason: string; facilityCaused: boolean }
  | { kind: 'checkIn'; bookingId: number; attendees: number }
  | { kind: 'takeout'; takeout: PlannedTakeout }
  /** The desk hands out a loan's units: a take-out's, or those of a booking's loans. */
  | { kind: 'loanOut'; loanId?: number; bookingId?: number; pickedUpBy?: string }
  /** And takes them back, one perhaps damaged. */
  | { kind: 'loanBack'; loanId?: number; bookingId?: number; damage?: Extract<TakeoutFate, { kind: 'damaged' }> }
  | { kind: 'caseAssess'; caseId: number; costYen: number; note: string }
  | { kind: 'caseSettle'; caseId: number }
  | { kind: 'unitRepaired'; caseId: number }
  | { kind: 'periodic' };

const CANCEL_REASONS = ['都合により中止', '参加者が集まらないため', '日程変更のため', '講師の体調不良のため', '台風接近のため'];

function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/**
 * What a borrower does when told the equipment is not to be had: borrows what is free (none of it
 * while their borrowing is suspended) and keeps the room. Null when the refusal was not about
 * equipment.
 */
function withLessEquipment(body: Record<string, unknown>, err: ProblemError): Record<string, unknown> | null {
  const items = body.equipment as EquipmentItem[] | undefined;
  if (!items || items.length === 0) return null;
  if (err.code === 'borrowing_suspended') return { ...body, equipment: [] };
  if (err.code !== 'conflict') return null;
  const short = ((err.extra.conflicts ?? []) as { equipment?: string; available?: number }[]).filter((c) => c.equipment !== undefined);
  if (short.length === 0) return null;
  const left = items
    .map((i) => ({ ...i, quantity: Math.min(i.quantity, short.find((c) => c.equipment === i.type)?.available ?? i.quantity) }))
    .filter((i) => i.quantity > 0);
  return { ...body, equipment: left };
}

/** The demo's marker: its first group, or its staff account. */
export function hasDemo(db: Db): boolean {
  return db.select({ id: groups.id }).from(groups).where(eq(groups.name, DEMO_MARKER_GROUP)).get() !== undefined
    || db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, DEMO_STAFF_EMAIL)).get() !== undefined;
}

/**
 * Adds the demo to `db` (migrating it and adding reference data first) as of `now`: the three
 * months before it and the three after. Refuses, storing nothing, when a demo is already there.
 */
export async function seedDemo(db: Db, opts: { now: DateTime; config: Config; seed?: number }): Promise<SeedResult> {
  const started = Date.now();
  const now = opts.now.setZone(ZONE);
  migrateDatabase(db);
  ensureReferenceData(db, toStored(now));
  if (hasDemo(db)) return { seeded: false, reason: `a demo is already in this database (group ${DEMO_MARKER_GROUP})` };

  const random = new Random(opts.seed ?? DEMO_SEED);
  const gear = new Random((opts.seed ?? DEMO_SEED) ^ GEAR_SEED);
  const today = tokyoDate(now);
  const rangeStart = now.minus({ months: 3 }).startOf('month').toISODate()!;
  const rangeEnd = tokyoDate(now.plus({ months: 3 }));
  const secondRun = now.startOf('month').toISODate()!;
  const config: Config = { ...opts.config, scryptLogN: Math.min(opts.config.scryptLogN, DEMO_SCRYPT_LOG_N) };
  let current = now;
  const services = makeServices({ db, clock: () => current, config });

  const series = planSeries(random, rangeStart, rangeEnd, secondRun);
  const spaceRows = loadSpaces(db, rangeStart);
  const days = services.spaces.calendar({ from: rangeStart, to: rangeEnd });
  const { requests } = planRequests({
    random, gear, rangeStart, rangeEnd, now, days,
    inSeason: (slug, date) => inSeason(date, spaceRows.find((s) => s.slug === slug)!),
  });
  const takeouts = planTakeouts(gear, days, now);
  // The replay starts the day before the first request was made (a group's, up to six months ahead).
  const setupAt = [...series, ...requests, ...takeouts].reduce((min, r) => (r.madeAt < min ? r.madeAt : min), now).startOf('day').minus({ days: 1 }).plus({ hours: 9 });
  current = setupAt;

  // People: the desk's staff, the groups with their members, and individuals with accounts.
  const sharedHash = await hashPassword(DEMO_PASSWORD, config.scryptLogN);
  const setupIso = toStored(setupAt);
  const staff = ['中村 由美', '高橋 誠'].map((name, i) => {
    const email = i === 0 ? DEMO_STAFF_EMAIL : `staff${i + 1}@hiroba.local`;
    const id = db.insert(accounts).values({ role: 'staff', name, email, phone: '045-000-0000', passwordHash: sharedHash, createdAt: setupIso })
      .returning({ id: accounts.id }).get().id;
    return { id, role: 'staff', name, groupId: null, isRepresentative: false } satisfies Actor;
  });
  const staffActor = staff[0]!;
  const validUntil = fiscalYearEnd(fiscalYear(today) + (today.slice(5, 7) === '03' ? 1 : 0));
  let personNo = 0;
  const groupMembers: Actor[][] = DEMO_GROUPS.map((g) => {
    const groupId = db.insert(groups).values({
      name: g.name, kana: g.kana, type: g.type, status: 'active', validUntil, memberCount: g.memberCount,
      fields: JSON.stringify(g.fields), description: g.description, publicProfile: g.publicProfile, phone: person(random, 0).phone, createdAt: setupIso,
    }).returning({ id: groups.id }).get().id;
    // Registered at the desk and approved (no manager exists before the first start, so none is named).
    db.insert(registrations).values({
      groupId, kind: 'new', status: 'approved', channel: 'desk', memberCount: g.memberCount, fields: JSON.stringify(g.fields),
      description: g.description, publicProfile: g.publicProfile, attestedAt: setupIso, submittedBy: staffActor.id, submittedAt: setupIso,
      decidedAt: setupIso, validUntil,
    }).run();
    return [true, false].map((isRepresentative) => {
      const p = person(random, ++personNo);
      const id = db.insert(accounts).values({
        role: 'member', name: p.name, email: p.email, phone: p.phone, passwordHash: sharedHash, groupId, isRepresentative, createdAt: setupIso,
      }).returning({ id: accounts.id }).get().id;
      return { id, role: 'member', name: p.name, groupId, isRepresentative } satisfies Actor;
    });
  });
  const individuals: (Actor & Person)[] = [];
  for (let i = 0; i < INDIVIDUALS; i += 1) {
    const p = person(random, ++personNo);
    const { id } = await services.auth.createIndividual({ ...p, password: DEMO_PASSWORD });
    individuals.push({ ...p, id, role: 'individual', groupId: null, isRepresentative: false });
  }

  // The months, replayed in time order.
  const queue = new EventQueue<DemoEvent>();
  const schedule = (t: DateTime, event: DemoEvent) => {
    if (t <= now && t >= current) queue.push(t.toMillis(), event);
  };
  for (const request of requests) schedule(request.madeAt, { kind: 'request', request });
  for (const s of series) schedule(s.madeAt, { kind: 'series', series: s });
  for (const takeout of takeouts) schedule(takeout.madeAt, { kind: 'takeout', takeout });
  for (let d = tokyoDate(setupAt); d <= today; d = addDays(d, 1)) schedule(at(d, '22:05'), { kind: 'periodic' });

  const refused: Record<string, number> = {};
  const followUpsSkipped: Record<string, number> = {};
  /** Check-outs the desk could not make (the units were not back yet, or the pool shrank). */
  const loanFollowUpsSkipped: Record<string, number> = {};
  let requestCount = 0;
  let booked = 0;
  let seriesOccurrences = 0;
  let takeoutCount = 0;

  /** What happens to a booking after it is made: payment at the desk, perhaps a cancellation, then use. */
  function followUps(b: BookingView, owner: Actor, inSeries: boolean): void {
    const start = DateTime.fromISO(b.start, { zone: ZONE });
    const made = current;
    if (b.status === 'provisional' && b.totalYen > 0 && b.deadline) {
      const deadline = DateTime.fromISO(b.deadline, { zone: ZONE });
      const r = random.next();
      if (b.channel === 'desk' && r < 0.65) {
        schedule(made.plus({ minutes: 2 }), { kind: 'pay', bookingId: b.id });
      } else if (r < 0.95) {
        let t = made.plus({ milliseconds: random.next() * Math.max(0, deadline.diff(made).toMillis() - 30 * 60_000) });
        if (t.hour < 9 || t.hour >= 21) t = at(tokyoDate(t), '10:00').plus({ minutes: random.int(0, 600) });
        if (t <= made || t >= deadline) t = deadline.minus({ minutes: 20 });
        if (t > made) schedule(t, { kind: 'pay', bookingId: b.id });
      } // else: never paid, and it expires.
    } else if (b.status === 'confirmed' && b.paymentStatus === 'unpaid' && random.chance(0.88)) {
      schedule(start.minus({ minutes: 20 }), { kind: 'pay', bookingId: b.id });
    }
    if (random.chance(inSeries ? 0.03 : 0.07)) {
      const span = start.minus({ hours: 2 }).diff(made.plus({ hours: 1 })).toMillis();
      if (span > 0) {
        const facilityCaused = owner.role === 'staff' && random.chance(0.08);
        schedule(made.plus({ hours: 1, milliseconds: random.next() * span }), {
          kind: 'cancel', bookingId: b.id, actor: owner, facilityCaused,
          reason: facilityCaused ? '設備点検のため（施設都合）' : random.pick(CANCEL_REASONS),
        });
      }
    }
    if (random.chance(0.94)) {
      const attendees = Math.max(0, Math.round(b.attendees * (0.7 + random.next() * 0.35)));
      schedule(start.minus({ minutes: random.int(0, 15) }), { kind: 'checkIn', bookingId: b.id, attendees });
      // Those who came pick their equipment up at the desk and bring it back as they leave.
      if (b.equipment.length > 0) {
        const end = DateTime.fromISO(b.end, { zone: ZONE });
        schedule(start.plus({ minutes: gear.int(0, 5) }), { kind: 'loanOut', bookingId: b.id });
        schedule(end.minus({ minutes: gear.int(1, 10) }), { kind: 'loanBack', bookingId: b.id });
      }
    }
  }

  /** Makes a booking; told the equipment is taken (or their borrowing suspended), people book the room with what is free. */
  function book(actor: Actor, body: Record<string, unknown>): ReturnType<Services['bookings']['create']> {
    try {
      return services.bookings.create(actor, body);
    } catch (err) {
      const less = err instanceof ProblemError ? withLessEquipment(body, err) : null;
      if (!less) throw err;
      bump(refused, `equipment ${(err as ProblemError).code}`);
      return book(actor, less);
    }
  }

  /** A take-out: on a conflict a movable one goes to the next open day, and in the end any takes what is free. */
  function takeout(p: PlannedTakeout): void {
    const members = groupMembers[p.groupIndex]!;
    const actor = p.online ? gear.pick(members) : staffActor;
    let { start, end, items } = p;
    for (let tries = 0; tries < 8 && items.length > 0; tries += 1) {
      try {
        const body = { ...(p.online ? {} : { groupId: members[0]!.groupId! }), start: toApi(start), end: toApi(end), items };
        const { id } = services.loans.create(actor, body);
        takeoutCount += 1;
        const who = gear.pick(members).name;
        schedule(start.plus({ minutes: gear.int(0, 20) }), { kind: 'loanOut', loanId: id, pickedUpBy: who });
        if (p.fate.kind !== 'overdue') {
          schedule(end.minus({ minutes: gear.int(5, 30) }), { kind: 'loanBack', loanId: id, ...(p.fate.kind === 'damaged' ? { damage: p.fate } : {}) });
        }
        return;
      } catch (err) {
        if (!(err instanceof ProblemError)) throw err;
        bump(refused, `takeout ${err.code}`);
        if (err.code !== 'conflict') return;
        // A few days later first; then with what is free.
        const nextStart = p.movable && tries < 4 ? openDay(days, addDays(tokyoDate(start), 1)) : null;
        const nextEnd = nextStart ? openDay(days, addDays(nextStart, Math.round(end.diff(start, 'days').days))) : null;
        if (nextStart && nextEnd && addDays(nextStart, 6) >= nextEnd) {
          start = at(nextStart, '10:00');
          end = at(nextEnd, '17:00');
        } else {
          items = (withLessEquipment({ equipment: items }, err)?.equipment ?? []) as EquipmentItem[];
        }
      }
    }
  }

  function created(result: ReturnType<Services['bookings']['create']>, owner: Actor): void {
    if ('created' in result) {
      booked += result.created.length;
      seriesOccurrences += result.created.length;
      for (const s of result.skipped) bump(refused, s.code);
      for (const b of result.created) followUps(b, owner, true);
    } else {
      booked += 1;
      followUps(result, owner, false);
    }
  }

  /** A free time of the same length on the same day and space, on the 30-minute grid, or null. */
  function otherTime(r: PlannedRequest): { start: DateTime; end: DateTime } | null {
    const minutes = r.end.diff(r.start, 'minutes').minutes;
    const free = services.spaces.availability({ space: r.space, date: tokyoDate(r.start) }).free;
    const starts: DateTime[] = [];
    const earliest = current.plus({ minutes: 30 });
    for (const f of free) {
      const end = DateTime.fromISO(f.end, { zone: ZONE });
      for (let t = DateTime.fromISO(f.start, { zone: ZONE }); t.plus({ minutes }) <= end; t = t.plus({ minutes: 30 })) {
        if (t >= earliest && t.minute % 30 === 0) starts.push(t);
      }
    }
    if (starts.length === 0) return null;
    const start = random.pick(starts);
    return { start, end: start.plus({ minutes }) };
  }

  function attempt(action: () => void, counts: Record<string, number>): void {
    try {
      action();
    } catch (err) {
      // A refusal by the rules is part of the demo; anything else is a real failure.
      if (err instanceof ProblemError) bump(counts, err.code);
      else throw err;
    }
  }

  for (let e = queue.pop(); e !== undefined; e = queue.pop()) {
    current = DateTime.fromMillis(e.at, { zone: ZONE });
    const event = e.item;
    switch (event.kind) {
      case 'request': {
        requestCount += 1;
        const r = event.request;
        const body: Record<string, unknown> = {
          space: r.space, start: toApi(r.start), end: toApi(r.end), purpose: r.purpose, attendees: r.attendees,
          ...(r.use ? { use: r.use } : {}), ...(r.exemption ? { exemption: r.exemption } : {}),
          ...(r.rrule ? { recurrence: { rrule: r.rrule } } : {}),
        };
        let actor: Actor = staffActor;
        if (r.booker === 'walkIn') {
          const p = person(random, 0);
          body.walkIn = { name: p.name, phone: p.phone };
        } else if (r.booker === 'individualDesk') {
          body.accountId = random.pick(individuals).id;
        } else if (r.booker === 'individualOnline') {
          const { id, role, name, groupId, isRepresentative } = random.pick(individuals);
          actor = { id, role, name, groupId, isRepresentative };
        } else {
          actor = random.pick(random.pick(groupMembers));
        }
        const owner = actor.role === 'individual' || actor.role === 'member' ? actor : staffActor;
        if (r.equipment) body.equipment = r.equipment;
        try {
          created(book(actor, body), owner);
        } catch (err) {
          if (!(err instanceof ProblemError)) throw err;
          bump(refused, err.code);
          // Told the room is taken, most people take another free time that day (the desk offers one).
          const other = err.code === 'conflict' && !r.rrule && random.chance(0.8) ? otherTime(r) : null;
          if (other) {
            requestCount += 1;
            attempt(() => created(book(actor, { ...body, start: toApi(other.start), end: toApi(other.end) }), owner), refused);
          }
        }
        break;
      }
      case 'series': {
        requestCount += 1;
        const { plan, groupIndex, start, end, rrule } = event.series;
        const members = groupMembers[groupIndex]!;
        const actor = plan.online ? members[0]! : staffActor;
        const body = {
          space: plan.space, start: toApi(start), end: toApi(end), purpose: plan.purpose, attendees: plan.attendees,
          recurrence: { rrule }, ...(plan.online ? {} : { groupId: members[0]!.groupId! }),
          ...(plan.equipment ? { equipment: plan.equipment } : {}),
        };
        attempt(() => created(book(actor, body), actor), refused);
        break;
      }
      case 'pay': {
        // What is owed now: the fee of a live booking, or the charge of one cancelled meanwhile.
        const clerk = random.pick(staff);
        const b = services.bookings.get(clerk, event.bookingId);
        const live = b.status === 'provisional' || b.status === 'confirmed';
        const owed = live ? b.totalYen - b.paidYen : b.status === 'cancelled' ? (b.cancellationFeeYen ?? 0) - b.paidYen : 0;
        if (owed > 0) attempt(() => services.bookingLife.pay(clerk, event.bookingId, { amountYen: owed, method: 'cash' }), followUpsSkipped);
        else bump(followUpsSkipped, 'nothing_owed');
        break;
      }
      case 'cancel':
        attempt(() => services.bookingLife.cancel(event.actor, event.bookingId, { reason: event.reason, facilityCaused: event.facilityCaused }), followUpsSkipped);
        break;
      case 'checkIn':
        attempt(() => services.bookingLife.checkIn(random.pick(staff), event.bookingId, { attendees: event.attendees }), followUpsSkipped);
        break;
      case 'takeout':
        takeout(event.takeout);
        break;
      case 'loanOut': {
        const clerk = gear.pick(staff);
        // Which loans are the booking's is read straight from the table: the service's list view costs
        // a few queries more, on hundreds of bookings.
        const ids = event.loanId !== undefined ? [event.loanId]
          : loansOfBooking(db, event.bookingId!).filter((l) => l.status === 'reserved').map((l) => l.id);
        for (const id of ids) {
          attempt(() => services.loans.checkout(clerk, id, event.pickedUpBy ? { pickedUpBy: event.pickedUpBy } : {}), loanFollowUpsSkipped);
        }
        break;
      }
      case 'loanBack': {
        const clerk = gear.pick(staff);
        const out = event.loanId !== undefined ? [findLoan(db, event.loanId)!] : loansOfBooking(db, event.bookingId!);
        for (const loan of out.filter((l) => l.status === 'checked_out')) {
          const units = unitsOfLoans(db, [loan.id]).filter((u) => u.returnedAt === null);
          // The damaged unit is one of the story's type, or (the take-out got less than it asked) its first.
          const broken = event.damage ? (units.find((u) => u.type === event.damage!.type) ?? units[0]) : undefined;
          const body = { units: units.map((u) => (u === broken ? { tag: u.tag, condition: 'damaged' as const, note: event.damage!.note } : { tag: u.tag, condition: 'ok' as const })) };
          const { damageCases: opened } = services.loans.return(clerk, loan.id, body);
          const fate = event.damage?.case;
          if (fate?.kind === 'settled' && opened[0] !== undefined) {
            const day = (n: number, clock: string) => at(addDays(tokyoDate(current), n), clock).plus({ minutes: gear.int(0, 120) });
            schedule(day(fate.assessAfterDays, '11:00'), { kind: 'caseAssess', caseId: opened[0], costYen: fate.costYen, note: fate.assessmentNote });
            schedule(day(fate.repairedAfterDays, '14:00'), { kind: 'unitRepaired', caseId: opened[0] });
            schedule(day(fate.settleAfterDays, '10:00'), { kind: 'caseSettle', caseId: opened[0] });
          }
        }
        break;
      }
      case 'caseAssess':
        assessCase(db, event.caseId, { costYen: event.costYen, liable: true, note: event.note }, current);
        break;
      case 'caseSettle':
        settleCase(db, event.caseId, current);
        break;
      case 'unitRepaired':
        unitRepaired(db, event.caseId, current);
        break;
      case 'periodic':
        services.bookingLife.runPeriodic(current);
        break;
    }
  }

  // The opinion box: sent, taken up and answered through the opinion service, step by step in time order.
  const opinionSteps: { at: DateTime; run: () => void }[] = [];
  DEMO_OPINIONS.forEach((o, i) => {
    const sentAt = at(addDays(today, -o.daysAgo), `${String(o.hour).padStart(2, '0')}:00`).plus({ minutes: (i * 17) % 60 });
    if (sentAt > now) return;
    const clerk = staff[i % staff.length]!;
    let id = 0;
    opinionSteps.push({
      at: sentAt,
      run: () => {
        // The address only feeds the service's in-memory rate limit: nothing of it is stored.
        id = services.opinions.submit({ category: o.category, body: o.body, ...(o.contact ? { contact: o.contact } : {}) }, 'demo').id;
      },
    });
    const fate = o.fate;
    if (fate.kind === 'new') return;
    const step = (days: number, hour: number, run: () => void) => {
      const t = at(addDays(tokyoDate(sentAt), days), `${String(hour).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`);
      if (t > sentAt && t <= now) opinionSteps.push({ at: t, run });
    };
    step(1, 10, () => services.opinions.setStatus(clerk, id, { status: 'in_review' }));
    const draft = fate.kind === 'published' ? fate.answer : fate.draft;
    step(2, 15, () => services.opinions.answer(clerk, id, { answer: draft }));
    if (fate.kind === 'published') step(5, 11, () => publishOpinion(db, id, { answer: fate.answer, ...(fate.publishedBody ? { publishedBody: fate.publishedBody } : {}) }, current));
    if (fate.kind === 'closed') step(4, 14, () => services.opinions.setStatus(clerk, id, { status: 'closed' }));
  });
  opinionSteps.sort((a, b) => a.at.toMillis() - b.at.toMillis());
  for (const s of opinionSteps) {
    current = s.at;
    s.run();
  }

  current = now;
  services.bookingLife.runPeriodic(now);

  db.transaction((tx) => {
    recordAudit(tx, { at: toStored(now), actorId: staffActor.id, action: 'demo.seed', entity: 'database', entityId: null, detail: { from: rangeStart, to: rangeEnd, booked } });
  }, { behavior: 'immediate' });

  const summary = summarize(db, rangeStart, rangeEnd, toStored(now));
  return {
    seeded: true,
    summary: {
      from: rangeStart, to: rangeEnd, groups: DEMO_GROUPS.length,
      accounts: { staff: staff.length, members: groupMembers.flat().length, individuals: individuals.length },
      requests: requestCount, booked, seriesOccurrences, takeouts: takeoutCount, refused, followUpsSkipped, loanFollowUpsSkipped,
      ...summary,
      staff: { email: DEMO_STAFF_EMAIL, password: DEMO_PASSWORD },
      elapsedMs: Date.now() - started,
    },
  };
}

async function main(): Promise<void> {
  const config = readConfig();
  const db = openDatabase(config.databasePath);
  try {
    const result = await seedDemo(db, { now: DateTime.now().setZone(ZONE), config }).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n${config.databasePath} may now hold part of a demo: seed a fresh DATABASE_PATH.`);
    });
    if (!result.seeded) {
      console.log(`Nothing done: ${result.reason}.`);
      return;
    }
    console.log(`${config.databasePath}\n${formatSummary(result.summary)}`);
  } finally {
    db.$client.close();
  }
}

// Run only as a script: importing seedDemo (the tests, the bench) must not seed anything.
const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === realpathSync(fileURLToPath(import.meta.url))) {
  main().catch((err: unknown) => {
    console.error('seed:demo failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
