import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.js';
import type { Config } from './config.js';
import type { Clock } from './services/context.js';
import errors from './plugins/errors.js';
import security from './plugins/security.js';
import services from './plugins/services.js';
import auth from './plugins/auth.js';
import csrf from './plugins/csrf.js';
import view from './plugins/view.js';
import api from './routes/api/index.js';
import pages from './routes/pages/index.js';
import calendars from './routes/calendars.js';
import reports from './routes/reports.js';
import { ProblemError } from './errors.js';

export interface AppOptions {
  db: Db;
  clock: Clock;
  config: Config;
}

/** Builds the whole app as a plugin tree; never listens (main.ts does, tests inject). */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.config.logLevel === 'silent' ? false : { level: opts.config.logLevel },
    bodyLimit: 256 * 1024,
    trustProxy: opts.config.trustProxy,
    requestTimeout: 30_000,
    return503OnClosing: true,
  });

  // JSON bodies: an empty body is `{}` (a POST that needs no body), anything unreadable is a 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ProblemError('bad_request', 'the body is not valid JSON'), undefined);
    }
  });

  await app.register(errors);
  await app.register(security);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(services, opts);
  await app.register(auth);
  await app.register(csrf);
  await app.register(view);

  app.get('/healthz', async () => ({ status: 'ok' }));
  if (opts.config.benchRoutes) {
    // The baseline of the page benchmark: a bare Eta page with a 30-row escaped table.
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, name: `<利用者 ${i + 1}> & "団体"`, amount: `¥${(i * 1234).toLocaleString('ja-JP')}` }));
    app.get('/_bench/eta', async (_request, reply) => reply.type('text/html; charset=utf-8').send(await reply.viewAsync('bench/table', { rows })));
  }
  // Asset URLs carry a hash of the file (plugins/view.ts), so they may be cached for long.
  await app.register(fastifyStatic, {
    root: join(dirname(fileURLToPath(import.meta.url)), '..', 'static'), prefix: '/static/', index: false, maxAge: '365d', immutable: true,
  });
  await app.register(api, { prefix: '/api/v1' });
  await app.register(calendars);
  await app.register(reports, { prefix: '/reports' });
  await app.register(pages);
  return app;
}
