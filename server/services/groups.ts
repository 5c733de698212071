import { and, eq, gt, isNull } from 'drizzle-orm';
import { accounts, groupInvitations, sessions } from '../../db/schema.js';
import { isRegisteredOn } from '../domain/registration.js';
import { fromStored, toApi, toStored, tokyoDate } from '../domain/time.js';
import { ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { activeGroups, findGroup, manageableGroups, groupStanding, membersOf, registrationsOfGroup, type GroupRow, parseFields } from '../repositories/groups.js';
import { isStaff, requireActor, requireManager, type Actor, type Deps } from './context.js';
import { AcceptInput, InvitationInput } from './registration-input.js';
import { registrationView } from './registrations.js';
import { hashPassword, hashToken, newToken } from './secrets.js';
import { parseInput } from './validate.js';

const INVITATION_DAYS = 7;

/** Groups: the public directory, a group's own page, and its members. */
export function makeGroupService(deps: Deps) {
  const { db, clock, config } = deps;

  /** The group if the actor belongs to it or is staff; anyone else gets 404. */
  function ownGroup(actor: Actor, groupId: number): GroupRow {
    const g = Number.isSafeInteger(groupId) ? findGroup(db, groupId) : undefined;
    if (!g || !(isStaff(actor) || actor.groupId === g.id)) throw new NotFoundError('group');
    return g;
  }

  function requireRepresentative(actor: Actor, g: GroupRow): void {
    if (!(actor.role === 'manager' || (actor.groupId === g.id && actor.isRepresentative))) {
      throw new ForbiddenError('only the representative or a manager manages members');
    }
  }

  return {
    /** The public directory: approved, currently registered groups that opted in. Never people or contacts. */
    directory() {
      const today = tokyoDate(clock());
      return activeGroups(db)
        .filter((g) => g.publicProfile && isRegisteredOn(groupStanding(db, g.id)!, today))
        .map((g) => ({ id: g.id, name: g.name, type: g.type, fields: parseFields(g.fields), description: g.description }));
    },

    /** For a manager: active and suspended groups (to suspend or reinstate), found by name, kana or number. */
    manageable(actorOrNull: Actor | null, query = '') {
      requireManager(actorOrNull);
      const today = tokyoDate(clock());
      return manageableGroups(db, query.slice(0, 100)).map((g) => ({
        id: g.id, name: g.name, kana: g.kana, type: g.type, status: g.status, statusReason: g.statusReason, validUntil: g.validUntil,
        registered: isRegisteredOn(groupStanding(db, g.id)!, today),
      }));
    },

    /** A group's own view: profile, validity, standing, registrations. */
    get(actorOrNull: Actor | null, groupId: number) {
      const actor = requireActor(actorOrNull);
      const g = ownGroup(actor, groupId);
      const standing = groupStanding(db, g.id)!;
      return {
        id: g.id, name: g.name, kana: g.kana, type: g.type, status: g.status, statusReason: g.statusReason,
        validUntil: g.validUntil, registered: isRegisteredOn(standing, tokyoDate(clock())), renewalPending: standing.renewalPending,
        memberCount: g.memberCount, fields: parseFields(g.fields), description: g.description, publicProfile: g.publicProfile,
        registrations: registrationsOfGroup(db, g.id).map(registrationView),
      };
    },

    members(actorOrNull: Actor | null, groupId: number) {
      const actor = requireActor(actorOrNull);
      const g = ownGroup(actor, groupId);
      return membersOf(db, g.id).map((m) => ({ id: m.id, name: m.name, email: m.email, isRepresentative: m.isRepresentative }));
    },

    /** The representative invites a member by e-mail; the link carries a one-time token valid 7 days. */
    invite(actorOrNull: Actor | null, groupId: number, body: unknown): { token: string; expiresAt: string } {
      const actor = requireActor(actorOrNull);
      const g = ownGroup(actor, groupId);
      requireRepresentative(actor, g);
      const { email } = parseInput(InvitationInput, body);
      if (db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email)).get()) {
        throw new ValidationError([{ path: 'email', message: 'this e-mail address already has an account' }]);
      }
      const token = newToken();
      const now = clock();
      const expiresAt = toStored(now.plus({ days: INVITATION_DAYS }));
      db.transaction((tx) => {
        const id = tx.insert(groupInvitations).values({ groupId: g.id, tokenHash: hashToken(token), email, createdBy: actor.id, createdAt: toStored(now), expiresAt })
          .returning({ id: groupInvitations.id }).get().id;
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'group.invite', entity: 'group', entityId: g.id, detail: { invitation: id, email } });
      }, { behavior: 'immediate' });
      return { token, expiresAt: toApi(now.plus({ days: INVITATION_DAYS })) };
    },

    /** A usable invitation's group and e-mail (for the joining page), or 404 for an unknown, used or expired one. */
    invitation(token: string): { groupName: string; email: string; expiresAt: string } {
      const inv = db.select().from(groupInvitations).where(and(
        eq(groupInvitations.tokenHash, hashToken(token)), isNull(groupInvitations.acceptedBy), isNull(groupInvitations.revokedAt),
        gt(groupInvitations.expiresAt, toStored(clock())),
      )).get();
      if (!inv) throw new NotFoundError('invitation');
      return { groupName: findGroup(db, inv.groupId)!.name, email: inv.email, expiresAt: toApi(fromStored(inv.expiresAt)) };
    },

    /** Someone invited sets a name and password and becomes a member. */
    async acceptInvitation(token: string, body: unknown): Promise<{ id: number; groupId: number }> {
      const input = parseInput(AcceptInput, body);
      const now = clock();
      const find = () => db.select().from(groupInvitations).where(and(
        eq(groupInvitations.tokenHash, hashToken(token)), isNull(groupInvitations.acceptedBy), isNull(groupInvitations.revokedAt),
        gt(groupInvitations.expiresAt, toStored(now)),
      )).get();
      if (!find()) throw new NotFoundError('invitation');
      const passwordHash = await hashPassword(input.password, config.scryptLogN);
      return db.transaction((tx) => {
        const inv = find();
        if (!inv) throw new NotFoundError('invitation');
        if (tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, inv.email)).get()) {
          throw new ValidationError([{ path: 'email', message: 'this e-mail address already has an account' }]);
        }
        const nowIso = toStored(now);
        const id = tx.insert(accounts).values({ role: 'member', name: input.name, email: inv.email, phone: input.phone ?? null, passwordHash, groupId: inv.groupId, createdAt: nowIso })
          .returning({ id: accounts.id }).get().id;
        tx.update(groupInvitations).set({ acceptedBy: id }).where(eq(groupInvitations.id, inv.id)).run();
        recordAudit(tx, { at: nowIso, actorId: id, action: 'group.join', entity: 'group', entityId: inv.groupId, detail: { invitation: inv.id } });
        return { id, groupId: inv.groupId };
      }, { behavior: 'immediate' });
    },

    /** The representative removes a member: the account is disabled and its sessions end; its bookings stay the group's. */
    removeMember(actorOrNull: Actor | null, groupId: number, accountId: number) {
      const actor = requireActor(actorOrNull);
      const g = ownGroup(actor, groupId);
      requireRepresentative(actor, g);
      return db.transaction((tx) => {
        const m = tx.select().from(accounts).where(and(eq(accounts.id, accountId), eq(accounts.groupId, g.id), isNull(accounts.disabledAt))).get();
        if (!m) throw new NotFoundError('member');
        if (m.isRepresentative) throw new InvalidStateError('the representative cannot be removed');
        const now = toStored(clock());
        tx.update(accounts).set({ disabledAt: now }).where(eq(accounts.id, m.id)).run();
        tx.delete(sessions).where(eq(sessions.accountId, m.id)).run();
        recordAudit(tx, { at: now, actorId: actor.id, action: 'group.remove_member', entity: 'group', entityId: g.id, detail: { accountId: m.id } });
        return { removed: m.id };
      }, { behavior: 'immediate' });
    },
  };
}

export type GroupService = ReturnType<typeof makeGroupService>;
