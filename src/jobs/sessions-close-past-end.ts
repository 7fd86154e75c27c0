/** Job `sessions.close-past-end`: live sessions past their end are ended, with a record (every 5 minutes). */
import { closeSessionPastEnd, type SessionPastEnd, sessionsPastEnd } from '../modules/sessions/close-past-end.js';
import type { ItemJob } from './exactly-once.js';
import { itemJobMain, type JobContext, runInWorker } from './job-context.js';

export const JOB_NAME = 'sessions.close-past-end';

export const closePastEnd: ItemJob<SessionPastEnd, JobContext> = {
  name: JOB_NAME,
  due: (ctx, now) => sessionsPastEnd(ctx.db, now, ctx.config.sessionMaxMinutes),
  run: (tx, item, ctx, now) => closeSessionPastEnd(ctx.db, tx, item, ctx.reference.calendar(), now),
};

export const main = itemJobMain(closePastEnd);

runInWorker(main);
