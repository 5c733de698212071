import type { FastifyPluginAsync } from 'fastify';

const spaceRoutes: FastifyPluginAsync = async (app) => {
  const { spaces } = app.services;

  app.get('/spaces', async () =>
    spaces.list().map((s) => ({ slug: s.slug, name: s.name, capacity: s.capacity, parts: s.parts, ratesYen: s.ratesYen })));

  app.get('/calendar', async (request) =>
    spaces.calendar(request.query).map((d) => ({ date: d.date, open: d.open, close: d.close, closed: d.closed, holiday: d.holiday, reason: d.reason })));

  app.get('/availability', async (request) => {
    const a = spaces.availability(request.query);
    return { date: a.date, open: a.open, close: a.close, closed: a.closed, reason: a.reason, busy: a.busy, free: a.free };
  });
};

export default spaceRoutes;
