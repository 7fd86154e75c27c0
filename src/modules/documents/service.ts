/**
 * The document registry: generating documents from templates (one, or a batch for many claims),
 * storing them, serving them to who may see the claim, and verifying them for anyone. Each concern
 * has a file of its own; this puts them together behind the verbs the routes and other modules call.
 *
 * One document is made in three steps: prepare (prepare.ts, one transaction), render (a thread of
 * the PDF renderer), commit (commit.ts). Batches are in batch/.
 */
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { PdfRenderer } from '../../adapters/pdf/render-pool.js';
import type { PdfSigner, SignatureInfo } from '../../adapters/pdf-signer.js';
import type { DB } from '../../db/open.js';
import type { DocumentKind } from '../../domain/document-kinds.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import { type Principal, SYSTEM_ACTOR } from '../auth/principal.js';
import type { ListClaims } from '../claims/matching.js';
import { findJob, jobDetail, jobPrintFile, jobView, markInterruptedJobs } from './batch/job-rows.js';
import { createBatchJobs } from './batch/start-batch.js';
import { createDocNoAllocator } from './doc-numbers.js';
import { createProducer } from './generate.js';
import type { LiveDocumentJobs } from './live.js';
import { staffRequester } from './prepare.js';
import { documentPdf, listForClaim } from './read.js';
import { createRecordRegistrar } from './register-record.js';
import { revokeDocument } from './revoke.js';
import type { DocumentView, JobItemStatus, Signer } from './schemas.js';
import { signDocument } from './sign.js';
import type { TemplateService } from './template-service.js';
import { checkFile, lookUpCode } from './verification.js';

export interface DocumentServiceDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  files: FileStore;
  /** Base of the verify and portal links printed on documents. */
  publicUrl: string;
  templates: TemplateService;
  /** The holiday calendar in force, for the issuance table's time limits. */
  calendar: () => HolidayCalendar;
  pdf: PdfRenderer;
  /** The platform's PDF signature, for agreements both parties confirmed. */
  signer: PdfSigner;
  listClaims: ListClaims;
  live: LiveDocumentJobs;
  /** Most claims one batch may cover. */
  batchMaxClaims: number;
  /** Told about a job that failed as a whole (the print file could not be made, or a bug). */
  onJobError?: (jobId: number, err: unknown) => void;
}

export type DocumentService = ReturnType<typeof createDocumentService>;

export function createDocumentService(deps: DocumentServiceDeps) {
  const { db, files } = deps;
  // One allocator for templated documents and records: numbers prepared but not yet committed are held in it.
  const allocateDocNo = createDocNoAllocator();
  const produce = createProducer({ ...deps, allocateDocNo, fonts: deps.pdf.coverage });
  const registerRecord = createRecordRegistrar({ ...deps, allocateDocNo, fonts: deps.pdf.coverage });
  const batches = createBatchJobs({ ...deps, produce });

  return {
    live: deps.live,

    /** Generate a document of `kind` for a claim the principal may see; the existing one unless `newVersion`. */
    async generate(
      principal: Principal,
      claimId: number,
      kind: DocumentKind,
      opts: { newVersion?: boolean } = {},
    ): Promise<{ created: boolean; document: DocumentView }> {
      const { created, document } = await produce(staffRequester(principal), claimId, kind, opts.newVersion ?? false);
      return { created, document };
    },

    /** Generate as the platform (no tenancy or issuer check), e.g. the mediation agreement once both parties accepted. */
    async generateAsSystem(claimId: number, kind: DocumentKind, opts: { newVersion?: boolean } = {}) {
      return (await produce({ principal: null, actor: SYSTEM_ACTOR }, claimId, kind, opts.newVersion ?? false))
        .document;
    },

    /** Register a record made from stored data (the session record) as a document with its own number and code. */
    registerRecord,

    listForClaim: (principal: Principal, claimId: number) => listForClaim(deps, principal, claimId),

    pdf: (principal: Principal, documentId: number) => documentPdf(deps, principal, documentId),

    /** Public check of a verification code: what the document is, never whom it concerns. Unknown → 404. */
    revoke: (principal: Principal, documentId: number, reason: string) =>
      revokeDocument(deps, principal, documentId, reason),
    verify: (code: string) => lookUpCode(deps, code).verification,

    verifyFile: (code: string, bytes: Buffer) => checkFile(deps, code, bytes),

    /** Sign a registered PDF with the platform's signature (once), naming who confirmed it. */
    sign: (documentId: number, info: Omit<SignatureInfo, 'signingTime'>, signers: readonly Signer[]) =>
      signDocument(deps, documentId, info, signers),

    startBatch: batches.start,

    /** A job of the principal's organisation: progress and per-claim results (optionally only those in one status). */
    job: (principal: Principal, id: number, status?: JobItemStatus) => jobDetail(db, principal, id, status),

    /** The job's progress, for the progress socket. */
    jobSummary: (principal: Principal, id: number) => jobView(db, findJob(db, principal, id)),

    /** The job's documents in one PDF, for a print centre. */
    printFile: (principal: Principal, id: number) => jobPrintFile(db, files, principal, id),

    markInterruptedJobs: () => markInterruptedJobs(db, deps.clock.now()),

    close: batches.close,
  };
}
