/** The check an upload passes before its import starts: a readable file, the required columns, a data row. */
import { mapHeader } from '../../domain/batch-columns.js';
import { AppError } from '../../errors.js';
import type { SheetFormat } from './import/protocol.js';
import { openImportFile, ReaderError } from './readers/open-import-file.js';
import type { OpenedSheet } from './readers/sheet.js';
import type { BatchOptions } from './schemas.js';

/** Refuse a file whose header lacks a required column, or that has no data row, before any row is read. */
export async function checkHeader(
  file: string,
  format: SheetFormat,
  options: BatchOptions,
  maxFieldBytes: number,
): Promise<void> {
  let sheet: OpenedSheet;
  try {
    sheet = await openImportFile(file, {
      format,
      charset: options.charset,
      sheet: options.sheet,
      maxFieldBytes,
    });
  } catch (err) {
    throw unreadable(err);
  }
  try {
    const mapping = mapHeader(sheet.header);
    if (!mapping.ok)
      throw new AppError('unprocessable', mapping.detail, {
        reason: mapping.code,
        fields: mapping.missing.map((c) => ({ field: `/file/header/${c}`, message: 'required column is missing' })),
      });
    const first = await sheet.rows[Symbol.asyncIterator]()
      .next()
      .catch((err: unknown) => {
        throw unreadable(err);
      });
    if (first.done)
      throw new AppError('unprocessable', 'The file has a header but no data rows.', { reason: 'no_rows' });
  } finally {
    await sheet.close();
  }
}

/** A file the reader refused, as the answer to the uploader; anything else stays what it was. */
function unreadable(err: unknown): unknown {
  return err instanceof ReaderError ? new AppError('unprocessable', err.detail, { reason: err.code }) : err;
}
