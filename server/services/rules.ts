/**
 * The rules as data (calendar, bands, pricing, windows, life), each section a series of dated
 * versions. A manager schedules a version from today or a later date and withdraws one that has
 * not taken effect; what applies to a booking is the version in force on its use date, and a
 * booking already made keeps the fee it was priced with. Managers only, checked here.
 */
import { z } from 'zod';
import { openingDay } from '../domain/calendar.js';
import { RULE_SECTIONS, type Rules } from '../domain/rules.js';
import { at, fromStored, isClockTime, isDate, toApi, toStored, tokyoDate } from '../domain/time.js';
import { endOf, timeline } from '../domain/versions.js';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError, type FieldError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { liveBookingsFrom } from '../repositories/admin.js';
import { deleteRuleVersion, ruleVersionsOf, upsertRuleVersion, type RuleVersionRow } from '../repositories/versions.js';
import { requireManager, type Actor, type Deps } from './context.js';
import { parseInput } from './validate.js';
import { write } from './transaction.js';

const clock = z.string().refine(isClockTime, 'a time as HH:MM');
// A day that some year has: 02-29 is one, 02-30 or 04-31 never is (the year-end closure from
// 02-30 would have closed the center from March on).
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a day of the year as MM-DD')
  .refine((s) => Number(s.slice(3, 5)) <= DAYS_IN_MONTH[Number(s.slice(0, 2)) - 1]!, 'a day of the year as MM-DD');
const percent = z.number().int().min(0).max(1000);
const days = z.number().int().min(0).max(365);

/** The rules by section, as strict as the domain reads them (domain/rules.ts). */
export const RULE_SCHEMAS = {
  calendar: z.object({
    defaultOpen: clock, defaultClose: clock, closingMondays: z.array(z.number().int().min(1).max(5)).max(5),
    yearEndFrom: monthDay, yearEndTo: monthDay, latestClose: clock,
  }).strict().refine((c) => c.defaultOpen < c.defaultClose && c.defaultClose <= c.latestClose, { message: 'open before close, close no later than the latest close', path: ['defaultClose'] }),
  bands: z.object({ afternoonFrom: clock, eveningFrom: clock }).strict()
    .refine((b) => b.afternoonFrom < b.eveningFrom, { message: 'the afternoon starts before the evening', path: ['eveningFrom'] }),
  pricing: z.object({
    categoryPercent: z.object({ registered: percent, general: percent, admission: percent, commercial: percent }).strict(),
    admissionThresholdYen: z.number().int().min(0).max(1_000_000),
    heatingPercent: z.number().int().min(0).max(100),
    heatingFrom: monthDay, heatingTo: monthDay,
    equipmentMultiplier: z.object({ registered: z.number().int().min(0).max(10), general: z.number().int().min(0).max(10), admission: z.number().int().min(0).max(10), commercial: z.number().int().min(0).max(10) }).strict(),
  }).strict(),
  windows: z.object({
    monthsAhead: z.object({ registered: z.number().int().min(0).max(24), general: z.number().int().min(0).max(24), commercial: z.number().int().min(0).max(24) }).strict(),
    opensAt: clock,
    onlineCutoffDays: days,
  }).strict(),
  life: z.object({
    provisionalDays: days, provisionalDaysBeforeUse: days,
    cancellationTiers: z.array(z.object({ minDaysBefore: days, percent: z.number().int().min(0).max(100) }).strict()).min(1).max(10)
      .refine((tiers) => tiers.some((t) => t.minDaysBefore === 0), 'a tier for the day of use (minDaysBefore 0)'),
    freeChangeDaysBefore: days, noShowAfterMinutes: z.number().int().min(0).max(24 * 60),
    individualProvisionalCap: z.number().int().min(0).max(100),
    // The booking grid is fixed: every stored booking and opening hour lies on it.
    minBookingMinutes: z.number().int().min(30).max(24 * 60).refine((n) => n % 30 === 0, 'a multiple of 30 minutes'),
    gridMinutes: z.literal(30),
    seriesMaxMonths: z.number().int().min(1).max(24),
  }).strict(),
} as const satisfies Record<(typeof RULE_SECTIONS)[number], z.ZodType>;
export type RuleKey = keyof typeof RULE_SCHEMAS;
export const RULE_KEYS = Object.keys(RULE_SCHEMAS) as RuleKey[];

/** The last date a version may start on: dates stay four-digit years that sort as text. */
const LAST_DATE = '2099-12-31';

export const EFFECTIVE_FROM_MESSAGES = {
  date: 'a real date as YYYY-MM-DD',
  past: 'a date from today on',
} as const;

/**
 * The date a new version starts on: today when left out, otherwise a real date from today on.
 * Pushes its problem to `errors` and returns null when there is one.
 */
export function effectiveFromOf(raw: unknown, today: string, errors: FieldError[]): string | null {
  if (raw === undefined || raw === null || raw === '') return today;
  if (typeof raw !== 'string' || !isDate(raw) || raw > LAST_DATE) {
    errors.push({ path: 'effectiveFrom', message: EFFECTIVE_FROM_MESSAGES.date });
    return null;
  }
  if (raw < today) {
    errors.push({ path: 'effectiveFrom', message: EFFECTIVE_FROM_MESSAGES.past });
    return null;
  }
  return raw;
}

export interface RuleVersionView {
  effectiveFrom: string;
  /** The first date the next version takes over, or null while none is scheduled after it. */
  until: string | null;
  value: unknown;
  createdAt: string;
}

export interface RuleSectionView {
  key: RuleKey;
  /** The version in force today. */
  value: unknown;
  effectiveFrom: string | null;
  updatedAt: string | null;
  /** Versions that take effect after today, soonest first. */
  scheduled: RuleVersionView[];
}

