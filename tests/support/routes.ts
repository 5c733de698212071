import type { FastifyInstance, RouteOptions } from 'fastify';

type FastifyModule = { default: (...args: never[]) => FastifyInstance };

/**
 * Fastify's module with its factory wrapped so that every app it builds reports each route it
 * registers into `into`, as `METHOD /url` (HEAD routes, Fastify's copies of GETs, are left out).
 * `buildApp` creates its own instance, so a test can only see its routes by hooking the factory:
 *
 *   const routes = vi.hoisted(() => new Set<string>());
 *   vi.mock('fastify', async (original) =>
 *     (await import('../support/routes.js')).collectingRoutes(await original(), routes));
 */
export function collectingRoutes<M extends FastifyModule>(mod: M, into: Set<string>): M {
  const factory = mod.default as unknown as (...args: unknown[]) => FastifyInstance;
  const wrapped = (...args: unknown[]) => {
    const app = factory(...args);
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') into.add(`${method} ${route.url}`);
      }
    });
    return app;
  };
  return { ...mod, default: wrapped, fastify: wrapped };
}
