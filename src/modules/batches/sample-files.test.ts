import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_COLUMNS } from '../../domain/batch-columns.js';
import { openSpooledSheet as openSheet } from '../../testing/spooled.js';
import { createRng, sampleClaims } from '../admin/sample-claims.js';
import type { OpenedSheet } from './readers/sheet.js';
import {
  claimRow,
  percent,
  SAMPLE_COL,
  SAMPLE_HEADER,
  type SampleCell,
  sampleClaimStream,
  utcDate,
  writeSampleBatch,
  yuanText,
} from './sample-files.js';

const MB = 1024 * 1024;
const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'batches');
const MONEY_COLS = new Set<number>([SAMPLE_COL.principal, SAMPLE_COL.interest, SAMPLE_COL.penalty, SAMPLE_COL.fees]);

async function cellsOf(sheet: OpenedSheet): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const r of sheet.rows) out.push(r.cells);
  return out;
}

/** An XLSX cell as the CSV writer would have written it. */
function asCsvText(v: unknown, col: number): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number' && MONEY_COLS.has(col)) return yuanText(Math.round(v * 100));
  return String(v);
}

describe('formatting helpers', () => {
  it('writes fen as yuan with two decimals', () => {
    expect(yuanText(123456)).toBe('1234.56');
    expect(yuanText(5)).toBe('0.05');
    expect(yuanText(100)).toBe('1.00');
    expect(yuanText(-250)).toBe('-2.50');
  });

  it('writes basis points as a percentage', () => {
    expect(percent(2350)).toBe('23.5%');
    expect(percent(2400)).toBe('24%');
    expect(percent(720)).toBe('7.2%');
    expect(percent(1525)).toBe('15.25%');
  });

  it('uses the import template headers, all but the optional consent column (its default, 否, is what samples mean)', () => {
    expect(SAMPLE_HEADER).toEqual(CLAIM_COLUMNS.filter((c) => c.key !== 'e_service_consent').map((c) => c.header));
  });

  it('turns a claim into template cells', () => {
    const [claim] = sampleClaims(createRng(1), 1, { asOf: '2026-11-01', prefix: 'T' });
    const cells = claimRow(claim!);
    expect(cells).toHaveLength(SAMPLE_HEADER.length);
    expect(cells[SAMPLE_COL.loanDate]).toEqual(utcDate(claim!.loanDate));
    expect(cells[SAMPLE_COL.principal]).toEqual({ fen: claim!.principalFen });
    expect(['无', '保证', '抵押', '质押']).toContain(cells[SAMPLE_COL.guarantee]);
  });
});

describe('sampleClaimStream', () => {
  it('equals sampleClaims when the count fits in one chunk', () => {
    const opts = { asOf: '2026-11-01', prefix: 'HT' };
    expect([...sampleClaimStream(createRng(9), 30, opts)]).toEqual(sampleClaims(createRng(9), 30, opts));
  });

  it('keeps contract numbers unique across chunks', () => {
    const claims = [...sampleClaimStream(createRng(9), 25, { asOf: '2026-11-01', prefix: 'HT', chunk: 10 })];
    expect(claims).toHaveLength(25);
    expect(new Set(claims.map((c) => c.contractNo)).size).toBe(25);
  });
});

