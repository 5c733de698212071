import type { FastifyPluginAsync } from 'fastify';

const idOf = (params: unknown) => {
  const raw = (params as { id: string }).id;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : -1;
};
const queryOf = (query: unknown) => (typeof query === 'object' && query !== null ? query as Record<string, unknown> : {});

/**
 * The desk's and the manager's JSON (additions to API.md): the cash close, voids and refunds,
 * searches, the call list; staff accounts, tokens, the audit log, rates and rules.
 */
const deskRoutes: FastifyPluginAsync = async (app) => {
  const { desk, admin } = app.services;

  // ---- the desk (staff and managers) ----
  app.get('/cash-close', async (request) => desk.cashClose(request.actor, queryOf(request.query).date));
  app.post('/payments/:id/void', async (request, reply) => reply.code(201).send(desk.voidPayment(request.actor, idOf(request.params), request.body)));
  app.post('/bookings/:id/refunds', async (request, reply) => reply.code(201).send(desk.refund(request.actor, idOf(request.params), request.body)));
  app.post('/bookings/:id/contacted', async (request, reply) => {
    desk.markContacted(request.actor, idOf(request.params));
    return reply.code(204).send();
  });
  app.get('/desk/board', async (request) => desk.board(request.actor, queryOf(request.query).date));
  app.get('/desk/bookings', async (request) => desk.searchBookings(request.actor, queryOf(request.query).q));
  app.get('/desk/bookers', async (request) => desk.searchBookers(request.actor, queryOf(request.query).q));
  app.get('/desk/bookings/:id', async (request) => desk.booking(request.actor, idOf(request.params)));

  // ---- the manager's console ----
  app.get('/staff-accounts', async (request) => admin.staff(request.actor));
  app.post('/staff-accounts/:id/disable', async (request) => admin.disableStaff(request.actor, idOf(request.params)));
  app.post('/staff-accounts/:id/enable', async (request) => admin.enableStaff(request.actor, idOf(request.params)));
  app.get('/api-tokens', async (request) => admin.apiTokens(request.actor));
  app.post('/api-tokens/:id/revoke', async (request) => admin.revokeApiToken(request.actor, idOf(request.params)));
  app.get('/audit-log', async (request) => {
    const { entries, total, page, pages } = admin.audit(request.actor, request.query);
    return { entries, total, page, pages };
  });
  app.get('/rates', async (request) => admin.rates(request.actor));
  app.post('/rates', async (request, reply) => reply.code(201).send(admin.scheduleRate(request.actor, request.body)));
  app.get('/rules', async (request) => admin.rules(request.actor));
  app.put('/rules/:key', async (request) => admin.setRules(request.actor, (request.params as { key: string }).key, request.body));
};

export default deskRoutes;
