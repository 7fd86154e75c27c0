// One streaming row reader for CSV and XLSX batch files. Both formats come out as numbered rows of
// cells; the header is read before openSheet resolves, so required columns can be checked before
// any data row is touched. Nothing here holds the whole file: a 1M-row upload streams through.
import { stat } from 'node:fs/promises';
import { openCsv } from './csv-sheet.js';
import { type OpenedSheet, type OpenSheetOptions, ReaderError } from './sheet.js';
import { openXlsx } from './xlsx-sheet.js';

/** Opens a batch file, reads its header row and returns the remaining rows as a stream. */
export async function openSheet(file: string, opts: OpenSheetOptions): Promise<OpenedSheet> {
  const { size } = await stat(file);
  if (size === 0) throw new ReaderError('empty_file', 'The file is empty.');
  return opts.format === 'csv' ? openCsv(file, size, opts) : openXlsx(file, size, opts);
}
