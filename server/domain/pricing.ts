import type { DateTime } from 'luxon';
import type { Band, BandRules, Category, PricingRules, RateKind, SpaceInfo } from './rules.js';
import { clockMinutes, tokyoClock, tokyoDate } from './time.js';

/** What the booker does in the room: this, not who books, can raise the rate. */
export interface Use {
  commercial: boolean;
  admissionFeeYen: number;
}

export interface EquipmentLine {
  type: string;
  name: string;
  feeYen: number;
  quantity: number;
}

export interface QuoteLine {
  label: string;
  amountYen: number;
}

export interface Quote {
  totalYen: number;
  lines: QuoteLine[];
}

/** The category a booking is made with and keeps (a lapsed group keeps its old bookings' category). */
export function bookingCategory(input: { registeredGroup: boolean; use: Use; rules: PricingRules }): Category {
  checkUse(input.use);
  if (isCommercialUse(input.use, input.rules)) return 'commercial';
  return input.registeredGroup ? 'registered' : 'general';
}

/**
 * The one rate a booking is charged at: the highest that applies. A registered group charging
 * admission pays the admission rate, not its own discounted one.
 */
export function rateKind(input: { category: Category; use: Use; rules: PricingRules }): RateKind {
  checkUse(input.use);
  if (input.category === 'commercial' || isCommercialUse(input.use, input.rules)) return 'commercial';
  if (input.use.admissionFeeYen > 0) return 'admission';
  return input.category === 'registered' ? 'registered' : 'general';
}

/** The band of a Tokyo wall-clock time; hours before the afternoon or after the evening start stay at the nearest band. */
export function bandOf(clock: string, bands: BandRules): Band {
  const minutes = clockMinutes(clock);
  if (minutes < clockMinutes(bands.afternoonFrom)) return 'morning';
  if (minutes < clockMinutes(bands.eveningFrom)) return 'afternoon';
  return 'evening';
}

/*
 * Amounts are bigints in units of 1/2,000,000 yen. A half-hour costs half an hourly rate (÷2) and at
 * most three percentages apply one after another (category, heating, exemption: ÷100 each), so with
 * integer percentages every intermediate amount is an exact integer in this unit.
 */
const UNITS_PER_YEN = 2_000_000n;
const SLOT_MS = 30 * 60 * 1000;

const RATE_LABEL: Record<RateKind, string> = {
  registered: '登録団体',
  general: '一般',
  admission: '入場料徴収',
  commercial: '営利・高額入場料',
};

