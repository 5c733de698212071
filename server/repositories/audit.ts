import type { Tx } from '../../db/client.js';
import { auditLog } from '../../db/schema.js';

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
  db.insert(auditLog).values({
    at: e.at,
    actorId: e.actorId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId === null ? null : String(e.entityId),
    detailJson: JSON.stringify(e.detail ?? {}),
  }).run();
}
