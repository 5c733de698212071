import type { FastifyPluginAsync } from 'fastify';

const spaceRoutes: FastifyPluginAsync = async (app) => {
  const { spaces } = app.services;

  app.get('/spaces', async () =>
    spaces.list().map((s) => ({ slug: s.slug, name: s.name, capacity: s.capacity, parts: s.parts, ratesYen: s.ratesYen })));

  app.get('/calendar', async (request) =>
    spaces.calendar(request.query).map((d) => ({ date: d.date, open: d.open, close: d.close, closed: d.closed, holiday: d.holiday, reason: d.reason })));

  // The service keeps answers while nothing changes; their JSON is kept with them.
  const serialized = new WeakMap<object, string>();
  app.get('/availability', async (request, reply) => {
    const a = spaces.availability(request.query);
    let body = serialized.get(a);
    if (body === undefined) {
      body = JSON.stringify({ date: a.date, open: a.open, close: a.close, closed: a.closed, reason: a.reason, busy: a.busy, free: a.free });
      serialized.set(a, body);
    }
    return reply.type('application/json; charset=utf-8').send(body);
  });
};

export default spaceRoutes;
