/**
 * What every bree job shell shares: it runs in a worker thread, so it opens its own database
 * connection and adapters from the configuration, records its run in job_runs, and answers bree's
 * 'cancel' by stopping between two units of work.
 */
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { eq } from 'drizzle-orm';
import { type Clock, systemClock } from '../adapters/clock.js';
import { createFieldCrypto, loadDataKey } from '../adapters/field-crypto.js';
import { createFileStore } from '../adapters/file-store.js';
import { createMailer } from '../adapters/mail.js';
import { outboxSms, smsOutboxDir } from '../adapters/sms.js';
import { loadConfig } from '../config.js';
import { type DB, openDatabase } from '../db/open.js';
import { jobRuns } from '../db/schema/index.js';
import { createReferenceData } from '../modules/reference/service.js';
import { type DueItem, type ItemJob, runItems } from './exactly-once.js';

export interface JobInput {
  env: Record<string, string | undefined>;
  /** The server's database file. */
  dbFile: string;
  clock?: Clock;
  signal?: AbortSignal;
}

/** Open the database and the adapters a job needs; close() releases them. */
export function openJobContext({ env, dbFile, clock = systemClock }: JobInput) {
  const config = loadConfig(env);
  const database = openDatabase(dbFile, { busyTimeoutMs: config.dbBusyTimeoutMs });
  const dataKey = loadDataKey(config.dataDir, config.dataKey);
  const mailer = createMailer(config);
  return {
    config,
    db: database.db,
    clock,
    crypto: createFieldCrypto(dataKey),
    mailer,
    sms: outboxSms(smsOutboxDir(config.dataDir), clock),
    files: createFileStore(path.join(config.dataDir, 'files'), dataKey),
    reference: createReferenceData(database.db),
    close() {
      mailer.close();
      database.close();
    },
  };
}

export type JobContext = ReturnType<typeof openJobContext>;

/** Run `work` as one job run: a job_runs row before (its id is the run's), its outcome and counts after. */
export async function recordJobRun<T>(
  db: DB,
  job: string,
  clock: Clock,
  work: (runId: number) => Promise<{ processed: number; failed?: number; result: T }>,
): Promise<T> {
  const run = db
    .insert(jobRuns)
    .values({ job, status: 'running', startedAt: clock.now() })
    .returning({ id: jobRuns.id })
    .get();
  try {
    const { processed, failed = 0, result } = await work(run.id);
    db.update(jobRuns)
      .set({
        status: failed ? 'partial' : 'ok',
        processed,
        failed,
        detail: JSON.stringify(result),
        finishedAt: clock.now(),
      })
      .where(eq(jobRuns.id, run.id))
      .run();
    return result;
  } catch (err) {
    db.update(jobRuns)
      .set({ status: 'failed', detail: String((err as Error)?.message ?? err).slice(0, 1000), finishedAt: clock.now() })
      .where(eq(jobRuns.id, run.id))
      .run();
    throw err;
  }
}

/** The main() of a job over items (exactly-once.ts): one run over everything due now. */
export function itemJobMain<I extends DueItem>(job: ItemJob<I, JobContext>) {
  return async (input: JobInput) => {
    const ctx = openJobContext(input);
    try {
      return await recordJobRun(ctx.db, job.name, ctx.clock, async (runId) => {
        const summary = await runItems(job, ctx, {
          runId,
          now: ctx.clock.now(),
          ...(input.signal ? { signal: input.signal } : {}),
        });
        return { processed: summary.done, failed: summary.failed, result: summary };
      });
    } finally {
      ctx.close();
    }
  };
}

/**
 * Inside a bree worker: run the job once, then tell bree it is done. Imported on the main thread (a
 * test calling the job's `main`), it does nothing. A failure is left unhandled so that the worker
 * exits with an error, which bree reports.
 */
export function runInWorker(main: (input: JobInput) => Promise<unknown>): void {
  if (isMainThread || !parentPort) return;
  const port = parentPort;
  const controller = new AbortController();
  port.on('message', (message) => {
    if (message === 'cancel') controller.abort();
  });
  const { dbFile } = workerData as { dbFile: string };
  void main({ env: process.env, dbFile, signal: controller.signal }).then(() => port.postMessage('done'));
}
