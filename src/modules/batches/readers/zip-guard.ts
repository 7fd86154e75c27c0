// Screens an uploaded .xlsx before exceljs inflates it. Only the zip's central directory is read
// (sizes as declared there), so a crafted archive is refused in milliseconds instead of filling
// the disk or memory; exceljs spools worksheets to temp files, uncompressed.
import { open } from 'node:fs/promises';
import yauzl from 'yauzl';

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

/** Checks that `file` is a zip holding xl/workbook.xml within the limits, without inflating anything. */
export async function checkXlsxContainer(file: string, limits: ZipLimits): Promise<ZipCheck> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings: false skips yauzl's path validation: we never extract, and a strange name is
    // simply not xl/workbook.xml.
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: false });
  } catch (err) {
    if (isSystemError(err)) throw err; // a missing or unreadable file is our problem, not the upload's
    return { ok: false, code: 'not_a_workbook', detail: await notZipDetail(file, err) };
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      return bomb(`The archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted.`);
    }
    let total = 0;
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
    return { ok: false, code: 'not_a_workbook', detail: `The workbook archive is damaged: ${(err as Error).message}.` };
  } finally {
    zip.close();
  }
}

const isSystemError = (err: unknown): boolean => typeof (err as NodeJS.ErrnoException)?.syscall === 'string';

const bomb = (detail: string): ZipCheck => ({ ok: false, code: 'zip_bomb', detail });

// Old .xls files and password-protected .xlsx files are OLE compound documents, not zips.
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

async function notZipDetail(file: string, err: unknown): Promise<string> {
  const head = Buffer.alloc(8);
  try {
    const fh = await open(file, 'r');
    try {
      await fh.read(head, 0, 8, 0);
    } finally {
      await fh.close();
    }
  } catch {
    // unreadable: fall through to the generic message
  }
  if (head.equals(OLE_MAGIC)) {
    return 'The file is an old .xls workbook or a password-protected .xlsx; save it as an unprotected .xlsx.';
  }
  return `The file is not an .xlsx workbook (${(err as Error).message}).`;
}
