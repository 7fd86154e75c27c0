/** Job `stats.daily-snapshot`: the funnel as it stood at the end of the day, once per day (00:05 Shanghai). */
import { type SnapshotItem, snapshotDue, writeSnapshot } from '../modules/stats/snapshot.js';
import type { ItemJob } from './exactly-once.js';
import { itemJobMain, type JobContext, runInWorker } from './job-context.js';

export const JOB_NAME = 'stats.daily-snapshot';

export const dailySnapshot: ItemJob<SnapshotItem, JobContext> = {
  name: JOB_NAME,
  due: (ctx, now) => snapshotDue(ctx.db, now),
  run: (tx, item, _ctx, now) => writeSnapshot(tx, item, now),
};

export const main = itemJobMain(dailySnapshot);

runInWorker(main);
