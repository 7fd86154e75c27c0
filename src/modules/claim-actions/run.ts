/**
 * Running a claim action job: the claims in slices of one transaction each (at most SLICE_MS of
 * write lock), each claim in a savepoint with its item, so an item is done exactly when its claim
 * moved (a restart or a second process never does one twice: a slice commits whole or not at all);
 * a claim the step does not fit is refused alone, with the rule, and a fault of ours fails it alone.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DbOrTx } from '../../db/open.js';
import { claimActionJobs } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { errorText, retryWhileBusy } from '../common/busy-retry.js';
import type { LiveJobs } from '../common/live-jobs.js';
import { jobView, pendingItems, setJobStatus, setOutcome, takeItem } from './job-rows.js';
import type { BatchAction, ClaimActionJobView } from './schemas.js';
import { type ActionPayload, actOn, type ClaimActionVerbs } from './verbs.js';

export interface RunDeps extends ClaimActionVerbs {
  clock: Clock;
  live: LiveJobs<ClaimActionJobView>;
  stopping: () => boolean;
  onItemError?: (jobId: number, claimId: number, err: unknown) => void;
}

// How often progress is pushed, at most. A commit costs more than a claim's step, so claims share one,
// for as long as SLICE_MS: other writers wait no longer than that, and the event loop runs between slices.
const PROGRESS_EVERY_MS = 250;
const SLICE_MS = 25;

type Item = { id: number; claimId: number };

/** Do one item in the slice's transaction: the step and its outcome together, or neither. */
function doItem(
  deps: RunDeps,
  tx: DbOrTx,
  jobId: number,
  job: { p: Principal; action: BatchAction; payload: ActionPayload },
  item: Item,
) {
  if (!takeItem(tx, item.id)) return;
  try {
    // The verb's own transaction nests here as a savepoint: a refusal or a fault undoes only this
    // claim's step, never the slice.
    actOn(deps, job.p, job.action, job.payload, item.claimId);
  } catch (err) {
    if (err instanceof AppError) {
      setOutcome(tx, item.id, err.code === 'not_found' ? 'not_found' : 'refused', {
        code: err.code,
        rule: err.reason ?? null,
        detail: err.detail,
      });
      return;
    }
    // Not a refusal: a fault of ours. The claim is left as it was and the item says so.
    deps.onItemError?.(jobId, item.claimId, err);
    setOutcome(tx, item.id, 'failed', { code: 'internal', rule: null, detail: errorText(err) });
  }
}

export async function runClaimActionJob(
  deps: RunDeps,
  jobId: number,
  p: Principal,
  action: BatchAction,
  payload: ActionPayload,
): Promise<void> {
  const { db, live } = deps;
  let lastPush = 0;
  const push = (type: 'progress' | 'finished') => {
    const now = performance.now();
    if (type === 'progress' && now - lastPush < PROGRESS_EVERY_MS) return;
    lastPush = now;
    live.emit({
      type,
      job: jobView(db, db.select().from(claimActionJobs).where(eq(claimActionJobs.id, jobId)).get()!),
    });
  };
  const items = pendingItems(db, jobId);
  const job = { p, action, payload };
  let next = 0;
  while (next < items.length) {
    if (deps.stopping()) return;
    const from = next;
    next = await retryWhileBusy(async () =>
      db.transaction(
        (tx) => {
          const started = performance.now();
          let i = from;
          do doItem(deps, tx, jobId, job, items[i++]!);
          while (i < items.length && performance.now() - started < SLICE_MS);
          return i;
        },
        { behavior: 'immediate' },
      ),
    );
    push('progress');
    await yieldToLoop();
  }
  setJobStatus(db, jobId, 'done', deps.clock.now());
  push('finished');
}
