/**
 * The commit step of making a document: the encrypted file first, then the row and the claim event
 * in one transaction; if that fails the file is removed, so a row never points at a missing file.
 */
import { eq } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { claims, documents } from '../../db/schema/index.js';
import { appendClaimEvent } from '../claims/events.js';
import { type DocumentRow, documentView, sha256 } from './document-view.js';
import type { Prepared } from './prepare.js';
import type { DocumentView } from './schemas.js';
import { verifyCodeHash } from './verify-code.js';

export interface CommitDeps {
  db: DB;
  crypto: FieldCrypto;
  files: FileStore;
  publicUrl: string;
}

/** More to write with the document, in its transaction (a batch marks its item done). */
export type AlsoWrite = (tx: DbOrTx, row: DocumentRow) => void;

/** Register the rendered PDF of a prepared document, with its `document.generated` event (and `also`). */
export function commitDocument(deps: CommitDeps, p: Prepared, pdf: Buffer, also?: AlsoWrite): DocumentView {
  const storageKey = deps.files.put(pdf);
  try {
    const row = deps.db.transaction((tx) => {
      const claim = tx.select().from(claims).where(eq(claims.id, p.claimId)).get()!;
      const row = tx
        .insert(documents)
        .values({
          claimId: p.claimId,
          kind: p.kind,
          templateId: p.template?.id ?? null,
          templateVersion: p.template?.version ?? null,
          version: p.version,
          docNo: p.docNo,
          verifyCode: p.verifyCode,
          verifyHash: verifyCodeHash(deps.crypto, p.verifyCode),
          sha256: sha256(pdf),
          storageKey,
          issuerOrgId: p.issuer.id,
          createdAt: p.createdAt,
        })
        .returning()
        .get();
      const position = { stage: claim.stage, status: claim.status, hold: claim.hold };
      appendClaimEvent(tx, {
        claimId: p.claimId,
        action: 'document.generated',
        from: position,
        to: position,
        actor: p.actor,
        data: {
          documentId: row.id,
          kind: p.kind,
          docNo: p.docNo,
          version: p.version,
          sha256: row.sha256,
          templateId: p.template?.id ?? null,
          templateVersion: p.template?.version ?? null,
        },
        at: p.createdAt,
      });
      also?.(tx, row);
      return row;
    });
    return documentView(row, p.issuer.name, deps.publicUrl);
  } catch (err) {
    deps.files.remove(storageKey);
    throw err;
  }
}
