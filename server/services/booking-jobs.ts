import type { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import { isExpired, isNoShow } from '../domain/life.js';
import { fromStored, toStored } from '../domain/time.js';
import type { LifeRules } from '../domain/rules.js';
import { recordAudit } from '../repositories/audit.js';
import { dueForNoShow, overdueProvisional, updateBooking } from '../repositories/bookings.js';

/**
 * Expires unpaid provisional bookings past their deadline, releasing their slots. Runs inside
 * every booking write transaction (so a lapsed slot is free the moment it lapses) and from the
 * periodic job. Returns the ids it expired.
 */
export function expireOverdue(tx: Tx, now: DateTime, actorId: number | null): number[] {
  const expired: number[] = [];
  for (const b of overdueProvisional(tx, toStored(now))) {
    const deadline = b.deadlineAt === null ? null : fromStored(b.deadlineAt);
    if (!isExpired({ status: b.status, paymentStatus: b.paymentStatus, deadline, now })) continue;
    updateBooking(tx, b.id, { status: 'expired', updatedAt: toStored(now) });
    recordAudit(tx, { at: toStored(now), actorId, action: 'booking.expire', entity: 'booking', entityId: b.id, detail: { deadline: b.deadlineAt } });
    expired.push(b.id);
  }
  return expired;
}

/** Marks live bookings nobody checked in for within the grace period as no-shows. */
export function markNoShows(tx: Tx, now: DateTime, life: LifeRules): number[] {
  const cutoff = now.minus({ minutes: life.noShowAfterMinutes });
  const marked: number[] = [];
  for (const b of dueForNoShow(tx, toStored(cutoff), toStored(now.minus({ days: 2 })))) {
    if (!isNoShow({ status: b.status, attendance: b.attendance, start: fromStored(b.startAt), now, rules: life })) continue;
    updateBooking(tx, b.id, { attendance: 'no_show', updatedAt: toStored(now) });
    recordAudit(tx, { at: toStored(now), actorId: null, action: 'booking.no_show', entity: 'booking', entityId: b.id });
    marked.push(b.id);
  }
  return marked;
}
