import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { rateBands, ruleSettings, spaceParts, spaces } from '../../db/schema.js';
import { DEFAULT_RULES, type Band, type Rules, type SpaceInfo } from '../domain/rules.js';

export interface SpaceRow extends SpaceInfo {
  id: number;
  nameEn: string;
  parts: string[];
  sortOrder: number;
}

/** Every space with its parts and the general hourly rates in force on `date`. */
export function loadSpaces(db: Tx, date: string): SpaceRow[] {
  const rows = db.select().from(spaces).orderBy(asc(spaces.sortOrder), asc(spaces.id)).all();
  const bySlugId = new Map(rows.map((r) => [r.id, r.slug]));
  const parts = db.select().from(spaceParts).all();
  const rates = db.select().from(rateBands).where(lte(rateBands.effectiveFrom, date))
    .orderBy(asc(rateBands.effectiveFrom)).all();
  return rows.map((r) => {
    const ratesYen: Record<Band, number> = { morning: 0, afternoon: 0, evening: 0 };
    // Later effective dates overwrite earlier ones: the last row per band is the one in force.
    for (const rate of rates) if (rate.spaceId === r.id) ratesYen[rate.band] = rate.hourlyYen;
    return {
      id: r.id,
      slug: r.slug,
      name: r.name,
      nameEn: r.nameEn,
      capacity: r.capacity,
      indoor: r.indoor,
      seasonFrom: r.seasonFrom,
      seasonTo: r.seasonTo,
      groupMonthlyQuota: r.groupMonthlyQuota,
      sortOrder: r.sortOrder,
      ratesYen,
      parts: parts.filter((p) => p.wholeId === r.id).map((p) => bySlugId.get(p.partId)!).filter(Boolean),
    };
  });
}

/** whole slug → its part slugs. */
export function partsMap(all: readonly SpaceRow[]): Map<string, string[]> {
  return new Map(all.filter((s) => s.parts.length > 0).map((s) => [s.slug, s.parts]));
}

/** The center's rules, each section falling back to the defaults where the database has none. */
export function loadRules(db: Tx): Rules {
  const rows = db.select().from(ruleSettings).all();
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.valueJson) as unknown]));
  return {
    calendar: { ...DEFAULT_RULES.calendar, ...(stored.calendar as object | undefined) },
    bands: { ...DEFAULT_RULES.bands, ...(stored.bands as object | undefined) },
    pricing: { ...DEFAULT_RULES.pricing, ...(stored.pricing as object | undefined) },
    windows: { ...DEFAULT_RULES.windows, ...(stored.windows as object | undefined) },
    life: { ...DEFAULT_RULES.life, ...(stored.life as object | undefined) },
  };
}

export function latestRateDate(db: Tx, spaceId: number, band: Band): string | null {
  const row = db.select({ d: rateBands.effectiveFrom }).from(rateBands)
    .where(and(eq(rateBands.spaceId, spaceId), eq(rateBands.band, band)))
    .orderBy(desc(rateBands.effectiveFrom)).get();
  return row?.d ?? null;
}
