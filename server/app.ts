import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { parse as parseQueryString } from 'node:querystring';
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
  const requestTimeout = opts.config.requestTimeoutSeconds * 1000;
  const app = Fastify({
    logger: opts.config.logLevel === 'silent' ? false : { level: opts.config.logLevel },
    // JSON bodies; forms have their own, smaller limit (formbody below).
    bodyLimit: 256 * 1024,
    // A number of hops trusts that many proxies from this server outwards (proxy-addr's hop index).
    trustProxy: typeof opts.config.trustProxy === 'number'
      ? ((hops: number) => (_address: string, hop: number) => hop < hops)(opts.config.trustProxy)
      : opts.config.trustProxy,
    // A client that stops sending (slow headers, a body that never ends) is answered 408 and cut off
    // once the whole request has taken longer than this (REQUEST_TIMEOUT_SECONDS)…
    requestTimeout,
    // …and a socket with no traffic either way for twice as long (a vanished client) is closed.
    connectionTimeout: 2 * requestTimeout,
    http: {
      headersTimeout: Math.min(60_000, requestTimeout),
      // Node looks for overdue requests every 30 s by default, which would let a 1 s timeout run 30.
      connectionsCheckingInterval: Math.min(5_000, Math.max(250, requestTimeout / 4)),
    },
    // While shutting down, in-flight requests finish; new ones on kept-alive sockets get 503.
    return503OnClosing: true,
  });

  // JSON bodies: an empty body is `{}` (a POST that needs no body), anything unreadable is a 400.
  // Bytes are decoded strictly: Node's lenient decoding would store U+FFFD for bytes nobody typed.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const text = utf8(body as Buffer)?.trim();
    if (text === undefined) return done(new ProblemError('bad_request', 'the body is not valid UTF-8'), undefined);
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
  await app.register(formbody, { bodyLimit: 64 * 1024, parser: parseFormBody });
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

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or undefined when they are not UTF-8 (a leading BOM is dropped). */
function utf8(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A form body (`application/x-www-form-urlencoded`). Browsers send it as ASCII with every other
 * byte percent-encoded as UTF-8; raw bytes that are not UTF-8 (formbody hands them over as U+FFFD),
 * a percent-encoded sequence that is not UTF-8 (`%FF`) or a stray `%` is a body nobody typed: 400.
 */
function parseFormBody(text: string): Record<string, string | string[]> {
  const unreadable = () => new ProblemError('bad_request', 'the form is not valid UTF-8');
  if (text.includes('\uFFFD')) throw unreadable();
  for (const part of text.split(/[&=]/)) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw unreadable();
    }
  }
  return parseQueryString(text, '&', '=', { maxKeys: 0 }) as Record<string, string | string[]>;
}

