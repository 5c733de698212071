import type { FastifyPluginAsync } from 'fastify';
import authRoutes from './auth.js';
import spaceRoutes from './spaces.js';
import bookingRoutes from './bookings.js';
import groupRoutes from './groups.js';
import deskRoutes from './desk.js';
import opinionRoutes from './opinions.js';
import loanRoutes from './loans.js';
import { ProblemError } from '../../errors.js';

/** The JSON API (API.md). Encapsulated: its hooks apply to /api/v1 only. */
const api: FastifyPluginAsync = async (app) => {
  // A cookie-authenticated write must be JSON: a cross-site HTML form cannot send that (CSRF).
  app.addHook('preValidation', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    const type = request.headers['content-type'];
    // An HTML form with no fields still sends its content type: with the cookie, that is a write too.
    const formLike = type !== undefined && request.authVia === 'cookie';
    if ((hasBody || formLike) && !/^application\/json\s*(;|$)/i.test(type ?? '')) {
      throw new ProblemError('unsupported_media_type', 'send the body as application/json');
    }
  });
  await app.register(authRoutes);
  await app.register(spaceRoutes);
  await app.register(bookingRoutes);
  await app.register(groupRoutes);
  await app.register(deskRoutes);
  await app.register(opinionRoutes);
  await app.register(loanRoutes);
};

export default api;
