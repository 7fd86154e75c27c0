/** Job `claims.stage-time-limits`: mediations past their last day time out and escalate (hourly). */
import { overdueMediations, timeOutClaim } from '../modules/claims/time-limits.js';
import type { ItemJob } from './exactly-once.js';
import { itemJobMain, type JobContext, runInWorker } from './job-context.js';

export const JOB_NAME = 'claims.stage-time-limits';

export const stageTimeLimits: ItemJob<ReturnType<typeof overdueMediations>[number], JobContext> = {
  name: JOB_NAME,
  due: (ctx, now) => overdueMediations(ctx.db, now),
  run: (tx, item, ctx, now) => timeOutClaim(tx, item, ctx.reference.calendar(), now),
};

export const main = itemJobMain(stageTimeLimits);

runInWorker(main);
