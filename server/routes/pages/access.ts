import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../services/context.js';
import { translator, type MessageKey } from '../../i18n/index.js';

/**
 * Who may open a page. A page answers what a person can act on: an anonymous visitor is sent to
 * the login form and comes back; a logged-in person without the role sees a 403 page that says why.
 * (The services check again; these only choose the page.)
 */

/** 303 to the login form, coming back to this page (a GET) or to the page a form was on (a POST). */
export function toLogin(request: FastifyRequest, reply: FastifyReply, back = request.url): FastifyReply {
  return reply.code(303).header('location', `/login?next=${encodeURIComponent(back)}`).send();
}

/** The 403 page, with the sentence that says who may use it. */
export function forbiddenPage(reply: FastifyReply, message: MessageKey): Promise<FastifyReply> {
  const t = translator(reply.request.lang);
  return reply.page('errors/error', { status: 403, heading: t('error.forbiddenTitle'), message: t(message) }, 403);
}

/** The 404 page in the visitor's language, with a page's own heading and sentence when it has them. */
export function notFoundPage(reply: FastifyReply, heading: MessageKey = 'error.notFoundTitle', message: MessageKey = 'error.notFoundBody'): Promise<FastifyReply> {
  const t = translator(reply.request.lang);
  return reply.page('errors/error', { status: 404, heading: t(heading), message: t(message) }, 404);
}

/** A numeric id from a path parameter; anything else is -1, which no row has (the service answers 404). */
export function pathId(raw: string): number {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : -1;
}

/**
 * The logged-in individual or group member (the people who book for themselves), or null once the
 * reply has sent anyone else on: an anonymous visitor to the login form (back to this page, or to
 * `back` after a POST), staff and managers to a 403 page pointing them to the desk.
 */
export async function accountHolder(request: FastifyRequest, reply: FastifyReply, back: string): Promise<Actor | null> {
  const actor = request.actor;
  if (!actor) {
    await toLogin(request, reply, request.method === 'GET' ? request.url : back);
    return null;
  }
  if (actor.role !== 'individual' && actor.role !== 'member') {
    await forbiddenPage(reply, 'booking.forUsersOnly');
    return null;
  }
  return actor;
}
