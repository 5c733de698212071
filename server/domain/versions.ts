/**
 * Effective-dated data: rules, rates and space terms that hold from a Tokyo date until the next
 * version's date. A booking follows the version in force on its use date, so a new fee table from
 * April 1 leaves a booking on March 31 as it was.
 */

export interface Dated {
  /** The first Tokyo date (YYYY-MM-DD) the version is in force. */
  effectiveFrom: string;
}

/** The version in force on `date`: the latest that starts on or before it; undefined before the first. */
export function inForceOn<T extends Dated>(versions: readonly T[], date: string): T | undefined {
  let found: T | undefined;
  for (const v of versions) {
    if (v.effectiveFrom <= date && (found === undefined || v.effectiveFrom > found.effectiveFrom)) found = v;
  }
  return found;
}

/** The date the version starting on `effectiveFrom` stops being in force (the next version's start), or null. */
export function endOf(versions: readonly Dated[], effectiveFrom: string): string | null {
  let next: string | null = null;
  for (const v of versions) {
    if (v.effectiveFrom > effectiveFrom && (next === null || v.effectiveFrom < next)) next = v.effectiveFrom;
  }
  return next;
}

/**
 * Versions as a manager reads them on `today`: the one in force, those scheduled from a later
 * date (soonest first) and the earlier ones (latest first).
 */
export function timeline<T extends Dated>(versions: readonly T[], today: string): { current: T | undefined; scheduled: T[]; earlier: T[] } {
  const current = inForceOn(versions, today);
  const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  return {
    current,
    scheduled: sorted.filter((v) => v.effectiveFrom > today),
    earlier: sorted.filter((v) => v !== current && v.effectiveFrom <= today).reverse(),
  };
}

