// One streaming row reader for CSV and XLSX batch files. Both formats come out as numbered rows of
// cells; the header is read before openSheet resolves, so required columns can be checked before
// any data row is touched. Nothing here holds the whole file: a 1M-row upload streams through.
import { createReadStream, ReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { detectCharset, hasUtf8Bom, looksBinary } from './detect-charset.js';
import { loadExcelJS } from './exceljs-reader.js';
import { checkXlsxContainer, type ZipLimits } from './zip-guard.js';

/** One non-empty row; rowNo is the row number Excel shows for it (the header is row 1). */
export interface SheetRow {
  rowNo: number;
  cells: unknown[];
}

/** An opened CSV or XLSX sheet: the header row and a single-use stream of the rows after it. */
export interface OpenedSheet {
  header: unknown[];
  rows: AsyncIterable<SheetRow>;
  bytesTotal: number;
  bytesRead(): number;
  charset: string | null;
  sheetName: string | null;
  /** Releases the file (and exceljs temp files) when the rows will not be read to the end. */
  close(): Promise<void>;
}

export interface OpenSheetOptions {
  format: 'csv' | 'xlsx';
  charset?: 'utf-8' | 'gb18030' | 'gbk' | null;
  sheet?: string | null;
  maxFieldBytes: number;
  zipLimits?: ZipLimits;
}

export type ReaderErrorCode =
  | 'empty_file'
  | 'binary_file'
  | 'not_a_workbook'
  | 'zip_bomb'
  | 'sheet_not_found'
  | 'no_header'
  | 'field_too_large'
  | 'csv_malformed'
  | 'charset_unknown';

/** A file the reader refuses, with a message for the uploader; the code is open so callers can add their own. */
export class ReaderError<C extends string = ReaderErrorCode> extends Error {
  override readonly name = 'ReaderError';
  constructor(
    readonly code: C,
    readonly detail: string,
    readonly rowNo: number | null = null,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** Default ceilings for an .xlsx upload: ~1M claim rows with shared strings stay well below them. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: 2 * 1024 ** 3, maxRatio: 200, maxEntries: 10_000 };

const CHUNK = 64 * 1024;
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Opens a batch file, reads its header row and returns the remaining rows as a stream. */
export async function openSheet(file: string, opts: OpenSheetOptions): Promise<OpenedSheet> {
  const { size } = await stat(file);
  if (size === 0) throw new ReaderError('empty_file', 'The file is empty.');
  return opts.format === 'csv' ? openCsv(file, size, opts) : openXlsx(file, size, opts);
}

// ---------------------------------------------------------------------------------------------- CSV

async function openCsv(file: string, size: number, opts: OpenSheetOptions): Promise<OpenedSheet> {
  const sample = await readHead(file, CHUNK);
  if (size === 3 && hasUtf8Bom(sample)) throw new ReaderError('empty_file', 'The file is empty.');
  const charset = pickCharset(sample, opts.charset);
  if (looksBinary(sample)) {
    const zip = sample[0] === 0x50 && sample[1] === 0x4b; // "PK": an .xlsx uploaded as CSV
    throw new ReaderError(
      'binary_file',
      zip
        ? 'The file is an Excel workbook, not CSV; upload it as XLSX.'
        : 'The file is not text; upload a CSV or XLSX export.',
    );
  }

  const input = createReadStream(file, { highWaterMark: CHUNK });
  // skip_empty_lines and info stay off: counting records here gives Excel's row number (a quoted
  // multi-line field is one row) and avoids csv-parse's per-record info object (~25% faster).
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: false,
    skip_empty_lines: false,
    max_record_size: opts.maxFieldBytes,
  });
  const noop = () => {}; // errors surface through the parser's iterator
  // UTF-8 bytes go straight to csv-parse, which decodes them itself; GBK is decoded as GB18030, its superset.
  if (charset === 'utf-8') pipeline(input, parser, noop);
  else pipeline(input, iconv.decodeStream('gb18030'), parser, noop);

  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  let rowNo = 0;
  let finished = false;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await records.return?.();
    input.destroy();
  };
  const next = async (): Promise<IteratorResult<SheetRow, undefined>> => {
    for (;;) {
      let r: IteratorResult<string[]>;
      try {
        r = await records.next();
      } catch (err) {
        await close();
        throw csvError(err, opts.maxFieldBytes);
      }
      if (r.done) {
        finished = true;
        await close();
        return DONE;
      }
      rowNo++;
      const cells = r.value;
      if (!isBlankRecord(cells)) return { done: false, value: { rowNo, cells } };
    }
  };

  const first = await next();
  if (first.done) throw new ReaderError('no_header', 'The file has no rows; the first row must be the column headers.');
  return {
    header: first.value.cells,
    rows: singleUse(next, close),
    bytesTotal: size,
    bytesRead: () => (finished ? size : input.bytesRead),
    charset,
    sheetName: null,
    close,
  };
}

