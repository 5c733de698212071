import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { canRenew, renewalOpensOn } from '../../domain/registration.js';
import { tokyoDate } from '../../domain/time.js';
import { ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../../errors.js';
import { translator } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import { groupFeedUrl } from '../calendars.js';
import type { Actor } from '../../services/context.js';
import { GROUP_TYPES } from '../../services/registration-input.js';
import { forbiddenPage, notFoundPage, pathId, toLogin } from './access.js';
import { formValues, seeOther, type FormErrors } from './forms.js';
import {
  ACCEPT_LABELS, INVITE_LABELS, PROFILE_LABELS, PROFILE_VALUES, acceptBody, profileBody, registrationErrors, renderRegistrationError,
} from './registration-form.js';

const MY_GROUP = '/my/group';
/** Invitation tokens are 32 random bytes in base64url (services/secrets.ts); anything else is no invitation. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

type GroupType = (typeof GROUP_TYPES)[number];
const isGroupType = (value: unknown): value is GroupType => typeof value === 'string' && (GROUP_TYPES as readonly string[]).includes(value);

/** A member's own group: the actor and its group id, or null once the reply says why not. */
type Member = Actor & { groupId: number };

/**
 * Groups as people see them: the public directory, a group's own page (profile, standing,
 * renewal, members) and joining a group through an invitation link.
 */
const groupPages: FastifyPluginAsync = async (app) => {
  const { groups, registrations } = app.services;

  app.get('/groups', async (request, reply) => {
    const asked = (request.query as Record<string, unknown> | undefined)?.type;
    const type = isGroupType(asked) ? asked : null;
    const all = groups.directory();
    return reply.page('groups/directory', {
      groups: type ? all.filter((g) => g.type === type) : all,
      total: all.length,
      type,
      groupTypes: GROUP_TYPES,
    });
  });

  /** The logged-in member, or null after sending anyone else on: to log in, or to a 404 (no group of theirs). */
  async function member(request: FastifyRequest, reply: FastifyReply, back = MY_GROUP): Promise<Member | null> {
    const actor = request.actor;
    if (!actor) {
      await toLogin(request, reply, back);
      return null;
    }
    if (actor.groupId === null) {
      await notFoundPage(reply);
      return null;
    }
    return { ...actor, groupId: actor.groupId };
  }

  /**
   * The group's page. `form` says which form failed: that form shows what was sent, the renewal
   * form otherwise starts from the group's current profile.
   */
  function groupPage(reply: FastifyReply, actor: Member, extra: { errors?: FormErrors; values?: Record<string, string>; form?: 'renewal' | 'invite' } = {}, status = 200) {
    const group = groups.get(actor, actor.groupId);
    const members = groups.members(actor, group.id);
    const today = tokyoDate(app.clock());
    const standing = { status: group.status, validUntil: group.validUntil, renewalPending: group.renewalPending };
    const renewal = group.renewalPending ? 'pending'
      : canRenew(standing, today) ? 'open'
      : group.status === 'active' && group.validUntil !== null ? 'later'
      : 'none';
    const current: Record<string, string> = {
      memberCount: String(group.memberCount),
      fields: group.fields.join('、'),
      description: group.description,
      ...(group.publicProfile ? { publicProfile: 'true' } : {}),
    };
    const values = extra.form === 'renewal' ? extra.values ?? {} : { ...current, ...extra.values };
    return reply.page('groups/mine', {
      group,
      members,
      renewal,
      renewalOpensOn: group.validUntil === null ? null : renewalOpensOn(group.validUntil),
      pastValidity: group.validUntil !== null && today > group.validUntil,
      isRepresentative: actor.isRepresentative,
      calendarIssued: app.services.feeds.groupTokenIssued(actor, group.id),
      errors: extra.errors ?? {},
      values,
    }, status);
  }

  app.get(MY_GROUP, async (request, reply) => {
    const actor = await member(request, reply);
    return actor ? groupPage(reply, actor) : reply;
  });

  app.post(`${MY_GROUP}/renewal`, { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await member(request, reply);
    if (!actor) return reply;
    const values = formValues(request.body, PROFILE_VALUES);
    try {
      registrations.renew(actor, actor.groupId, profileBody(request.body));
      return seeOther(reply, MY_GROUP, 'flash.renewalSubmitted');
    } catch (error) {
      if (error instanceof ValidationError) {
        return groupPage(reply, actor, { errors: registrationErrors(error, translator(request.lang), PROFILE_LABELS), values, form: 'renewal' }, 422);
      }
      if (error instanceof ForbiddenError) return forbiddenPage(reply, 'error.representativeOnly');
      // Not open yet, or already applied for: the page as it is now says which.
      if (error instanceof InvalidStateError) return groupPage(reply, actor, { errors: { _form: translator(request.lang)('problem.invalid_state') } }, 409);
      throw error;
    }
  });

  app.post(`${MY_GROUP}/invitations`, { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await member(request, reply);
    if (!actor) return reply;
    const values = formValues(request.body, ['email']);
    try {
      const { token, expiresAt } = groups.invite(actor, actor.groupId, { email: values.email });
      // Shown once, here: the token is stored hashed and cannot be shown again (so no redirect).
      const origin = `${app.config.cookieSecure ? 'https' : request.protocol}://${request.host}`;
      return reply.page('groups/invited', { email: (values.email ?? '').trim(), url: `${origin}/invitations/${token}`, expiresAt });
    } catch (error) {
      if (error instanceof ValidationError) {
        return groupPage(reply, actor, { errors: registrationErrors(error, translator(request.lang), INVITE_LABELS), values, form: 'invite' }, 422);
      }
      if (error instanceof ForbiddenError) return forbiddenPage(reply, 'error.representativeOnly');
      throw error;
    }
  });

  /** A new calendar feed address, shown once here: only its hash is kept (so no redirect). */
  app.post(`${MY_GROUP}/calendar-token`, { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await member(request, reply);
    if (!actor) return reply;
    try {
      const url = groupFeedUrl(request, app.services.feeds.issueGroupToken(actor, actor.groupId).token);
      return reply.page('groups/calendar-issued', { url, webcal: url.replace(/^https?:/, 'webcal:') });
    } catch (error) {
      if (error instanceof ForbiddenError) return forbiddenPage(reply, 'error.representativeOnly');
      throw error;
    }
  });

  type MemberParams = { Params: { accountId: string } };

  /** Removing a member asks first, on a page of its own (no script needed to confirm). */
  app.get<MemberParams>(`${MY_GROUP}/members/:accountId/remove`, async (request, reply) => {
    const actor = await member(request, reply);
    if (!actor) return reply;
    if (!actor.isRepresentative) return forbiddenPage(reply, 'error.representativeOnly');
    const id = pathId(request.params.accountId);
    const target = groups.members(actor, actor.groupId).find((m) => m.id === id && !m.isRepresentative);
    if (!target) return notFoundPage(reply);
    return reply.page('groups/remove-member', { target });
  });

  app.post<MemberParams>(`${MY_GROUP}/members/:accountId/remove`, { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await member(request, reply);
    if (!actor) return reply;
    try {
      groups.removeMember(actor, actor.groupId, pathId(request.params.accountId));
      return seeOther(reply, MY_GROUP, 'flash.memberRemoved');
    } catch (error) {
      if (error instanceof ForbiddenError) return forbiddenPage(reply, 'error.representativeOnly');
      if (error instanceof InvalidStateError) {
        const t = translator(request.lang);
        return reply.page('errors/error', { status: 409, heading: t('error.title'), message: t('removeMember.representative') }, 409);
      }
      throw error;
    }
  });

  type TokenParams = { Params: { token: string } };
  const invalidInvitation = (reply: FastifyReply) => notFoundPage(reply, 'invitation.invalidTitle', 'invitation.invalidBody');

  app.get<TokenParams>('/invitations/:token', async (request, reply) => {
    if (!TOKEN.test(request.params.token)) return invalidInvitation(reply);
    try {
      const invitation = groups.invitation(request.params.token);
      return reply.page('groups/invitation', { token: request.params.token, invitation });
    } catch (error) {
      if (error instanceof NotFoundError) return invalidInvitation(reply);
      throw error;
    }
  });

  app.post<TokenParams>('/invitations/:token', { preHandler: verifyCsrf }, async (request, reply) => {
    const { token } = request.params;
    if (!TOKEN.test(token)) return invalidInvitation(reply);
    const values = formValues(request.body, ['name', 'phone']);
    try {
      await groups.acceptInvitation(token, acceptBody(request.body));
      return seeOther(reply, '/login', 'flash.invitationAccepted');
    } catch (error) {
      if (error instanceof NotFoundError) return invalidInvitation(reply);
      return renderRegistrationError(reply, 'groups/invitation', error, { labels: ACCEPT_LABELS, values, data: { token } });
    }
  });
};

export default groupPages;