export function quote(input: {
  space: Pick<SpaceInfo, 'name' | 'indoor' | 'ratesYen'>;
  start: DateTime;
  end: DateTime;
  rateKind: RateKind;
  equipment: readonly EquipmentLine[];
  exemptionPercent: 0 | 50 | 100;
  rules: PricingRules;
  bands: BandRules;
}): Quote {
  const { space, start, end, rules, bands } = input;
  const kind = input.rateKind;
  const startMs = start.toMillis();
  const endMs = end.toMillis();
  if (!(endMs > startMs)) throw new Error('quote: end must be after start');
  if ((endMs - startMs) % SLOT_MS !== 0) throw new Error('quote: length must be whole half-hours');
  for (const band of ['morning', 'afternoon', 'evening'] as const) {
    requireWhole(space.ratesYen[band], `rate of ${band}`);
  }
  const categoryPercent = requireWhole(rules.categoryPercent[kind], `categoryPercent.${kind}`);
  const heatingPercent = requireWhole(rules.heatingPercent, 'heatingPercent');
  const multiplier = requireWhole(rules.equipmentMultiplier[kind], `equipmentMultiplier.${kind}`);
  if (![0, 50, 100].includes(input.exemptionPercent)) throw new Error('quote: exemption must be 0, 50 or 100%');

  // Steps 1–6 are those of DESIGN.md "Fees". 1: a slot's band is decided by where the slot starts in Tokyo.
  let base = 0n;
  for (let ms = startMs; ms < endMs; ms += SLOT_MS) {
    const slotStart = start.plus({ milliseconds: ms - startMs });
    const hourly = space.ratesYen[bandOf(tokyoClock(slotStart), bands)];
    base += (BigInt(hourly) * UNITS_PER_YEN) / 2n;
  }

  const rated = percentOf(base, categoryPercent);

  // 3: the season is that of the Tokyo date of use.
  const heated = space.indoor && inSeason(tokyoDate(start).slice(5), rules.heatingFrom, rules.heatingTo);
  const heating = heated ? percentOf(rated, heatingPercent) : 0n;

  const equipment = input.equipment.map((item) => {
    requireWhole(item.feeYen, `fee of ${item.name}`);
    if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0) {
      throw new Error(`quote: quantity of ${item.name} must be a positive integer`);
    }
    return { item, amount: BigInt(item.feeYen) * BigInt(item.quantity) * BigInt(multiplier) * UNITS_PER_YEN };
  });

  const subtotal = rated + heating + equipment.reduce((sum, e) => sum + e.amount, 0n);
  const exemption = percentOf(subtotal, input.exemptionPercent);

  // 6: the only rounding that changes what is owed.
  const totalYen = Number(floorDiv(subtotal - exemption, UNITS_PER_YEN * 10n) * 10n);

  const lines: QuoteLine[] = [
    { label: `基本使用料（${space.name} ${tokyoClock(start)}–${tokyoClock(end)}）`, amountYen: yen(base) },
  ];
  if (categoryPercent !== 100) {
    lines.push({ label: `${RATE_LABEL[kind]}（${categoryPercent}%）`, amountYen: yen(rated - base) });
  }
  if (heated && heatingPercent !== 0) {
    lines.push({ label: `暖房料（${heatingPercent}%）`, amountYen: yen(heating) });
  }
  for (const { item, amount } of equipment) {
    lines.push({ label: `${item.name} ×${item.quantity}${equipmentNote(kind, multiplier)}`, amountYen: yen(amount) });
  }
  if (input.exemptionPercent !== 0) {
    lines.push({ label: `減免（${input.exemptionPercent}%）`, amountYen: yen(-exemption) });
  }
  // Each line is floored on its own, so their sum can drift from the total by a few yen.
  const rounding = totalYen - lines.reduce((sum, line) => sum + line.amountYen, 0);
  if (rounding !== 0) lines.push({ label: '端数調整', amountYen: rounding });

  return { totalYen, lines };
}

function isCommercialUse(use: Use, rules: PricingRules): boolean {
  return use.commercial || use.admissionFeeYen > rules.admissionThresholdYen;
}

function checkUse(use: Use): void {
  if (!Number.isSafeInteger(use.admissionFeeYen) || use.admissionFeeYen < 0) {
    throw new Error('admission fee must be a non-negative integer of yen');
  }
}

function equipmentNote(kind: RateKind, multiplier: number): string {
  if (multiplier === 1) return '';
  if (multiplier === 0) return kind === 'registered' ? '（登録団体無料）' : '（無料）';
  return `（${multiplier}倍）`;
}

/** MM-DD within an inclusive season that may wrap the new year (11-01 – 04-30). */
function inSeason(monthDay: string, from: string, to: string): boolean {
  return from <= to ? from <= monthDay && monthDay <= to : monthDay >= from || monthDay <= to;
}

function requireWhole(value: number, what: string): number {
  // BigInt() would throw on a fraction too, but with a message that names nothing.
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`quote: ${what} must be a non-negative integer`);
  return value;
}

function percentOf(amount: bigint, percent: number): bigint {
  const scaled = amount * BigInt(percent);
  // The unit is chosen so this never happens; failing beats a silently truncated fee.
  if (scaled % 100n !== 0n) throw new Error('quote: inexact percentage');
  return scaled / 100n;
}

/** Floor division: bigint `/` truncates toward zero, which would round a discount line up. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

function yen(amount: bigint): number {
  return Number(floorDiv(amount, UNITS_PER_YEN));
}
