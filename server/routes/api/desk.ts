import type { FastifyPluginAsync } from 'fastify';

const idOf = (params: unknown) => {
  const raw = (params as { id: string }).id;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : -1;
};
const queryOf = (query: unknown) => (typeof query === 'object' && query !== null ? query as Record<string, unknown> : {});

/**
 * The desk's and the manager's JSON (additions to API.md): the cash close, voids and refunds,
 * searches, the call list; staff accounts, tokens, the audit log, rates, rules and the spaces' settings.
 */
const deskRoutes: FastifyPluginAsync = async (app) => {
  const { desk, admin, rules, spaceAdmin } = app.services;

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

  // The rules by section, each version in force from its date (a PUT without `effectiveFrom` starts today).
  app.get('/rules', async (request) => rules.list(request.actor));
  app.get<{ Params: { key: string } }>('/rules/:key', async (request) => rules.get(request.actor, request.params.key));
  app.put<{ Params: { key: string } }>('/rules/:key', async (request) => rules.set(request.actor, request.params.key, request.body));
  app.delete<{ Params: { key: string; date: string } }>('/rules/:key/versions/:date', async (request, reply) => {
    rules.withdraw(request.actor, request.params.key, request.params.date);
    return reply.code(204).send();
  });

  // The spaces: names at once; capacity, season and group quota from a date; parts.
  app.get('/space-settings', async (request) => spaceAdmin.list(request.actor));
  app.get<{ Params: { slug: string } }>('/spaces/:slug/settings', async (request) => spaceAdmin.get(request.actor, request.params.slug));
  app.patch<{ Params: { slug: string } }>('/spaces/:slug', async (request) => spaceAdmin.rename(request.actor, request.params.slug, request.body));
  app.post<{ Params: { slug: string } }>('/spaces/:slug/versions', async (request, reply) =>
    reply.code(201).send(spaceAdmin.scheduleTerms(request.actor, request.params.slug, request.body)));
  app.delete<{ Params: { slug: string; date: string } }>('/spaces/:slug/versions/:date', async (request, reply) => {
    spaceAdmin.withdrawTerms(request.actor, request.params.slug, request.params.date);
    return reply.code(204).send();
  });
  app.put<{ Params: { slug: string } }>('/spaces/:slug/parts', async (request) => spaceAdmin.setParts(request.actor, request.params.slug, request.body));
};

export default deskRoutes;
