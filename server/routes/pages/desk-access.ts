import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStaff, type Actor } from '../../services/context.js';
import type { SpaceService } from '../../services/spaces.js';
import { forbiddenPage, toLogin } from './access.js';
import { safeNext } from './forms.js';

/**
 * The desk's pages are for staff and managers: an anonymous visitor logs in first (coming back
 * here), anyone else is told the page is not theirs. The services check the role again.
 */
export async function staffOnly(request: FastifyRequest, reply: FastifyReply, back = '/desk'): Promise<Actor | null> {
  const actor = request.actor;
  if (!actor) {
    await toLogin(request, reply, request.method === 'GET' ? request.url : back);
    return null;
  }
  if (!isStaff(actor)) {
    await forbiddenPage(reply, 'desk.staffOnly');
    return null;
  }
  return actor;
}

/** Managers only, as `staffOnly`. */
export async function managerOnly(request: FastifyRequest, reply: FastifyReply, back = '/manage'): Promise<Actor | null> {
  const actor = request.actor;
  if (!actor) {
    await toLogin(request, reply, request.method === 'GET' ? request.url : back);
    return null;
  }
  if (actor.role !== 'manager') {
    await forbiddenPage(reply, 'error.managersOnly');
    return null;
  }
  return actor;
}

/** Space slug → its name in the page's language. */
export function spaceNames(spaces: SpaceService, request: FastifyRequest, date?: string): Record<string, string> {
  return Object.fromEntries(spaces.list(date).map((s) => [s.slug, request.lang === 'en' ? s.nameEn : s.name]));
}

/** Where to go back to after a desk form: a desk page named by the form's `next`, or the fallback. */
export function backTo(body: unknown, fallback: string): string {
  const next = safeNext((body as Record<string, unknown> | undefined)?.next);
  return next !== null && (next === '/desk' || next.startsWith('/desk?') || next.startsWith('/desk/')) ? next : fallback;
}

/** A whole number typed at the desk: full-width digits, spaces and separators are fine. */
export function yenOrCount(raw: unknown): number | null {
  if (typeof raw !== 'string') return null;
  const normalized = raw.normalize('NFKC').trim().replace(/[,\s¥円]/g, '');
  return /^\d{1,9}$/.test(normalized) ? Number(normalized) : null;
}
