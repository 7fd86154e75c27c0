import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { id, instant } from './common.js';

export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: id(),
    job: text().notNull(),
    status: text().notNull(),
    detail: text(),
    processed: integer().notNull().default(0),
    /** Items of the run that threw (each recorded in job_items with its error). */
    failed: integer().notNull().default(0),
    startedAt: instant().notNull(),
    finishedAt: instant(),
  },
  (t) => [index('job_runs_job_idx').on(t.job, t.startedAt)],
);

export const JOB_ITEM_STATUSES = ['claimed', 'done', 'failed'] as const;

/**
 * One unit of a job's work, keyed by what it is and when it fell due (a claim and its deadline):
 * claimed under a lease by one run, then marked done in the transaction of its effect, so a
 * crashed run's items go back to the next run and a done one is never done again.
 */
export const jobItems = sqliteTable(
  'job_items',
  {
    job: text().notNull(),
    itemKey: text().notNull(),
    due: text().notNull(),
    status: text({ enum: JOB_ITEM_STATUSES }).notNull(),
    /** The job_runs row that holds or held it. */
    runId: integer().notNull(),
    leaseUntil: instant(),
    attempts: integer().notNull().default(1),
    outcome: text(),
    error: text(),
    updatedAt: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.job, t.itemKey, t.due] }), index('job_items_status_idx').on(t.job, t.status)],
);
