/** The rows of claim action jobs: inserting a job with its items, its counts and view, one item's outcome. */
import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { DB, DbOrTx } from '../../db/open.js';
import { claimActionItems, claimActionJobs } from '../../db/schema/index.js';
import { problemTitleZh } from '../../error-catalogue.js';
import type { ErrorCode } from '../../errors.js';
import type { BatchAction, ClaimActionDetail, ClaimActionJobView, ItemStatus } from './schemas.js';

export type ClaimActionJob = typeof claimActionJobs.$inferSelect;
export type NewClaimActionJob = typeof claimActionJobs.$inferInsert;

// Items inserted per statement.
const ITEM_CHUNK = 500;

/** The job and one pending item per claim, in one transaction. */
export function insertJob(db: DB, job: NewClaimActionJob, claimIds: readonly number[]): ClaimActionJob {
  return db.transaction((tx) => {
    const row = tx.insert(claimActionJobs).values(job).returning().get();
    for (let i = 0; i < claimIds.length; i += ITEM_CHUNK)
      tx.insert(claimActionItems)
        .values(claimIds.slice(i, i + ITEM_CHUNK).map((claimId) => ({ jobId: row.id, claimId, status: 'pending' })))
        .run();
    return row;
  });
}

export function jobCounts(db: DbOrTx, jobId: number): Record<ItemStatus, number> {
  const counts: Record<ItemStatus, number> = { pending: 0, done: 0, refused: 0, not_found: 0, failed: 0 };
  const rows = db
    .select({ status: claimActionItems.status, n: count() })
    .from(claimActionItems)
    .where(eq(claimActionItems.jobId, jobId))
    .groupBy(claimActionItems.status)
    .all();
  for (const r of rows) counts[r.status as ItemStatus] = r.n;
  return counts;
}

export function jobView(db: DbOrTx, job: ClaimActionJob): ClaimActionJobView {
  const c = jobCounts(db, job.id);
  return {
    id: job.id,
    action: job.action as BatchAction,
    clientKey: job.clientKey,
    status: job.status as ClaimActionJobView['status'],
    total: job.total,
    done: c.done,
    refused: c.refused + c.failed,
    notFound: c.not_found,
    pending: c.pending,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/** A page of the job's items in the order the claims were given, from after the item `after`. */
export function jobItems(
  db: DbOrTx,
  job: ClaimActionJob,
  q: { status?: ItemStatus; limit?: number; after?: number },
): Pick<ClaimActionDetail, 'items' | 'nextCursor'> {
  const limit = q.limit ?? 500;
  const rows = db
    .select()
    .from(claimActionItems)
    .where(
      and(
        eq(claimActionItems.jobId, job.id),
        q.status ? eq(claimActionItems.status, q.status) : undefined,
        q.after ? gt(claimActionItems.id, q.after) : undefined,
      ),
    )
    .orderBy(asc(claimActionItems.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      claimId: r.claimId,
      status: r.status as ItemStatus,
      code: r.code,
      rule: r.rule,
      detail: r.detail,
      message: r.code ? problemTitleZh(r.code as ErrorCode, r.rule) : null,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

/** The job's items still to do, in order. */
export const pendingItems = (db: DB, jobId: number) =>
  db
    .select({ id: claimActionItems.id, claimId: claimActionItems.claimId })
    .from(claimActionItems)
    .where(and(eq(claimActionItems.jobId, jobId), eq(claimActionItems.status, 'pending')))
    .orderBy(asc(claimActionItems.id))
    .all();

/** Take a pending item for doing; false if it is not pending (another process took it). */
export function takeItem(tx: DbOrTx, itemId: number): boolean {
  return (
    tx
      .update(claimActionItems)
      .set({ status: 'done' })
      .where(and(eq(claimActionItems.id, itemId), eq(claimActionItems.status, 'pending')))
      .returning({ id: claimActionItems.id })
      .get() !== undefined
  );
}

export function setOutcome(
  tx: DbOrTx,
  itemId: number,
  status: ItemStatus,
  why: { code: string | null; rule: string | null; detail: string | null },
): void {
  tx.update(claimActionItems)
    .set({ status, ...why })
    .where(eq(claimActionItems.id, itemId))
    .run();
}

export function setJobStatus(db: DbOrTx, jobId: number, status: ClaimActionJobView['status'], finishedAt: Date | null) {
  db.update(claimActionJobs).set({ status, finishedAt }).where(eq(claimActionJobs.id, jobId)).run();
}
