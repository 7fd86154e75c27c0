/** Job `objections.reply-deadlines`: reminders before an objection's or hardship request's reply deadline, escalation after (hourly). */
import {
  type ReplyDeadlineItem,
  replyDeadlinesDue,
  writeReplyDeadlineStep,
} from '../modules/objections/reply-deadlines.js';
import type { ItemJob } from './exactly-once.js';
import { itemJobMain, type JobContext, runInWorker } from './job-context.js';

export const JOB_NAME = 'objections.reply-deadlines';

export const replyDeadlines: ItemJob<ReplyDeadlineItem, JobContext> = {
  name: JOB_NAME,
  due: (ctx, now) =>
    replyDeadlinesDue(ctx.db, now, {
      calendar: ctx.reference.calendar(),
      replyDays: ctx.config.objectionReplyDays,
      reminderDays: ctx.config.objectionReminderDays,
    }),
  run: (tx, item, _ctx, now) => writeReplyDeadlineStep(tx, item, now),
};

export const main = itemJobMain(replyDeadlines);

runInWorker(main);
