/** Job `payments.instalment-reminders`: an SMS some days before each instalment falls due (hourly). */
import { shanghaiDate } from '../domain/dates.js';
import { instalmentsToRemind, remindInstalment, type UpcomingInstalment } from '../modules/payments/reminders.js';
import type { ItemJob } from './exactly-once.js';
import { itemJobMain, type JobContext, runInWorker } from './job-context.js';

export const JOB_NAME = 'payments.instalment-reminders';

export const instalmentReminders: ItemJob<UpcomingInstalment, JobContext> = {
  name: JOB_NAME,
  due: (ctx, now) => instalmentsToRemind(ctx.db, shanghaiDate(now), ctx.config.instalmentReminderDays),
  run: (tx, item, ctx, now) => remindInstalment(tx, ctx.crypto, item, now),
};

export const main = itemJobMain(instalmentReminders);

runInWorker(main);
