/** Reading the registry: a claim's documents and a document's PDF, for who may see the claim. */
import { asc, eq } from 'drizzle-orm';
import type { FileStore } from '../../adapters/file-store.js';
import type { DB } from '../../db/open.js';
import { documents, organisations } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { findClaim, findDocument } from '../claims/access.js';
import { documentsOfClaim } from './claim-documents.js';
import { documentView, sha256 } from './document-view.js';
import type { DocumentView } from './schemas.js';

export interface ReadDeps {
  db: DB;
  files: FileStore;
  publicUrl: string;
}

/** The documents of a claim the principal may see (a debtor: their own claims), all versions, its settlement's agreement included. */
export function listForClaim({ db, publicUrl }: ReadDeps, principal: Principal, claimId: number): DocumentView[] {
  findClaim(db, principal, claimId);
  return db
    .select({ document: documents, issuer: organisations.name })
    .from(documents)
    .innerJoin(organisations, eq(documents.issuerOrgId, organisations.id))
    .where(documentsOfClaim(db, claimId))
    .orderBy(asc(documents.id))
    .all()
    .map((r) => documentView(r.document, r.issuer, publicUrl));
}

/** A document's PDF, for who may see its claim; the bytes are checked against the registered hash. */
export function documentPdf(
  { db, files, publicUrl }: ReadDeps,
  principal: Principal,
  documentId: number,
): { fileName: string; bytes: Buffer; document: DocumentView } {
  const found = findDocument(db, principal, documentId).document;
  const issuer = db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, found.issuerOrgId!))
    .get()!;
  const bytes = files.get(found.storageKey);
  if (sha256(bytes) !== found.sha256)
    throw new AppError('internal', `The stored file of document ${found.docNo} does not match its registered hash.`);
  const document = documentView(found, issuer.name, publicUrl);
  return { fileName: `${document.title}-${document.docNo}.pdf`, bytes, document };
}
