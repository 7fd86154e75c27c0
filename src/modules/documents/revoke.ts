/**
 * Revoking a document (issue 15 item 2): a document that no longer states what is true is withdrawn by
 * its issuer with a reason, as an event in the claim's chain; /verify then answers revoked with the date.
 */
import { eq } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB } from '../../db/open.js';
import { documents, organisations } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findDocument } from '../claims/access.js';
import { appendDocumentFact, claimsOfSettlement } from './claim-documents.js';
import { documentView, kindTitle } from './document-view.js';
import type { DocumentView } from './schemas.js';

export interface RevokeDeps {
  db: DB;
  clock: Clock;
  publicUrl: string;
}

/** Revoke the document; revoking one already revoked answers it as it is, and writes nothing. */
export function revokeDocument(
  deps: RevokeDeps,
  principal: Principal,
  documentId: number,
  reason: string,
): DocumentView {
  return deps.db.transaction((tx) => {
    const { document, claim } = findDocument(tx, principal, documentId);
    const actor = actorOf(principal);
    if (!actor || principal.kind === 'debtor' || principal.orgId !== document.issuerOrgId)
      throw new AppError('forbidden', `Only the organisation that issued ${document.docNo} may revoke it.`, {
        reason: 'not_issuer',
      });
    const issuer = tx
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, document.issuerOrgId))
      .get()!.name;
    if (document.revokedAt) return documentView(document, issuer, deps.publicUrl);
    const now = deps.clock.now();
    const revoked = tx
      .update(documents)
      .set({ revokedAt: now, revokedReason: reason })
      .where(eq(documents.id, document.id))
      .returning()
      .get();
    const claimIds = document.settlementId === null ? [claim.id] : claimsOfSettlement(tx, document.settlementId);
    appendDocumentFact(tx, claimIds, {
      action: 'document.revoked',
      actor,
      reason,
      at: now,
      data: { documentId: document.id, kind: document.kind, title: kindTitle(document.kind), docNo: document.docNo },
    });
    return documentView(revoked, issuer, deps.publicUrl);
  });
}
