/**
 * Signing a registered document with the platform's PAdES signature: a step on the finished PDF
 * bytes (an incremental update), so the document reads as it was registered, with the same number
 * and verification code. The signed file replaces the registered one; the first file's hash stays on
 * the row and in the `document.signed` event, with who confirmed it.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { PdfSigner, SignatureInfo } from '../../adapters/pdf-signer.js';
import type { DB } from '../../db/open.js';
import { documents } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { appendDocumentFact, claimsOfSettlement } from './claim-documents.js';
import { sha256 } from './document-view.js';
import type { Signer } from './schemas.js';

export interface SignDeps {
  db: DB;
  clock: Clock;
  files: FileStore;
  signer: PdfSigner;
}

/**
 * Sign document `documentId` (once: a document signed already is left as it is). Answers whether
 * this call signed it.
 */
export async function signDocument(
  deps: SignDeps,
  documentId: number,
  info: Omit<SignatureInfo, 'signingTime'>,
  signers: readonly Signer[],
): Promise<boolean> {
  const row = deps.db.select().from(documents).where(eq(documents.id, documentId)).get();
  if (!row) throw new AppError('not_found', `Document ${documentId} does not exist.`);
  if (row.signedAt) return false;
  const bytes = deps.files.get(row.storageKey);
  if (sha256(bytes) !== row.sha256)
    throw new AppError('internal', `The stored file of document ${row.docNo} does not match its registered hash.`);
  const signedAt = deps.clock.now();
  const signed = await deps.signer.sign(bytes, { ...info, signingTime: signedAt });
  const storageKey = deps.files.put(signed);
  try {
    const done = deps.db.transaction((tx) => {
      // Guarded on the row as read: of two signings at once, one wins and the other writes nothing.
      const changed = tx
        .update(documents)
        .set({ sha256: sha256(signed), storageKey, signedAt, unsignedSha256: row.sha256, signers })
        .where(and(eq(documents.id, row.id), isNull(documents.signedAt), eq(documents.sha256, row.sha256)))
        .run().changes;
      if (changed === 0) return false;
      // A settlement's agreement is on every claim's chain, as its generation is.
      const claimIds = row.settlementId === null ? [row.claimId] : claimsOfSettlement(tx, row.settlementId);
      appendDocumentFact(tx, claimIds, {
        action: 'document.signed',
        actor: SYSTEM_ACTOR,
        reason: info.reason,
        data: { documentId: row.id, docNo: row.docNo, unsignedSha256: row.sha256, sha256: sha256(signed), signers },
        at: signedAt,
      });
      return true;
    });
    // The first file stays in the store: it is what the parties confirmed, and the event names its hash.
    if (!done) deps.files.remove(storageKey);
    return done;
  } catch (err) {
    deps.files.remove(storageKey);
    throw err;
  }
}
