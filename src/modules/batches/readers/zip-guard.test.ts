import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spooled, testSpool } from '../../../testing/spooled.js';
import { assembleZip, deflatedZeros, stored } from '../../../testing/zip.js';
import { SpoolDamagedError, SpoolFile } from '../../common/spool.js';
import { checkXlsxContainer as checkSpoolFile, type ZipLimits } from './zip-guard.js';

/** The guard reads the upload's spool file (random access through its sealed segments). */
async function checkXlsxContainer(file: string, limits: ZipLimits) {
  const spool = await SpoolFile.open(await spooled(file), testSpool.dataKey);
  try {
    return await checkSpoolFile(spool, limits);
  } finally {
    await spool.close();
  }
}

const LIMITS: ZipLimits = { maxUncompressedBytes: 1024 ** 3, maxRatio: 100, maxEntries: 1000 };

describe('checkXlsxContainer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zip-guard-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a real workbook written by exceljs', async () => {
    const file = join(dir, 'ok.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('借款').addRow(['合同编号', '借款人姓名']);
    await wb.xlsx.writeFile(file);
    expect(await checkXlsxContainer(file, LIMITS)).toEqual({ ok: true });
  });

  it('refuses a text file renamed .xlsx', async () => {
    const file = join(dir, 'text.xlsx');
    await writeFile(file, '合同编号,借款人姓名\nHT1,王伟\n');
    const r = await checkXlsxContainer(file, LIMITS);
    expect(r).toMatchObject({ ok: false, code: 'not_a_workbook' });
  });

  it('names an old .xls / protected workbook', async () => {
    const file = join(dir, 'old.xlsx');
    await writeFile(
      file,
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]),
    );
    const r = await checkXlsxContainer(file, LIMITS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).toMatch(/password-protected/);
  });

  it('refuses a zip without xl/workbook.xml', async () => {
    const file = join(dir, 'plain.zip');
    await writeFile(file, assembleZip([stored('readme.txt', 'hello')]));
    const r = await checkXlsxContainer(file, LIMITS);
    expect(r).toMatchObject({ ok: false, code: 'not_a_workbook' });
    if (!r.ok) expect(r.detail).toMatch(/xl\/workbook\.xml/);
  });

  it('accepts a hand-made zip that has xl/workbook.xml', async () => {
    const file = join(dir, 'minimal.xlsx');
    await writeFile(file, assembleZip([stored('xl/workbook.xml', '<workbook/>')]));
    expect(await checkXlsxContainer(file, LIMITS)).toEqual({ ok: true });
  });

  describe('zip bombs', () => {
    let bombFile: string;
    beforeAll(async () => {
      bombFile = join(dir, 'bomb.xlsx');
      const zeros = await deflatedZeros('xl/worksheets/sheet1.xml', 200 * 1024 * 1024);
      expect(zeros.data.length).toBeLessThan(1024 * 1024);
      await writeFile(bombFile, assembleZip([stored('xl/workbook.xml', '<workbook/>'), zeros]));
    });

    it('refuses an entry with a huge compression ratio', async () => {
      const r = await checkXlsxContainer(bombFile, LIMITS);
      expect(r).toMatchObject({ ok: false, code: 'zip_bomb' });
      if (!r.ok) expect(r.detail).toMatch(/sheet1\.xml expands \d+x/);
    });

    it('refuses a total size above the limit even when the ratio is allowed', async () => {
      const r = await checkXlsxContainer(bombFile, {
        ...LIMITS,
        maxRatio: 10_000,
        maxUncompressedBytes: 100 * 1024 * 1024,
      });
      expect(r).toMatchObject({ ok: false, code: 'zip_bomb' });
      if (!r.ok) expect(r.detail).toMatch(/more than 104857600 bytes/);
    });

    it('refuses an entry that declares a small size and inflates to far more, stopping at once', async () => {
      const liar = join(dir, 'liar.xlsx');
      const zeros = await deflatedZeros('xl/worksheets/sheet1.xml', 320 * 1024 * 1024);
      await writeFile(liar, assembleZip([stored('xl/workbook.xml', '<workbook/>'), { ...zeros, size: 1000 }]));
      const r = await checkXlsxContainer(liar, LIMITS);
      expect(r).toMatchObject({ ok: false, code: 'zip_bomb' });
      if (!r.ok) expect(r.detail).toMatch(/sheet1\.xml declares 1000 bytes but inflates to more/);
    });

    it('counts the bytes really inflated against the total limit', async () => {
      const liar = join(dir, 'liar-total.xlsx');
      const a = await deflatedZeros('xl/worksheets/sheet1.xml', 3 * 1024 * 1024);
      await writeFile(liar, assembleZip([stored('xl/workbook.xml', '<workbook/>'), a]));
      const r = await checkXlsxContainer(liar, { ...LIMITS, maxRatio: 10_000, maxUncompressedBytes: 2 * 1024 * 1024 });
      expect(r).toMatchObject({ ok: false, code: 'zip_bomb' });
    });

    it('passes the same archive when the limits allow it', async () => {
      expect(await checkXlsxContainer(bombFile, { ...LIMITS, maxRatio: 10_000 })).toEqual({ ok: true });
    });
  });

  it('refuses too many entries', async () => {
    const file = join(dir, 'many.xlsx');
    const entries = [stored('xl/workbook.xml', '<workbook/>')];
    for (let i = 0; i < 20; i++) entries.push(stored(`xl/media/image${i}.txt`, 'x'));
    await writeFile(file, assembleZip(entries));
    const r = await checkXlsxContainer(file, { ...LIMITS, maxEntries: 10 });
    expect(r).toMatchObject({ ok: false, code: 'zip_bomb' });
  });

  it('throws for a spool file altered on disk instead of blaming the upload', async () => {
    const file = join(dir, 'altered.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('借款').addRow(['合同编号', '借款人姓名']);
    await wb.xlsx.writeFile(file);
    const copy = await spooled(file);
    const bytes = await readFile(copy);
    bytes[bytes.length - 30]! ^= 1; // in the last segment, where the central directory is
    await writeFile(copy, bytes);
    const spool = await SpoolFile.open(copy, testSpool.dataKey);
    try {
      await expect(checkSpoolFile(spool, LIMITS)).rejects.toBeInstanceOf(SpoolDamagedError);
    } finally {
      await spool.close();
    }
  });
});
