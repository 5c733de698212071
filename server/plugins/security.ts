import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/** Security headers: a strict CSP with no inline script, nosniff, no framing, no referrer leaks, no caching of signed-in answers. */
export default fp(async (app) => {
  await app.register(helmet, {
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
  });

  // An answer to a signed-in request (a page, API JSON, a redirect) holds personal data or depends
  // on who asked: no browser or proxy may store it (the center's computers are shared). Answers
  // that chose their caching (assets, feeds, documents) keep it.
  app.addHook('onSend', async (request, reply) => {
    if (request.actor && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}, { name: 'security' });
