/** The spool format: what is written reads back, at any position, and any change on disk is caught. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { newSpoolPath, SEGMENT_BYTES, SpoolDamagedError, SpoolFile, SpoolWriter, writeSpoolFileSync } from './spool.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-spool-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const key = crypto.randomBytes(32);

async function written(data: Buffer, chunk = 1000): Promise<string> {
  const file = newSpoolPath(dir);
  await pipeline(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
    new SpoolWriter(file, key),
  );
  return file;
}

async function readAll(file: string, k = key): Promise<Buffer> {
  const spool = await SpoolFile.open(file, k);
  try {
    const parts: Buffer[] = [];
    for await (const c of spool.stream()) parts.push(c as Buffer);
    return Buffer.concat(parts);
  } finally {
    await spool.close();
  }
}

describe('spool files', () => {
  it('read back what was written, empty, one byte, exactly a segment or several, streamed or at random', async () => {
    for (const size of [0, 1, SEGMENT_BYTES - 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 3 * SEGMENT_BYTES, 200_000]) {
      const data = crypto.randomBytes(size);
      const file = await written(data, 7777);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(await readAll(file), `size ${size}`).toEqual(data);
      const spool = await SpoolFile.open(file, key);
      expect(spool.size).toBe(size);
      if (size > 10) {
        const at = Math.floor(size / 2) - 5;
        expect(await spool.read(at, SEGMENT_BYTES + 10)).toEqual(data.subarray(at, at + SEGMENT_BYTES + 10));
      }
      await spool.close();
      const sync = newSpoolPath(dir);
      writeSpoolFileSync(sync, key, data);
      expect(await readAll(sync)).toEqual(data);
    }
  });

  it('refuses an altered byte, a file cut at a segment boundary, another key and a file that is not a spool file', async () => {
    const data = crypto.randomBytes(3 * SEGMENT_BYTES + 10);
    const file = await written(data);
    const bytes = fs.readFileSync(file);

    const altered = Buffer.from(bytes);
    altered[40 + SEGMENT_BYTES + 16 + 5]! ^= 1;
    fs.writeFileSync(file, altered);
    await expect(readAll(file)).rejects.toThrow(/segment 1 was altered/);

    // Cut after the third segment: that one was not sealed as the last.
    fs.writeFileSync(file, bytes.subarray(0, 40 + 3 * (SEGMENT_BYTES + 16)));
    await expect(readAll(file)).rejects.toBeInstanceOf(SpoolDamagedError);

    fs.writeFileSync(file, bytes);
    await expect(readAll(file, crypto.randomBytes(32))).rejects.toThrow(/segment 0 was altered/);
    expect(await readAll(file)).toEqual(data);

    fs.writeFileSync(file, 'HT001,王伟,350502199001011234\n');
    await expect(readAll(file)).rejects.toThrow(/not a spool file/);
  });
});
