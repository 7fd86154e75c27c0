// Columns of the batch-import spreadsheet and the header-row mapping. Creditors' own templates
// differ in order, language and decoration, so headers are matched by name, never by position.
import { toHalfWidth } from './half-width.js';

/** The import columns in template order: English key, Chinese header, and whether a file must have it. */
export const CLAIM_COLUMNS = [
  { key: 'contract_no', header: '合同编号', required: true },
  { key: 'name', header: '借款人姓名', required: true },
  { key: 'id_number', header: '身份证号', required: true },
  { key: 'phone', header: '手机号', required: true },
  { key: 'address', header: '联系地址', required: false },
  { key: 'email', header: '电子邮箱', required: false },
  { key: 'loan_date', header: '借款日期', required: true },
  { key: 'due_date', header: '到期日期', required: true },
  { key: 'principal', header: '欠款本金', required: true },
  { key: 'interest', header: '欠款利息', required: false },
  { key: 'penalty', header: '罚息', required: false },
  { key: 'fees', header: '其他费用', required: false },
  { key: 'annual_rate', header: '年化利率', required: false },
  { key: 'overdue_days', header: '逾期天数', required: false },
  { key: 'guarantee', header: '担保方式', required: false },
  // The debtor's contractual consent to electronic service (CPL art. 90): 是/否, default 否.
  { key: 'e_service_consent', header: '电子送达确认', required: false },
] as const;

export type ColumnKey = (typeof CLAIM_COLUMNS)[number]['key'];

/** Keys of the columns every import file must contain. */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = CLAIM_COLUMNS.filter((c) => c.required).map((c) => c.key);

/** The Chinese header of a column. */
export function columnHeader(key: ColumnKey): string {
  return CLAIM_COLUMNS.find((c) => c.key === key)?.header ?? key;
}

/** A column as people see it in messages, e.g. "身份证号 (id_number)". */
export function columnLabel(key: ColumnKey): string {
  return `${columnHeader(key)} (${key})`;
}

/** A column of an import file: English key, Chinese header, and whether a file must have it. */
export interface ColumnSpec<K extends string> {
  key: K;
  header: string;
  required: boolean;
}

export type HeaderMapping<K extends string = ColumnKey> =
  | { ok: true; columns: (K | null)[]; extra: string[] }
  | { ok: false; code: 'missing_columns' | 'duplicate_columns' | 'empty_header'; missing: K[]; detail: string };

/** Header text reduced to what matters for matching: no BOM, no padding, no "*" marks, lower case. */
function normaliseHeader(cell: unknown): string {
  if (typeof cell === 'number' && Number.isFinite(cell)) return String(cell);
  if (typeof cell !== 'string') return '';
  // toHalfWidth turns U+3000 into a space and "＊" into "*"; the BOM and zero-width space only
  // survive on the first cell of a UTF-8 file, but stripping them everywhere costs nothing.
  let s = toHalfWidth(cell)
    .replace(/[\ufeff\u200b]/g, '')
    .trim();
  // Templates mark required columns with "*", usually after the name, sometimes before it.
  s = s.replace(/^\*+\s*/, '').replace(/\s*\*+$/, '');
  return s.toLowerCase();
}

/**
 * The header mapping of a file with these columns: each cell matched by its Chinese or English name,
 * failing when a required column is missing or a column repeats.
 */
export function headerMapper<K extends string>(spec: readonly ColumnSpec<K>[]): (cells: unknown[]) => HeaderMapping<K> {
  // Chinese headers as written, English keys lower-cased; both normalised the same way as the cells.
  const byName: ReadonlyMap<string, K> = new Map(
    spec.flatMap((c): [string, K][] => [
      [c.header, c.key],
      [c.key, c.key],
    ]),
  );
  const required = spec.filter((c) => c.required).map((c) => c.key);
  const label = (key: K) => `${spec.find((c) => c.key === key)?.header ?? key} (${key})`;

  return (cells) => {
    const columns: (K | null)[] = [];
    const extra: string[] = [];
    const seen = new Set<K>();
    const duplicates: K[] = [];
    let nonBlank = 0;

    for (const cell of cells) {
      const name = normaliseHeader(cell);
      const key = byName.get(name) ?? null;
      if (name !== '') nonBlank++;
      if (key === null) {
        // Blank cells (trailing columns in a spreadsheet export) are not worth a warning.
        if (name !== '') extra.push(typeof cell === 'string' ? cell.replace(/^\ufeff/, '').trim() : name);
        columns.push(null);
        continue;
      }
      if (seen.has(key) && !duplicates.includes(key)) duplicates.push(key);
      seen.add(key);
      columns.push(key);
    }

    if (nonBlank === 0) {
      return {
        ok: false,
        code: 'empty_header',
        missing: [...required],
        detail: 'The first row is empty; the file must start with a header row naming the columns.',
      };
    }

    const missing = required.filter((k) => !seen.has(k));
    if (missing.length === 0 && duplicates.length === 0) return { ok: true, columns, extra };

    const sentences: string[] = [];
    if (missing.length > 0) sentences.push(`The file lacks required columns: ${missing.map(label).join(', ')}.`);
    if (duplicates.length > 0) {
      sentences.push(
        `These columns appear more than once, so it is unclear which to use: ${duplicates.map(label).join(', ')}.`,
      );
    }
    if (missing.length === required.length) {
      // Nothing recognisable at all: usually a GBK file read as UTF-8 (garbled headers) or data in row 1.
      sentences.push(
        'None of the required headers was recognised: the file may be saved in another character set (GBK instead of UTF-8), or it may not start with a header row.',
      );
    }
    return {
      ok: false,
      code: missing.length > 0 ? 'missing_columns' : 'duplicate_columns',
      missing,
      detail: sentences.join(' '),
    };
  };
}

/** Maps a claim file's header row to column keys per cell index. */
export const mapHeader: (cells: unknown[]) => HeaderMapping = headerMapper(CLAIM_COLUMNS);
