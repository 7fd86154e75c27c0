/** Job `deliveries.send-pending`: send the deliveries that are due (a bree worker; see scheduler.ts). */
import { type RunSummary, runDeliveries, senderSettings } from '../modules/deliveries/sender.js';
import { type JobInput, openJobContext, recordJobRun, runInWorker } from './job-context.js';

export const JOB_NAME = 'deliveries.send-pending';

/** One run: at most DELIVERY_BATCH_SIZE deliveries, so a run ends well before the next is due. */
export async function main(input: JobInput): Promise<RunSummary> {
  const ctx = openJobContext(input);
  try {
    return await recordJobRun(ctx.db, JOB_NAME, ctx.clock, async () => {
      const summary = await runDeliveries(
        { ...ctx, settings: senderSettings(ctx.config) },
        {
          now: ctx.clock.now(),
          limit: ctx.config.deliveryBatchSize,
          ...(input.signal ? { signal: input.signal } : {}),
        },
      );
      return { processed: summary.processed, result: summary };
    });
  } finally {
    ctx.close();
  }
}

runInWorker(main);