function pickCharset(sample: Buffer, given: OpenSheetOptions['charset']): 'utf-8' | 'gb18030' {
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new ReaderError(
      'charset_unknown',
      'The file is UTF-16 text (Excel "Unicode text"); save it as "CSV UTF-8" or CSV.',
    );
  }
  // A BOM is proof; a declared charset that contradicts it would garble every row.
  if (hasUtf8Bom(sample)) return 'utf-8';
  if (given === undefined || given === null) return detectCharset(sample);
  if (given === 'utf-8') return 'utf-8';
  if (given === 'gbk' || given === 'gb18030') return 'gb18030';
  throw new ReaderError('charset_unknown', `Unsupported character set ${JSON.stringify(given)}; use UTF-8 or GBK.`);
}

/** An empty line or a line of bare separators (Excel writes those for formatted blank rows). */
function isBlankRecord(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i] !== '') return false;
  return true;
}

function csvError(err: unknown, maxFieldBytes: number): unknown {
  const e = err as { code?: unknown; records?: unknown; message?: unknown };
  if (typeof e?.code !== 'string' || typeof e.records !== 'number') return err; // not a CsvError
  const rowNo = e.records + 1; // the record being parsed when the error struck
  if (e.code === 'CSV_MAX_RECORD_SIZE') {
    return new ReaderError(
      'field_too_large',
      `Row ${rowNo} is longer than ${maxFieldBytes} bytes; check it for a quote (") that is never closed.`,
      rowNo,
    );
  }
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new ReaderError('csv_malformed', `Row ${rowNo} opens a quote (") that is never closed.`, rowNo);
  }
  // CSV_INVALID_CLOSING_QUOTE, INVALID_OPENING_QUOTE (no CSV_ prefix in csv-parse 7) and the rest.
  return new ReaderError(
    'csv_malformed',
    `Row ${rowNo} is not valid CSV: ${String(e.message).replace(/^[^:]*:\s*/, '')}`,
    rowNo,
  );
}

// --------------------------------------------------------------------------------------------- XLSX

// The parts of exceljs's streaming reader used here; several are internal and untyped.
interface XlsxRow {
  number: number;
  values: unknown[];
  getCell(col: number): { numFmt?: string };
}
interface XlsxWorksheet extends AsyncIterable<XlsxRow> {
  id: number | string; // the string N of sheetN.xml when exceljs could not match it to workbook.xml
  name: string;
  iterator: unknown; // the temp file's ReadStream when exceljs spooled the sheet
}
interface XlsxStyles {
  model?: { styles?: { numFmtId?: number }[] };
  index?: { numFmt?: Record<number, string> };
  getStyleModel(id: number): { numFmt?: string } | null;
}
interface XlsxReader extends AsyncIterable<XlsxWorksheet> {
  model?: { sheets?: { name: string; state?: string; rId?: string }[] };
  workbookRels?: { Id?: string; Target?: string }[];
  properties?: { model?: { date1904?: boolean } };
  styles?: XlsxStyles;
}

