import type { FastifyPluginAsync } from 'fastify';

const num = (raw: string) => (/^\d{1,15}$/.test(raw) ? Number(raw) : -1);

/** 意見箱 (API.md: opinions). The address only feeds the in-memory rate limit; it is never stored. */
const opinionRoutes: FastifyPluginAsync = async (app) => {
  const { opinions } = app.services;
  type Id = { Params: { id: string } };

  app.post('/opinions', async (request, reply) => reply.code(201).send(opinions.submit(request.body, request.ip)));
  app.get<{ Querystring: { status?: string; category?: string } }>('/opinions', async (request) => opinions.list(request.actor, request.query));
  app.get('/opinions/published', async () => opinions.published());
  app.get<Id>('/opinions/:id', async (request) => opinions.get(request.actor, num(request.params.id)));
  app.post<Id>('/opinions/:id/answer', async (request) => opinions.answer(request.actor, num(request.params.id), request.body));
  app.post<Id>('/opinions/:id/status', async (request) => opinions.setStatus(request.actor, num(request.params.id), request.body));
  app.put('/settings/opinions', async (request) => opinions.setRetention(request.actor, request.body));
};

export default opinionRoutes;
