// Screens an uploaded .xlsx before exceljs inflates it; exceljs spools worksheets to temp files,
// uncompressed. The sizes the central directory declares are checked first (a crafted archive is
// refused in milliseconds), then every entry is inflated and its bytes counted and thrown away,
// because an archive can lie about its sizes: the limits hold for what really comes out. The zip is
// read from its spool file through authenticated random-access reads (the central directory is at
// the end), so the file is never on disk in the clear.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { SpoolDamagedError, type SpoolFile } from '../../common/spool.js';

/** yauzl's view of a spool file; closing the zip leaves the spool file open for exceljs. */
class SpoolZipReader extends yauzl.RandomAccessReader {
  constructor(private readonly spool: SpoolFile) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return this.spool.stream({ start, end });
  }
  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    this.spool.read(position, length).then(
      (b) => callback(null, b.copy(buffer, offset)),
      (err: Error) => callback(err),
    );
  }
  override close(callback: (err: Error | null) => void): void {
    setImmediate(() => callback(null));
  }
}

/** Limits on what an upload may expand to. */
export interface ZipLimits {
  maxUncompressedBytes: number;
  maxRatio: number;
  maxEntries: number;
}

export type ZipCheck = { ok: true } | { ok: false; code: 'not_a_workbook' | 'zip_bomb'; detail: string };

// XML compresses 10-20x; only a large entry can make a ratio dangerous, so small ones are exempt.
const RATIO_MIN_BYTES = 1024 * 1024;
const WORKBOOK_ENTRY = 'xl/workbook.xml';

/** Checks that `file` is a zip holding xl/workbook.xml within the limits, inflating it once into nothing. */
export async function checkXlsxContainer(file: SpoolFile, limits: ZipLimits): Promise<ZipCheck> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings: false skips yauzl's path validation: we never extract, and a strange name is
    // simply not xl/workbook.xml.
    zip = await yauzl.fromRandomAccessReaderPromise(new SpoolZipReader(file), file.size, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
    });
  } catch (err) {
    // A missing, unreadable or altered file is our problem, not the upload's.
    if (isSystemError(err) || err instanceof SpoolDamagedError) throw err;
    return { ok: false, code: 'not_a_workbook', detail: await notZipDetail(file, err) };
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      return bomb(`The archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted.`);
    }
    let total = 0;
    let inflated = 0;
    let hasWorkbook = false;
    for await (const entry of zip.eachEntry()) {
      const name = String(entry.fileName); // a Buffer with decodeStrings: false
      if (name === WORKBOOK_ENTRY) hasWorkbook = true;
      total += entry.uncompressedSize;
      if (total > limits.maxUncompressedBytes) {
        return bomb(`The workbook expands to more than ${limits.maxUncompressedBytes} bytes.`);
      }
      const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
      if (entry.uncompressedSize > RATIO_MIN_BYTES && ratio > limits.maxRatio) {
        return bomb(
          `Entry ${name} expands ${Math.round(ratio)}x (${entry.uncompressedSize} bytes); at most ${limits.maxRatio}x is accepted.`,
        );
      }
      const bytes = await inflatedBytes(zip, entry, limits.maxUncompressedBytes - inflated);
      if (bytes > entry.uncompressedSize || inflated + bytes > limits.maxUncompressedBytes)
        return bomb(
          `Entry ${name} declares ${entry.uncompressedSize} bytes but inflates to more; the workbook may expand to at most ${limits.maxUncompressedBytes} bytes.`,
        );
      inflated += bytes;
    }
    if (!hasWorkbook) {
      return {
        ok: false,
        code: 'not_a_workbook',
        detail: 'The file is a zip archive but not an Excel workbook (no xl/workbook.xml).',
      };
    }
    return { ok: true };
  } catch (err) {
    if (isSystemError(err) || err instanceof SpoolDamagedError) throw err;
    return { ok: false, code: 'not_a_workbook', detail: `The workbook archive is damaged: ${(err as Error).message}.` };
  } finally {
    zip.close();
  }
}

/** Bytes the entry really inflates to, reading no further than one byte past `budget` or past its declared size. */
async function inflatedBytes(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: number): Promise<number> {
  const stream = await zip.openReadStreamPromise(entry);
  const stopAt = Math.min(budget, entry.uncompressedSize) + 1;
  let n = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n >= stopAt) break; // leaving the loop destroys the stream
    }
  } catch (err) {
    // yauzl counts too, and stops an entry that inflates past its declared size.
    if (/too many bytes in the stream/.test((err as Error).message)) return entry.uncompressedSize + 1;
    throw err;
  }
  return n;
}

const isSystemError = (err: unknown): boolean => typeof (err as NodeJS.ErrnoException)?.syscall === 'string';

const bomb = (detail: string): ZipCheck => ({ ok: false, code: 'zip_bomb', detail });

// Old .xls files and password-protected .xlsx files are OLE compound documents, not zips.
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

async function notZipDetail(file: SpoolFile, err: unknown): Promise<string> {
  const head = await file.read(0, 8);
  if (head.equals(OLE_MAGIC)) {
    return 'The file is an old .xls workbook or a password-protected .xlsx; save it as an unprotected .xlsx.';
  }
  return `The file is not an .xlsx workbook (${(err as Error).message}).`;
}
