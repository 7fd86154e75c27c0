/**
 * The error report of an imported file (a batch of claims, a repayment file): one line per problem
 * with the row, column, code, the message in Chinese and the original value (masked), as CSV in UTF-8
 * with BOM so that Excel on Chinese Windows opens it right. Read page by page, so it streams.
 */
import { csvSafe } from '../../domain/cell-values.js';
import { rowIssueZh } from '../../error-catalogue.js';

export interface RowErrorLine {
  id: number;
  rowNo: number;
  column: string | null;
  code: string;
  message: string;
  valueMasked: string | null;
}

/** Row errors read per query: the report streams however many rows a file had rejected. */
export const ROW_ERRORS_PAGE = 5000;

/** One CSV field: formula-looking text neutralised, quoted when it must be. */
export function csvField(value: string): string {
  const safe = csvSafe(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as CSV text chunks; `page(afterId)` answers the next lines in id order, empty at the end. */
export async function* rowErrorsCsv(page: (afterId: number) => RowErrorLine[]): AsyncGenerator<string> {
  yield '\ufeff行号 row,列 column,错误代码 code,说明 message,原值 value\r\n';
  for (let after = 0; ; ) {
    const lines = page(after);
    if (!lines.length) return;
    yield `${lines.map((e) => [String(e.rowNo), e.column ?? '', e.code, rowIssueZh(e.code, e.message), e.valueMasked ?? ''].map(csvField).join(',')).join('\r\n')}\r\n`;
    after = lines[lines.length - 1]!.id;
  }
}
