/**
 * The stage time-limit sweep in a child process of its own, for the fault tests:
 * `node --import tsx src/testing/job-child.ts <dbFile> <now> [stallAt]`. It prints `ready` and waits
 * for a line on stdin (so that two children start together), runs, and prints its summary as JSON.
 * With `stallAt` it prints `stalled` at that item and hangs inside the item's transaction, holding
 * the write lock, until it is killed.
 */
import { once } from 'node:events';
import { fixedClock } from '../adapters/clock.js';
import { runItems } from '../jobs/exactly-once.js';
import { openJobContext, recordJobRun } from '../jobs/job-context.js';
import { stageTimeLimits } from '../jobs/stage-time-limits.js';

const [dbFile, now, stallAt] = process.argv.slice(2);
const ctx = openJobContext({ env: process.env, dbFile: dbFile!, clock: fixedClock(now!) });
let seen = 0;
const job: typeof stageTimeLimits = {
  ...stageTimeLimits,
  run(...args) {
    if (stallAt && ++seen === Number(stallAt)) {
      process.stdout.write('stalled\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    return stageTimeLimits.run(...args);
  },
};
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const summary = await recordJobRun(ctx.db, job.name, ctx.clock, async (runId) => {
  const s = await runItems(job, ctx, { runId, now: ctx.clock.now(), chunk: 25 });
  return { processed: s.done, failed: s.failed, result: s };
});
process.stdout.write(`${JSON.stringify(summary)}\n`);
ctx.close();
process.exit(0);
