/**
 * Running a document job: each claim is made on its own (a claim that cannot have the document fails
 * alone, with the reason), enough at once to keep every rendering thread busy, and the documents go
 * into the job's print file in claim order as they are made.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { asc, eq } from 'drizzle-orm';
import type { Clock } from '../../../adapters/clock.js';
import type { FileStore } from '../../../adapters/file-store.js';
import type { PdfRenderer } from '../../../adapters/pdf/render-pool.js';
import type { DB } from '../../../db/open.js';
import { documentJobItems, documentJobs } from '../../../db/schema/index.js';
import type { DocumentKind } from '../../../domain/document-kinds.js';
import { errorText, retryWhileBusy } from '../../common/busy-retry.js';
import type { ProduceDocument } from '../generate.js';
import type { LiveDocumentJobs } from '../live.js';
import type { Requester } from '../prepare.js';
import { interruptJob, jobCounts, jobView, STOPPED, setItem } from './job-rows.js';
import { printInOrder } from './print-order.js';

export interface RunJobDeps {
  db: DB;
  clock: Clock;
  files: FileStore;
  pdf: PdfRenderer;
  live: LiveDocumentJobs;
  produce: ProduceDocument;
  /** True once the server is stopping: no more claims are taken. */
  stopping: () => boolean;
  onJobError?: (jobId: number, err: unknown) => void;
}

// How often job progress is pushed, at most.
const PROGRESS_EVERY_MS = 250;
// Claims of a batch prepared without yielding, so that requests keep being served during a big batch.
const YIELD_EVERY = 50;
export async function runJob(
  deps: RunJobDeps,
  jobId: number,
  who: Requester,
  kind: DocumentKind,
  createdAt: Date,
): Promise<void> {
  const { db, pdf, live } = deps;
  const items = db
    .select({ id: documentJobItems.id, claimId: documentJobItems.claimId })
    .from(documentJobItems)
    .where(eq(documentJobItems.jobId, jobId))
    .orderBy(asc(documentJobItems.id))
    .all();
  const inFlight = new Set<Promise<void>>();
  let lastPush = 0;
  const push = (type: 'progress' | 'finished', force = false) => {
    const now = performance.now();
    if (type === 'progress' && !force && now - lastPush < PROGRESS_EVERY_MS) return;
    lastPush = now;
    live.emit({ type, job: jobView(db, db.select().from(documentJobs).where(eq(documentJobs.id, jobId)).get()!) });
  };
  const print = printInOrder(() => pdf.openPrint(createdAt));

  for (const [i, item] of items.entries()) {
    if (deps.stopping()) break;
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
    const task = retryWhileBusy(() =>
      deps.produce(who, item.claimId, kind, false, (tx, row) => setItem(tx, item.id, 'done', row.id, null)),
    )
      .then((r) => {
        if (!r.model) setItem(db, item.id, 'existing', r.document.id, null);
        print.settled(i, r.model);
      })
      .catch((err: unknown) => {
        setItem(db, item.id, 'failed', null, errorText(err));
        print.settled(i, null);
      })
      .finally(() => {
        inFlight.delete(task);
        push('progress');
      });
    inFlight.add(task);
    // Enough work queued to keep every rendering thread busy while the next claims are prepared.
    if (inFlight.size >= pdf.size * 2) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  // Every claim is done; the print file is finished next.
  push('progress', true);
  if (deps.stopping()) {
    print.file?.abort();
    interruptJob(db, jobId, STOPPED, deps.clock.now());
    return;
  }

  let printStorageKey: string | null = null;
  if (print.file) {
    try {
      printStorageKey = deps.files.put(await print.file.finish());
    } catch (err) {
      deps.onJobError?.(jobId, err);
    }
  }
  const c = jobCounts(db, jobId);
  db.update(documentJobs)
    .set({ status: 'done', done: c.done + c.existing, failed: c.failed, printStorageKey, finishedAt: deps.clock.now() })
    .where(eq(documentJobs.id, jobId))
    .run();
  push('finished');
}
