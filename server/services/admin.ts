/**
 * The manager's console (管理): staff accounts, API tokens, the audit log, the fee table's rates
 * from a date, and the blocks and day overrides already set (the rules are rules.ts's, the spaces
 * space-admin.ts's). Creating staff and
 * issuing tokens are the auth service's; closing days and blocking spaces the closure service's.
 * Everything here is for managers only, checked here and not only by the pages.
 */
import { z } from 'zod';
import type { Band } from '../domain/rules.js';
import { addDays, at, fromStored, isDate, toApi, toStored, tokyoDate } from '../domain/time.js';
import { InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import {
  allRates, apiTokenList, auditEntries, auditVocabulary, blocksEndingAfter, deleteBlock, deleteRate,
  deleteSessionsOf, findAccount, findApiToken, findBlock, findRate, overridesFrom, revokeApiToken, setDisabled,
  staffAccounts, upsertRate,
} from '../repositories/admin.js';
import { requireManager, type Actor, type Deps } from './context.js';
import { parseInput, text } from './validate.js';
import { write } from './transaction.js';

const BANDS = ['morning', 'afternoon', 'evening'] as const;
const date = z.string().refine(isDate, 'a real date as YYYY-MM-DD');
export const RateInput = z.object({
  space: z.string().min(1).max(50),
  band: z.enum(BANDS),
  // Each half hour costs half the hourly rate in whole yen, so the rate is even (the schema checks it too).
  hourlyYen: z.number().int().min(0).max(1_000_000).refine((n) => n % 2 === 0, 'an even number of yen'),
  effectiveFrom: date,
}).strict();

const AuditQuery = z.object({
  actor: text(100).optional(),
  action: text(100).optional(),
  entity: text(50).optional(),
  entityId: text(50).optional(),
  from: date.optional(),
  to: date.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
}).refine((q) => !q.from || !q.to || !isDate(q.from) || !isDate(q.to) || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

export const AUDIT_PAGE_SIZE = 50;

/** Drops empty strings (an untouched filter field) so they mean "any". */
function present(query: unknown): Record<string, unknown> {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(q).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
}

export function makeAdminService(deps: Deps) {
  const { db, clock: now, reference } = deps;

  return {
    /** Staff and manager accounts, with their live sessions. */
    staff(actorOrNull: Actor | null) {
      requireManager(actorOrNull);
      return staffAccounts(db, toStored(now())).map((a) => ({ ...a, createdAt: toApi(fromStored(a.createdAt)), disabledAt: a.disabledAt && toApi(fromStored(a.disabledAt)) }));
    },

    /**
     * Disables a staff or manager account and ends its sessions at once: its cookie and its API
     * tokens stop working on the next request. A manager cannot disable themself.
     */
    disableStaff(actorOrNull: Actor | null, id: number): { id: number; sessionsEnded: number } {
      const actor = requireManager(actorOrNull);
      return write(db, (tx) => {
        const target = Number.isSafeInteger(id) ? findAccount(tx, id) : undefined;
        if (!target || (target.role !== 'staff' && target.role !== 'manager')) throw new NotFoundError('staff account');
        if (target.id === actor.id) throw new InvalidStateError('you cannot disable your own account');
        if (target.disabledAt) throw new InvalidStateError('the account is already disabled');
        const at = toStored(now());
        setDisabled(tx, target.id, at);
        const sessionsEnded = deleteSessionsOf(tx, target.id);
        recordAudit(tx, { at, actorId: actor.id, action: 'account.disable', entity: 'account', entityId: target.id, detail: { role: target.role, sessionsEnded } });
        return { id: target.id, sessionsEnded };
      });
    },

    /** Lets a disabled staff account log in again (its old sessions stay ended). */
    enableStaff(actorOrNull: Actor | null, id: number): { id: number } {
      const actor = requireManager(actorOrNull);
      return write(db, (tx) => {
        const target = Number.isSafeInteger(id) ? findAccount(tx, id) : undefined;
        if (!target || (target.role !== 'staff' && target.role !== 'manager')) throw new NotFoundError('staff account');
        if (!target.disabledAt) throw new InvalidStateError('the account is not disabled');
        const at = toStored(now());
        setDisabled(tx, target.id, null);
        recordAudit(tx, { at, actorId: actor.id, action: 'account.enable', entity: 'account', entityId: target.id, detail: { role: target.role } });
        return { id: target.id };
      });
    },

    /** API tokens (never the token itself, which only its issuer saw once). */
    apiTokens(actorOrNull: Actor | null) {
      requireManager(actorOrNull);
      return apiTokenList(db).map((t) => ({ ...t, createdAt: toApi(fromStored(t.createdAt)), revokedAt: t.revokedAt && toApi(fromStored(t.revokedAt)) }));
    },

    revokeApiToken(actorOrNull: Actor | null, id: number): { id: number } {
      const actor = requireManager(actorOrNull);
      return write(db, (tx) => {
        const token = Number.isSafeInteger(id) ? findApiToken(tx, id) : undefined;
        if (!token) throw new NotFoundError('API token');
        if (token.revokedAt) throw new InvalidStateError('the token is already revoked');
        const at = toStored(now());
        revokeApiToken(tx, token.id, at);
        recordAudit(tx, { at, actorId: actor.id, action: 'api_token.revoke', entity: 'api_token', entityId: token.id, detail: { name: token.name } });
        return { id: token.id };
      });
    },

    /**
     * The audit log, newest first, filtered by who (account number, name or e-mail; `system`),
     * what (an action, or a prefix ending in "." such as `booking.`), which entity, and Tokyo dates.
     */
    audit(actorOrNull: Actor | null, query: unknown) {
      requireManager(actorOrNull);
      const q = parseInput(AuditQuery, present(query));
      const { rows, total } = auditEntries(db, {
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.entity !== undefined ? { entity: q.entity } : {}),
        ...(q.entityId !== undefined ? { entityId: q.entityId } : {}),
        ...(q.from !== undefined ? { fromIso: toStored(at(q.from, '00:00')) } : {}),
        ...(q.to !== undefined ? { toIso: toStored(at(addDays(q.to, 1), '00:00')) } : {}),
        limit: AUDIT_PAGE_SIZE, offset: (q.page - 1) * AUDIT_PAGE_SIZE,
      });
      return {
        entries: rows.map((r) => ({ ...r, at: toApi(fromStored(r.at)), detail: JSON.parse(r.detailJson) as Record<string, unknown> })),
        total, page: q.page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
        vocabulary: auditVocabulary(db),
      };
    },

    /**
     * The fee table by space and band: the rate in force today, those scheduled from a later date,
     * and the earlier ones. Bookings keep the rates they were priced with.
     */
    rates(actorOrNull: Actor | null) {
      requireManager(actorOrNull);
      const today = tokyoDate(now());
      const rows = allRates(db);
      return reference.spaces(today).map((s) => ({
        slug: s.slug, name: s.name, nameEn: s.nameEn,
        bands: BANDS.map((band) => {
          const mine = rows.filter((r) => r.spaceId === s.id && r.band === band);
          const inForce = mine.filter((r) => r.effectiveFrom <= today);
          const current = inForce[inForce.length - 1] ?? null;
          return {
            band,
            current: current && { id: current.id, hourlyYen: current.hourlyYen, effectiveFrom: current.effectiveFrom },
            scheduled: mine.filter((r) => r.effectiveFrom > today).map((r) => ({ id: r.id, hourlyYen: r.hourlyYen, effectiveFrom: r.effectiveFrom })),
            earlier: inForce.slice(0, -1).map((r) => ({ id: r.id, hourlyYen: r.hourlyYen, effectiveFrom: r.effectiveFrom })),
          };
        }),
      }));
    },

    /**
     * A new hourly rate for one space and band from a future date on (a new fee table from April 1):
     * bookings used before that date, and every booking already made, keep their fee.
     */
    scheduleRate(actorOrNull: Actor | null, body: unknown) {
      const actor = requireManager(actorOrNull);
      const input = parseInput(RateInput, body);
      const today = tokyoDate(now());
      if (input.effectiveFrom <= today) throw new ValidationError([{ path: 'effectiveFrom', message: 'a date after today' }]);
      if (input.effectiveFrom > '2099-12-31') throw new ValidationError([{ path: 'effectiveFrom', message: 'a real date as YYYY-MM-DD' }]);
      try {
        return write(db, (tx) => {
          const space = reference.spaces(today).find((s) => s.slug === input.space);
          if (!space) throw new ValidationError([{ path: 'space', message: 'unknown space' }]);
          const { id, replaced } = upsertRate(tx, { spaceId: space.id, band: input.band as Band, hourlyYen: input.hourlyYen, effectiveFrom: input.effectiveFrom });
          recordAudit(tx, {
            at: toStored(now()), actorId: actor.id, action: 'rate.schedule', entity: 'rate_band', entityId: id,
            detail: { space: space.slug, band: input.band, hourlyYen: input.hourlyYen, effectiveFrom: input.effectiveFrom, replacedYen: replaced, inForceYen: space.ratesYen[input.band as Band] },
          });
          return { id, space: space.slug, band: input.band, hourlyYen: input.hourlyYen, effectiveFrom: input.effectiveFrom };
        });
      } finally {
        // Even a write later rolled back may have been read into the cache.
        reference.invalidate();
      }
    },

    /** Withdraws a rate that has not taken effect yet. */
    removeScheduledRate(actorOrNull: Actor | null, id: number): void {
      const actor = requireManager(actorOrNull);
      try {
        write(db, (tx) => {
          const rate = Number.isSafeInteger(id) ? findRate(tx, id) : undefined;
          if (!rate) throw new NotFoundError('rate');
          if (rate.effectiveFrom <= tokyoDate(now())) throw new InvalidStateError('a rate in force or past stays in the fee table');
          deleteRate(tx, rate.id);
          recordAudit(tx, { at: toStored(now()), actorId: actor.id, action: 'rate.withdraw', entity: 'rate_band', entityId: rate.id, detail: { spaceId: rate.spaceId, band: rate.band, hourlyYen: rate.hourlyYen, effectiveFrom: rate.effectiveFrom } });
        });
      } finally {
        reference.invalidate();
      }
    },

    /** Blocks of spaces that have not ended yet. */
    blocks(actorOrNull: Actor | null) {
      requireManager(actorOrNull);
      return blocksEndingAfter(db, toStored(now())).map((b) => ({ id: b.id, space: b.spaceSlug, start: toApi(fromStored(b.startAt)), end: toApi(fromStored(b.endAt)), reason: b.reason }));
    },

    /** Lifts a block: the space can be booked again in its period. */
    removeBlock(actorOrNull: Actor | null, id: number): void {
      const actor = requireManager(actorOrNull);
      write(db, (tx) => {
        const block = Number.isSafeInteger(id) ? findBlock(tx, id) : undefined;
        if (!block) throw new NotFoundError('block');
        deleteBlock(tx, block.id);
        recordAudit(tx, { at: toStored(now()), actorId: actor.id, action: 'block.remove', entity: 'space_block', entityId: block.id, detail: { spaceId: block.spaceId, start: block.startAt, end: block.endAt, reason: block.reason } });
      });
    },

    /** The manager's own hours and closures from today on. */
    dayOverrides(actorOrNull: Actor | null) {
      requireManager(actorOrNull);
      return overridesFrom(db, tokyoDate(now())).map((o) => ({ date: o.date, closed: o.closed, open: o.open, close: o.close, reason: o.reason }));
    },
  };
}

export type AdminService = ReturnType<typeof makeAdminService>;
