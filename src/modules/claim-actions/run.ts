/**
 * Running a claim action job: each claim on its own, in one transaction with its item, so an item is
 * done exactly when its claim moved (a restart or a second process never does one twice); a claim
 * the step does not fit is refused alone, with the rule.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
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

// How often progress is pushed, at most; claims done between yields to the event loop.
const PROGRESS_EVERY_MS = 250;
const YIELD_EVERY = 25;

/** Do one item: the step and its outcome commit together, or neither does. */
function doItem(
  deps: RunDeps,
  p: Principal,
  action: BatchAction,
  payload: ActionPayload,
  item: { id: number; claimId: number },
) {
  deps.db.transaction(
    (tx) => {
      if (!takeItem(tx, item.id)) return;
      try {
        // The verb's own transaction nests here as a savepoint: a refusal undoes only the step.
        actOn(deps, p, action, payload, item.claimId);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        setOutcome(tx, item.id, err.code === 'not_found' ? 'not_found' : 'refused', {
          code: err.code,
          rule: err.reason ?? null,
          detail: err.detail,
        });
      }
    },
    { behavior: 'immediate' },
  );
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
  for (const [i, item] of pendingItems(db, jobId).entries()) {
    if (deps.stopping()) return;
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
    try {
      await retryWhileBusy(async () => doItem(deps, p, action, payload, item));
    } catch (err) {
      // Not a refusal: a fault of ours. The claim is left as it was and the item says so.
      deps.onItemError?.(jobId, item.claimId, err);
      setOutcome(db, item.id, 'failed', { code: 'internal', rule: null, detail: errorText(err) });
    }
    push('progress');
  }
  setJobStatus(db, jobId, 'done', deps.clock.now());
  push('finished');
}
