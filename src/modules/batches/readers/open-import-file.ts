/**
 * Opens any batch the platform accepts: CSV and XLSX files as uploaded, and the JSON form, which the
 * upload route stores as one JSON array per line (header first) so it streams like a file.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { SheetFormat } from '../import/protocol.js';
import { openSheet } from './row-reader.js';
import { type OpenedSheet, type OpenSheetOptions, ReaderError } from './sheet.js';

export { type OpenedSheet, ReaderError } from './sheet.js';

export async function openImportFile(
  file: string,
  opts: Omit<OpenSheetOptions, 'format'> & { format: SheetFormat },
): Promise<OpenedSheet> {
  if (opts.format !== 'ndjson') return openSheet(file, { ...opts, format: opts.format });
  return openJsonLines(file);
}

async function openJsonLines(file: string): Promise<OpenedSheet> {
  const bytesTotal = fs.statSync(file).size;
  const input = fs.createReadStream(file);
  let bytesRead = 0;
  input.on('data', (c) => (bytesRead += c.length));
  const lines = readline.createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new ReaderError('empty_file', 'The batch has no claims.');
  const header = JSON.parse(first.value) as unknown[];
  let rowNo = 1;
  const close = async () => {
    await lines.return?.();
    input.destroy();
  };
  return {
    header,
    bytesTotal,
    bytesRead: () => bytesRead,
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
