// One streaming row reader for CSV and XLSX batch files. Both formats come out as numbered rows of
// cells; the header is read before openSheet resolves, so required columns can be checked before
// any data row is touched. Nothing here holds the whole file: a 1M-row upload streams through,
// decrypted a segment at a time from its spool file.
import { SpoolFile } from '../../common/spool.js';
import { openCsv } from './csv-sheet.js';
import { damagedSpool, type OpenedSheet, type OpenSheetOptions, ReaderError } from './sheet.js';
import { openXlsx } from './xlsx-sheet.js';

/** Opens a batch spool file, reads its header row and returns the remaining rows as a stream. */
export async function openSheet(file: string, opts: OpenSheetOptions): Promise<OpenedSheet> {
  let spool: SpoolFile;
  try {
    spool = await SpoolFile.open(file, opts.dataKey);
  } catch (err) {
    throw damagedSpool(err);
  }
  try {
    const { size } = spool;
    if (size === 0) throw new ReaderError('empty_file', 'The file is empty.');
    // The opened sheet owns the spool file from here and closes it with itself.
    return await (opts.format === 'csv' ? openCsv(spool, size, opts) : openXlsx(spool, size, opts));
  } catch (err) {
    await spool.close();
    throw damagedSpool(err);
  }
}
