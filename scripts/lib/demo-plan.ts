/**
 * What people ask the center for over the demo's months: one-off requests and the groups' series,
 * each with the moment it is made. Nothing here touches the database; the seeder replays the plan
 * through the real services, which refuse what the rules refuse.
 */
import type { DateTime } from 'luxon';
import type { OpeningDay } from '../../server/domain/calendar.js';
import type { Category } from '../../server/domain/rules.js';
import { windowOpensAt } from '../../server/domain/windows.js';
import { DEFAULT_RULES } from '../../server/domain/rules.js';
import { addDays, at, tokyoDate } from '../../server/domain/time.js';
import { COMMERCIAL_PURPOSES, DEMO_GROUPS, PURPOSES, type SeriesPlan } from './demo-data.js';
import type { Random } from './random.js';

export type Booker = 'walkIn' | 'individualOnline' | 'individualDesk' | 'member';

export interface PlannedRequest {
  madeAt: DateTime;
  booker: Booker;
  space: string;
  start: DateTime;
  end: DateTime;
  attendees: number;
  purpose: string;
  use?: { commercial: boolean; admissionFeeYen: number };
  exemption?: { percent: 50 | 100; reason: string };
  /** A daily series (an exhibition over several days) that staff make for a walk-in. */
  rrule?: string;
  /** Equipment borrowed with the room (a loan made with the booking). */
  equipment?: EquipmentItem[];
}

export interface EquipmentItem {
  type: string;
  quantity: number;
}

export interface PlannedSeries {
  madeAt: DateTime;
  groupIndex: number;
  plan: SeriesPlan;
  start: DateTime;
  end: DateTime;
  rrule: string;
}

interface SpaceDemand {
  slug: string;
  kind: keyof typeof PURPOSES;
  /** Mean requests a day: [weekday, weekend or holiday]. */
  perDay: readonly [number, number];
  attendees: readonly [number, number];
  /** Hours by weight. */
  hours: readonly (readonly [number, number])[];
  seasonal?: boolean;
}

// Small rooms are asked for most, the hall least; evenings on weekdays and daytimes at weekends.
const DEMAND: readonly SpaceDemand[] = [
  { slug: 'small-1', kind: 'small', perDay: [5.2, 5.4], attendees: [2, 8], hours: [[1, 3], [1.5, 2], [2, 4], [3, 1]] },
  { slug: 'small-2', kind: 'small', perDay: [5.2, 5.4], attendees: [3, 12], hours: [[1, 2], [1.5, 2], [2, 4], [3, 1]] },
  { slug: 'training-a', kind: 'training', perDay: [3.6, 3.8], attendees: [6, 30], hours: [[1.5, 1], [2, 5], [3, 2]] },
  { slug: 'training-b', kind: 'training', perDay: [3.6, 3.8], attendees: [6, 30], hours: [[1.5, 1], [2, 5], [3, 2]] },
  { slug: 'training', kind: 'training', perDay: [0.9, 1.3], attendees: [20, 60], hours: [[2, 4], [3, 3], [4, 1]] },
  { slug: 'lounge', kind: 'lounge', perDay: [1.2, 1.8], attendees: [5, 40], hours: [[2, 2], [3, 2], [4, 1]] },
  { slug: 'hall', kind: 'hall', perDay: [0.8, 1.8], attendees: [30, 180], hours: [[2, 1], [3, 3], [4, 2]] },
  { slug: 'plaza', kind: 'plaza', perDay: [0.4, 1.6], attendees: [10, 200], hours: [[2, 2], [3, 2], [4, 1]], seasonal: true },
];

const STARTS = {
  morning: ['09:00', '09:30', '10:00', '10:30'],
  afternoon: ['13:00', '13:30', '14:00', '15:00'],
  evening: ['18:00', '18:30', '19:00'],
} as const;

const CLOSE = '22:00';

export interface PlanInput {
  random: Random;
  /**
   * Chooses the equipment of each request. A PRNG of its own, so adding equipment to the demo left
   * the rooms, times and people of every request as they were.
   */
  gear: Random;
  /** The opening days of the range of use dates. */
  days: readonly OpeningDay[];
  rangeStart: string;
  rangeEnd: string;
  now: DateTime;
  inSeason: (slug: string, date: string) => boolean;
}

const isWeekendLike = (d: OpeningDay) => d.holiday !== null || [6, 7].includes(at(d.date, '00:00').weekday);

/** A time of day the desk is open, on the given date, as the moment something is made there. */
function deskTime(random: Random, date: string, online: boolean): DateTime {
  const from = online ? 7 * 60 : 9 * 60 + 15;
  const to = online ? 23 * 60 + 30 : 21 * 60 + 30;
  const minutes = random.int(from, to);
  return at(date, '00:00').plus({ minutes });
}

function categoryOf(r: { booker: Booker; use?: { commercial: boolean } }): Category {
  if (r.use?.commercial) return 'commercial';
  return r.booker === 'member' ? 'registered' : 'general';
}