async function openXlsx(file: string, size: number, opts: OpenSheetOptions): Promise<OpenedSheet> {
  const check = await checkXlsxContainer(file, opts.zipLimits ?? DEFAULT_ZIP_LIMITS);
  if (!check.ok) throw new ReaderError(check.code, check.detail);

  const input = createReadStream(file, { highWaterMark: CHUNK });
  const reader = new (loadExcelJS().stream.xlsx.WorkbookReader)(input, {
    sharedStrings: 'cache',
    styles: 'cache', // without the styles a date cell is just its serial number
    hyperlinks: 'ignore', // a hyperlink cell then reads as its text
    worksheets: 'emit',
    entries: 'emit',
  }) as unknown as XlsxReader;
  const sheets = reader[Symbol.asyncIterator]();

  let sheet: XlsxWorksheet | null = null;
  let sheetName = '';
  let rows: AsyncIterator<XlsxRow> | null = null;
  let spooled: ReadStream | null = null;
  let spooledSize = 0;
  let skipped: unknown = null; // the stream of a sheet passed over, if any
  let zipRead = false; // exceljs spools sheets to temp files and emits them after the last zip entry
  let finished = false;
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    await rows?.return?.().catch(() => undefined);
    destroyIfStream(spooled);
    destroyIfStream(skipped);
    if (zipRead || finished) {
      // Resuming exceljs's generator is what deletes its temp files; by now the zip is fully read.
      try {
        for (let r = await sheets.next(); !r.done; r = await sheets.next()) destroyIfStream(r.value.iterator);
      } catch {
        // a damaged later sheet does not matter any more
      }
    } else {
      // Aborted in a sheet streamed straight from the zip: stop reading rather than inflate the rest.
      await sheets.return?.(undefined).catch(() => undefined);
      input.destroy();
    }
  };
  const fail = async (err: unknown): Promise<never> => {
    await close();
    throw xlsxError(err);
  };

  try {
    let wanted: string | null | undefined; // undefined: not decided yet; null: whichever comes first
    for (let r = await sheets.next(); !r.done; r = await sheets.next()) {
      const ws = r.value;
      skipped = ws.iterator;
      if (ws.iterator instanceof ReadStream) zipRead = true;
      if (wanted === undefined) wanted = pickSheet(reader, opts.sheet ?? null);
      const name = worksheetName(reader, ws);
      if (wanted === null || name === wanted) {
        sheet = ws;
        sheetName = name;
        skipped = null;
        break;
      }
      destroyIfStream(ws.iterator);
      skipped = null;
    }
  } catch (err) {
    return fail(err);
  }
  if (!sheet) {
    await close();
    throw opts.sheet
      ? sheetNotFound(reader, opts.sheet)
      : new ReaderError('sheet_not_found', 'The workbook has no worksheets.');
  }

  if (sheet.iterator instanceof ReadStream) {
    spooled = sheet.iterator;
    spooledSize = (await stat(String(spooled.path)).catch(() => ({ size: 0 }))).size;
  }
  if (reader.styles) patchCjkDateStyles(reader.styles);
  const date1904 = reader.properties?.model?.date1904 === true;
  rows = sheet[Symbol.asyncIterator]();
  const sheetRows = rows;

  const next = async (): Promise<IteratorResult<SheetRow, undefined>> => {
    for (;;) {
      let r: IteratorResult<XlsxRow>;
      try {
        r = await sheetRows.next();
      } catch (err) {
        return fail(err);
      }
      if (r.done) {
        finished = true;
        await close();
        return DONE;
      }
      const cells = rowCells(r.value, date1904);
      if (cells) return { done: false, value: { rowNo: r.value.number, cells } };
    }
  };

  const first = await next();
  if (first.done)
    throw new ReaderError('no_header', `Sheet ${sheetName} is empty; the first row must be the column headers.`);
  return {
    header: first.value.cells,
    rows: singleUse(next, close),
    bytesTotal: size,
    bytesRead: () => {
      if (finished) return size;
      // A spooled sheet is read after the whole zip: estimate from the share of the temp file parsed.
      if (spooled && spooledSize > 0) return Math.min(size, Math.round((size * spooled.bytesRead) / spooledSize));
      return input.bytesRead;
    },
    charset: null,
    sheetName,
    close,
  };
}

