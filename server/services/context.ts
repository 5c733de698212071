import type { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Config } from '../config.js';
import type { ReferenceCache } from '../repositories/reference-cache.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';

export type Role = 'individual' | 'member' | 'staff' | 'manager';

/** Who is acting: a logged-in account, or null for an anonymous visitor. */
export interface Actor {
  id: number;
  role: Role;
  name: string;
  groupId: number | null;
  isRepresentative: boolean;
}

export type Clock = () => DateTime;

export interface Deps {
  db: Db;
  clock: Clock;
  config: Config;
  /** Rules, spaces and the opening calendar, cached; writes of those call `invalidate()`. */
  reference: ReferenceCache;
}

export function isStaff(actor: Actor | null): boolean {
  return actor !== null && (actor.role === 'staff' || actor.role === 'manager');
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new UnauthenticatedError();
  return actor;
}

export function requireStaff(actor: Actor | null): Actor {
  const a = requireActor(actor);
  if (!isStaff(a)) throw new ForbiddenError('staff only');
  return a;
}

export function requireManager(actor: Actor | null): Actor {
  const a = requireActor(actor);
  if (a.role !== 'manager') throw new ForbiddenError('managers only');
  return a;
}