export function makeRuleService(deps: Deps) {
  const { db, clock: now, reference } = deps;

  function versionView(rows: RuleVersionRow[], r: RuleVersionRow): RuleVersionView {
    return { effectiveFrom: r.effectiveFrom, until: endOf(rows, r.effectiveFrom), value: JSON.parse(r.valueJson) as unknown, createdAt: toApi(fromStored(r.createdAt)) };
  }

  function sectionView(key: RuleKey, today: string) {
    const rows = ruleVersionsOf(db, key);
    const { current, scheduled, earlier } = timeline(rows, today);
    return {
      key,
      // Through the same merge as bookings read it, so fields the database lacks show their defaults.
      value: reference.rules(today)[key] as unknown,
      effectiveFrom: current?.effectiveFrom ?? null,
      updatedAt: current ? toApi(fromStored(current.createdAt)) : null,
      scheduled: scheduled.map((r) => versionView(rows, r)),
      earlier: earlier.map((r) => versionView(rows, r)),
    };
  }

  function sectionOf(key: string): RuleKey {
    if (!(RULE_KEYS as string[]).includes(key)) throw new NotFoundError('rule section');
    return key as RuleKey;
  }

  return {
    /** Every section: the version in force today and those scheduled. */
    list(actorOrNull: Actor | null): RuleSectionView[] {
      requireManager(actorOrNull);
      const today = tokyoDate(now());
      return RULE_KEYS.map((key) => {
        const { earlier: _earlier, ...view } = sectionView(key, today);
        return view;
      });
    },

    /** One section with its whole history: in force today, scheduled, and earlier. */
    get(actorOrNull: Actor | null, key: string): RuleSectionView & { earlier: RuleVersionView[] } {
      requireManager(actorOrNull);
      return sectionView(sectionOf(key), tokyoDate(now()));
    },

    /**
     * A new version of one section from `effectiveFrom` (today when left out; never a past date),
     * in force until the next version already scheduled after it. Replaces a version starting on
     * the same date. Bookings keep the prices they were made with; a calendar that would close a
     * day or shorten hours under live bookings in its period is refused with the list (close such
     * dates one by one with the closure form, which flags or cancels them).
     */
    set(actorOrNull: Actor | null, key: string, body: unknown) {
      const actor = requireManager(actorOrNull);
      const section = sectionOf(key);
      const today = tokyoDate(now());
      const errors: FieldError[] = [];
      // The date rides along with the section's fields; anything but an object is the schema's to refuse.
      const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
      const { effectiveFrom: rawDate, ...rest } = isObject ? (body as Record<string, unknown>) : {};
      const effectiveFrom = effectiveFromOf(rawDate, today, errors);
      let value: Rules[RuleKey] | undefined;
      try {
        value = parseInput(RULE_SCHEMAS[section], isObject ? rest : body) as Rules[RuleKey];
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(...error.errors);
      }
      if (errors.length > 0 || effectiveFrom === null || value === undefined) throw new ValidationError(errors);
      const from = effectiveFrom;
      const after = value;
      try {
        return write(db, (tx) => {
          const rows = ruleVersionsOf(tx, section);
          const until = endOf(rows, from);
          if (section === 'calendar') {
            const calendar = after as Rules['calendar'];
            const stranded = liveBookingsFrom(tx, from).filter((b) => {
              if (until !== null && b.useDate >= until) return false;
              const day = openingDay(b.useDate, calendar, reference.override(b.useDate));
              return day.closed || !day.open || !day.close
                || fromStored(b.startAt) < at(b.useDate, day.open) || fromStored(b.endAt) > at(b.useDate, day.close);
            });
            if (stranded.length > 0) {
              throw new ConflictError(`${stranded.length} booking(s) would be stranded by this calendar`, stranded.slice(0, 100).map((b) => ({
                bookingId: b.id, start: toApi(fromStored(b.startAt)), end: toApi(fromStored(b.endAt)), status: b.status,
              })));
            }
          }
          const before = reference.rules(from)[section];
          const at0 = toStored(now());
          const { replaced } = upsertRuleVersion(tx, { key: section, effectiveFrom: from, valueJson: JSON.stringify(after), createdBy: actor.id, createdAt: at0 });
          recordAudit(tx, {
            at: at0, actorId: actor.id, action: 'rules.set', entity: 'rules', entityId: section,
            detail: { effectiveFrom: from, until, replacedScheduled: replaced !== undefined, before, after },
          });
          return { key: section, value: after, effectiveFrom: from, until };
        });
      } finally {
        // Even a write later rolled back may have been read into the cache.
        reference.invalidate();
      }
    },

    /** Withdraws a version that has not taken effect yet; one in force or past stays. */
    withdraw(actorOrNull: Actor | null, key: string, effectiveFrom: string): void {
      const actor = requireManager(actorOrNull);
      const section = sectionOf(key);
      try {
        write(db, (tx) => {
          const row = ruleVersionsOf(tx, section).find((r) => r.effectiveFrom === effectiveFrom);
          if (!row) throw new NotFoundError('rule version');
          if (row.effectiveFrom <= tokyoDate(now())) throw new InvalidStateError('a version in force or past stays in the rules');
          deleteRuleVersion(tx, row.id);
          recordAudit(tx, {
            at: toStored(now()), actorId: actor.id, action: 'rules.withdraw', entity: 'rules', entityId: section,
            detail: { effectiveFrom: row.effectiveFrom, value: JSON.parse(row.valueJson) as unknown },
          });
        });
      } finally {
        reference.invalidate();
      }
    },
  };
}

export type RuleService = ReturnType<typeof makeRuleService>;
