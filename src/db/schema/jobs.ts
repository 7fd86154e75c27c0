import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { id, instant } from './common.js';

export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: id(),
    job: text().notNull(),
    status: text().notNull(),
    detail: text(),
    processed: integer().notNull().default(0),
    startedAt: instant().notNull(),
    finishedAt: instant(),
  },
  (t) => [index('job_runs_job_idx').on(t.job, t.startedAt)],
);
