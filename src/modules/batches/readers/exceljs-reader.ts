/**
 * exceljs for reading, with one fix. Its SAX helper (lib/utils/parse-sax.js) decodes each chunk of
 * XML on its own, so a Chinese character whose UTF-8 bytes straddle two chunks becomes U+FFFD: a
 * debtor's name or address silently garbled in about one row in a thousand. The fixed helper keeps
 * a StringDecoder across chunks; it replaces the original in the CommonJS module cache before
 * exceljs is loaded, so every reader inside exceljs uses it.
 *
 * And one change: a worksheet that comes before the shared strings in the zip (Excel's own order)
 * is kept until they are read. exceljs keeps it in a temp file in the clear, which a crash leaves
 * behind; here it goes to a spool file beside the upload, sealed as it is written (common/spool.ts)
 * and removed once read or when the reader is closed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJSModule from 'exceljs';
import { newSpoolPath, openSpoolStream, type Spool, SpoolWriter } from '../../common/spool.js';

const require = createRequire(import.meta.url);
// saxes and readable-stream are exceljs's own dependencies: resolve them from where exceljs is.
const requireFromExceljs = createRequire(require.resolve('exceljs'));

type SaxEvent = { eventType: string; value: unknown };

async function* parseSax(iterable: AsyncIterable<Buffer | string> & { pipe?: unknown }): AsyncGenerator<SaxEvent[]> {
  const { SaxesParser } = requireFromExceljs('saxes') as typeof import('saxes');
  const { PassThrough } = requireFromExceljs('readable-stream') as typeof import('node:stream');
  let source: AsyncIterable<Buffer | string> = iterable;
  if (iterable.pipe && !(Symbol.asyncIterator in iterable))
    source = (iterable as unknown as NodeJS.ReadableStream).pipe(new PassThrough()) as unknown as AsyncIterable<Buffer>;
  const parser = new SaxesParser();
  const decoder = new StringDecoder('utf8');
  let error: unknown;
  let events: SaxEvent[] = [];
  parser.on('error', (err) => (error = err));
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of source) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.end();
  if (rest) parser.write(rest);
  if (error) throw error;
  if (events.length) yield events;
}

// The parts of exceljs's WorkbookReader that its parse() uses.
interface ReaderInternals {
  input: unknown;
  stream: unknown;
  options: Record<string, unknown> & { spool?: Spool };
  sharedStrings?: unknown;
  workbookRels?: unknown;
  _getStream(input: unknown): NodeJS.ReadableStream;
  _parseRels(entry: unknown): Promise<void>;
  _parseWorkbook(entry: unknown): Promise<void>;
  _parseStyles(entry: unknown): Promise<void>;
  _parseSharedStrings(entry: unknown): AsyncGenerator<unknown>;
  _parseWorksheet(stream: unknown, sheetNo: string): AsyncGenerator<unknown>;
  _parseHyperlinks(stream: unknown, sheetNo: string): AsyncGenerator<unknown>;
}
type ZipEntry = NodeJS.ReadableStream & { path: string; autodrain(): void };

/** exceljs 4.4's WorkbookReader.parse, with the sheets it must keep in spool files instead of temp files. */
async function* spooledParse(this: ReaderInternals, input?: unknown, options?: ReaderInternals['options']) {
  if (options) this.options = options;
  const spool = this.options.spool;
  if (!spool) throw new Error('The workbook reader needs options.spool: the folder and key of its scratch files.');
  const unzip = requireFromExceljs('unzipper') as { Parse(o: { forceStream: boolean }): NodeJS.WritableStream };
  const iterateStream = require('exceljs/lib/utils/iterate-stream.js') as (s: unknown) => AsyncIterable<ZipEntry>;
  const stream = this._getStream(input || this.input);
  this.stream = stream;
  const zip = unzip.Parse({ forceStream: true });
  stream.pipe(zip);
  const waiting: { sheetNo: string; file: string }[] = [];
  try {
    for await (const entry of iterateStream(zip)) {
      const sheet = /xl\/worksheets\/sheet(\d+)[.]xml/.exec(entry.path);
      const rels = /xl\/worksheets\/_rels\/sheet(\d+)[.]xml.rels/.exec(entry.path);
      if (entry.path === 'xl/_rels/workbook.xml.rels') await this._parseRels(entry);
      else if (entry.path === 'xl/workbook.xml') await this._parseWorkbook(entry);
      else if (entry.path === 'xl/sharedStrings.xml') yield* this._parseSharedStrings(entry);
      else if (entry.path === 'xl/styles.xml') await this._parseStyles(entry);
      else if (sheet && this.sharedStrings && this.workbookRels)
        yield* this._parseWorksheet(iterateStream(entry), sheet[1]!);
      else if (sheet) {
        const file = newSpoolPath(spool.dir, 'sheet');
        waiting.push({ sheetNo: sheet[1]!, file });
        const out = new SpoolWriter(file, spool.dataKey);
        await new Promise<void>((resolve, reject) => {
          out.on('error', reject);
          out.on('finish', resolve);
          entry.pipe(out);
        });
      } else if (rels) yield* this._parseHyperlinks(iterateStream(entry), rels[1]!);
      entry.autodrain();
    }
    for (const { sheetNo, file } of waiting) {
      yield* this._parseWorksheet(await openSpoolStream(file, spool.dataKey), sheetNo);
      fs.rmSync(file, { force: true });
    }
  } finally {
    // Also when the reader is closed early (return()) or fails: an open stream reads on unharmed.
    for (const { file } of waiting) fs.rmSync(file, { force: true });
  }
}

/**
 * The exceljs module, loaded after the fix above on first use: loading it takes about half a second,
 * which every CSV import and every start of the server would otherwise pay.
 */
export function loadExcelJS(): typeof ExcelJSModule {
  const saxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
  if (require.cache[saxPath]?.exports !== parseSax) {
    // A copy of exceljs loaded before (to write a workbook) holds the original helper: the reader
    // takes a fresh copy of its modules that uses the fixed one.
    const root = path.dirname(require.resolve('exceljs')) + path.sep;
    for (const key of Object.keys(require.cache)) if (key.startsWith(root)) delete require.cache[key];
    require.cache[saxPath] = {
      id: saxPath,
      filename: saxPath,
      loaded: true,
      exports: parseSax,
    } as unknown as NodeJS.Module;
  }
  const excel = require('exceljs') as typeof ExcelJSModule;
  const reader = excel.stream.xlsx.WorkbookReader.prototype as unknown as { parse: unknown };
  if (reader.parse !== spooledParse) reader.parse = spooledParse;
  return excel;
}
