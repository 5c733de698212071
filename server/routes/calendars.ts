import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { NotFoundError, ProblemError } from '../errors.js';
import type { Feed, FeedRequest } from '../services/feeds.js';

/** Feed requests one address may make a minute: calendar clients poll every few minutes at most. */
export const FEED_REQUESTS_PER_MINUTE = 120;
const MINUTE_MS = 60_000;
const ICS = /^(.+)\.ics$/;
/** A Host we are willing to write into links: a name or address and a port, nothing else. */
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The site's origin as the client reached it (https when the app says it is served so). */
export function siteOrigin(request: FastifyRequest): string | undefined {
  if (!SAFE_HOST.test(request.host)) return undefined;
  return `${request.server.config.cookieSecure ? 'https' : request.protocol}://${request.host}`;
}

/** The address of a group's private feed, to hand to a calendar app. */
export function groupFeedUrl(request: FastifyRequest, token: string): string {
  return `${siteOrigin(request) ?? ''}/calendars/groups/${token}.ics`;
}

/**
 * Requests per address in fixed one-minute windows, in memory: feeds are public and cost a query
 * and a render, so one address may not ask for them without end.
 */
class FeedLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: number) {}

  /** Seconds to wait when the address is over its limit, or 0 when the request may go on. */
  take(address: string, nowMs: number): number {
    let w = this.windows.get(address);
    if (!w || nowMs - w.start >= MINUTE_MS || nowMs < w.start) {
      if (this.windows.size >= 50_000) this.windows.clear(); // bounded memory under a spray of addresses
      w = { start: nowMs, count: 0 };
      this.windows.set(address, w);
    }
    w.count += 1;
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + MINUTE_MS - nowMs) / 1000)) : 0;
  }
}

/** If-None-Match (a list of tags, or `*`) wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2). */
function notModified(request: FastifyRequest, feed: Feed): boolean {
  const inm = request.headers['if-none-match'];
  if (inm !== undefined) {
    // Weak comparison: a W/ prefix (some proxies add it when they compress) still names our text.
    const tags = inm.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(feed.etag);
  }
  const ims = request.headers['if-modified-since'];
  if (ims === undefined) return false;
  let since: DateTime;
  try {
    since = DateTime.fromHTTP(ims, { zone: 'utc' });
  } catch {
    return false; // not a date (luxon throws on invalid dates here): answer in full
  }
  return feed.lastModified.toUTC().startOf('second') <= since;
}

function send(request: FastifyRequest, reply: FastifyReply, feed: Feed, cache: 'public' | 'private'): FastifyReply {
  reply
    .header('etag', feed.etag)
    .header('last-modified', feed.lastModified.toUTC().toHTTP())
    .header('cache-control', `${cache}, max-age=300`);
  if (notModified(request, feed)) return reply.code(304).send();
  return reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', `inline; filename="${feed.filename}"`)
    .send(feed.body);
}

/**
 * Calendar feeds (API.md, outside /api/v1): a space's public feed and a group's private one.
 * Errors answer as problem+json from the app's handler; an unknown space or token is a plain 404.
 */
const calendarRoutes: FastifyPluginAsync = async (app) => {
  const { feeds } = app.services;
  const limiter = new FeedLimiter(FEED_REQUESTS_PER_MINUTE);

  app.addHook('onRequest', async (request, reply) => {
    const wait = limiter.take(request.ip, app.clock().toMillis());
    if (wait > 0) {
      reply.header('cache-control', 'no-store');
      throw new ProblemError('rate_limited', 'too many calendar requests from this address; try again later', { retryAfter: wait });
    }
  });

  const about = (request: FastifyRequest): FeedRequest => {
    const origin = siteOrigin(request);
    return origin === undefined ? {} : { origin };
  };

  app.get<{ Params: { file: string } }>('/calendars/spaces/:file', async (request, reply) => {
    const slug = ICS.exec(request.params.file)?.[1];
    if (slug === undefined) throw new NotFoundError('calendar');
    return send(request, reply, feeds.spaceFeed(slug, about(request)), 'public');
  });

  // The token is the only key to a group's bookings: keep it out of the access log (info level).
  app.get<{ Params: { file: string } }>('/calendars/groups/:file', { logLevel: 'warn' }, async (request, reply) => {
    const token = ICS.exec(request.params.file)?.[1];
    if (token === undefined) throw new NotFoundError('calendar');
    return send(request, reply, feeds.groupFeed(token, about(request)), 'private');
  });
};

export default calendarRoutes;
