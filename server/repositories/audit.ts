import type { Tx } from '../../db/client.js';
import { sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema.js';
import { prepared } from './prepared.js';

export interface AuditEntry {
  at: string;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | number | null;
  detail?: Record<string, unknown>;
}

/** Records a state change; called inside the same transaction as the change itself. */
export function recordAudit(db: Tx, e: AuditEntry): void {
  const insert = prepared(db, 'recordAudit', (d) => d.insert(auditLog).values({
    at: sql.placeholder('at'), actorId: sql.placeholder('actorId'), action: sql.placeholder('action'),
    entity: sql.placeholder('entity'), entityId: sql.placeholder('entityId'), detailJson: sql.placeholder('detailJson'),
  }).prepare());
  insert.run({
    at: e.at,
    actorId: e.actorId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId === null ? null : String(e.entityId),
    detailJson: JSON.stringify(e.detail ?? {}),
  });
}
