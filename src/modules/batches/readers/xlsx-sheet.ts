/**
 * XLSX batch files: the container checked against zip bombs first, then one worksheet streamed by
 * exceljs (the named one, or the first visible tab), both read from the upload's spool file. A sheet
 * exceljs must keep until the shared strings are read goes to a spool file of its own beside it.
 */
import { ReadStream } from 'node:fs';
import path from 'node:path';
import { type SpoolFile, SpoolReadStream } from '../../common/spool.js';
import { loadExcelJS } from './exceljs-reader.js';
import {
  DONE,
  damagedSpool,
  type OpenedSheet,
  type OpenSheetOptions,
  ReaderError,
  type SheetRow,
  singleUse,
} from './sheet.js';
import { patchCjkDateStyles, rowCells, type XlsxRow, type XlsxStyles } from './xlsx-cells.js';
import { checkXlsxContainer, type ZipLimits } from './zip-guard.js';

/** Default ceilings for an .xlsx upload: ~1M claim rows with shared strings stay well below them. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: 2 * 1024 ** 3, maxRatio: 200, maxEntries: 10_000 };

// The parts of exceljs's streaming reader used here; several are internal and untyped.
interface XlsxWorksheet extends AsyncIterable<XlsxRow> {
  id: number | string; // the string N of sheetN.xml when exceljs could not match it to workbook.xml
  name: string;
  iterator: unknown; // the scratch spool file's stream when exceljs had to keep the sheet
}
interface XlsxReader extends AsyncIterable<XlsxWorksheet> {
  model?: { sheets?: { name: string; state?: string; rId?: string }[] };
  workbookRels?: { Id?: string; Target?: string }[];
  properties?: { model?: { date1904?: boolean } };
  styles?: XlsxStyles;
}

export async function openXlsx(file: SpoolFile, size: number, opts: OpenSheetOptions): Promise<OpenedSheet> {
  const check = await checkXlsxContainer(file, opts.zipLimits ?? DEFAULT_ZIP_LIMITS);
  if (!check.ok) throw new ReaderError(check.code, check.detail);

  const input = file.stream();
  const reader = new (loadExcelJS().stream.xlsx.WorkbookReader)(input, {
    sharedStrings: 'cache',
    styles: 'cache', // without the styles a date cell is just its serial number
    hyperlinks: 'ignore', // a hyperlink cell then reads as its text
    worksheets: 'emit',
    entries: 'emit',
    // Where exceljs-reader.ts spools a sheet it must keep, sealed with the same key.
    spool: { dir: path.dirname(file.file), dataKey: opts.dataKey },
  } as never) as unknown as XlsxReader;
  const sheets = reader[Symbol.asyncIterator]();

  let sheet: XlsxWorksheet | null = null;
  let sheetName = '';
  let rows: AsyncIterator<XlsxRow> | null = null;
  let spooled: SpoolReadStream | null = null;
  let spooledSize = 0;
  let skipped: unknown = null; // the stream of a sheet passed over, if any
  let zipRead = false; // exceljs spools sheets to scratch files and emits them after the last zip entry
  let finished = false;
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    await rows?.return?.().catch(() => undefined);
    destroyIfStream(spooled);
    destroyIfStream(skipped);
    if (zipRead || finished) {
      // Resuming exceljs's generator is what deletes its scratch files; by now the zip is fully read.
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
    await file.close();
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
      if (ws.iterator instanceof SpoolReadStream) zipRead = true;
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

  if (sheet.iterator instanceof SpoolReadStream) {
    spooled = sheet.iterator;
    spooledSize = spooled.spool.size;
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
      // A spooled sheet is read after the whole zip: estimate from the share of the scratch file parsed.
      if (spooled && spooledSize > 0) return Math.min(size, Math.round((size * spooled.bytesRead) / spooledSize));
      return input.bytesRead;
    },
    charset: null,
    sheetName,
    close,
  };
}

/** The sheet to read: the named one (exact, then ignoring case and spaces), or the first visible tab. */
export function pickSheet(reader: XlsxReader, name: string | null): string | null {
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
export function worksheetName(reader: XlsxReader, ws: XlsxWorksheet): string {
  if (typeof ws.id !== 'string') return ws.name; // exceljs found it
  const target = `worksheets/sheet${ws.id}.xml`;
  const rel = reader.workbookRels?.find((r) => r.Target?.replace(/^\/?(xl\/)?/, '') === target);
  return reader.model?.sheets?.find((s) => rel && s.rId === rel.Id)?.name ?? ws.name;
}

export function sheetNotFound(reader: XlsxReader, name: string): ReaderError {
  const names = (reader.model?.sheets ?? []).map((s) => s.name);
  return new ReaderError(
    'sheet_not_found',
    `The workbook has no sheet ${JSON.stringify(name)}; its sheets are: ${names.length ? names.join(', ') : '(none)'}.`,
  );
}

export function xlsxError(err: unknown): unknown {
  if (err instanceof ReaderError) return err;
  const damaged = damagedSpool(err);
  if (damaged !== err) return damaged;
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
export function destroyIfStream(s: unknown): void {
  if (s instanceof ReadStream || s instanceof SpoolReadStream) s.on('error', () => undefined).destroy();
}
