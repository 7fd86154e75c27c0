/** Job `deliveries.deem-served`: documents served by public notice whose period has run out (daily). */
import { type DeemedService, documentsDeemedServed, markServedByNotice } from '../modules/deliveries/deemed-service.js';
import type { ItemJob } from './exactly-once.js';
import { itemJobMain, type JobContext, runInWorker } from './job-context.js';

export const JOB_NAME = 'deliveries.deem-served';

export const deemServed: ItemJob<DeemedService, JobContext> = {
  name: JOB_NAME,
  due: (ctx, now) => documentsDeemedServed(ctx.db, now),
  run: (tx, item, _ctx, now) => markServedByNotice(tx, item, now),
};

export const main = itemJobMain(deemServed);

runInWorker(main);
