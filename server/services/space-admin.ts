/**
 * The spaces in the manager's console. Names and notes are labels and change at once. Capacity,
 * the bookable season and the group monthly quota are rules: they change from a date (today or
 * later) as dated versions, and a booking is checked against those in force on its use date.
 * Parts (which spaces make up a whole) change at once, and only when no live booking would end up
 * double-booked. Every change is audited; managers only, checked here.
 */
import { z } from 'zod';
import { inSeason } from '../domain/calendar.js';
import { fromStored, toApi, toStored, tokyoDate } from '../domain/time.js';
import { endOf, inForceOn, timeline } from '../domain/versions.js';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError, type FieldError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import {
  allParts, deleteSpaceVersion, liveBookingsOfSpaces, setPartsOf, spaceRows, spaceVersionsOf, updateSpaceNames, upsertSpaceVersion,
  type SpaceBaseRow, type SpaceVersionRow,
} from '../repositories/versions.js';
import type { Tx } from '../../db/client.js';
import { requireManager, type Actor, type Deps } from './context.js';
import { effectiveFromOf, monthDay } from './rules.js';
import { parseInput, text } from './validate.js';
import { write } from './transaction.js';

/** The most parts a whole may have. */
const MAX_PARTS = 10;

const NamesInput = z.object({
  name: text(100),
  nameEn: text(100),
  // Empty notes are no notes.
  notes: z.union([text(500), z.literal(''), z.null()]).optional(),
}).strict();

const TermsInput = z.object({
  capacity: z.number().int().min(1).max(10_000),
  seasonFrom: monthDay.nullable().default(null),
  seasonTo: monthDay.nullable().default(null),
  groupMonthlyQuota: z.number().int().min(0).max(100).nullable().default(null),
}).strict().refine((t) => (t.seasonFrom === null) === (t.seasonTo === null), { message: 'both ends of the season, or neither', path: ['seasonTo'] });

const PartsInput = z.object({ parts: z.array(z.string().min(1).max(50)).max(MAX_PARTS) }).strict();

export interface SpaceTerms {
  capacity: number;
  seasonFrom: string | null;
  seasonTo: string | null;
  groupMonthlyQuota: number | null;
}

export interface SpaceTermsVersion extends SpaceTerms {
  effectiveFrom: string;
  until: string | null;
  createdAt: string;
}

const termsOf = (r: SpaceTerms): SpaceTerms => ({ capacity: r.capacity, seasonFrom: r.seasonFrom, seasonTo: r.seasonTo, groupMonthlyQuota: r.groupMonthlyQuota });

