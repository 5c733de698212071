import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { rateBands, ruleVersions, spaceParts, spaceVersions, spaces } from '../../db/schema.js';
import { RULE_SECTIONS, type Band, type RuleSection, type RuleVersion, type SpaceInfo } from '../domain/rules.js';
import { inForceOn } from '../domain/versions.js';

export interface SpaceRow extends SpaceInfo {
  id: number;
  nameEn: string;
  parts: string[];
  sortOrder: number;
}

/**
 * Every space with its parts, and the general hourly rates and the capacity, season and group
 * quota in force on `date`.
 */
export function loadSpaces(db: Tx, date: string): SpaceRow[] {
  const rows = db.select().from(spaces).orderBy(asc(spaces.sortOrder), asc(spaces.id)).all();
  const bySlugId = new Map(rows.map((r) => [r.id, r.slug]));
  const parts = db.select().from(spaceParts).all();
  const rates = db.select().from(rateBands).where(lte(rateBands.effectiveFrom, date))
    .orderBy(asc(rateBands.effectiveFrom)).all();
  const terms = db.select().from(spaceVersions).where(lte(spaceVersions.effectiveFrom, date)).all();
  return rows.map((r) => {
    const ratesYen: Record<Band, number> = { morning: 0, afternoon: 0, evening: 0 };
    // Later effective dates overwrite earlier ones: the last row per band is the one in force.
    for (const rate of rates) if (rate.spaceId === r.id) ratesYen[rate.band] = rate.hourlyYen;
    // Before the space's first version, its own row's values hold.
    const term = inForceOn(terms.filter((v) => v.spaceId === r.id), date) ?? r;
    return {
      id: r.id,
      slug: r.slug,
      name: r.name,
      nameEn: r.nameEn,
      capacity: term.capacity,
      indoor: r.indoor,
      seasonFrom: term.seasonFrom,
      seasonTo: term.seasonTo,
      groupMonthlyQuota: term.groupMonthlyQuota,
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

/** Every stored version of every section of the rules, by section. */
export function loadRuleVersions(db: Tx): Record<RuleSection, RuleVersion[]> {
  const rows = db.select().from(ruleVersions).orderBy(asc(ruleVersions.effectiveFrom)).all();
  const out = Object.fromEntries(RULE_SECTIONS.map((k) => [k, [] as RuleVersion[]])) as Record<RuleSection, RuleVersion[]>;
  for (const r of rows) {
    if ((RULE_SECTIONS as readonly string[]).includes(r.key)) {
      out[r.key as RuleSection].push({ effectiveFrom: r.effectiveFrom, value: JSON.parse(r.valueJson) as Record<string, unknown> });
    }
  }
  return out;
}

export function latestRateDate(db: Tx, spaceId: number, band: Band): string | null {
  const row = db.select({ d: rateBands.effectiveFrom }).from(rateBands)
    .where(and(eq(rateBands.spaceId, spaceId), eq(rateBands.band, band)))
    .orderBy(desc(rateBands.effectiveFrom)).get();
  return row?.d ?? null;
}
