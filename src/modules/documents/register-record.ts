/**
 * Registering a record: a kind made from what the platform stored, not from a template (the session
 * record, 调解笔录). Its number and verification code are drawn like any document's, the caller's
 * model is laid out with them printed, and the file is committed like any document, so the record
 * is listed with its claim's documents and /verify knows it.
 */
import { eq } from 'drizzle-orm';
import type { PdfRenderer } from '../../adapters/pdf/render-pool.js';
import { organisations } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { documentTitle, type RecordKind } from '../../domain/document-kinds.js';
import type { DocumentModel } from '../../domain/document-text.js';
import type { Actor } from '../../domain/lifecycle.js';
import { latestOfKind } from './claim-documents.js';
import { type AlsoWrite, type CommitDeps, commitDocument } from './commit.js';
import type { DocNoAllocator } from './doc-numbers.js';
import { verifyUrlOf } from './document-view.js';
import { oneAfterAnother } from './generate.js';
import type { PrepareDeps, Prepared } from './prepare.js';
import { assertPrintable } from './printable.js';
import type { DocumentView } from './schemas.js';
import { newVerifyCode } from './verify-code.js';

/** What the record's footer prints: its number, code and the page that checks the code. */
export interface Printed {
  docNo: string;
  verifyCode: string;
  verifyUrl: string;
}

export interface RecordRequest {
  /** The claim the record is filed with (a session's first claim). */
  claimId: number;
  kind: RecordKind;
  issuerOrgId: number;
  actor: Actor;
  /** When it is made: printed in it, and the PDF's creation date. */
  createdAt: Date;
  model: (printed: Printed) => DocumentModel;
  /** More to write in the record's transaction (the session's export row). */
  also?: AlsoWrite;
}

export type RegisterRecord = (r: RecordRequest) => Promise<{ document: DocumentView; bytes: Buffer }>;

export function createRecordRegistrar(
  deps: Pick<PrepareDeps, 'publicUrl' | 'fonts'> & CommitDeps & { pdf: PdfRenderer; allocateDocNo: DocNoAllocator },
): RegisterRecord {
  // Versions are counted per claim and kind, so two records of one claim are made one after the other.
  const serialised = oneAfterAnother();
  return (r) =>
    serialised(`${r.claimId}:${r.kind}`, async () => {
      const prepared = deps.db.transaction((tx): Prepared => {
        const issuer = tx.select().from(organisations).where(eq(organisations.id, r.issuerOrgId)).get()!;
        const { docNo, reserve } = deps.allocateDocNo(tx, issuer, r.kind, shanghaiDate(r.createdAt));
        const verifyCode = newVerifyCode();
        const model = r.model({ docNo, verifyCode, verifyUrl: verifyUrlOf(deps.publicUrl, verifyCode) });
        assertPrintable(deps.fonts, model, `The ${documentTitle(r.kind)} of claim ${r.claimId}`);
        return {
          claimId: r.claimId,
          settlementId: null,
          claimIds: [r.claimId],
          kind: r.kind,
          version: (latestOfKind(tx, r.claimId, r.kind)?.document.version ?? 0) + 1,
          issuer: { id: issuer.id, name: issuer.name },
          template: null,
          docNo,
          verifyCode,
          model,
          createdAt: r.createdAt,
          actor: r.actor,
          reserve,
        };
      });
      prepared.reserve();
      const bytes = await deps.pdf.render([prepared.model], r.createdAt);
      return { document: commitDocument(deps, prepared, bytes, r.also), bytes };
    });
}
