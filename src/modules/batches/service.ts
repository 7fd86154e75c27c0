/**
 * Batch imports: accepting a file, checking its header, running the import, reporting on it. Each
 * verb lives in a file of its own; this wires them to the importer and the imports in progress.
 */
import path from 'node:path';
import type { BatchContext } from './context.js';
import { errorReport } from './error-report.js';
import { ABANDONED_AFTER_MS } from './import/protocol.js';
import { removeLeftovers } from './leftover-files.js';
import { findBatch, listBatches } from './read-batches.js';
import type { BatchOptions } from './schemas.js';
import { type Submitter, submitBatch, type Upload } from './submit-batch.js';

export type BatchServiceDeps = Omit<BatchContext, 'spool'>;

export type BatchService = ReturnType<typeof createBatchService>;

export function createBatchService(deps: BatchServiceDeps) {
  const { live } = deps;
  const ctx: BatchContext = {
    ...deps,
    spool: { dir: path.join(deps.config.dataDir, 'uploads'), dataKey: deps.dataKey },
  };
  let sweeper: NodeJS.Timeout | null = null;

  return {
    live,
    /** Where uploads are spooled while they are imported, and their key. */
    spool: ctx.spool,
    submit: (submitter: Submitter, upload: Upload, options: BatchOptions) =>
      submitBatch(ctx, submitter, upload, options),

    /** Wait for an import to finish (the CLI and tests use it). */
    async waitFor(batchId: number): Promise<void> {
      if (!live.get(batchId)) return;
      await new Promise<void>((resolve) => {
        const off = live.subscribe(batchId, (e) => {
          if (e.type === 'finished') {
            off();
            resolve();
          }
        });
      });
    },

    /** A batch of this creditor, running or finished; another creditor's is not found. */
    get: (creditor: number, id: number) => findBatch(ctx, creditor, id),
    list: (creditor: number) => listBatches(ctx, creditor),
    /** The error report as CSV text chunks. */
    errorsCsv: (creditor: number, id: number) => errorReport(ctx, creditor, id),
    /**
     * On start, remove the spool files imports cut short by a crash left behind; then, as often as
     * abandoned batches are swept, those of import processes that ended (a CLI import killed).
     */
    removeLeftovers(): void {
      removeLeftovers(ctx, true);
      sweeper ??= setInterval(() => {
        try {
          removeLeftovers(ctx, false);
        } catch (err) {
          process.emitWarning(`removing leftover spool files failed: ${String(err)}`);
        }
      }, ABANDONED_AFTER_MS);
      sweeper.unref();
    },
    close(): void {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
    },
  };
}
