import { and, eq, isNull } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import { accounts, groups, registrations, ruleSettings, sessions } from '../../db/schema.js';
import { canRenew, hasLapsed, isRegisteredOn, personalDataDeletableOn, registrationValidUntil } from '../domain/registration.js';
import { fromStored, toApi, toStored, tokyoDate } from '../domain/time.js';
import { ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { findGroup, findRegistration, groupByName, groupStanding, pendingRenewal, registrationsByStatus, type GroupRow, type RegistrationRow, parseFields } from '../repositories/groups.js';
import { isStaff, requireActor, requireManager, type Actor, type Deps } from './context.js';
import { DeskRegistrationInput, ReasonInput, RegistrationInput, RenewalInput, RetentionInput } from './registration-input.js';
import { hashPassword } from './secrets.js';
import { parseInput } from './validate.js';

export const DEFAULT_RETENTION_DAYS = 365;

export function retentionDays(db: Tx): number {
  const row = db.select().from(ruleSettings).where(eq(ruleSettings.key, 'registration')).get();
  const value = row ? (JSON.parse(row.valueJson) as { retentionDays?: number }).retentionDays : undefined;
  return value ?? DEFAULT_RETENTION_DAYS;
}

export function registrationView(r: RegistrationRow) {
  return {
    id: r.id, groupId: r.groupId, kind: r.kind, status: r.status, channel: r.channel, memberCount: r.memberCount,
    fields: parseFields(r.fields), description: r.description, publicProfile: r.publicProfile,
    submittedAt: toApi(fromStored(r.submittedAt)), decidedAt: r.decidedAt === null ? null : toApi(fromStored(r.decidedAt)), reason: r.reason, validUntil: r.validUntil,
  };
}

const duplicateName = () => new ValidationError([{ path: 'name', message: 'a group with this name is already registered' }]);
const duplicateEmail = () => new ValidationError([{ path: 'representative.email', message: 'this e-mail address is already registered' }]);

/** Registration (利用登録): applications, review, renewal, suspension, lapse and data retention. */
export function makeRegistrationService(deps: Deps) {
  const { db, clock, config } = deps;

  function decide(actor: Actor, id: number, f: (tx: Tx, r: RegistrationRow, g: GroupRow, now: DateTime) => Record<string, unknown>) {
    return db.transaction((tx) => {
      const r = Number.isSafeInteger(id) ? findRegistration(tx, id) : undefined;
      if (!r) throw new NotFoundError('registration');
      if (r.status !== 'pending') throw new InvalidStateError(`the application is already ${r.status}`);
      return f(tx, r, findGroup(tx, r.groupId)!, clock());
    }, { behavior: 'immediate' });
  }

  return {
    /**
     * A group applies (online, or at the desk by staff, where the e-mail may be left out). The
     * group and its representative's account exist from now on, pending; a manager decides.
     */
    async apply(actor: Actor | null, body: unknown): Promise<{ id: number; groupId: number; status: 'pending' }> {
      const atDesk = isStaff(actor);
      const input = parseInput(atDesk ? DeskRegistrationInput : RegistrationInput, body);
      const rep = input.representative;
      if (groupByName(db, input.name)) throw duplicateName();
      if (rep.email && db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, rep.email)).get()) throw duplicateEmail();
      const passwordHash = rep.password ? await hashPassword(rep.password, config.scryptLogN) : null;
      return db.transaction((tx) => {
        // Checked again: two applications with one name race through the password hash.
        if (groupByName(tx, input.name)) throw duplicateName();
        if (rep.email && tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, rep.email)).get()) throw duplicateEmail();
        const now = toStored(clock());
        const fields = JSON.stringify(input.fields);
        const groupId = tx.insert(groups).values({
          name: input.name, kana: input.kana, type: input.type, status: 'pending', memberCount: input.memberCount,
          fields, description: input.description, publicProfile: input.publicProfile, phone: rep.phone, createdAt: now,
        }).returning({ id: groups.id }).get().id;
        const repId = tx.insert(accounts).values({
          role: 'member', name: rep.name, email: rep.email ?? null, phone: rep.phone, passwordHash, groupId, isRepresentative: true, createdAt: now,
        }).returning({ id: accounts.id }).get().id;
        const id = tx.insert(registrations).values({
          groupId, kind: 'new', status: 'pending', channel: atDesk ? 'desk' : 'online', memberCount: input.memberCount, fields,
          description: input.description, publicProfile: input.publicProfile, attestedAt: now,
          submittedBy: atDesk ? actor!.id : repId, submittedAt: now,
        }).returning({ id: registrations.id }).get().id;
        recordAudit(tx, { at: now, actorId: atDesk ? actor!.id : repId, action: 'registration.apply', entity: 'registration', entityId: id, detail: { groupId, channel: atDesk ? 'desk' : 'online' } });
        return { id, groupId, status: 'pending' as const };
      }, { behavior: 'immediate' });
    },

    /** The representative applies for the next fiscal year (from March 1), or a lapsed group again. */
    renew(actorOrNull: Actor | null, groupId: number, body: unknown) {
      const actor = requireActor(actorOrNull);
      return db.transaction((tx) => {
        const g = findGroup(tx, groupId);
        // Someone else's group is not found, whatever the body says.
        if (!g || !(isStaff(actor) || (actor.groupId === g.id))) throw new NotFoundError('group');
        const input = parseInput(RenewalInput, body);
        if (!isStaff(actor) && !actor.isRepresentative) throw new ForbiddenError('only the representative applies for renewal');
        const now = clock();
        const standing = groupStanding(tx, g.id)!;
        if (!canRenew(standing, tokyoDate(now))) throw new InvalidStateError(standing.renewalPending ? 'a renewal is already pending' : `renewal opens on March 1 of the last year (${g.validUntil ?? 'not registered'})`);
        const nowIso = toStored(now);
        const id = tx.insert(registrations).values({
          groupId: g.id, kind: 'renewal', status: 'pending', channel: isStaff(actor) ? 'desk' : 'online', memberCount: input.memberCount,
          fields: JSON.stringify(input.fields), description: input.description, publicProfile: input.publicProfile,
          attestedAt: nowIso, submittedBy: actor.id, submittedAt: nowIso,
        }).returning({ id: registrations.id }).get().id;
        recordAudit(tx, { at: nowIso, actorId: actor.id, action: 'registration.renew', entity: 'registration', entityId: id, detail: { groupId: g.id } });
        return { id, groupId: g.id, status: 'pending' as const };
      }, { behavior: 'immediate' });
    },

    /** The manager's queue (every status with `?status=`). */
    list(actorOrNull: Actor | null, status?: string) {
      requireManager(actorOrNull);
      const s = status === 'pending' || status === 'approved' || status === 'rejected' ? status : undefined;
      if (status !== undefined && s === undefined) throw new ValidationError([{ path: 'status', message: 'pending, approved or rejected' }]);
      return registrationsByStatus(db, s).map((r) => {
        const g = findGroup(db, r.groupId)!;
        return { ...registrationView(r), group: { id: g.id, name: g.name, kana: g.kana, type: g.type, status: g.status } };
      });
    },

    approve(actorOrNull: Actor | null, id: number): { groupId: number; validUntil: string } {
      const manager = requireManager(actorOrNull);
      return decide(manager, id, (tx, r, g, now) => {
        const validUntil = registrationValidUntil(tokyoDate(now));
        const nowIso = toStored(now);
        tx.update(registrations).set({ status: 'approved', decidedBy: manager.id, decidedAt: nowIso, validUntil }).where(eq(registrations.id, r.id)).run();
        tx.update(groups).set({
          status: 'active', validUntil, lapsedOn: null, statusReason: null,
          memberCount: r.memberCount, fields: r.fields, description: r.description, publicProfile: r.publicProfile,
        }).where(eq(groups.id, g.id)).run();
        recordAudit(tx, { at: nowIso, actorId: manager.id, action: 'registration.approve', entity: 'registration', entityId: r.id, detail: { groupId: g.id, validUntil } });
        return { groupId: g.id, validUntil };
      }) as { groupId: number; validUntil: string };
    },

    reject(actorOrNull: Actor | null, id: number, body: unknown): { id: number; status: 'rejected'; reason: string } {
      const manager = requireManager(actorOrNull);
      const { reason } = parseInput(ReasonInput, body);
      return decide(manager, id, (tx, r, g, now) => {
        const nowIso = toStored(now);
        const today = tokyoDate(now);
        tx.update(registrations).set({ status: 'rejected', decidedBy: manager.id, decidedAt: nowIso, reason }).where(eq(registrations.id, r.id)).run();
        if (r.kind === 'new') {
          tx.update(groups).set({ status: 'rejected', statusReason: reason }).where(eq(groups.id, g.id)).run();
        } else if (g.status === 'active' && g.validUntil !== null && today > g.validUntil) {
          // A renewal refused after March 31: the registration it kept alive ends now.
          tx.update(groups).set({ status: 'lapsed', lapsedOn: today, statusReason: reason }).where(eq(groups.id, g.id)).run();
        }
        recordAudit(tx, { at: nowIso, actorId: manager.id, action: 'registration.reject', entity: 'registration', entityId: r.id, detail: { groupId: g.id, reason } });
        return { id: r.id, status: 'rejected' as const, reason };
      }) as { id: number; status: 'rejected'; reason: string };
    },

    /** A manager suspends a group (it books as anyone else until reinstated). */
    suspend(actorOrNull: Actor | null, groupId: number, body: unknown) {
      const manager = requireManager(actorOrNull);
      const { reason } = parseInput(ReasonInput, body);
      return db.transaction((tx) => {
        const g = findGroup(tx, groupId);
        if (!g) throw new NotFoundError('group');
        if (g.status !== 'active') throw new InvalidStateError(`a ${g.status} group cannot be suspended`);
        const now = toStored(clock());
        tx.update(groups).set({ status: 'suspended', statusReason: reason }).where(eq(groups.id, g.id)).run();
        recordAudit(tx, { at: now, actorId: manager.id, action: 'group.suspend', entity: 'group', entityId: g.id, detail: { reason } });
        return { groupId: g.id, status: 'suspended' as const };
      }, { behavior: 'immediate' });
    },

    reinstate(actorOrNull: Actor | null, groupId: number) {
      const manager = requireManager(actorOrNull);
      return db.transaction((tx) => {
        const g = findGroup(tx, groupId);
        if (!g) throw new NotFoundError('group');
        if (g.status !== 'suspended') throw new InvalidStateError(`a ${g.status} group cannot be reinstated`);
        const now = toStored(clock());
        tx.update(groups).set({ status: 'active', statusReason: null }).where(eq(groups.id, g.id)).run();
        recordAudit(tx, { at: now, actorId: manager.id, action: 'group.reinstate', entity: 'group', entityId: g.id });
        return { groupId: g.id, status: 'active' as const };
      }, { behavior: 'immediate' });
    },

    setRetention(actorOrNull: Actor | null, body: unknown) {
      const manager = requireManager(actorOrNull);
      const input = parseInput(RetentionInput, body);
      const now = toStored(clock());
      db.transaction((tx) => {
        tx.insert(ruleSettings).values({ key: 'registration', valueJson: JSON.stringify(input), updatedAt: now })
          .onConflictDoUpdate({ target: ruleSettings.key, set: { valueJson: JSON.stringify(input), updatedAt: now } }).run();
        recordAudit(tx, { at: now, actorId: manager.id, action: 'settings.retention', entity: 'settings', entityId: 'registration', detail: input });
      }, { behavior: 'immediate' });
      return input;
    },

    /**
     * The yearly job: groups whose registration ran out without a pending renewal lapse; lapsed
     * groups past the retention period lose their personal data (names, contacts, logins).
     */
    runLapseAndRetention(now: DateTime = clock()): { lapsed: number[]; erased: number[] } {
      return db.transaction((tx) => {
        const today = tokyoDate(now);
        const nowIso = toStored(now);
        const lapsed: number[] = [];
        for (const g of tx.select().from(groups).where(eq(groups.status, 'active')).all()) {
          if (!hasLapsed(groupStanding(tx, g.id)!, today)) continue;
          tx.update(groups).set({ status: 'lapsed', lapsedOn: today }).where(eq(groups.id, g.id)).run();
          recordAudit(tx, { at: nowIso, actorId: null, action: 'group.lapse', entity: 'group', entityId: g.id, detail: { validUntil: g.validUntil } });
          lapsed.push(g.id);
        }
        const days = retentionDays(tx);
        const erased: number[] = [];
        const candidates = tx.select().from(groups).where(and(eq(groups.status, 'lapsed'), isNull(groups.personalDataDeletedAt))).all();
        for (const g of candidates) {
          if (!g.lapsedOn || today < personalDataDeletableOn(g.lapsedOn, days)) continue;
          const people = tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.groupId, g.id)).all();
          for (const p of people) {
            tx.delete(sessions).where(eq(sessions.accountId, p.id)).run();
            tx.update(accounts).set({ name: '（削除済み）', email: null, phone: null, passwordHash: null, disabledAt: nowIso }).where(eq(accounts.id, p.id)).run();
          }
          tx.update(groups).set({ phone: null, personalDataDeletedAt: nowIso }).where(eq(groups.id, g.id)).run();
          recordAudit(tx, { at: nowIso, actorId: null, action: 'group.erase_personal_data', entity: 'group', entityId: g.id, detail: { accounts: people.length, retentionDays: days } });
          erased.push(g.id);
        }
        return { lapsed, erased };
      }, { behavior: 'immediate' });
    },

    /** How long personal data of a lapsed group is kept, in days (stated on the application form). */
    retentionDays(): number {
      return retentionDays(db);
    },

    /** Whether a group counts as registered today. */
    isRegistered(tx: Tx, groupId: number, today: string): boolean {
      const standing = groupStanding(tx, groupId);
      return standing !== undefined && isRegisteredOn(standing, today);
    },

    pendingRenewalOf(groupId: number) {
      const r = pendingRenewal(db, groupId);
      return r ? registrationView(r) : null;
    },
  };
}

export type RegistrationService = ReturnType<typeof makeRegistrationService>;
