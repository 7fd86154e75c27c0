/** Recording security-relevant acts on accounts and keys, in the transaction that made them. */
import type { DbOrTx } from '../../db/open.js';
import { auditEvents } from '../../db/schema/index.js';
import type { Principal } from './principal.js';

export interface AuditEntry {
  by: Principal;
  action: string;
  orgId: number | null;
  target: { kind: 'user' | 'api_key' | 'organisation'; id: number };
  detail?: Record<string, unknown>;
  at: Date;
}

export function recordAudit(tx: DbOrTx, e: AuditEntry): void {
  const actorId = e.by.kind === 'user' ? e.by.userId : e.by.kind === 'api_key' ? e.by.apiKeyId : e.by.debtorId;
  tx.insert(auditEvents)
    .values({
      at: e.at,
      actorKind: e.by.kind,
      actorId,
      actorName: e.by.name,
      action: e.action,
      orgId: e.orgId,
      targetKind: e.target.kind,
      targetId: e.target.id,
      detail: e.detail ?? null,
    })
    .run();
}
