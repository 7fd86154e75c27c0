/** XLSX cells as plain values: rich text, formulas, hyperlinks and errors flattened, dates as Dates. */

// The parts of exceljs's streaming reader the cells need; several are internal and untyped.
export interface XlsxRow {
  number: number;
  values: unknown[];
  getCell(col: number): { numFmt?: string };
}
export interface XlsxStyles {
  model?: { styles?: { numFmtId?: number }[] };
  index?: { numFmt?: Record<number, string> };
  getStyleModel(id: number): { numFmt?: string } | null;
}

// exceljs knows format codes only for built-in ids 0-22 and 37-49. Chinese Excel's built-in date
// formats (yyyy"年"m"月"d"日" is id 31, 57/58 and others) then read as plain numbers; give those
// styles a date code so exceljs turns their cells into Dates.
const CJK_DATE_FMT_IDS = new Set([27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]);

export function patchCjkDateStyles(styles: XlsxStyles): void {
  const xfs = styles.model?.styles;
  if (!Array.isArray(xfs) || typeof styles.getStyleModel !== 'function') return;
  for (let id = 0; id < xfs.length; id++) {
    const fmtId = xfs[id]?.numFmtId;
    if (fmtId === undefined || !CJK_DATE_FMT_IDS.has(fmtId) || styles.index?.numFmt?.[fmtId]) continue;
    const model = styles.getStyleModel(id); // cached by exceljs, the same object the cells get
    if (model && !model.numFmt) model.numFmt = 'yyyy-mm-dd';
  }
}

/** The row's cells as plain values (0-based), or null when every cell is empty. */
export function rowCells(row: XlsxRow, date1904: boolean): unknown[] | null {
  const values = row.values; // 1-based and sparse
  const n = values.length - 1;
  if (n <= 0) return null;
  const cells = new Array<unknown>(n);
  let blank = true;
  for (let col = 1; col <= n; col++) {
    let v = values[col];
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) v = flatten(v, row, col, date1904);
    if (v === undefined) v = null;
    cells[col - 1] = v;
    if (v !== null && v !== '') blank = false;
  }
  return blank ? null : cells;
}

/** Rich text → its text, formula → its cached result (never the formula), hyperlink → its text, error → '#N/A' etc. */
export function flatten(v: object, row: XlsxRow, col: number, date1904: boolean): unknown {
  if ('richText' in v) return richText(v.richText);
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as { result?: unknown }).result;
    if (typeof result === 'number') {
      if (Number.isNaN(result)) return null; // exceljs parseFloats boolean and error results
      // exceljs applies the date format to plain cells only; a formula's date comes back as a serial.
      return isDateFmt(row.getCell(col).numFmt) ? excelToDate(result, date1904) : result;
    }
    if (result !== null && typeof result === 'object' && !(result instanceof Date))
      return flatten(result, row, col, date1904);
    return result ?? null;
  }
  if ('error' in v) return String(v.error);
  if ('text' in v)
    return typeof v.text === 'object' && v.text !== null ? flatten(v.text, row, col, date1904) : (v.text ?? null);
  return null;
}

export function richText(runs: unknown): string {
  if (!Array.isArray(runs)) return '';
  let s = '';
  for (const run of runs) s += (run as { text?: string })?.text ?? '';
  return s;
}

/** Same test as exceljs's utils.isDateFmt: date letters outside quotes and [brackets]. */
export function isDateFmt(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

export function excelToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}
