/** A claim's settlement policy: its batch's, else its creditor's default (both JSON, validated on the way in). */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { batches, claims, organisations } from '../../db/schema/index.js';

export interface ClaimPolicies {
  batch: unknown;
  creditor: unknown;
}

export function claimPolicies(tx: DbOrTx, claimId: number): ClaimPolicies {
  const row = tx
    .select({ batch: batches.policy, creditor: organisations.settlementPolicy })
    .from(claims)
    .innerJoin(organisations, eq(claims.creditorOrgId, organisations.id))
    .leftJoin(batches, eq(claims.batchId, batches.id))
    .where(eq(claims.id, claimId))
    .get();
  return { batch: row?.batch ?? null, creditor: row?.creditor ?? null };
}

/** The batch's setting, else the creditor's, else null; `valid` says which stored values count. */
export function policySetting<T>(p: ClaimPolicies, key: string, valid: (v: unknown) => v is T): T | null {
  for (const policy of [p.batch, p.creditor]) {
    const v = (policy as Record<string, unknown> | null)?.[key];
    if (valid(v)) return v;
  }
  return null;
}
