/**
 * Write worker: writes the rows the parse worker sends (claim-writer.ts) in slices of its own short
 * transactions, with a pause after each so other writers take the lock between them, while the batch
 * stays `committing` and unseen. At the end one short transaction flips it to `committed`, or
 * `discardBatch` removes what it wrote; a crash leaves it to the sweep of abandoned batches.
 */
import { performance } from 'node:perf_hooks';
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { type BatchOutcomeValues, discardBatch, openBulkImport, stillCommitting } from '../../../db/bulk-import.js';
import { calendarFrom } from '../../../domain/holiday-calendar.js';
import { ABANDONED_DETAIL } from './abandoned-batches.js';
import { createClaimWriter } from './claim-writer.js';
import {
  type CoordinatorToWriter,
  HEARTBEAT_MS,
  type ImportResult,
  INTERNAL_FAILURE,
  type ParserToWriter,
  type RowError,
  type WriteJob,
  type WriterToCoordinator,
} from './protocol.js';

/**
 * The longest a slice means to hold the write lock, and the shortest pause after it. SQLite's busy
 * handler retries a waiting writer at gaps of at most 25 ms in its first 100 ms and 100 ms later on;
 * a pause at least as long as the slice before it (one the machine's load stretched too) is one no
 * waiter's retries step over, so every waiter gets in within about one slice.
 */
const SLICE_MS = 40;
const PAUSE_MS = 30;
/** How often a batch waiting for its creditor's earlier one looks again. */
const WAIT_MS = 200;

const pauseCell = new Int32Array(new SharedArrayBuffer(4));
/** Sleep this thread (the parse worker goes on meanwhile). */
const sleep = (ms: number) => void Atomics.wait(pauseCell, 0, 0, ms);

