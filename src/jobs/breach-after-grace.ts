/** Job `payments.breach-after-grace`: agreements whose unpaid instalment's grace ended are breached (hourly). */
import { shanghaiDate } from '../domain/dates.js';
import { breachIfGraceEnded, type UnpaidInstalment, unpaidPastDue } from '../modules/payments/breach.js';
import type { ItemJob } from './exactly-once.js';
import { itemJobMain, type JobContext, runInWorker } from './job-context.js';

export const JOB_NAME = 'payments.breach-after-grace';

export const breachAfterGraceJob: ItemJob<UnpaidInstalment, JobContext> = {
  name: JOB_NAME,
  due: (ctx, now) => unpaidPastDue(ctx.db, shanghaiDate(now)),
  run: (tx, item, ctx, now) => {
    const breached = breachIfGraceEnded(tx, ctx.reference.calendar(), now, shanghaiDate(now), item);
    // null: grace still runs, so the item is looked at again next run.
    return breached === null ? null : breached.length ? 'breached' : 'no_open_claim';
  },
};

export const main = itemJobMain(breachAfterGraceJob);

runInWorker(main);