/**
 * When the request is made: some days before use, at the desk's hours (or any hour online), never
 * before its booking window opened (people book as it opens) and never after `now`. Null when the
 * request would only be made in the future.
 */
function madeAtFor(random: Random, r: Omit<PlannedRequest, 'madeAt'>, leadDays: number, now: DateTime): DateTime | null {
  const online = r.booker === 'individualOnline' || r.booker === 'member';
  let madeAt: DateTime;
  if (leadDays === 0 && r.start.minus({ minutes: 180 }) >= at(tokyoDate(r.start), '09:15')) {
    madeAt = r.start.minus({ minutes: random.int(30, 180) });
  } else {
    leadDays = Math.max(leadDays, 1);
    madeAt = deskTime(random, addDays(tokyoDate(r.start), -leadDays), online);
  }
  const opens = windowOpensAt(tokyoDate(r.start), categoryOf(r), DEFAULT_RULES.windows);
  if (madeAt < opens) madeAt = opens.plus({ minutes: random.int(5, 3 * 24 * 60) });
  if (madeAt >= r.start.minus({ minutes: 30 })) return null;
  return madeAt > now ? null : madeAt;
}

function leadDaysFor(random: Random, booker: Booker, commercial: boolean): number {
  if (commercial) return random.int(3, 28);
  switch (booker) {
    case 'walkIn':
      return random.weighted([[0, 1], [random.int(1, 7), 4], [random.int(8, 21), 4], [random.int(22, 50), 3]]);
    case 'individualDesk':
      return random.weighted([[0, 1], [random.int(1, 14), 3]]);
    case 'individualOnline':
      return random.int(3, 60);
    case 'member':
      return random.int(7, 120);
  }
}

function startFor(random: Random, weekendLike: boolean): string {
  const band = random.weighted(weekendLike
    ? [['morning', 35], ['afternoon', 40], ['evening', 25]] as const
    : [['morning', 28], ['afternoon', 30], ['evening', 42]] as const);
  return random.pick(STARTS[band]);
}

function oneRequest(input: PlanInput, day: OpeningDay, d: SpaceDemand): PlannedRequest | null {
  const { random } = input;
  const weekendLike = isWeekendLike(day);
  const startClock = startFor(random, weekendLike);
  const start = at(day.date, startClock);
  let end = start.plus({ minutes: random.weighted(d.hours) * 60 });
  if (end > at(day.date, CLOSE)) end = at(day.date, CLOSE);
  const [lo, hi] = d.attendees;
  const attendees = Math.min(hi, Math.max(lo, Math.round(lo + (hi - lo) * (random.next() + random.next()) / 2)));
  const commercial = d.kind !== 'plaza' && random.chance(0.03);
  const admission = !commercial && (d.kind === 'hall' || d.kind === 'training') && random.chance(0.12);
  const booker: Booker = random.weighted([['walkIn', 46], ['individualOnline', 20], ['individualDesk', 9], ['member', 25]] as const);
  const base: Omit<PlannedRequest, 'madeAt'> = {
    booker: commercial || admission ? random.weighted([['walkIn', 3], ['individualDesk', 1]] as const) : booker,
    space: d.slug, start, end, attendees,
    purpose: commercial ? random.pick(COMMERCIAL_PURPOSES) : random.pick(PURPOSES[d.kind]!),
  };
  if (commercial) base.use = { commercial: true, admissionFeeYen: 0 };
  if (admission) {
    base.use = { commercial: false, admissionFeeYen: random.pick([500, 1000, 1500, 3000]) };
    base.purpose = random.pick(['演奏会（入場料あり）', '発表会（入場料あり）', '有料講座']);
  }
  // The city's own co-sponsored events are exempted (減免) at the desk.
  if (base.booker === 'walkIn' && !commercial && !admission && random.chance(0.012)) {
    base.exemption = { percent: random.pick([50, 100] as const), reason: '市共催事業' };
    base.purpose = `市共催 ${base.purpose}`;
  }
  const madeAt = madeAtFor(random, base, leadDaysFor(random, base.booker, commercial), input.now);
  if (!madeAt) return null;
  const equipment = equipmentFor(input.gear, base);
  return { ...base, madeAt, ...(equipment.length > 0 ? { equipment } : {}) };
}

const SPACE_KIND = new Map(DEMAND.map((d) => [d.slug, d.kind]));
const SHOWS = /展/;
const MUSIC = /演奏|発表|合唱|ダンス/;
const TALKS = /講演|総会|シンポジウム|上映|説明|講座|研修|セミナー/;

/**
 * What a request borrows with its room, as the center's users do: projectors and screens with the
 * training rooms and for talks in the hall, microphones and the PA set in the hall, the piano and
 * the stage for concerts, panels for exhibitions in the lounge, now and then a whiteboard.
 */
