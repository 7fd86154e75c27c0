/**
 * What every batch reader gives: the header row and a single-use stream of numbered rows of cells,
 * and the error a reader refuses a file with.
 */
import { SpoolDamagedError, type SpoolFile } from '../../common/spool.js';
import type { ZipLimits } from './zip-guard.js';

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
  /** The key the spool file is sealed with (common/spool.ts). */
  dataKey: Buffer;
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
  | 'charset_unknown'
  | 'upload_damaged';

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

/** Bytes a reader takes from the file at a time. */
export const CHUNK = 64 * 1024;
/** The end of a sheet's rows. */
export const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** An AsyncIterable over `next` whose early exit (break, throw) releases the file. */
export function singleUse(
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

/** The first `bytes` bytes of the file (fewer when it is shorter). */
export async function readHead(file: SpoolFile, bytes: number): Promise<Buffer> {
  return file.read(0, bytes);
}

/** A spool file that failed its check, as the reader error the import and the uploader see. */
export function damagedSpool(err: unknown): unknown {
  return err instanceof SpoolDamagedError ? new ReaderError('upload_damaged', err.message) : err;
}
