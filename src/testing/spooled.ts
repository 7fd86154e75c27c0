/**
 * The batch readers read spool files (modules/common/spool.ts), never a file in the clear: a test's
 * file goes through one as an upload does, sealed with a key of the test process.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSheet } from '../modules/batches/readers/row-reader.js';
import type { OpenedSheet, OpenSheetOptions } from '../modules/batches/readers/sheet.js';
import { type Spool, spoolCopy } from '../modules/common/spool.js';

export const testSpool: Spool = {
  dir: fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-spool-')),
  dataKey: randomBytes(32),
};
process.on('exit', () => fs.rmSync(testSpool.dir, { recursive: true, force: true }));

/** A spool file holding a copy of `file`. */
export async function spooled(file: string): Promise<string> {
  return (await spoolCopy(file, testSpool)).file;
}

/** openSheet over a spooled copy of `file`. */
export async function openSpooledSheet(file: string, opts: Omit<OpenSheetOptions, 'dataKey'>): Promise<OpenedSheet> {
  return openSheet(await spooled(file), { ...opts, dataKey: testSpool.dataKey });
}
