/** The check an upload passes before its import starts: a readable file, the required columns, a data row. */
import { type HeaderMapping, mapHeader } from '../../domain/batch-columns.js';
import { AppError } from '../../errors.js';
import type { SheetFormat } from './import/protocol.js';
import { openImportFile, ReaderError } from './readers/open-import-file.js';
import { damagedSpool, type OpenedSheet } from './readers/sheet.js';
import type { BatchOptions } from './schemas.js';

/**
 * Open an import file (a batch, a repayment file) and map its header with `mapper`; a file the readers
 * refuse or a header that lacks a required column is a 422 naming the problem, and the file is closed.
 */
export async function openWithHeader<K extends string>(
  file: string,
  dataKey: Buffer,
  format: SheetFormat,
  options: Pick<BatchOptions, 'charset' | 'sheet'>,
  maxFieldBytes: number,
  mapper: (cells: unknown[]) => HeaderMapping<K>,
): Promise<{ sheet: OpenedSheet; columns: (K | null)[] }> {
  let sheet: OpenedSheet;
  try {
    sheet = await openImportFile(file, {
      format,
      charset: options.charset,
      sheet: options.sheet,
      maxFieldBytes,
      dataKey,
    });
  } catch (err) {
    throw unreadable(err);
  }
  const mapping = mapper(sheet.header);
  if (mapping.ok) return { sheet, columns: mapping.columns };
  await sheet.close();
  throw new AppError('unprocessable', mapping.detail, {
    reason: mapping.code,
    fields: mapping.missing.map((c) => ({ field: `/file/header/${c}`, message: 'required column is missing' })),
  });
}

/** Refuse a file whose header lacks a required column, or that has no data row, before any row is read. */
export async function checkHeader(
  file: string,
  dataKey: Buffer,
  format: SheetFormat,
  options: BatchOptions,
  maxFieldBytes: number,
): Promise<void> {
  const { sheet } = await openWithHeader(file, dataKey, format, options, maxFieldBytes, mapHeader);
  try {
    const first = await sheet.rows[Symbol.asyncIterator]()
      .next()
      .catch((err: unknown) => {
        throw unreadable(err);
      });
    if (first.done) throw noRows();
  } finally {
    await sheet.close();
  }
}

export const noRows = () =>
  new AppError('unprocessable', 'The file has a header but no data rows.', { reason: 'no_rows' });

/** A file the reader refused, as the answer to the uploader; anything else stays what it was. */
export function unreadable(err: unknown): unknown {
  err = damagedSpool(err);
  return err instanceof ReaderError ? new AppError('unprocessable', err.detail, { reason: err.code }) : err;
}
