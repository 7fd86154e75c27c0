/**
 * A creditor's batches, running or finished, as the database has them (a batch is `committing` until
 * the one transaction that flips it), with the progress of those this process is importing; another
 * creditor's batch, and a dry run, is not found.
 */
import { and, desc, eq, ne, or } from 'drizzle-orm';
import { type Batch, batches } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import type { BatchContext } from './context.js';
import type { BatchView } from './schemas.js';
import { batchView } from './views.js';

const ofCreditor = (creditor: number) => and(eq(batches.creditorOrgId, creditor), eq(batches.dryRun, false));

/** The batch's row, with its progress while this process imports it. */
function viewWithProgress({ live }: BatchContext, row: Batch): BatchView {
  const progress = row.status === 'committing' ? live.get(row.id) : undefined;
  return progress
    ? { ...batchView(row), total: progress.rowsRead, accepted: progress.rowsWritten, progress }
    : batchView(row);
}

export function findBatch(ctx: BatchContext, creditor: number, id: number): BatchView {
  const row = ctx.db
    .select()
    .from(batches)
    .where(and(eq(batches.id, id), ofCreditor(creditor)))
    .get();
  if (!row) throw notFound(`Batch ${id}`);
  return viewWithProgress(ctx, row);
}

/** The last 100 batches, newest first. */
export function listBatches(ctx: BatchContext, creditor: number): BatchView[] {
  return ctx.db
    .select()
    .from(batches)
    .where(ofCreditor(creditor))
    .orderBy(desc(batches.id))
    .limit(100)
    .all()
    .map((row) => viewWithProgress(ctx, row));
}

/**
 * The batch an upload repeats: the same file or the same reference already sent by this creditor,
 * committing or done. A failed batch blocks nothing; a reference sent before with other content is refused.
 */
export function findRepeat(
  ctx: BatchContext,
  creditorOrgId: number,
  sha256: string,
  reference: string | null,
): BatchView | null {
  const found = ctx.db
    .select()
    .from(batches)
    .where(
      and(
        ofCreditor(creditorOrgId),
        ne(batches.status, 'failed'),
        or(eq(batches.fileSha256, sha256), reference === null ? undefined : eq(batches.reference, reference)),
      ),
    )
    .all();
  const clash = found.find((b) => reference !== null && b.reference === reference && b.fileSha256 !== sha256);
  if (clash) {
    throw new AppError(
      'duplicate',
      `The reference "${reference}" is batch ${clash.id} already, sent with other content; give this file a reference of its own.`,
      { reason: 'reference_conflict' },
    );
  }
  return found[0] ? viewWithProgress(ctx, found[0]) : null;
}
