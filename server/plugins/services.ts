import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Db } from '../../db/client.js';
import { makeServices, type Services } from '../services/index.js';
import type { Clock } from '../services/context.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    clock: Clock;
    config: Config;
    services: Services;
  }
}

/** The database, the clock and the use cases, shared by every route. */
export default fp(async (app, opts: { db: Db; clock: Clock; config: Config }) => {
  app.decorate('db', opts.db);
  app.decorate('clock', opts.clock);
  app.decorate('config', opts.config);
  app.decorate('services', makeServices(opts));
}, { name: 'services' });
