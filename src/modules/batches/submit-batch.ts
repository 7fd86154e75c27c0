/** Submitting a batch: a repeat answers the batch already there, a dry run its report, anything else starts the import. */
import fs from 'node:fs';
import type { Organisation } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { AppError } from '../../errors.js';
import type { SettlementPolicy } from '../admin/schemas.js';
import { type Principal, staffOrgId } from '../auth/principal.js';
import { mediatorCaseloads } from '../claims/mediator-assignment.js';
import { creditorOf, mediationOrgFor } from './batch-parties.js';
import { checkHeader } from './check-header.js';
import type { BatchContext } from './context.js';
import type { ParseJob, SheetFormat, WriteJob } from './import/protocol.js';
import { findBatch, findRepeat } from './read-batches.js';
import type { BatchOptions, BatchView, DryRunReport } from './schemas.js';
import { dryRunReport } from './views.js';

/** Who sends a batch: the creditor organisation and the user or API key acting for it. */
export interface Submitter {
  creditorOrgId: number;
  userId: number | null;
  apiKeyId: number | null;
}

/** The submitter a signed-in principal is. */
export function submitterOf(principal: Principal): Submitter {
  return {
    creditorOrgId: staffOrgId(principal),
    userId: principal.kind === 'user' ? principal.userId : null,
    apiKeyId: principal.kind === 'api_key' ? principal.apiKeyId : null,
  };
}

export interface Upload {
  /** A spool file (common/spool.ts) the service now owns: it is removed when the import ends. */
  file: string;
  fileName: string | null;
  sha256: string;
  format: SheetFormat;
}

export type SubmitOutcome =
  | { kind: 'existing'; batch: BatchView }
  | { kind: 'started'; batch: BatchView }
  | { kind: 'dry_run'; report: DryRunReport };

const DEFAULT_POLICY: SettlementPolicy = {
  maxDiscountPct: 20,
  maxInstalments: 12,
  minFirstPaymentPct: 10,
  litigationAllowed: true,
};
// Rows per message between the workers: large enough to amortise messaging, small enough to stay flat.
const CHUNK_ROWS = 2000;
const DRY_RUN_ERRORS = 1000;

/** Take an uploaded batch: an existing batch for a repeat, a dry-run report, or a started import. */
export async function submitBatch(
  ctx: BatchContext,
  submitter: Submitter,
  upload: Upload,
  options: BatchOptions,
): Promise<SubmitOutcome> {
  const { live } = ctx;
  let handedOver = false;
  let release = () => {};
  try {
    const creditor = creditorOf(ctx.db, submitter.creditorOrgId);
    // A dry run makes no batch, so it need not wait for one.
    if (!options.dryRun) {
      const keys = [`sha:${creditor.id}:${upload.sha256}`];
      if (options.reference !== null) keys.push(`ref:${creditor.id}:${options.reference}`);
      release = await live.hold(keys);
    }
    const existing = findRepeat(ctx, creditor.id, upload.sha256, options.reference);
    if (existing) return { kind: 'existing', batch: existing };
    const mediation = mediationOrgFor(ctx.db, options.mediationOrg);
    await checkHeader(upload.file, ctx.dataKey, upload.format, options, ctx.config.importMaxFieldBytes);

    const now = ctx.clock.now();
    const { parse, write } = importJobs(ctx, { submitter, upload, options, creditor, mediation, now });
    let batchId: number | null = null;
    const handle = ctx.importer.start(parse, write, (p) => batchId !== null && live.progress(batchId, p), ctx.onCrash);
    handedOver = true;
    const done = handle.done.then((result) => {
      fs.rmSync(upload.file, { force: true });
      return result;
    });

    if (options.dryRun) return { kind: 'dry_run', report: dryRunReport(await done) };

    batchId = await handle.started;
    if (batchId === null) {
      const result = await done;
      throw new AppError('unprocessable', result.failureDetail ?? 'The import could not start.');
    }
    live.add(batchId);
    const id = batchId;
    void done.then((result) => live.finish(id, result));
    return { kind: 'started', batch: findBatch(ctx, creditor.id, batchId) };
  } finally {
    release();
    if (!handedOver) fs.rmSync(upload.file, { force: true });
  }
}

/** The jobs of the import's two threads: what the parser reads and screens with, what the writer writes. */
export function importJobs(
  { config, dataKey, db, reference }: BatchContext,
  a: {
    submitter: Submitter;
    upload: Upload;
    options: BatchOptions;
    creditor: Organisation;
    mediation: Organisation;
    now: Date;
  },
): { parse: ParseJob; write: WriteJob } {
  const { submitter, upload, options, creditor, mediation, now } = a;
  const policy = {
    ...DEFAULT_POLICY,
    ...(creditor.settlementPolicy as Partial<SettlementPolicy> | null),
    ...options.policy,
  };
  const parse: ParseJob = {
    file: upload.file,
    format: upload.format,
    charset: options.charset,
    sheet: options.sheet,
    maxFieldBytes: config.importMaxFieldBytes,
    maxRows: config.importMaxRows,
    asOf: shanghaiDate(now),
    dataKey: dataKey.toString('base64'),
    lenderType: creditor.lenderType ?? 'private',
    lprRows: reference.lprRows(),
    calendarRows: [...reference.calendarRows()],
    chunkSize: CHUNK_ROWS,
  };
  const write: WriteJob = {
    batch: {
      creditorOrgId: creditor.id,
      reference: options.reference,
      fileName: upload.fileName,
      fileSha256: upload.sha256,
      format: upload.format,
      charset: options.charset,
      sheet: options.sheet,
      strict: options.strict,
      policy,
      mediationOrgId: mediation.id,
      createdByUserId: submitter.userId,
      createdByApiKeyId: submitter.apiKeyId,
    },
    courtOrgId: mediation.kind === 'court' ? mediation.id : mediation.courtId,
    litigationAllowed: policy.litigationAllowed,
    mediators: mediatorCaseloads(db, mediation.id),
    dryRun: options.dryRun,
    calendarRows: [...reference.calendarRows()],
    now: now.toISOString(),
    reportErrors: DRY_RUN_ERRORS,
  };
  return { parse, write };
}
