/**
 * Opens any batch the platform accepts: CSV and XLSX files as uploaded, and the JSON form, which the
 * upload route stores as one JSON array per line (header first) so it streams like a file.
 */
import readline from 'node:readline';
import { openSpoolStream } from '../../common/spool.js';
import type { SheetFormat } from '../import/protocol.js';
import { openSheet } from './row-reader.js';
import { damagedSpool, type OpenedSheet, type OpenSheetOptions, ReaderError } from './sheet.js';

export { type OpenedSheet, ReaderError } from './sheet.js';

export async function openImportFile(
  file: string,
  opts: Omit<OpenSheetOptions, 'format'> & { format: SheetFormat },
): Promise<OpenedSheet> {
  if (opts.format !== 'ndjson') return openSheet(file, { ...opts, format: opts.format });
  return openJsonLines(file, opts.dataKey);
}

async function openJsonLines(file: string, dataKey: Buffer): Promise<OpenedSheet> {
  let input: Awaited<ReturnType<typeof openSpoolStream>>;
  try {
    input = await openSpoolStream(file, dataKey);
  } catch (err) {
    throw damagedSpool(err);
  }
  const bytesTotal = input.spool.size;
  const iterator = readline.createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const lines = {
    next: () => iterator.next().catch((err: unknown) => Promise.reject(damagedSpool(err))),
    return: () => iterator.return?.(),
  };
  const first = await lines.next();
  if (first.done) {
    input.destroy();
    throw new ReaderError('empty_file', 'The batch has no claims.');
  }
  const header = JSON.parse(first.value) as unknown[];
  let rowNo = 1;
  const close = async () => {
    await lines.return?.();
    input.destroy();
  };
  return {
    header,
    bytesTotal,
    bytesRead: () => input.bytesRead,
    charset: null,
    sheetName: null,
    close,
    rows: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const line = await lines.next();
          if (line.done) return;
          rowNo++;
          // The claim's position in the JSON array is row − 1: row numbers count the header, as in a file.
          if (line.value) yield { rowNo, cells: JSON.parse(line.value) as unknown[] };
        }
      },
    },
  };
}