/** The sweep took the batch for abandoned (this thread was silent too long): nothing more is written. */
class Discarded extends Error {}

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
  const bulk = openBulkImport(dbFile);
  const { db } = bulk;
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
  const batchId = bulk.insertBatch(job.batch, nowMs, job.dryRun);
  // Between slices, and a discard's too: the batch stays marked alive while this thread is busy.
  let beat = performance.now();
  const pause = (held = 0) => {
    if (performance.now() - beat >= HEARTBEAT_MS) {
      bulk.heartbeat(batchId);
      beat = performance.now();
    }
    sleep(Math.max(PAUSE_MS, held));
  };
  const heartbeat = setInterval(() => db.inTransaction || bulk.heartbeat(batchId), HEARTBEAT_MS);
  post({ type: 'started', batchId: job.dryRun ? null : batchId });

  const writer = createClaimWriter(bulk, job, batchId, { now, calendar });
  const { tally } = writer;

  let sliceStart = 0;
  /** Run `write` in the open slice, opening one if none is; a slice past its time commits. */
  const inSlice = (write: () => void) => {
    if (!db.inTransaction) {
      begin();
      sliceStart = performance.now();
    }
    write();
    if (performance.now() - sliceStart >= SLICE_MS) endSlice();
  };
  const endSlice = () => {
    if (!db.inTransaction) return;
    const held = performance.now() - sliceStart;
    bulk.commit();
    pause(held);
  };

  /** Open a transaction, if the batch is still this writer's. */
  const begin = () => {
    bulk.begin();
    if (!stillCommitting(db, batchId)) throw new Discarded();
  };

  const recordErrors = (errors: RowError[]) => {
    if (!errors.length) return;
    inSlice(() => bulk.recordErrors(batchId, errors));
    for (const e of errors) {
      errorsByCode[e.code] = (errorsByCode[e.code] ?? 0) + 1;
      if (e.rowNo !== lastRejectedRow) rejected++;
      lastRejectedRow = e.rowNo;
    }
  };

  const outcomeOf = (failureDetail: string | null, fatal?: { code: string }, warnings: string[] = []) => {
    const result: ImportResult = {
      batchId: job.dryRun ? null : batchId,
      status: failureDetail ? 'failed' : 'committed',
      total: rowsRead,
      accepted: failureDetail ? 0 : tally.accepted,
      rejected,
      skipped: failureDetail ? 0 : tally.skipped,
      errorsByCode: fatal ? { [fatal.code]: 1, ...errorsByCode } : errorsByCode,
      screening: failureDetail ? {} : tally.screening,
      warnings: [
        ...warnings,
        ...(tally.corrected
          ? [`${tally.corrected} claim(s) that needed fixing were corrected by this batch and screened again.`]
          : []),
      ],
      failureDetail,
    };
    return result;
  };
  const values = (r: ImportResult): BatchOutcomeValues => ({
    ...r,
    status: r.status,
    finishedAt: Date.now(),
  });

  const stop = () => {
    finished = true;
    clearInterval(heartbeat);
  };

  const finish = (outcome: { fatal?: { code: string; detail: string }; warnings?: string[] }) => {
    stop();
    endSlice();
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
    let result: ImportResult;
    if (failureDetail) {
      // Nothing of the batch stays but its record and error report, so the creditor can see why.
      result = outcomeOf(failureDetail, outcome.fatal, outcome.warnings);
      discardBatch(db, batchId, values(result), pause);
    } else if (job.dryRun) {
      // The corrections are counted as the flip would count them, then nothing of the run stays.
      begin();
      writer.applyStaged();
      db.exec('ROLLBACK');
      result = { ...outcomeOf(null, undefined, outcome.warnings), errors: bulk.firstErrors(batchId, job.reportErrors) };
      discardBatch(db, batchId, values(result), pause);
    } else {
      begin();
      writer.applyStaged();
      result = outcomeOf(null, undefined, outcome.warnings);
      bulk.finishBatch(batchId, values(result));
      bulk.commit();
    }
    bulk.close();
    post({ type: 'done', result });
  };

  /** Stop on a failure or an abort: what the batch wrote goes, and the batch records `detail`. */
  const fail = (message: WriterToCoordinator & { type: 'failed' }) => {
    stop();
    if (db.inTransaction) db.exec('ROLLBACK');
    discardBatch(db, batchId, values(outcomeOf(message.detail)), pause);
    bulk.close();
    post(message);
  };

  /**
   * One creditor's batches are written one after another, in the order they came: a claim an earlier
   * batch is still writing (and may yet discard) must not count as one this batch's creditor has. The
   * parser waits meanwhile (it sends its next rows only when these are taken).
   */
  const waitForEarlierBatches = () => {
    while (bulk.earlierCommitting(job.batch.creditorOrgId, batchId)) {
      const m = receiveMessageOnPort(parent as unknown as MessagePort)?.message as CoordinatorToWriter | undefined;
      if (m?.type === 'abort') return abort();
      if (!stillCommitting(db, batchId)) return fail({ type: 'failed', code: 'aborted', detail: ABANDONED_DETAIL });
      pause(WAIT_MS);
    }
  };
  const abort = () =>
    fail({
      type: 'failed',
      code: 'aborted',
      detail: 'The import was stopped before it finished; nothing of it was saved.',
    });

  waitForEarlierBatches();

  port.on('message', (m: ParserToWriter) => {
    if (finished) return;
    try {
      if (m.type === 'rows') {
        const errors = [...m.errors];
        for (const row of m.rows)
          inSlice(() => {
            const err = writer.writeRow(row);
            if (err) errors.push(err);
          });
        // The report lists the rows in file order (the sort is stable: a row's errors keep theirs).
        recordErrors(errors.sort((a, b) => a.rowNo - b.rowNo));
        // No slice stays open while the writer waits for rows: other writers would wait with it.
        endSlice();
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
      if (err instanceof Discarded) fail({ type: 'failed', code: 'aborted', detail: ABANDONED_DETAIL });
      else fail(internalFailure(err) as WriterToCoordinator & { type: 'failed' });
    }
  });

  parent.on('message', (m: CoordinatorToWriter) => {
    if (m.type === 'abort' && !finished) abort();
  });
}

const { dbFile, job, port } = workerData as { dbFile: string; job: WriteJob; port: MessagePort };
try {
  run(dbFile, job, port, parentPort!);
} catch (err) {
  parentPort!.postMessage(internalFailure(err));
}
