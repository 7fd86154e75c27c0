/** Job `deliveries.deem-served`: documents served by public notice whose period has run out (daily). */
import { markDeemedServed } from '../modules/deliveries/deemed-service.js';
import { type JobInput, openJobContext, recordJobRun, runInWorker } from './job-context.js';

export const JOB_NAME = 'deliveries.deem-served';

/** One sweep over the documents served by public notice. */
export async function main(input: JobInput): Promise<{ served: number }> {
  const ctx = openJobContext(input);
  try {
    return await recordJobRun(ctx.db, JOB_NAME, ctx.clock, async () => {
      const served = markDeemedServed(ctx, { now: ctx.clock.now() });
      return { processed: served, result: { served } };
    });
  } finally {
    ctx.close();
  }
}

runInWorker(main);
