import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { equipmentTypes, equipmentUnits, rateBands, ruleVersions, spaceParts, spaces } from '../../db/schema.js';
import { DEFAULT_RULES } from '../domain/rules.js';

/** The center as DESIGN.md seeds it. Rates are hourly yen for general use by band. */
export const SEED_SPACES = [
  { slug: 'hall', name: 'ホール', nameEn: 'Hall', capacity: 180, rates: [2000, 2000, 2400], quota: 4, notes: 'piano and stage set bookable with it' },
  { slug: 'training', name: '会議研修室（全面）', nameEn: 'Training room (whole)', capacity: 60, rates: [800, 800, 900], parts: ['training-a', 'training-b'] },
  { slug: 'training-a', name: '会議研修室A', nameEn: 'Training room A', capacity: 30, rates: [400, 400, 450] },
  { slug: 'training-b', name: '会議研修室B', nameEn: 'Training room B', capacity: 30, rates: [400, 400, 450] },
  { slug: 'small-1', name: '小会議室1', nameEn: 'Small meeting room 1', capacity: 8, rates: [200, 200, 250] },
  { slug: 'small-2', name: '小会議室2', nameEn: 'Small meeting room 2', capacity: 12, rates: [250, 250, 300] },
  { slug: 'lounge', name: '談話・展示コーナー', nameEn: 'Lounge and exhibition corner', capacity: 40, rates: [300, 300, 300] },
  { slug: 'plaza', name: '円環広場', nameEn: 'Circle plaza', capacity: 200, rates: [500, 500, 500], outdoor: true, season: ['05-01', '10-31'] as const },
] as const;

/**
 * The equipment the center lends (DESIGN.md): count of tagged units, per-use fee, and what one
 * unit costs to replace (the cap of a damage assessment; the city's asset register values).
 */
export const SEED_EQUIPMENT = [
  { slug: 'projector', name: 'プロジェクター', nameEn: 'Projector', count: 3, feeYen: 500, replacementYen: 120_000, tagPrefix: 'PJ' },
  { slug: 'screen', name: 'スクリーン', nameEn: 'Screen', count: 3, feeYen: 200, replacementYen: 30_000, tagPrefix: 'SC' },
  { slug: 'wireless-mic', name: 'ワイヤレスマイク', nameEn: 'Wireless microphone', count: 2, feeYen: 300, replacementYen: 40_000, tagPrefix: 'MC' },
  { slug: 'portable-pa', name: 'ポータブル拡声装置', nameEn: 'Portable PA system', count: 1, feeYen: 1000, replacementYen: 150_000, tagPrefix: 'PA' },
  { slug: 'piano', name: 'ピアノ', nameEn: 'Piano', count: 1, feeYen: 2000, replacementYen: 1_500_000, tagPrefix: 'PN', hallOnly: true },
  { slug: 'stage', name: 'ステージセット', nameEn: 'Stage set', count: 1, feeYen: 1000, replacementYen: 300_000, tagPrefix: 'ST', hallOnly: true },
  { slug: 'panel', name: '展示パネル', nameEn: 'Display panel', count: 20, feeYen: 100, replacementYen: 15_000, tagPrefix: 'PL' },
  { slug: 'whiteboard', name: 'ホワイトボード', nameEn: 'Whiteboard', count: 6, feeYen: 0, replacementYen: 30_000, tagPrefix: 'WB' },
] as const;

/** The asset tag of the n-th unit of a type: PJ-01, PL-20. */
export function assetTag(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(2, '0')}`;
}

/** Rates and rules seeded for "since ever", so that any later fee table or rule can start on its own date. */
const SEED_RATES_FROM = '2000-01-01';

/**
 * Adds the reference data missing from the database (spaces, parts, rates, rules), so a database
 * made by an older version gains what a newer one seeds. Never touches what a manager changed.
 */
export function ensureReferenceData(db: Db, nowIso: string): void {
  db.transaction((tx) => {
    SEED_SPACES.forEach((s, i) => {
      const existing = tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.slug, s.slug)).get();
      if (existing) return;
      const season = 'season' in s ? s.season : null;
      const id = tx.insert(spaces).values({
        slug: s.slug, name: s.name, nameEn: s.nameEn, capacity: s.capacity,
        indoor: !('outdoor' in s && s.outdoor), seasonFrom: season?.[0] ?? null, seasonTo: season?.[1] ?? null,
        groupMonthlyQuota: 'quota' in s ? s.quota : null, sortOrder: i + 1, notes: 'notes' in s ? s.notes : null,
      }).returning({ id: spaces.id }).get().id;
      (['morning', 'afternoon', 'evening'] as const).forEach((band, b) => {
        tx.insert(rateBands).values({ spaceId: id, band, hourlyYen: s.rates[b]!, effectiveFrom: SEED_RATES_FROM }).run();
      });
    });
    const ids = new Map(tx.select({ id: spaces.id, slug: spaces.slug }).from(spaces).all().map((r) => [r.slug, r.id]));
    for (const s of SEED_SPACES) {
      if (!('parts' in s)) continue;
      for (const part of s.parts) {
        tx.insert(spaceParts).values({ wholeId: ids.get(s.slug)!, partId: ids.get(part)! }).onConflictDoNothing().run();
      }
    }
    SEED_EQUIPMENT.forEach((e, i) => {
      if (tx.select({ id: equipmentTypes.id }).from(equipmentTypes).where(eq(equipmentTypes.slug, e.slug)).get()) return;
      const typeId = tx.insert(equipmentTypes).values({
        slug: e.slug, name: e.name, nameEn: e.nameEn, feeYen: e.feeYen, replacementYen: e.replacementYen,
        hallOnly: 'hallOnly' in e && e.hallOnly, tagPrefix: e.tagPrefix, sortOrder: i + 1,
      }).returning({ id: equipmentTypes.id }).get().id;
      for (let n = 1; n <= e.count; n++) {
        tx.insert(equipmentUnits).values({ typeId, tag: assetTag(e.tagPrefix, n), state: 'available', createdAt: nowIso, updatedAt: nowIso }).run();
      }
    });
    // A section without any version gets the defaults "since ever"; one a manager set is left alone.
    for (const [key, value] of Object.entries(DEFAULT_RULES)) {
      if (tx.select({ id: ruleVersions.id }).from(ruleVersions).where(eq(ruleVersions.key, key)).get()) continue;
      tx.insert(ruleVersions).values({ key, effectiveFrom: SEED_RATES_FROM, valueJson: JSON.stringify(value), createdBy: null, createdAt: nowIso }).run();
    }
  }, { behavior: 'immediate' });
}
