/** A batch's error report as CSV (modules/common/row-errors-csv.ts, shared with repayment files). */
import { and, asc, eq, gt } from 'drizzle-orm';
import { batchRowErrors } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { ROW_ERRORS_PAGE, rowErrorsCsv } from '../common/row-errors-csv.js';
import type { BatchContext } from './context.js';
import { findBatch } from './read-batches.js';

/** The report as text chunks; a batch still being imported has none yet. */
export function errorReport(ctx: BatchContext, creditor: number, id: number): AsyncGenerator<string> {
  const batch = findBatch(ctx, creditor, id);
  if (batch.status === 'committing')
    throw new AppError(
      'unprocessable',
      'The batch is still being imported; its error report is ready when it finishes.',
    );
  const { db } = ctx;
  return rowErrorsCsv((after) =>
    db
      .select()
      .from(batchRowErrors)
      .where(and(eq(batchRowErrors.batchId, id), gt(batchRowErrors.id, after)))
      .orderBy(asc(batchRowErrors.id))
      .limit(ROW_ERRORS_PAGE)
      .all(),
  );
}
