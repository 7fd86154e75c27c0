/**
 * The commit step of making a document: the encrypted file first, then the row and the claim event
 * in one transaction; if that fails the file is removed, so a row never points at a missing file.
 */
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { documents } from '../../db/schema/index.js';
import { appendDocumentFact } from './claim-documents.js';
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

/** Register the rendered PDF of a prepared document, with the `document.generated` event of each of its claims (and `also`). */
export function commitDocument(deps: CommitDeps, p: Prepared, pdf: Buffer, also?: AlsoWrite): DocumentView {
  const storageKey = deps.files.put(pdf);
  try {
    const row = deps.db.transaction((tx) => {
      const row = tx
        .insert(documents)
        .values({
          claimId: p.claimId,
          settlementId: p.settlementId,
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
      appendDocumentFact(tx, p.claimIds, {
        action: 'document.generated',
        actor: p.actor,
        at: p.createdAt,
        data: {
          documentId: row.id,
          kind: p.kind,
          docNo: p.docNo,
          version: p.version,
          sha256: row.sha256,
          templateId: p.template?.id ?? null,
          templateVersion: p.template?.version ?? null,
          ...(p.settlementId === null ? {} : { settlementId: p.settlementId, claimIds: p.claimIds }),
        },
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
