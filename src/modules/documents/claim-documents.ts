/**
 * Which documents are a claim's: those made for it, and a settlement's agreement made for another
 * claim of the same settlement (issue 15 item 3: one agreement states every contract it covers).
 */
import { and, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { claims, documents, organisations, settlementClaims } from '../../db/schema/index.js';
import type { DocumentKind, RegisteredKind } from '../../domain/document-kinds.js';
import type { Actor } from '../../domain/lifecycle.js';
import { appendClaimFact } from '../claims/events.js';

/** The condition on `documents` that selects the claim's documents. */
export const documentsOfClaim = (tx: DbOrTx, claimId: number): SQL =>
  or(
    eq(documents.claimId, claimId),
    inArray(
      documents.settlementId,
      tx
        .select({ id: settlementClaims.settlementId })
        .from(settlementClaims)
        .where(eq(settlementClaims.claimId, claimId)),
    ),
  )!;

/** The latest document matching `where` (a later one has a higher id), with its issuer's name. */
const latestDocument = (tx: DbOrTx, where: SQL) =>
  tx
    .select({ document: documents, issuer: organisations.name })
    .from(documents)
    .innerJoin(organisations, eq(documents.issuerOrgId, organisations.id))
    .where(where)
    .orderBy(desc(documents.id))
    .limit(1)
    .get();

/** The claim's latest document of a kind made for it. */
export const latestOfKind = (tx: DbOrTx, claimId: number, kind: RegisteredKind) =>
  latestDocument(tx, and(eq(documents.claimId, claimId), eq(documents.kind, kind))!);

/** The latest document of a kind stating a settlement. */
export const latestOfSettlement = (tx: DbOrTx, settlementId: number, kind: DocumentKind) =>
  latestDocument(tx, and(eq(documents.settlementId, settlementId), eq(documents.kind, kind))!);

/** A document's fact on the chain of each claim it is of (all the claims of a settlement's agreement). */
export function appendDocumentFact(
  tx: DbOrTx,
  claimIds: readonly number[],
  fact: { action: string; actor: Actor; at: Date; data: Record<string, unknown>; reason?: string },
): void {
  for (const claimId of claimIds) {
    const claim = tx.select().from(claims).where(eq(claims.id, claimId)).get()!;
    appendClaimFact(tx, claim, fact.action, fact.actor, fact.at, fact.data, fact.reason ?? null);
  }
}

/** The claims a settlement covers, in claim order. */
export const claimsOfSettlement = (tx: DbOrTx, settlementId: number): number[] =>
  tx
    .select({ claimId: settlementClaims.claimId })
    .from(settlementClaims)
    .where(eq(settlementClaims.settlementId, settlementId))
    .orderBy(settlementClaims.claimId)
    .all()
    .map((r) => r.claimId);
