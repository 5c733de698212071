import type { FastifyPluginAsync } from 'fastify';
import { sessionToken } from '../../plugins/auth.js';

const authRoutes: FastifyPluginAsync = async (app) => {
  const { auth } = app.services;

  app.post('/auth/login', async (request, reply) => {
    const { token, actor, expiresAt } = await auth.login(request.body, request.ip);
    reply.setSession(token, expiresAt);
    return { user: { id: actor.id, role: actor.role, groupId: actor.groupId } };
  });

  app.post('/auth/logout', async (request, reply) => {
    const token = sessionToken(request);
    if (token) auth.logout(token);
    reply.clearSession();
    return reply.code(204).send();
  });

  app.post('/accounts', async (request, reply) => {
    const created = await auth.createIndividual(request.body);
    return reply.code(201).send(created);
  });

  app.post('/staff-accounts', async (request, reply) => {
    const created = await auth.createStaff(request.actor, request.body);
    return reply.code(201).send(created);
  });

  app.post('/api-tokens', async (request, reply) => {
    return reply.code(201).send(auth.issueApiToken(request.actor, request.body));
  });
};

export default authRoutes;
