/**
 * Write worker: holds the one transaction a batch commits in, writes the rows the parse worker sends
 * (claim-writer.ts), keeps the error report and counts, and commits or rolls back at the end; a
 * crash anywhere before COMMIT leaves the database as it was.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openBulkImport } from '../../../db/bulk-import.js';
import { calendarFrom } from '../../../domain/holiday-calendar.js';
import { createClaimWriter } from './claim-writer.js';
import {
  type CoordinatorToWriter,
  type ImportResult,
  INTERNAL_FAILURE,
  type ParserToWriter,
  type RowError,
  type WriteJob,
  type WriterToCoordinator,
} from './protocol.js';

/** A failure of ours: the creditor reads a sentence, the log gets the error (never database text in an answer). */
function internalFailure(err: unknown): WriterToCoordinator {
  return {
    type: 'failed',
    code: 'import_failed',
    detail: INTERNAL_FAILURE,
    internal: String((err as Error)?.stack ?? err),
  };
}

function run(dbFile: string, job: WriteJob, port: MessagePort, parent: NonNullable<typeof parentPort>): void {
  const scratchFile = path.join(job.scratchDir, `batch-errors-${crypto.randomBytes(8).toString('hex')}.tmp`);
  const bulk = openBulkImport(dbFile, scratchFile);
  const { statements: s } = bulk;
  const calendar = calendarFrom(job.calendarRows);
  const now = new Date(job.now);
  const nowMs = now.getTime();

  let rejected = 0;
  const errorsByCode: Record<string, number> = {};
  // Errors of one row arrive together, so counting changes of row number counts rejected rows
  // without remembering them all.
  let lastRejectedRow = -1;
  let rowsRead = 0;
  const bytes = { read: 0, total: 0 };
  let finished = false;

  const post = (m: WriterToCoordinator) => parent.postMessage(m);
  const cleanup = () => {
    bulk.close();
    fs.rmSync(scratchFile, { force: true });
  };

  const recordErrors = (errors: RowError[]) => {
    if (!errors.length) return;
    bulk.recordErrors(errors);
    for (const e of errors) {
      errorsByCode[e.code] = (errorsByCode[e.code] ?? 0) + 1;
      if (e.rowNo !== lastRejectedRow) rejected++;
      lastRejectedRow = e.rowNo;
    }
  };

  bulk.begin();
  const batchId = bulk.insertBatch(job.batch, nowMs);
  post({ type: 'started', batchId: job.dryRun ? null : batchId });

  const writer = createClaimWriter(bulk, job, batchId, { now, calendar });
  const { tally } = writer;

  const finish = (outcome: { fatal?: { code: string; detail: string }; warnings?: string[] }) => {
    finished = true;
    post({
      type: 'progress',
      rowsRead,
      rowsWritten: tally.accepted,
      bytesRead: bytes.total,
      bytesTotal: bytes.total,
      phase: 'committing',
    });
    const strictFailure = job.batch.strict && rejected > 0;
    const failureDetail = outcome.fatal
      ? outcome.fatal.detail
      : strictFailure
        ? `Strict mode: ${rejected} row(s) are invalid, so no claim of this batch was imported. Fix the rows in the error report and upload the file again.`
        : null;
    const result: ImportResult = {
      batchId: job.dryRun ? null : batchId,
      status: failureDetail ? 'failed' : 'committed',
      total: rowsRead,
      accepted: failureDetail ? 0 : tally.accepted,
      rejected,
      skipped: failureDetail ? 0 : tally.skipped,
      errorsByCode: outcome.fatal ? { [outcome.fatal.code]: 1, ...errorsByCode } : errorsByCode,
      screening: failureDetail ? {} : tally.screening,
      warnings: [
        ...(outcome.warnings ?? []),
        ...(tally.corrected
          ? [`${tally.corrected} claim(s) that needed fixing were corrected by this batch and screened again.`]
          : []),
      ],
      failureDetail,
    };
    if (job.dryRun) {
      bulk.rollback();
      result.errors = s.firstErrors.all(job.reportErrors) as RowError[];
    } else {
      if (failureDetail) {
        // Nothing of the batch stays but its record and error report, so the creditor can see why.
        bulk.rollback();
        bulk.begin();
        bulk.insertBatch(job.batch, nowMs, batchId);
        bulk.finishBatch(batchId, { ...result, status: 'failed', finishedAt: Date.now() });
      } else {
        bulk.finishBatch(batchId, { ...result, status: 'committed', finishedAt: Date.now() });
      }
      bulk.commit();
    }
    cleanup();
    post({ type: 'done', result });
  };

  port.on('message', (m: ParserToWriter) => {
    if (finished) return;
    try {
      if (m.type === 'rows') {
        recordErrors(m.errors);
        const late: RowError[] = [];
        for (const row of m.rows) {
          const err = writer.writeRow(row);
          if (err) late.push(err);
        }
        recordErrors(late);
        rowsRead = m.rowsRead;
        bytes.read = m.bytesRead;
        bytes.total = m.bytesTotal;
        port.postMessage({ type: 'ack' });
        post({
          type: 'progress',
          rowsRead,
          rowsWritten: tally.accepted,
          bytesRead: m.bytesRead,
          bytesTotal: m.bytesTotal,
          phase: 'validating',
        });
      } else if (m.type === 'end') {
        rowsRead = m.rowsRead;
        finish({ warnings: m.warnings });
      } else {
        finish({ fatal: { code: m.code, detail: m.detail } });
      }
    } catch (err) {
      finished = true;
      bulk.rollback();
      cleanup();
      post(internalFailure(err));
    }
  });

  parent.on('message', (m: CoordinatorToWriter) => {
    if (m.type === 'abort' && !finished) {
      finished = true;
      cleanup();
      post({
        type: 'failed',
        code: 'aborted',
        detail: 'The import was stopped before it finished; nothing of it was saved.',
      });
    }
  });
}

const { dbFile, job, port } = workerData as { dbFile: string; job: WriteJob; port: MessagePort };
try {
  run(dbFile, job, port, parentPort!);
} catch (err) {
  parentPort!.postMessage(internalFailure(err));
}
