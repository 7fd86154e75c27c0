/**
 * exceljs for reading, with one fix. Its SAX helper (lib/utils/parse-sax.js) decodes each chunk of
 * XML on its own, so a Chinese character whose UTF-8 bytes straddle two chunks becomes U+FFFD: a
 * debtor's name or address silently garbled in about one row in a thousand. The fixed helper keeps
 * a StringDecoder across chunks; it replaces the original in the CommonJS module cache before
 * exceljs is loaded, so every reader inside exceljs uses it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJSModule from 'exceljs';

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
  return require('exceljs') as typeof ExcelJSModule;
}