/** The sheet to read: the named one (exact, then ignoring case and spaces), or the first visible tab. */
function pickSheet(reader: XlsxReader, name: string | null): string | null {
  const sheets = reader.model?.sheets;
  if (!sheets?.length) return name; // workbook.xml not parsed yet: match by name or take the first
  if (name === null) return (sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0]!).name;
  if (sheets.some((s) => s.name === name)) return name;
  const loose = (s: string) => s.trim().toLowerCase();
  const matches = sheets.filter((s) => loose(s.name) === loose(name));
  if (matches.length === 1) return matches[0]!.name;
  throw sheetNotFound(reader, name);
}

/** The tab name of a worksheet. exceljs matches only relative relationship targets; openpyxl and
 * others write absolute ones (/xl/worksheets/sheet1.xml), which leave exceljs's default "SheetN". */
function worksheetName(reader: XlsxReader, ws: XlsxWorksheet): string {
  if (typeof ws.id !== 'string') return ws.name; // exceljs found it
  const target = `worksheets/sheet${ws.id}.xml`;
  const rel = reader.workbookRels?.find((r) => r.Target?.replace(/^\/?(xl\/)?/, '') === target);
  return reader.model?.sheets?.find((s) => rel && s.rId === rel.Id)?.name ?? ws.name;
}

function sheetNotFound(reader: XlsxReader, name: string): ReaderError {
  const names = (reader.model?.sheets ?? []).map((s) => s.name);
  return new ReaderError(
    'sheet_not_found',
    `The workbook has no sheet ${JSON.stringify(name)}; its sheets are: ${names.length ? names.join(', ') : '(none)'}.`,
  );
}

function xlsxError(err: unknown): unknown {
  if (err instanceof ReaderError) return err;
  if (typeof (err as NodeJS.ErrnoException)?.syscall === 'string') return err; // our disk, not the upload
  return new ReaderError(
    'not_a_workbook',
    `The workbook could not be read: ${(err as Error)?.message ?? String(err)}.`,
  );
}

/**
 * Stop reading a spooled sheet. Its file may still be opening when exceljs deletes it, and the failed
 * open would then be an 'error' nobody listens to: after this, such an error no longer matters.
 */
function destroyIfStream(s: unknown): void {
  if (s instanceof ReadStream) s.on('error', () => undefined).destroy();
}

// exceljs knows format codes only for built-in ids 0-22 and 37-49. Chinese Excel's built-in date
// formats (yyyy"年"m"月"d"日" is id 31, 57/58 and others) then read as plain numbers; give those
// styles a date code so exceljs turns their cells into Dates.
const CJK_DATE_FMT_IDS = new Set([27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]);

function patchCjkDateStyles(styles: XlsxStyles): void {
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
function rowCells(row: XlsxRow, date1904: boolean): unknown[] | null {
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
function flatten(v: object, row: XlsxRow, col: number, date1904: boolean): unknown {
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

function richText(runs: unknown): string {
  if (!Array.isArray(runs)) return '';
  let s = '';
  for (const run of runs) s += (run as { text?: string })?.text ?? '';
  return s;
}

/** Same test as exceljs's utils.isDateFmt: date letters outside quotes and [brackets]. */
function isDateFmt(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function excelToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

// ------------------------------------------------------------------------------------------- shared

/** An AsyncIterable over `next` whose early exit (break, throw) releases the file. */
function singleUse(
  next: () => Promise<IteratorResult<SheetRow, undefined>>,
  close: () => Promise<void>,
): AsyncIterable<SheetRow> {
  const iterator: AsyncIterator<SheetRow, undefined> = {
    next,
    return: async () => {
      await close();
      return DONE;
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
