/** The rows of document jobs: a job's counts and view, its per-claim items, and ending it early. */
import { and, asc, count, eq } from 'drizzle-orm';
import type { FileStore } from '../../../adapters/file-store.js';
import type { DB, DbOrTx } from '../../../db/open.js';
import { documentJobItems, documentJobs, documents } from '../../../db/schema/index.js';
import type { DocumentKind } from '../../../domain/document-kinds.js';
import { AppError, notFound } from '../../../errors.js';
import { type Principal, staffOrgId } from '../../auth/principal.js';
import { kindTitle } from '../document-view.js';
import type { JobDetail, JobItemStatus, JobView } from '../schemas.js';

export type JobRow = typeof documentJobs.$inferSelect;

/** Why the claims of a job cut short by a stop were not done. */
export const STOPPED = 'The server stopped before this claim was done; start a new batch for it.';

export function jobCounts(db: DbOrTx, jobId: number): Record<JobItemStatus, number> {
  const rows = db
    .select({ status: documentJobItems.status, n: count() })
    .from(documentJobItems)
    .where(eq(documentJobItems.jobId, jobId))
    .groupBy(documentJobItems.status)
    .all();
  const counts: Record<JobItemStatus, number> = { pending: 0, done: 0, existing: 0, failed: 0 };
  for (const r of rows) counts[r.status as JobItemStatus] = r.n;
  return counts;
}

export function jobView(db: DbOrTx, job: JobRow): JobView {
  const c = jobCounts(db, job.id);
  return {
    id: job.id,
    kind: job.kind as DocumentKind,
    status: job.status as JobView['status'],
    total: job.total,
    done: c.done,
    existing: c.existing,
    failed: c.failed,
    pending: c.pending,
    filter: job.filter,
    printFile: job.printStorageKey ? `/api/documents/jobs/${job.id}/print.pdf` : null,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/** A job of the principal's organisation, or 404. */
export function findJob(db: DbOrTx, principal: Principal, id: number): JobRow {
  const job = db
    .select()
    .from(documentJobs)
    .where(and(eq(documentJobs.id, id), eq(documentJobs.orgId, staffOrgId(principal))))
    .get();
  if (!job) throw notFound(`Document job ${id}`);
  return job;
}

/** A job's progress and per-claim results (optionally only those in one status). */
export function jobDetail(db: DB, principal: Principal, id: number, status?: JobItemStatus): JobDetail {
  const job = findJob(db, principal, id);
  const items = db
    .select({
      claimId: documentJobItems.claimId,
      status: documentJobItems.status,
      documentId: documentJobItems.documentId,
      docNo: documents.docNo,
      error: documentJobItems.error,
    })
    .from(documentJobItems)
    .leftJoin(documents, eq(documentJobItems.documentId, documents.id))
    .where(and(eq(documentJobItems.jobId, id), status ? eq(documentJobItems.status, status) : undefined))
    .orderBy(asc(documentJobItems.id))
    .all();
  return { ...jobView(db, job), items: items.map((i) => ({ ...i, status: i.status as JobItemStatus })) };
}

/** The job's documents in one PDF, once the job has ended. */
export function jobPrintFile(
  db: DB,
  files: FileStore,
  principal: Principal,
  id: number,
): { fileName: string; bytes: Buffer } {
  const job = findJob(db, principal, id);
  if (job.status === 'running') {
    const c = jobCounts(db, id);
    throw new AppError(
      'unprocessable',
      `The print file is made when the job ends; ${c.done + c.existing + c.failed} of ${job.total} claims are done.`,
      { reason: 'job_running' },
    );
  }
  if (!job.printStorageKey)
    throw new AppError('not_found', `Job ${id} generated no document, so it has no print file.`);
  return { fileName: `print-job-${id}-${kindTitle(job.kind)}.pdf`, bytes: files.get(job.printStorageKey) };
}

export const setItem = (
  tx: DbOrTx,
  itemId: number,
  status: JobItemStatus,
  documentId: number | null,
  error: string | null,
) => tx.update(documentJobItems).set({ status, documentId, error }).where(eq(documentJobItems.id, itemId)).run();

/** A job that cannot go on: its claims not yet done fail with the reason, the job is marked interrupted. */
export function interruptJob(tx: DbOrTx, jobId: number, reason: string, at: Date): void {
  tx.update(documentJobItems)
    .set({ status: 'failed', error: reason })
    .where(and(eq(documentJobItems.jobId, jobId), eq(documentJobItems.status, 'pending')))
    .run();
  tx.update(documentJobs).set({ status: 'interrupted', finishedAt: at }).where(eq(documentJobs.id, jobId)).run();
}

/** Jobs a previous process left running cannot go on (their requester is gone): mark them interrupted. */
export function markInterruptedJobs(db: DB, at: Date): void {
  db.transaction((tx) => {
    const stale = tx.select({ id: documentJobs.id }).from(documentJobs).where(eq(documentJobs.status, 'running')).all();
    for (const { id } of stale) interruptJob(tx, id, STOPPED, at);
  });
}
