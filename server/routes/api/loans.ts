import type { FastifyPluginAsync } from 'fastify';

const num = (raw: string) => (/^\d{1,15}$/.test(raw) ? Number(raw) : -1);

/** Equipment, loans and damage cases (API.md: equipment, loans, damage cases). */
const loanRoutes: FastifyPluginAsync = async (app) => {
  const { loans } = app.services;
  type Id = { Params: { id: string } };

  app.get('/equipment', async () => loans.catalog());
  app.get('/equipment/availability', async (request) => loans.availability(request.query));
  app.get('/equipment/units', async (request) => loans.units(request.actor));
  app.post<{ Params: { type: string } }>('/equipment/:type/units', async (request, reply) => reply.code(201).send(loans.addUnit(request.actor, request.params.type, request.body)));
  app.post<{ Params: { tag: string } }>('/equipment/units/:tag/state', async (request) => loans.setUnit(request.actor, request.params.tag, request.body));

  app.post('/loans', async (request, reply) => reply.code(201).send(loans.create(request.actor, request.body)));
  app.get('/loans', async (request) => loans.list(request.actor, request.query));
  app.get<Id>('/loans/:id', async (request) => loans.get(request.actor, num(request.params.id)));
  app.post<Id>('/loans/:id/cancel', async (request) => loans.cancel(request.actor, num(request.params.id)));
  app.post<Id>('/loans/:id/checkout', async (request) => loans.checkout(request.actor, num(request.params.id), request.body));
  app.post<Id>('/loans/:id/return', async (request) => loans.return(request.actor, num(request.params.id), request.body));
  app.post<Id>('/loans/:id/clear-flag', async (request) => loans.clearFlag(request.actor, num(request.params.id)));

  app.get<{ Querystring: { status?: string } }>('/damage-cases', async (request) => loans.cases(request.actor, request.query));
  app.get<Id>('/damage-cases/:id', async (request) => loans.getCase(request.actor, num(request.params.id)));
  app.post<Id>('/damage-cases/:id/assess', async (request) => loans.assess(request.actor, num(request.params.id), request.body));
  app.post<Id>('/damage-cases/:id/settle', async (request) => loans.settle(request.actor, num(request.params.id), request.body));
  app.post<Id>('/damage-cases/:id/waive', async (request) => loans.waive(request.actor, num(request.params.id), request.body));
};

export default loanRoutes;