describe('writeSampleBatch', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sample-files-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const rows: SampleCell[][] = [
    [
      'HT1',
      '王伟',
      '350502199001011234',
      '13800138000',
      '福建省泉州市, 中山路"1"号',
      null,
      utcDate('2024-01-15'),
      utcDate('2025-01-15'),
      { fen: 123456 },
      { fen: 5 },
      { fen: 0 },
      { fen: 100 },
      '23.5%',
      12,
      '无',
    ],
    [
      'HT2',
      '=HYPERLINK("http://evil.example","点我")',
      '35050219900101123X',
      '13900139000',
      '厦门\r\n思明区',
      'a@example.cn',
      utcDate('2023-02-28'),
      utcDate('2024-02-29'),
      { fen: 99 },
      { fen: 0 },
      { fen: 0 },
      { fen: 0 },
      '24%',
      400,
      '抵押',
    ],
  ];
  async function* generated() {
    yield* rows; // an async generator, as a 1M-row benchmark would pass
  }

  it('writes CSV in UTF-8 that reads back cell for cell', async () => {
    const file = join(dir, 'a.csv');
    expect(await writeSampleBatch(file, 'csv-utf8', generated())).toBe(2);
    const sheet = await openSheet(file, { format: 'csv', maxFieldBytes: MB });
    expect(sheet.header).toEqual([...SAMPLE_HEADER]);
    const back = await cellsOf(sheet);
    expect(back[0]).toEqual([
      'HT1',
      '王伟',
      '350502199001011234',
      '13800138000',
      '福建省泉州市, 中山路"1"号',
      '',
      '2024-01-15',
      '2025-01-15',
      '1234.56',
      '0.05',
      '0.00',
      '1.00',
      '23.5%',
      '12',
      '无',
    ]);
    expect(back[1]![SAMPLE_COL.name]).toBe('=HYPERLINK("http://evil.example","点我")');
    expect(back[1]![SAMPLE_COL.address]).toBe('厦门\r\n思明区');
  });

  it('writes GBK CSV with the same text', async () => {
    const utf8 = join(dir, 'b-utf8.csv');
    const gbk = join(dir, 'b-gbk.csv');
    await writeSampleBatch(utf8, 'csv-utf8', rows);
    await writeSampleBatch(gbk, 'csv-gbk', rows);
    const gbkBytes = await readFile(gbk);
    expect(iconv.decode(gbkBytes, 'gbk')).toBe(await readFile(utf8, 'utf8'));
    expect(gbkBytes.length).toBeLessThan((await readFile(utf8)).length); // really two bytes per hanzi
  });

  it('writes XLSX with dates as dates and amounts as numbers', async () => {
    const file = join(dir, 'c.xlsx');
    expect(await writeSampleBatch(file, 'xlsx', rows, { sheetName: '批次' })).toBe(2);
    const sheet = await openSheet(file, { format: 'xlsx', maxFieldBytes: MB });
    expect(sheet.sheetName).toBe('批次');
    const [first, second] = await cellsOf(sheet);
    expect(first).toEqual([
      'HT1',
      '王伟',
      '350502199001011234',
      '13800138000',
      '福建省泉州市, 中山路"1"号',
      null,
      utcDate('2024-01-15'),
      utcDate('2025-01-15'),
      1234.56,
      0.05,
      0,
      1,
      '23.5%',
      12,
      '无',
    ]);
    expect(second![SAMPLE_COL.name]).toBe('=HYPERLINK("http://evil.example","点我")'); // text, not a formula
  });
});

describe('fixtures/batches', () => {
  const open = (name: string, format: 'csv' | 'xlsx') => openSheet(join(FIXTURES, name), { format, maxFieldBytes: MB });

  it('hold the same 1,000 rows in all three files', async () => {
    const utf8 = await cellsOf(await open('sample-1000-utf8.csv', 'csv'));
    const gbkSheet = await open('sample-1000-gbk.csv', 'csv');
    expect(gbkSheet.charset).toBe('gb18030');
    const gbk = await cellsOf(gbkSheet);
    const xlsx = (await cellsOf(await open('sample-1000.xlsx', 'xlsx'))).map((r) => r.map(asCsvText));
    expect(utf8).toHaveLength(1000);
    expect(gbk).toEqual(utf8);
    expect(xlsx).toEqual(utf8);
  });

  it('spoil exactly the rows the README lists', async () => {
    const sheet = await open('sample-1000.xlsx', 'xlsx');
    const byRow = new Map<number, unknown[]>();
    for await (const r of sheet.rows) byRow.set(r.rowNo, r.cells);
    const cell = (rowNo: number, col: number) => byRow.get(rowNo)![col];
    expect(String(cell(17, SAMPLE_COL.idNumber))).toMatch(/^\d\.\d{5}E\+17$/);
    expect(cell(29, SAMPLE_COL.phone)).toBe('1380013800');
    expect((cell(41, SAMPLE_COL.dueDate) as Date) < (cell(41, SAMPLE_COL.loanDate) as Date)).toBe(true);
    expect(cell(53, SAMPLE_COL.principal)).toBe('abc');
    expect(cell(65, SAMPLE_COL.contractNo)).toBe(cell(64, SAMPLE_COL.contractNo));
    expect(cell(77, SAMPLE_COL.address)).toBe('=HYPERLINK("http://evil.example","点我")');
    expect(cell(89, SAMPLE_COL.name)).toBe("+cmd|' /C calc'!A0");
    expect(cell(5, SAMPLE_COL.idNumber)).toMatch(/^\d{17}[\dX]$/);

    const readme = await readFile(join(FIXTURES, 'README.md'), 'utf8');
    for (const [rowNo, code] of [
      [5, 'id_checksum'],
      [17, 'id_excel_scientific'],
      [29, 'phone_format'],
      [41, 'due_before_loan'],
      [53, 'amount_format'],
      [65, 'contract_no_duplicate'],
    ] as const) {
      expect(readme).toMatch(new RegExp(`\\| ${rowNo} \\|.*\`${code}\``));
    }
    expect(readme).toMatch(/\| 77 \|.*stored as text, escaped on export/);
    expect(readme).toMatch(/\| 89 \|.*`name_format`/);
  });
});
