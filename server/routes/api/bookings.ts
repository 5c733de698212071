import type { FastifyPluginAsync } from 'fastify';
import { sendDocument } from '../reports.js';

const confirmed = (query: unknown) => (query as { confirm?: string } | undefined)?.confirm === 'true';
/** `?preview=true`: run every check and answer what would happen, storing nothing. */
const preview = (query: unknown) => ({ dryRun: (query as { preview?: string } | undefined)?.preview === 'true' });
const idOf = (params: unknown) => {
  const raw = (params as { id: string }).id;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : -1;
};

const bookingRoutes: FastifyPluginAsync = async (app) => {
  const { bookings, bookingLife, closures, documents } = app.services;

  app.post('/quotes', async (request) => bookings.quote(request.actor, request.body));

  app.post('/bookings', async (request, reply) => {
    const options = preview(request.query);
    return reply.code(options.dryRun ? 200 : 201).send(bookings.create(request.actor, request.body, options));
  });
  app.get('/bookings', async (request) => bookings.list(request.actor, request.query));
  app.get('/bookings/:id', async (request) => bookings.get(request.actor, idOf(request.params)));
  app.patch('/bookings/:id', async (request) => bookingLife.change(request.actor, idOf(request.params), request.body, preview(request.query)));
  app.post('/bookings/:id/cancel', async (request) => bookingLife.cancel(request.actor, idOf(request.params), request.body, preview(request.query)));
  app.post('/bookings/:id/exemption', async (request) => bookingLife.setExemption(request.actor, idOf(request.params), request.body));
  app.post('/bookings/:id/payments', async (request, reply) => reply.code(201).send(bookingLife.pay(request.actor, idOf(request.params), request.body)));
  app.post('/bookings/:id/check-in', async (request) => bookingLife.checkIn(request.actor, idOf(request.params), request.body));
  app.get('/bookings/:id/permit.pdf', async (request, reply) => sendDocument(reply, await documents.permit(request.actor, idOf(request.params))));
  app.get<{ Params: { file: string } }>('/receipts/:file', async (request, reply) =>
    sendDocument(reply, await documents.receipt(request.actor, request.params.file.endsWith('.pdf') ? request.params.file.slice(0, -4) : '')));

  app.put('/calendar/:date', async (request) =>
    closures.setDay(request.actor, (request.params as { date: string }).date, request.body, confirmed(request.query)));
  app.post('/spaces/:slug/blocks', async (request, reply) =>
    reply.code(201).send(closures.addBlock(request.actor, (request.params as { slug: string }).slug, request.body, confirmed(request.query))));
};

export default bookingRoutes;