export function equipmentFor(random: Random, r: { space: string; purpose: string; attendees: number }): EquipmentItem[] {
  const out: EquipmentItem[] = [];
  const add = (type: string, quantity: number) => out.push({ type, quantity });
  switch (SPACE_KIND.get(r.space)) {
    case 'training':
      if (random.chance(0.4)) {
        add('projector', r.space === 'training' && r.attendees > 40 && random.chance(0.3) ? 2 : 1);
        if (random.chance(0.75)) add('screen', 1);
      }
      if (r.space === 'training' && random.chance(0.25)) add('wireless-mic', 1);
      if (random.chance(0.15)) add('whiteboard', 1);
      break;
    case 'hall':
      if (MUSIC.test(r.purpose)) {
        if (random.chance(0.7) && !/ダンス/.test(r.purpose)) add('piano', 1);
        if (random.chance(0.35)) add('stage', 1);
        if (random.chance(0.4)) add('wireless-mic', random.int(1, 2));
        if (/ダンス/.test(r.purpose) && random.chance(0.5)) add('portable-pa', 1);
      } else {
        if (TALKS.test(r.purpose) && random.chance(0.65)) {
          add('projector', 1);
          add('screen', 1);
        }
        if (random.chance(0.75)) add('wireless-mic', random.int(1, 2));
        if (random.chance(0.15)) add('stage', 1);
        if (/交流/.test(r.purpose) && random.chance(0.4)) add('panel', random.int(4, 8));
      }
      break;
    case 'lounge':
      if (SHOWS.test(r.purpose)) {
        if (random.chance(0.85)) add('panel', random.int(4, 10));
      } else if (random.chance(0.3)) add('whiteboard', 1);
      break;
    case 'small':
      if (random.chance(0.06)) add('projector', 1);
      if (random.chance(0.12)) add('whiteboard', 1);
      break;
    case 'plaza':
      if (random.chance(0.25)) add('portable-pa', 1);
      break;
  }
  return out;
}

/** The one-off requests for every date of use in the range (a few even for closed days). */
export function planRequests(input: PlanInput): { requests: PlannedRequest[]; notYetMade: number } {
  const { random } = input;
  const requests: PlannedRequest[] = [];
  let notYetMade = 0;
  const push = (r: PlannedRequest | null) => (r ? requests.push(r) : (notYetMade += 1));
  for (const day of input.days) {
    if (day.date < input.rangeStart || day.date > input.rangeEnd) continue;
    const weekendLike = isWeekendLike(day);
    for (const d of DEMAND) {
      if (d.seasonal && !input.inSeason(d.slug, day.date)) continue;
      // Hardly anyone asks for a day the center is closed; some do, and the desk says no.
      const mean = day.closed ? 0.08 : d.perDay[weekendLike ? 1 : 0];
      const n = random.poisson(mean);
      for (let i = 0; i < n; i += 1) push(oneRequest(input, day, d));
    }
    // Now and then an exhibition over several days in the lounge, booked at the desk as a daily series.
    if (!day.closed && random.chance(0.05)) {
      const days = random.int(3, 5);
      const start = at(day.date, '10:00');
      const r: Omit<PlannedRequest, 'madeAt'> = {
        booker: 'walkIn', space: 'lounge', start, end: at(day.date, '17:00'),
        attendees: random.int(10, 40), purpose: random.pick(['写真展', '絵画展', '手芸作品展', '書道展']),
        rrule: `FREQ=DAILY;COUNT=${days}`,
      };
      const made = madeAtFor(random, r, random.int(20, 45), input.now);
      push(made ? { ...r, madeAt: made, equipment: [{ type: 'panel', quantity: input.gear.int(6, 10) }] } : null);
    }
  }
  return { requests, notYetMade };
}

const RRULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function matches(plan: SeriesPlan, date: string): boolean {
  const dt = at(date, '00:00');
  if (dt.weekday !== plan.weekday) return false;
  return plan.nth === undefined || Math.ceil(dt.day / 7) === plan.nth;
}

/**
 * Each group books its series in two runs, as the windows open: the first three months, then the
 * rest, each some five weeks ahead (a registered group's window is six months).
 */
export function planSeries(random: Random, rangeStart: string, rangeEnd: string, secondFrom: string): PlannedSeries[] {
  const out: PlannedSeries[] = [];
  const chunks: [string, string][] = [[rangeStart, addDays(secondFrom, -1)], [secondFrom, rangeEnd]];
  DEMO_GROUPS.forEach((group, groupIndex) => {
    for (const plan of group.series) {
      for (const [from, to] of chunks) {
        if (from > to) continue;
        let first = from;
        while (first <= to && !matches(plan, first)) first = addDays(first, 1);
        if (first > to) continue;
        const day = RRULE_DAYS[plan.weekday - 1]!;
        const byDay = plan.nth === undefined ? day : `${plan.nth}${day}`;
        const freq = plan.nth === undefined ? 'WEEKLY' : 'MONTHLY';
        const interval = plan.interval ? `;INTERVAL=${plan.interval}` : '';
        const madeAt = deskTime(random, addDays(from, -random.int(30, 45)), plan.online);
        out.push({
          madeAt, groupIndex, plan,
          start: at(first, plan.start), end: at(first, plan.end),
          rrule: `FREQ=${freq};BYDAY=${byDay}${interval};UNTIL=${to.replaceAll('-', '')}`,
        });
      }
    }
  });
  return out;
}
