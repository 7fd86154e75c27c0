/** CSV batch files, UTF-8 or GBK (detected or given), streamed through csv-parse. */
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { SpoolFile } from '../../common/spool.js';
import { detectCharset, hasUtf8Bom, looksBinary } from './detect-charset.js';
import {
  CHUNK,
  DONE,
  damagedSpool,
  type OpenedSheet,
  type OpenSheetOptions,
  ReaderError,
  readHead,
  type SheetRow,
  singleUse,
} from './sheet.js';

export async function openCsv(file: SpoolFile, size: number, opts: OpenSheetOptions): Promise<OpenedSheet> {
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

  const input = file.stream();
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
    await file.close();
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

export function pickCharset(sample: Buffer, given: OpenSheetOptions['charset']): 'utf-8' | 'gb18030' {
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
export function isBlankRecord(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i] !== '') return false;
  return true;
}

export function csvError(err: unknown, maxFieldBytes: number): unknown {
  const damaged = damagedSpool(err);
  if (damaged !== err) return damaged;
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
