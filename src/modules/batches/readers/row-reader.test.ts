import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSpooledSheet as openSheet } from '../../../testing/spooled.js';
import { type OpenedSheet, ReaderError, type SheetRow } from './sheet.js';

const MB = 1024 * 1024;
const HEADER = '合同编号,借款人姓名,身份证号';
const BODY = 'HT001,王伟,350502199001011234\r\nHT002,欧阳娜娜,35050219900101123X\r\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'row-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function file(content: string | Buffer, ext = 'csv'): Promise<string> {
  const path = join(dir, `f${n++}.${ext}`);
  await writeFile(path, content);
  return path;
}

async function all(sheet: OpenedSheet): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const r of sheet.rows) rows.push(r);
  return rows;
}

async function readerError(p: Promise<unknown>): Promise<ReaderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ReaderError) return err;
    throw err;
  }
  throw new Error('expected a ReaderError');
}

const csv = (path: string, extra: { charset?: 'utf-8' | 'gbk' | 'gb18030' | null; maxFieldBytes?: number } = {}) =>
  openSheet(path, { format: 'csv', maxFieldBytes: extra.maxFieldBytes ?? MB, charset: extra.charset ?? null });

describe('openSheet, CSV', () => {
  it('reads UTF-8 with Chinese headers and names, numbering rows as Excel does', async () => {
    const sheet = await csv(await file(`${HEADER}\r\n${BODY}`));
    expect(sheet.charset).toBe('utf-8');
    expect(sheet.header).toEqual(['合同编号', '借款人姓名', '身份证号']);
    const rows = await all(sheet);
    expect(rows).toEqual([
      { rowNo: 2, cells: ['HT001', '王伟', '350502199001011234'] },
      { rowNo: 3, cells: ['HT002', '欧阳娜娜', '35050219900101123X'] },
    ]);
    expect(sheet.bytesRead()).toBe(sheet.bytesTotal);
  });

  it('strips a UTF-8 BOM from the first header', async () => {
    const sheet = await csv(
      await file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\n${BODY}`)])),
    );
    expect(sheet.header[0]).toBe('合同编号');
    expect((await all(sheet)).map((r) => r.cells[1])).toEqual(['王伟', '欧阳娜娜']);
  });

  it('detects GBK and decodes headers and names', async () => {
    const path = await file(iconv.encode(`${HEADER}\r\n${BODY}`, 'gbk'));
    const sheet = await csv(path);
    expect(sheet.charset).toBe('gb18030');
    expect(sheet.header).toEqual(['合同编号', '借款人姓名', '身份证号']);
    expect((await all(sheet)).map((r) => r.cells[1])).toEqual(['王伟', '欧阳娜娜']);
    const declared = await csv(path, { charset: 'gbk' });
    expect(declared.header[1]).toBe('借款人姓名');
    await declared.close();
  });

  it('skips blank lines and bare-separator lines but keeps counting them, and a quoted line break stays one row', async () => {
    const sheet = await csv(await file(`${HEADER}\r\n\r\n,,\r\n"HT003","王\r\n伟",1\r\nHT004,李娜,2\r\n`));
    expect((await all(sheet)).map((r) => [r.rowNo, r.cells[1]])).toEqual([
      [4, '王\r\n伟'],
      [5, '李娜'],
    ]);
  });

  it('keeps ragged rows as they are for the row validator', async () => {
    const sheet = await csv(await file(`${HEADER}\nHT001,王伟\nHT002,李娜,1,extra\n`));
    expect((await all(sheet)).map((r) => r.cells.length)).toEqual([2, 4]);
  });

  it('refuses an empty file', async () => {
    expect((await readerError(csv(await file('')))).code).toBe('empty_file');
    expect((await readerError(csv(await file(Buffer.from([0xef, 0xbb, 0xbf]))))).code).toBe('empty_file');
  });

  it('returns the header of a header-only file and no rows', async () => {
    const sheet = await csv(await file(`${HEADER}\r\n`));
    expect(sheet.header).toHaveLength(3);
    expect(await all(sheet)).toEqual([]);
  });

  it('reports a file of blank lines as having no header', async () => {
    expect((await readerError(csv(await file('\r\n\r\n,,\r\n')))).code).toBe('no_header');
  });

  it('refuses binary garbage', async () => {
    const garbage = randomBytes(4096);
    garbage[10] = 0;
    expect((await readerError(csv(await file(garbage)))).code).toBe('binary_file');
  });

  it('refuses UTF-16 text as an unknown charset', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\r\n`, 'utf16le')]);
    expect((await readerError(csv(await file(utf16)))).code).toBe('charset_unknown');
  });

  it('fails fast on a 60 MB field without reading the file', async () => {
    const path = join(dir, 'huge-field.csv');
    const out = createWriteStream(path);
    out.write(`${HEADER}\r\nHT001,`);
    const chunk = Buffer.alloc(MB, 'x');
    for (let i = 0; i < 60; i++) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    out.end(',1\r\n');
    await finished(out);

    const sheet = await csv(path, { maxFieldBytes: MB });
    const err = await readerError(all(sheet));
    expect(err.code).toBe('field_too_large');
    expect(err.rowNo).toBe(2);
    expect(err.detail).toMatch(/Row 2/);
    expect(sheet.bytesRead()).toBeLessThan(8 * MB);
  });

  it('reports an unclosed quote with the row it starts in', async () => {
    const path = await file(`${HEADER}\r\nHT001,王伟,1\r\nHT002,"李娜,2\r\nHT003,张三,3\r\n`);
    const err = await readerError(csv(path).then(all));
    expect(err.code).toBe('csv_malformed');
    expect(err.rowNo).toBe(3);
  });

  it('reports a stray quote inside a field', async () => {
    // csv-parse fails the whole chunk, so with a small file the error comes from openSheet itself.
    const path = await file(`${HEADER}\r\nHT001,王"伟,1\r\n`);
    expect(await readerError(csv(path).then(all))).toMatchObject({ code: 'csv_malformed', rowNo: 2 });
  });

  it('refuses an unsupported charset', async () => {
    const p = openSheet(await file(`${HEADER}\n`), { format: 'csv', maxFieldBytes: MB, charset: 'big5' as never });
    expect((await readerError(p)).code).toBe('charset_unknown');
  });

  it('refuses an .xlsx uploaded as CSV', async () => {
    const path = join(dir, 'as-csv.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('a').addRow(['x']);
    await wb.xlsx.writeFile(path);
    const err = await readerError(csv(path));
    expect(err.code).toBe('binary_file');
    expect(err.detail).toMatch(/XLSX/);
  });

  it('releases the file when the caller stops early', async () => {
    const sheet = await csv(await file(`${HEADER}\r\n${BODY.repeat(50)}`));
    for await (const row of sheet.rows) {
      expect(row.rowNo).toBe(2);
      break;
    }
    expect(await all(sheet)).toEqual([]); // the stream is closed, not resumed
  });
});

