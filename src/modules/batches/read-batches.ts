/** A creditor's batches, running or finished; another creditor's batch is not found. */
import { and, desc, eq, ne, or } from 'drizzle-orm';
import { batches } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import type { BatchContext } from './context.js';
import type { BatchView } from './schemas.js';
import { batchView, liveBatchView } from './views.js';

export function findBatch({ db, live }: BatchContext, creditor: number, id: number): BatchView {
  const running = live.get(id);
  if (running) {
    if (running.creditorOrgId !== creditor) throw notFound(`Batch ${id}`);
    return liveBatchView(running);
  }
  const row = db
    .select()
    .from(batches)
    .where(and(eq(batches.id, id), eq(batches.creditorOrgId, creditor)))
    .get();
  if (!row) throw notFound(`Batch ${id}`);
  return batchView(row);
}

/** The running batches, then the last 100 finished ones, newest first. */
export function listBatches({ db, live }: BatchContext, creditor: number): BatchView[] {
  const done = db
    .select()
    .from(batches)
    .where(eq(batches.creditorOrgId, creditor))
    .orderBy(desc(batches.id))
    .limit(100)
    .all()
    .map(batchView);
  const inProgress = live
    .all()
    .filter((b) => b.creditorOrgId === creditor)
    .map(liveBatchView);
  return [...inProgress, ...done];
}

/**
 * The batch an upload repeats: the same file or the same reference already sent by this creditor,
 * running or done. A failed batch blocks nothing; a reference sent before with other content is refused.
 */
export function findRepeat(
  { db, live }: BatchContext,
  creditorOrgId: number,
  sha256: string,
  reference: string | null,
): BatchView | null {
  const sent = (b: { fileSha256: string | null; reference: string | null }) =>
    b.fileSha256 === sha256 || (reference !== null && b.reference === reference);
  const found = [
    ...live
      .all()
      .filter((b) => b.creditorOrgId === creditorOrgId && sent(b))
      .map((b) => ({ id: b.id, fileSha256: b.fileSha256, reference: b.reference, view: () => liveBatchView(b) })),
    ...db
      .select()
      .from(batches)
      .where(
        and(
          eq(batches.creditorOrgId, creditorOrgId),
          ne(batches.status, 'failed'),
          or(eq(batches.fileSha256, sha256), reference === null ? undefined : eq(batches.reference, reference)),
        ),
      )
      .all()
      .map((b) => ({ id: b.id, fileSha256: b.fileSha256, reference: b.reference, view: () => batchView(b) })),
  ];
  const clash = found.find((b) => reference !== null && b.reference === reference && b.fileSha256 !== sha256);
  if (clash) {
    throw new AppError(
      'duplicate',
      `The reference "${reference}" is batch ${clash.id} already, sent with other content; give this file a reference of its own.`,
      { reason: 'reference_conflict' },
    );
  }
  return found[0]?.view() ?? null;
}
