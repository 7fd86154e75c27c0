/**
 * What a party confirms: the settlement's mediation agreements (调解协议书) as they were generated,
 * named by one hash over their files. A confirmation is bound to that hash, so an agreement made
 * again after a code was sent cannot be confirmed with it.
 */
import crypto from 'node:crypto';
import { and, asc, eq, gte, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, documents, type Settlement } from '../../db/schema/index.js';
import type { DocumentRow } from '../documents/document-view.js';

/** The latest live agreement of each of the settlement's claims made since it was agreed (one per settlement once combined). */
export function agreementDocuments(tx: DbOrTx, settlement: Settlement, claims: readonly Claim[]): DocumentRow[] {
  const rows = tx
    .select()
    .from(documents)
    .where(
      and(
        inArray(
          documents.claimId,
          claims.map((c) => c.id),
        ),
        eq(documents.kind, 'mediation_agreement'),
        isNull(documents.revokedAt),
        gte(documents.createdAt, settlement.agreedAt ?? settlement.createdAt),
      ),
    )
    .orderBy(asc(documents.id))
    .all();
  const latest = new Map<number, DocumentRow>();
  for (const r of rows) if ((latest.get(r.claimId)?.version ?? 0) < r.version) latest.set(r.claimId, r);
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

/** One hash over the agreements' files as first registered (a signed file keeps that hash as unsignedSha256). */
export function textSha256(docs: readonly DocumentRow[]): string | null {
  if (docs.length === 0) return null;
  const lines = docs.map((d) => `${d.docNo}:${d.unsignedSha256 ?? d.sha256}`).join('\n');
  return crypto.createHash('sha256').update(lines).digest('hex');
}
