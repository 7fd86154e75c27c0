/** A batch's error report as CSV, UTF-8 with BOM so that Excel on Chinese Windows opens it right. */
import { and, asc, eq, gt } from 'drizzle-orm';
import { batchRowErrors } from '../../db/schema/index.js';
import { csvSafe } from '../../domain/cell-values.js';
import { rowIssueZh } from '../../error-catalogue.js';
import { AppError } from '../../errors.js';
import type { BatchContext } from './context.js';
import { findBatch } from './read-batches.js';

/** Row errors read per query: the report streams however many rows a batch rejected. */
const PAGE_ROWS = 5000;

/** The report as text chunks; a batch still being imported has none yet. */
export function errorReport(ctx: BatchContext, creditor: number, id: number): AsyncGenerator<string> {
  const batch = findBatch(ctx, creditor, id);
  if (batch.progress)
    throw new AppError(
      'unprocessable',
      'The batch is still being imported; its error report is ready when it finishes.',
    );
  const { db } = ctx;
  return (async function* () {
    yield '\ufeff行号 row,列 column,错误代码 code,说明 message,原值 value\r\n';
    let after = 0;
    for (;;) {
      const page = db
        .select()
        .from(batchRowErrors)
        .where(and(eq(batchRowErrors.batchId, id), gt(batchRowErrors.id, after)))
        .orderBy(asc(batchRowErrors.id))
        .limit(PAGE_ROWS)
        .all();
      if (!page.length) return;
      yield `${page.map((e) => [String(e.rowNo), e.column ?? '', e.code, rowIssueZh(e.code, e.message), e.valueMasked ?? ''].map(csvField).join(',')).join('\r\n')}\r\n`;
      after = page[page.length - 1]!.id;
    }
  })();
}

/** One CSV field: formula-looking text neutralised, quoted when it must be. */
export function csvField(value: string): string {
  const safe = csvSafe(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