export function makeSpaceAdminService(deps: Deps) {
  const { db, clock: now, reference } = deps;

  function findRow(tx: Tx, slug: string): SpaceBaseRow {
    const row = spaceRows(tx).find((s) => s.slug === slug);
    if (!row) throw new NotFoundError('space');
    return row;
  }

  function versionView(rows: SpaceVersionRow[], v: SpaceVersionRow): SpaceTermsVersion {
    return { ...termsOf(v), effectiveFrom: v.effectiveFrom, until: endOf(rows, v.effectiveFrom), createdAt: toApi(fromStored(v.createdAt)) };
  }

  function spaceView(tx: Tx, row: SpaceBaseRow, all: SpaceBaseRow[], pairs: { wholeId: number; partId: number }[], today: string) {
    const slugOf = new Map(all.map((s) => [s.id, s.slug]));
    const versions = spaceVersionsOf(tx, row.id);
    const { current, scheduled, earlier } = timeline(versions, today);
    return {
      slug: row.slug, name: row.name, nameEn: row.nameEn, notes: row.notes, indoor: row.indoor,
      /** The terms in force today: the current version's, or the space's own before any version. */
      current: { ...termsOf(current ?? row), effectiveFrom: current?.effectiveFrom ?? null },
      scheduled: scheduled.map((v) => versionView(versions, v)),
      earlier: earlier.map((v) => versionView(versions, v)),
      parts: pairs.filter((p) => p.wholeId === row.id).map((p) => slugOf.get(p.partId)!),
      partOf: pairs.filter((p) => p.partId === row.id).map((p) => slugOf.get(p.wholeId)!),
    };
  }

  return {
    /** Every space with its names, terms in force today, scheduled terms and parts. */
    list(actorOrNull: Actor | null) {
      requireManager(actorOrNull);
      const today = tokyoDate(now());
      const all = spaceRows(db);
      const pairs = allParts(db);
      return all.map((row) => spaceView(db, row, all, pairs, today));
    },

    get(actorOrNull: Actor | null, slug: string) {
      requireManager(actorOrNull);
      const all = spaceRows(db);
      const row = all.find((s) => s.slug === slug);
      if (!row) throw new NotFoundError('space');
      return spaceView(db, row, all, allParts(db), tokyoDate(now()));
    },

    /** Names (Japanese and English) and notes: labels, changed at once on every page. */
    rename(actorOrNull: Actor | null, slug: string, body: unknown) {
      const actor = requireManager(actorOrNull);
      const input = parseInput(NamesInput, body);
      try {
        return write(db, (tx) => {
          const row = findRow(tx, slug);
          const after = { name: input.name, nameEn: input.nameEn, notes: input.notes === undefined ? row.notes : input.notes || null };
          const taken = spaceRows(tx).find((s) => s.id !== row.id && (s.name === after.name || s.nameEn === after.nameEn));
          if (taken) throw new ValidationError([{ path: taken.name === after.name ? 'name' : 'nameEn', message: 'already used by another space' }]);
          updateSpaceNames(tx, row.id, after);
          recordAudit(tx, {
            at: toStored(now()), actorId: actor.id, action: 'space.rename', entity: 'space', entityId: row.slug,
            detail: { before: { name: row.name, nameEn: row.nameEn, notes: row.notes }, after },
          });
          return { slug: row.slug, ...after };
        });
      } finally {
        reference.invalidate();
      }
    },

    /**
     * Capacity, season and group quota from `effectiveFrom` (today when left out; never a past
     * date) until the next version already scheduled. Refused with the list when a live booking
     * in that period would be over the new capacity or out of the new season.
     */
    scheduleTerms(actorOrNull: Actor | null, slug: string, body: unknown) {
      const actor = requireManager(actorOrNull);
      const today = tokyoDate(now());
      const errors: FieldError[] = [];
      const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
      const { effectiveFrom: rawDate, ...rest } = isObject ? (body as Record<string, unknown>) : {};
      const effectiveFrom = effectiveFromOf(rawDate, today, errors);
      let terms: SpaceTerms | undefined;
      try {
        terms = parseInput(TermsInput, isObject ? rest : body);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(...error.errors);
      }
      if (errors.length > 0 || effectiveFrom === null || terms === undefined) throw new ValidationError(errors);
      const from = effectiveFrom;
      const after = terms;
      try {
        return write(db, (tx) => {
          const row = findRow(tx, slug);
          const versions = spaceVersionsOf(tx, row.id);
          const until = endOf(versions, from);
          const stranded = liveBookingsOfSpaces(tx, [row.id], from, until)
            .map((b) => ({ b, reason: b.attendees > after.capacity ? 'capacity' : !inSeason(b.useDate, after) ? 'season' : null }))
            .filter((x) => x.reason !== null);
          if (stranded.length > 0) {
            throw new ConflictError(`${stranded.length} booking(s) would be over the capacity or out of the season`, stranded.slice(0, 100).map(({ b, reason }) => ({
              bookingId: b.id, space: row.slug, start: toApi(fromStored(b.startAt)), end: toApi(fromStored(b.endAt)), attendees: b.attendees, status: b.status, reason,
            })));
          }
          const before = termsOf(inForceOn(versions, from) ?? row);
          const at0 = toStored(now());
          const { id, replaced } = upsertSpaceVersion(tx, { spaceId: row.id, effectiveFrom: from, ...after, createdBy: actor.id, createdAt: at0 });
          recordAudit(tx, {
            at: at0, actorId: actor.id, action: 'space.terms', entity: 'space', entityId: row.slug,
            detail: { versionId: id, effectiveFrom: from, until, replacedScheduled: replaced !== undefined, before, after },
          });
          return { space: row.slug, ...after, effectiveFrom: from, until };
        });
      } finally {
        reference.invalidate();
      }
    },

    /** Withdraws terms that have not taken effect yet. */
    withdrawTerms(actorOrNull: Actor | null, slug: string, effectiveFrom: string): void {
      const actor = requireManager(actorOrNull);
      try {
        write(db, (tx) => {
          const row = findRow(tx, slug);
          const version = spaceVersionsOf(tx, row.id).find((v) => v.effectiveFrom === effectiveFrom);
          if (!version) throw new NotFoundError('space terms');
          if (version.effectiveFrom <= tokyoDate(now())) throw new InvalidStateError('terms in force or past stay');
          deleteSpaceVersion(tx, version.id);
          recordAudit(tx, {
            at: toStored(now()), actorId: actor.id, action: 'space.terms_withdraw', entity: 'space', entityId: row.slug,
            detail: { effectiveFrom: version.effectiveFrom, terms: termsOf(version) },
          });
        });
      } finally {
        reference.invalidate();
      }
    },

    /**
     * Which spaces make up a whole, at once. One level only (a part has no parts, a whole is part
     * of nothing) and a part belongs to one whole, so "conflicts with" stays exact. A new pair is
     * refused with the list while live bookings of the whole and the part overlap.
     */
    setParts(actorOrNull: Actor | null, slug: string, body: unknown) {
      const actor = requireManager(actorOrNull);
      const input = parseInput(PartsInput, body);
      try {
        return write(db, (tx) => {
          const all = spaceRows(tx);
          const row = findRow(tx, slug);
          const bySlug = new Map(all.map((s) => [s.slug, s]));
          const slugOf = new Map(all.map((s) => [s.id, s.slug]));
          const pairs = allParts(tx);
          const wanted = [...new Set(input.parts)];
          const errors: FieldError[] = [];
          wanted.forEach((p, i) => {
            const part = bySlug.get(p);
            if (!part) errors.push({ path: `parts.${i}`, message: 'unknown space' });
            else if (part.id === row.id) errors.push({ path: `parts.${i}`, message: 'a space cannot be its own part' });
            else if (pairs.some((x) => x.wholeId === part.id)) errors.push({ path: `parts.${i}`, message: 'a whole cannot be a part' });
            else if (pairs.some((x) => x.partId === part.id && x.wholeId !== row.id)) errors.push({ path: `parts.${i}`, message: 'already part of another whole' });
          });
          if (wanted.length > 0 && pairs.some((x) => x.partId === row.id)) errors.push({ path: 'parts', message: 'a part cannot have parts' });
          if (errors.length > 0) throw new ValidationError(errors);
          const before = pairs.filter((x) => x.wholeId === row.id).map((x) => slugOf.get(x.partId)!);
          const added = wanted.filter((p) => !before.includes(p)).map((p) => bySlug.get(p)!);
          const today = tokyoDate(now());
          // Bookings never span two dates, so only bookings of the same date can overlap.
          const ofWhole = new Map<string, ReturnType<typeof liveBookingsOfSpaces>>();
          for (const b of liveBookingsOfSpaces(tx, [row.id], today, null)) ofWhole.set(b.useDate, [...(ofWhole.get(b.useDate) ?? []), b]);
          const clashes = liveBookingsOfSpaces(tx, added.map((p) => p.id), today, null).flatMap((b) =>
            (ofWhole.get(b.useDate) ?? []).filter((w) => w.startAt < b.endAt && b.startAt < w.endAt).map((w) => ({
              bookingId: b.id, space: slugOf.get(b.spaceId), start: toApi(fromStored(b.startAt)), end: toApi(fromStored(b.endAt)),
              withBookingId: w.id, withSpace: row.slug, withStart: toApi(fromStored(w.startAt)), withEnd: toApi(fromStored(w.endAt)),
            })));
          if (clashes.length > 0) throw new ConflictError(`${clashes.length} pair(s) of live bookings would be double-booked`, clashes.slice(0, 100));
          setPartsOf(tx, row.id, wanted.map((p) => bySlug.get(p)!.id));
          recordAudit(tx, { at: toStored(now()), actorId: actor.id, action: 'space.parts', entity: 'space', entityId: row.slug, detail: { before, after: wanted } });
          return { space: row.slug, parts: wanted };
        });
      } finally {
        reference.invalidate();
      }
    },
  };
}

export type SpaceAdminService = ReturnType<typeof makeSpaceAdminService>;
