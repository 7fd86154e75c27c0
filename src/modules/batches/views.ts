/** Batches and dry-run reports as answers carry them. */
import type { Batch } from '../../db/schema/index.js';
import type { ImportResult } from './import/protocol.js';
import type { BatchView, DryRunReport } from './schemas.js';

export function batchView(b: Batch): BatchView {
  return {
    id: b.id,
    status: b.status,
    reference: b.reference,
    fileName: b.fileName,
    format: b.format,
    charset: b.charset,
    strict: b.strict,
    total: b.total,
    accepted: b.accepted,
    rejected: b.rejected,
    skipped: b.skipped,
    errorsByCode: b.errorsByCode ?? {},
    screening: b.screening ?? {},
    warnings: b.warnings ?? [],
    failureDetail: b.failureDetail,
    mediationOrgId: b.mediationOrgId,
    progress: null,
    createdAt: b.createdAt.toISOString(),
    finishedAt: b.finishedAt?.toISOString() ?? null,
  };
}

export function dryRunReport(r: ImportResult): DryRunReport {
  return {
    dryRun: true,
    status: r.status,
    total: r.total,
    accepted: r.accepted,
    rejected: r.rejected,
    skipped: r.skipped,
    errorsByCode: r.errorsByCode,
    screening: r.screening,
    warnings: r.warnings,
    failureDetail: r.failureDetail,
    errors: r.errors ?? [],
  };
}
