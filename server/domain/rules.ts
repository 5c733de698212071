import { inForceOn } from './versions.js';

/**
 * The center's rules as plain data. Every number here is a default a manager can edit; services
 * load the current values from the database and pass them to the pure domain functions.
 */

export type Category = 'registered' | 'general' | 'commercial';
export type Channel = 'desk' | 'online';
export type BookingStatus = 'provisional' | 'confirmed' | 'cancelled' | 'expired';
export type PaymentStatus = 'unpaid' | 'paid' | 'refunded' | 'exempt';
export type Attendance = 'expected' | 'checked_in' | 'no_show';
export type Band = 'morning' | 'afternoon' | 'evening';
/** What a booking is charged as (step 2 of the fee): the highest that applies. */
export type RateKind = 'registered' | 'general' | 'admission' | 'commercial';

export interface CalendarRules {
  defaultOpen: string; // "09:00"
  defaultClose: string; // "22:00"
  /** Which Mondays of a month are regular closing days (定例休館日). */
  closingMondays: readonly number[]; // [2, 4]
  yearEndFrom: string; // "12-29" (MM-DD)
  yearEndTo: string; // "01-03" (MM-DD)
  /** The latest a manager may extend a day to. */
  latestClose: string; // "23:00"
}

export interface BandRules {
  afternoonFrom: string; // "12:00"
  eveningFrom: string; // "18:00"
}

export interface PricingRules {
  categoryPercent: Record<RateKind, number>; // registered 50, general 100, admission 150, commercial 300
  /** Admission up to this a person is 150%; above it, 300%. */
  admissionThresholdYen: number; // 2000
  heatingPercent: number; // 20
  heatingFrom: string; // "11-01" (MM-DD)
  heatingTo: string; // "04-30" (MM-DD)
  /** Multiplier of an equipment item's listed fee by rate kind. */
  equipmentMultiplier: Record<RateKind, number>; // registered 0, general 1, admission 1, commercial 3
}

export interface WindowRules {
  /** Months before the month of use at which booking opens, by category. */
  monthsAhead: Record<Category, number>; // registered 6, general 3, commercial 1
  opensAt: string; // "09:00" on the 1st
  /** Individuals book online until this many days before use. */
  onlineCutoffDays: number; // 3
}

export interface LifeRules {
  /** A provisional booking must be paid within this many days of being made... */
  provisionalDays: number; // 7
  /** ...and by the day before use (days before use). */
  provisionalDaysBeforeUse: number; // 1
  /** Cancellation tiers: charge `percent` when cancelled at least `minDaysBefore` days before use. Sorted by minDaysBefore descending; the last has 0. */
  cancellationTiers: readonly { minDaysBefore: number; percent: number }[]; // [{7,0},{1,50},{0,100}]
  /** A change this many days or more before use is free the first time. */
  freeChangeDaysBefore: number; // 7
  noShowAfterMinutes: number; // 30
  individualProvisionalCap: number; // 3
  minBookingMinutes: number; // 60
  gridMinutes: number; // 30
  /** Longest open-ended recurring series, in months. */
  seriesMaxMonths: number; // 12
}

export interface Rules {
  calendar: CalendarRules;
  bands: BandRules;
  pricing: PricingRules;
  windows: WindowRules;
  life: LifeRules;
}

export const DEFAULT_RULES: Rules = {
  calendar: {
    defaultOpen: '09:00',
    defaultClose: '22:00',
    closingMondays: [2, 4],
    yearEndFrom: '12-29',
    yearEndTo: '01-03',
    latestClose: '23:00',
  },
  bands: { afternoonFrom: '12:00', eveningFrom: '18:00' },
  pricing: {
    categoryPercent: { registered: 50, general: 100, admission: 150, commercial: 300 },
    admissionThresholdYen: 2000,
    heatingPercent: 20,
    heatingFrom: '11-01',
    heatingTo: '04-30',
    equipmentMultiplier: { registered: 0, general: 1, admission: 1, commercial: 3 },
  },
  windows: {
    monthsAhead: { registered: 6, general: 3, commercial: 1 },
    opensAt: '09:00',
    onlineCutoffDays: 3,
  },
  life: {
    provisionalDays: 7,
    provisionalDaysBeforeUse: 1,
    cancellationTiers: [
      { minDaysBefore: 7, percent: 0 },
      { minDaysBefore: 1, percent: 50 },
      { minDaysBefore: 0, percent: 100 },
    ],
    freeChangeDaysBefore: 7,
    noShowAfterMinutes: 30,
    individualProvisionalCap: 3,
    minBookingMinutes: 60,
    gridMinutes: 30,
    seriesMaxMonths: 12,
  },
};

/** The sections of the rules, each stored as dated versions. */
export const RULE_SECTIONS = ['calendar', 'bands', 'pricing', 'windows', 'life'] as const;
export type RuleSection = (typeof RULE_SECTIONS)[number];

/** One stored version of a section: the JSON as saved, in force from `effectiveFrom`. */
export interface RuleVersion {
  effectiveFrom: string;
  value: Record<string, unknown>;
}

/**
 * The rules in force on `date`: per section the latest version starting on or before it, over the
 * defaults (a section or a field the database lacks keeps its default).
 */
export function rulesInForce(versions: Readonly<Partial<Record<RuleSection, readonly RuleVersion[]>>>, date: string): Rules {
  const on = (section: RuleSection) => inForceOn(versions[section] ?? [], date)?.value;
  return {
    calendar: { ...DEFAULT_RULES.calendar, ...on('calendar') },
    bands: { ...DEFAULT_RULES.bands, ...on('bands') },
    pricing: { ...DEFAULT_RULES.pricing, ...on('pricing') },
    windows: { ...DEFAULT_RULES.windows, ...on('windows') },
    life: { ...DEFAULT_RULES.life, ...on('life') },
  };
}

/** A space as the domain sees it. */
export interface SpaceInfo {
  slug: string;
  name: string;
  capacity: number;
  indoor: boolean;
  /** Bookable season as MM-DD, inclusive, or null for all year (plaza: 05-01 – 10-31). */
  seasonFrom: string | null;
  seasonTo: string | null;
  /** Hourly general rates in yen by band. */
  ratesYen: Record<Band, number>;
  /** Monthly cap of live bookings per group (hall: 4), or null. */
  groupMonthlyQuota: number | null;
}
