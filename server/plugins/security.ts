import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
  // As frame-ancestors 'none', for browsers that only read X-Frame-Options (helmet's default is SAMEORIGIN).
  frameguard: { action: 'deny' },
  crossOriginEmbedderPolicy: false,
  hsts: false,
};

/**
 * The headers helmet sets with these options, computed once. Our policy never depends on the
 * request (no nonces), and @fastify/helmet rebuilt the whole middleware, CSP parsing included,
 * on every request — a measurable share of a cheap request's cost.
 */
export function securityHeaders(): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) { headers.push([name, String(value)]); },
    removeHeader() {},
  };
  helmet(OPTIONS)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => { if (err) throw err; });
  return headers;
}

/** Security headers: a strict CSP with no inline script, nosniff, no framing, no referrer leaks, no caching of signed-in answers. */
export default fp(async (app) => {
  const headers = securityHeaders();
  if (!headers.some(([name]) => name.toLowerCase() === 'content-security-policy')) throw new Error('helmet set no CSP');
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });

  // An answer to a signed-in request (a page, API JSON, a redirect) holds personal data or depends
  // on who asked: no browser or proxy may store it (the center's computers are shared). Answers
  // that chose their caching (assets, feeds, documents) keep it.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.actor && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}, { name: 'security' });
