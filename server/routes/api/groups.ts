import type { FastifyPluginAsync } from 'fastify';
import { groupFeedUrl } from '../calendars.js';

const num = (raw: string) => (/^\d{1,15}$/.test(raw) ? Number(raw) : -1);

/** Registrations (利用登録) and groups (API.md: registrations, groups). */
const groupRoutes: FastifyPluginAsync = async (app) => {
  const { registrations, groups } = app.services;
  type Id = { Params: { id: string } };

  app.post('/registrations', async (request, reply) => reply.code(201).send(await registrations.apply(request.actor, request.body)));
  app.get<{ Querystring: { status?: string } }>('/registrations', async (request) => registrations.list(request.actor, request.query.status));
  app.post<Id>('/registrations/:id/approve', async (request) => registrations.approve(request.actor, num(request.params.id)));
  app.post<Id>('/registrations/:id/reject', async (request) => registrations.reject(request.actor, num(request.params.id), request.body));

  app.get('/groups', async () => groups.directory());
  app.get<Id>('/groups/:id', async (request) => groups.get(request.actor, num(request.params.id)));
  app.post<Id>('/groups/:id/renewal', async (request, reply) => reply.code(201).send(registrations.renew(request.actor, num(request.params.id), request.body)));
  app.post<Id>('/groups/:id/suspend', async (request) => registrations.suspend(request.actor, num(request.params.id), request.body));
  app.post<Id>('/groups/:id/reinstate', async (request) => registrations.reinstate(request.actor, num(request.params.id)));
  app.get<Id>('/groups/:id/members', async (request) => groups.members(request.actor, num(request.params.id)));
  app.post<Id>('/groups/:id/invitations', async (request, reply) => {
    const { token, expiresAt } = groups.invite(request.actor, num(request.params.id), request.body);
    return reply.code(201).send({ token, expiresAt, acceptUrl: `/invitations/${token}` });
  });
  app.post<Id>('/groups/:id/calendar-token', async (request, reply) => {
    const { token } = app.services.feeds.issueGroupToken(request.actor, num(request.params.id));
    return reply.code(201).send({ url: groupFeedUrl(request, token) });
  });
  app.delete<{ Params: { id: string; accountId: string } }>('/groups/:id/members/:accountId', async (request) =>
    groups.removeMember(request.actor, num(request.params.id), num(request.params.accountId)));
  app.post<{ Params: { token: string } }>('/invitations/:token/accept', async (request, reply) =>
    reply.code(201).send(await groups.acceptInvitation(request.params.token, request.body)));

  app.get('/notices', async () => app.services.notices.current());
  app.post('/notices', async (request, reply) => reply.code(201).send(app.services.notices.create(request.actor, request.body)));
  app.delete<Id>('/notices/:id', async (request) => app.services.notices.remove(request.actor, num(request.params.id)));

  app.put('/settings/registration', async (request) => registrations.setRetention(request.actor, request.body));
};

export default groupRoutes;
