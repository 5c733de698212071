import type { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import type { OpeningDay } from '../domain/calendar.js';
import { checkSlot } from '../domain/slots.js';
import { checkOnlineCutoff, checkWindow, quotaExceeded } from '../domain/windows.js';
import type { Category, Rules } from '../domain/rules.js';
import { fromStored, toApi, toStored, tokyoDate } from '../domain/time.js';
import type { ProblemCode } from '../errors.js';
import { blocksBetween } from '../repositories/calendar.js';
import { countLiveInMonth, countProvisionalOfAccount, liveOverlapping } from '../repositories/bookings.js';
import type { SpaceRow } from '../repositories/reference.js';

/** Whom a booking is for. */
export type Booker =
  | { kind: 'group'; groupId: number; accountId: number | null; registered: boolean }
  | { kind: 'individual'; accountId: number }
  | { kind: 'walkIn'; name: string; phone: string | null };

export interface Candidate {
  space: SpaceRow;
  start: DateTime;
  end: DateTime;
  attendees: number;
  category: Category;
  booker: Booker;
  channel: 'desk' | 'online';
  /** The booking being changed, which must not conflict with itself. */
  ignoreId?: number;
}

export interface CheckEnv {
  tx: Tx;
  now: DateTime;
  rules: Rules;
  spaces: readonly SpaceRow[];
  dayOf: (date: string) => OpeningDay;
  /** Staff gave an overrideReason: windows, quotas and the online limit give way (audited). */
  override: boolean;
}

export interface Problem {
  code: ProblemCode;
  detail: string;
  extra: Record<string, unknown>;
}

/** The spaces whose bookings collide with one of `space`: itself, its parts, the wholes it is part of. */
export function relatedSpaces(space: SpaceRow, all: readonly SpaceRow[]): SpaceRow[] {
  return all.filter((o) => o.id === space.id || space.parts.includes(o.slug) || o.parts.includes(space.slug));
}

/**
 * Checks one requested booking against every rule, in the order a person would want to hear
 * about them: form, opening hours, capacity, windows, quotas, then whether it is free.
 * Returns the first problem, or null when it can be booked.
 */
export function checkCandidate(env: CheckEnv, c: Candidate): Problem | null {
  const { tx, now, rules } = env;
  const date = tokyoDate(c.start);
  const related = relatedSpaces(c.space, env.spaces);
  const blocks = blocksBetween(tx, related.map((s) => s.id), toStored(c.start), toStored(c.end))
    .map((b) => ({ start: fromStored(b.startAt), end: fromStored(b.endAt), reason: b.reason }));
  const slotProblems = checkSlot({ start: c.start, end: c.end, now, day: env.dayOf(date), space: c.space, blocks, life: rules.life });
  const invalid = slotProblems.filter((p) => p.code === 'validation_failed');
  if (invalid.length > 0) {
    const errors = invalid.map((p) => ({ path: p.code === 'validation_failed' ? p.path : 'start', message: p.message }));
    return { code: 'validation_failed', detail: errors.map((e) => e.message).join('; '), extra: { errors } };
  }
  const closed = slotProblems.find((p) => p.code === 'closed');
  if (closed && closed.code === 'closed') return { code: 'closed', detail: closed.message, extra: { reason: closed.reason } };

  if (c.attendees > c.space.capacity) {
    return { code: 'capacity_exceeded', detail: `${c.space.slug} holds at most ${c.space.capacity} people`, extra: { capacity: c.space.capacity } };
  }

  if (!env.override) {
    const window = checkWindow({ useDate: date, category: c.category, now, rules: rules.windows });
    if (window) return { code: 'window_not_open', detail: `bookings for ${date} open at ${toApi(window.opensAt)}`, extra: { opensAt: toApi(window.opensAt) } };
    if (c.booker.kind === 'individual' && c.channel === 'online') {
      const cutoff = checkOnlineCutoff({ useDate: date, now, rules: rules.windows });
      if (cutoff) {
        const message = `online booking ends ${rules.windows.onlineCutoffDays} days before use; book at the desk`;
        return { code: 'validation_failed', detail: message, extra: { errors: [{ path: 'start', message }] } };
      }
    }
    if (c.booker.kind === 'group' && c.space.groupMonthlyQuota !== null) {
      const held = countLiveInMonth(tx, c.space.id, c.booker.groupId, date.slice(0, 7), c.ignoreId);
      if (quotaExceeded(held, c.space.groupMonthlyQuota)) {
        return { code: 'quota_exceeded', detail: `a group may hold at most ${c.space.groupMonthlyQuota} bookings of ${c.space.slug} in a month`, extra: { quota: c.space.groupMonthlyQuota } };
      }
    }
    if (c.booker.kind === 'individual' && c.ignoreId === undefined) {
      const held = countProvisionalOfAccount(tx, c.booker.accountId);
      if (quotaExceeded(held, rules.life.individualProvisionalCap)) {
        return { code: 'quota_exceeded', detail: `at most ${rules.life.individualProvisionalCap} provisional bookings at once`, extra: { quota: rules.life.individualProvisionalCap } };
      }
    }
  }

  const bySpaceId = new Map(env.spaces.map((s) => [s.id, s.slug]));
  const taken = liveOverlapping(tx, related.map((s) => s.id), toStored(c.start), toStored(c.end)).filter((b) => b.id !== c.ignoreId);
  if (taken.length > 0) {
    const conflicts = taken.map((b) => ({ start: toApi(fromStored(b.startAt)), end: toApi(fromStored(b.endAt)), space: bySpaceId.get(b.spaceId) }));
    return { code: 'conflict', detail: `${c.space.slug} is already taken at that time`, extra: { conflicts } };
  }
  return null;
}
