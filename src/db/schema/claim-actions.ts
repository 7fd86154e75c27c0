import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { id, instant } from './common.js';
import { organisations, users } from './organisations.js';

/**
 * One lifecycle action run over many claims (POST /api/claims/actions): the request as sent, under
 * the organisation's client key so that sending it again answers the same job.
 */
export const claimActionJobs = sqliteTable(
  'claim_action_jobs',
  {
    id: id(),
    orgId: integer()
      .notNull()
      .references(() => organisations.id),
    clientKey: text().notNull(),
    /** SHA-256 of the request, to tell the same request sent again from another under the same key. */
    requestHash: text().notNull(),
    action: text().notNull(),
    /** The action's fields (reason, measure) as sent; the claims are the items. */
    payload: text({ mode: 'json' }).notNull(),
    requestedBy: integer().references(() => users.id),
    requestedByApiKey: integer(),
    status: text().notNull(),
    total: integer().notNull(),
    createdAt: instant().notNull(),
    finishedAt: instant(),
  },
  (t) => [uniqueIndex('claim_action_jobs_key_idx').on(t.orgId, t.clientKey)],
);

/**
 * One claim of a job and what became of it, written in the transaction of the action itself, so an
 * item is done exactly when its claim moved. The claim id is as sent: one the sender may not see
 * (or that does not exist) is reported `not_found`, so it is not a foreign key.
 */
export const claimActionItems = sqliteTable(
  'claim_action_items',
  {
    id: id(),
    jobId: integer()
      .notNull()
      .references(() => claimActionJobs.id),
    claimId: integer().notNull(),
    status: text().notNull(),
    /** Why it was refused: the error code, the lifecycle rule and the sentence a person reads. */
    code: text(),
    rule: text(),
    detail: text(),
  },
  (t) => [index('claim_action_items_job_idx').on(t.jobId, t.status)],
);
