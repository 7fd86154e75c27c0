/**
 * What a party confirms: the settlement's mediation agreement (调解协议书) as it was generated,
 * named by one hash over its file. A confirmation is bound to that hash, so an agreement made
 * again after a code was sent cannot be confirmed with it.
 */
import crypto from 'node:crypto';
import type { DbOrTx } from '../../db/open.js';
import type { Settlement } from '../../db/schema/index.js';
import { latestOfSettlement } from '../documents/claim-documents.js';
import type { DocumentRow } from '../documents/document-view.js';

/** The settlement's agreement in force (one per settlement, listing every contract), or none yet. */
export function agreementDocuments(tx: DbOrTx, settlement: Settlement): DocumentRow[] {
  const latest = latestOfSettlement(tx, settlement.id, 'mediation_agreement')?.document;
  // A revoked agreement states nothing any more: there is none to confirm until it is made again.
  return latest && !latest.revokedAt ? [latest] : [];
}

/** One hash over the agreements' files as first registered (a signed file keeps that hash as unsignedSha256). */
export function textSha256(docs: readonly DocumentRow[]): string | null {
  if (docs.length === 0) return null;
  const lines = docs.map((d) => `${d.docNo}:${d.unsignedSha256 ?? d.sha256}`).join('\n');
  return crypto.createHash('sha256').update(lines).digest('hex');
}
