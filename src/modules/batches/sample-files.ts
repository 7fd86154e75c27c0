// Writes batch files as creditors upload them (CSV in UTF-8 or GBK, XLSX with real dates and
// numbers), for fixtures, benchmarks and tests. Rows stream through, so a 1M-row file never needs
// 1M rows in memory.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { GUARANTEE_LABELS } from '../../domain/five-tier.js';
import { type SampleClaim, sampleClaims } from '../admin/sample-claims.js';

export type SampleFormat = 'csv-utf8' | 'csv-gbk' | 'xlsx';

/** An amount: a number of yuan in XLSX, "1234.50" in CSV. */
export interface Money {
  fen: number;
}

/** Dates are UTC midnights: written as YYYY-MM-DD in CSV and as date cells in XLSX. */
export type SampleCell = string | number | Date | Money | null;

/**
 * The template's Chinese headers, in template order, without the optional 电子送达确认: a sample claim
 * carries no consent to electronic service, which is what a file without the column says.
 */
export const SAMPLE_HEADER: readonly string[] = Object.freeze([
  '合同编号',
  '借款人姓名',
  '身份证号',
  '手机号',
  '联系地址',
  '电子邮箱',
  '借款日期',
  '到期日期',
  '欠款本金',
  '欠款利息',
  '罚息',
  '其他费用',
  '年化利率',
  '逾期天数',
  '担保方式',
]);

/** Column positions in SAMPLE_HEADER, for tests and fixtures that spoil one cell. */
export const SAMPLE_COL = Object.freeze({
  contractNo: 0,
  name: 1,
  idNumber: 2,
  phone: 3,
  address: 4,
  email: 5,
  loanDate: 6,
  dueDate: 7,
  principal: 8,
  interest: 9,
  penalty: 10,
  fees: 11,
  annualRate: 12,
  overdueDays: 13,
  guarantee: 14,
});

/** A sample claim as one row of SAMPLE_HEADER cells. */
export function claimRow(c: SampleClaim): SampleCell[] {
  return [
    c.contractNo,
    c.name,
    c.idNumber,
    c.phone,
    c.address,
    c.email,
    utcDate(c.loanDate),
    utcDate(c.dueDate),
    { fen: c.principalFen },
    { fen: c.interestFen },
    { fen: c.penaltyFen },
    { fen: c.feesFen },
    percent(c.annualRateBp),
    c.overdueDays,
    GUARANTEE_LABELS[c.guarantee],
  ];
}

/** `count` sample claims, generated `chunk` at a time; up to `chunk` rows it equals sampleClaims(rand, count, opts). */
export function* sampleClaimStream(
  rand: () => number,
  count: number,
  opts: { asOf: string; prefix: string; chunk?: number },
): Generator<SampleClaim> {
  const chunk = opts.chunk ?? 10_000;
  for (let done = 0, part = 0; done < count; part++) {
    const n = Math.min(chunk, count - done);
    // sampleClaims numbers contracts from 0 in every call: a per-chunk prefix keeps them unique.
    const prefix = count <= chunk ? opts.prefix : `${opts.prefix}${String(part).padStart(3, '0')}`;
    yield* sampleClaims(rand, n, { asOf: opts.asOf, prefix });
    done += n;
  }
}

/** Writes a header row and then `rows` to `file`; returns the number of data rows written. */
export async function writeSampleBatch(
  file: string,
  format: SampleFormat,
  rows: Iterable<SampleCell[]> | AsyncIterable<SampleCell[]>,
  opts: { header?: readonly string[]; sheetName?: string; sharedStrings?: boolean } = {},
): Promise<number> {
  const header = opts.header ?? SAMPLE_HEADER;
  return format === 'xlsx' ? writeXlsx(file, header, rows, opts) : writeCsv(file, format, header, rows);
}

async function writeCsv(
  file: string,
  format: 'csv-utf8' | 'csv-gbk',
  header: readonly string[],
  rows: Iterable<SampleCell[]> | AsyncIterable<SampleCell[]>,
): Promise<number> {
  const out = createWriteStream(file);
  const flush = async (text: string) => {
    if (!out.write(format === 'csv-gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8')))
      await once(out, 'drain');
  };
  let text = csvLine(header);
  let count = 0;
  for await (const row of rows) {
    text += csvLine(row);
    count++;
    if (text.length > 256 * 1024) {
      await flush(text);
      text = '';
    }
  }
  await flush(text);
  out.end();
  await finished(out);
  return count;
}

async function writeXlsx(
  file: string,
  header: readonly string[],
  rows: Iterable<SampleCell[]> | AsyncIterable<SampleCell[]>,
  opts: { sheetName?: string; sharedStrings?: boolean },
): Promise<number> {
  // Shared strings are what Excel writes, but the writer keeps them all in memory: off by default.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: opts.sharedStrings ?? false,
  });
  const ws = wb.addWorksheet(opts.sheetName ?? '债权清单');
  ws.addRow([...header]).commit();
  let count = 0;
  for await (const cells of rows) {
    const row = ws.addRow(cells.map((c) => (isMoney(c) ? c.fen / 100 : c)));
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (c instanceof Date) row.getCell(i + 1).numFmt = 'yyyy-mm-dd';
      else if (isMoney(c)) row.getCell(i + 1).numFmt = '0.00';
    }
    row.commit();
    count++;
  }
  ws.commit();
  await wb.commit();
  return count;
}

function csvLine(cells: readonly SampleCell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvField(cells[i] ?? null);
  }
  return `${line}\r\n`;
}

function csvField(c: SampleCell): string {
  if (c === null) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  if (typeof c === 'number') return String(c);
  if (typeof c === 'object') return yuanText(c.fen);
  return /[",\r\n]|^\s|\s$/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
}

const isMoney = (c: SampleCell | undefined): c is Money => typeof c === 'object' && c !== null && !(c instanceof Date);

/** Fen as yuan with two decimals, in integer arithmetic so no float noise reaches the file. */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Basis points as a percentage the way people type it: 2350 → "23.5%", 2400 → "24%". */
export function percent(bp: number): string {
  const frac = bp % 100;
  return `${Math.trunc(bp / 100)}${frac ? `.${String(frac).padStart(2, '0').replace(/0$/, '')}` : ''}%`;
}

/** A YYYY-MM-DD day as the UTC midnight exceljs writes as that Excel date. */
export function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}