describe('openSheet, XLSX written by exceljs', () => {
  let path: string;
  beforeAll(async () => {
    path = join(dir, 'claims.xlsx');
    const wb = new ExcelJS.Workbook();
    const notes = wb.addWorksheet('说明');
    notes.state = 'hidden';
    notes.addRow(['填写说明']);
    const ws = wb.addWorksheet('借款');
    ws.addRow(['合同编号', '借款人姓名', '借款日期', '欠款本金', '合计', '到期日期', '链接', '错误']);
    const r = ws.addRow([
      'HT001',
      { richText: [{ text: '欧阳', font: { bold: true } }, { text: '娜娜' }] },
      new Date(Date.UTC(2024, 0, 15)),
      1234.5,
      { formula: 'D2*2', result: 2469 },
      { formula: 'C2+30', result: new Date(Date.UTC(2024, 1, 14)) },
      { text: '点我', hyperlink: 'http://evil.example' },
      { error: '#N/A' },
    ]);
    r.getCell(3).numFmt = 'yyyy-mm-dd';
    r.getCell(6).numFmt = 'yyyy-mm-dd';
    ws.addRow([]);
    ws.getRow(4).values = ['HT002', '李娜', null, 88];
    wb.addWorksheet('其他').addRow(['别的表']);
    await wb.xlsx.writeFile(path);
  });

  const xlsx = (sheet?: string) => openSheet(path, { format: 'xlsx', maxFieldBytes: MB, sheet: sheet ?? null });

  it('reads the first visible sheet with dates, numbers, formula results, rich text and links as values', async () => {
    const sheet = await xlsx();
    expect(sheet.sheetName).toBe('借款');
    expect(sheet.charset).toBeNull();
    expect(sheet.header).toEqual([
      '合同编号',
      '借款人姓名',
      '借款日期',
      '欠款本金',
      '合计',
      '到期日期',
      '链接',
      '错误',
    ]);
    const rows = await all(sheet);
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(first!.rowNo).toBe(2);
    expect(first!.cells).toEqual([
      'HT001',
      '欧阳娜娜',
      new Date(Date.UTC(2024, 0, 15)),
      1234.5,
      2469,
      new Date(Date.UTC(2024, 1, 14)),
      '点我',
      '#N/A',
    ]);
    expect(first!.cells[2]).toBeInstanceOf(Date);
    expect(second).toEqual({ rowNo: 4, cells: ['HT002', '李娜', null, 88] }); // the empty row 3 is skipped
    expect(sheet.bytesRead()).toBe(sheet.bytesTotal);
  });

  it('reads a sheet by name', async () => {
    const sheet = await xlsx('其他');
    expect(sheet.sheetName).toBe('其他');
    expect(sheet.header).toEqual(['别的表']);
    expect(await all(sheet)).toEqual([]);
  });

  it('lists the sheets when the named one does not exist', async () => {
    const err = await readerError(xlsx('债权清单'));
    expect(err.code).toBe('sheet_not_found');
    expect(err.detail).toContain('说明, 借款, 其他');
  });

  it('stops cleanly when the caller breaks out early', async () => {
    const sheet = await xlsx();
    for await (const row of sheet.rows) {
      expect(row.rowNo).toBe(2);
      break;
    }
    await sheet.close();
  });

  it('refuses an empty file, a text file and an empty sheet', async () => {
    const open = (p: string) => openSheet(p, { format: 'xlsx', maxFieldBytes: MB });
    expect((await readerError(open(await file('', 'xlsx')))).code).toBe('empty_file');
    expect((await readerError(open(await file(`${HEADER}\n`, 'xlsx')))).code).toBe('not_a_workbook');
    const emptyPath = join(dir, 'empty-sheet.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('空');
    await wb.xlsx.writeFile(emptyPath);
    expect((await readerError(open(emptyPath))).code).toBe('no_header');
  });

  it('refuses a zip bomb before exceljs inflates it', async () => {
    const err = await readerError(
      openSheet(path, {
        format: 'xlsx',
        maxFieldBytes: MB,
        zipLimits: { maxUncompressedBytes: 1000, maxRatio: 100, maxEntries: 100 },
      }),
    );
    expect(err.code).toBe('zip_bomb');
  });
});

describe('openSheet, XLSX from other writers', () => {
  // Entries in the order some writers use (shared strings before the sheet, so exceljs streams the
  // sheet straight from the zip), absolute relationship targets as openpyxl writes them, and
  // Chinese Excel's built-in date formats 31 and 57, which exceljs has no format code for.
  const NS =
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const entries: [string, string][] = [
    [
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ],
    [
      'xl/workbook.xml',
      `<?xml version="1.0"?><workbook ${NS}><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>',
    ],
    [
      'xl/styles.xml',
      `<?xml version="1.0"?><styleSheet ${NS}><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="31" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/><xf numFmtId="57" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    ],
    [
      'xl/sharedStrings.xml',
      `<?xml version="1.0"?><sst ${NS} count="3" uniqueCount="3"><si><t>借款日期</t></si><si><t>签约日期</t></si><si><t>金额</t></si></sst>`,
    ],
    [
      'xl/worksheets/sheet1.xml',
      `<?xml version="1.0"?><worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" s="1"><v>45306</v></c><c r="B2" s="2"><v>45307</v></c><c r="C2"><v>12.5</v></c></row></sheetData></worksheet>`,
    ],
  ];

  it('names the sheet, streams it, and reads CJK built-in date formats as dates', async () => {
    const path = await file(storedZip(entries), 'xlsx');
    const sheet = await openSheet(path, { format: 'xlsx', maxFieldBytes: MB, sheet: '数据' });
    expect(sheet.sheetName).toBe('数据');
    expect(sheet.header).toEqual(['借款日期', '签约日期', '金额']);
    expect(await all(sheet)).toEqual([
      { rowNo: 2, cells: [new Date(Date.UTC(2024, 0, 15)), new Date(Date.UTC(2024, 0, 16)), 12.5] },
    ]);
    expect(sheet.bytesRead()).toBe(sheet.bytesTotal);
  });
});

/** An uncompressed zip archive of text entries, in the order given. */
function storedZip(files: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [fileName, text] of files) {
    const name = Buffer.from(fileName);
    const data = Buffer.from(text);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x21, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, data);
    central.push(cd, name);
    offset += 30 + name.length + data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBytes, end]);
}
