/**
 * Money as integer fen (分). Floats only ever appear at the spreadsheet boundary and are
 * converted through a 15-significant-digit string, the same precision Excel itself keeps.
 */

import { isBlank, stripSpaces, toHalfWidth } from './half-width.js';
import { type Checked, failResult, okResult } from './validation-result.js';

/** 1亿 yuan: anything larger is not a consumer loan and is almost certainly an input error. */
export const MAX_FEN = 10_000_000_000;

export type ParseYuanOptions = {
  /** When false, an empty cell parses as 0 fen instead of `amount_missing`. Default true. */
  required?: boolean;
};

const DECIMAL = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

/** Parses a yuan amount (number or text such as "¥1,234.56元") into integer fen. */
export function parseYuan(raw: unknown, opts: ParseYuanOptions = {}): Checked<number> {
  if (isBlank(raw)) {
    return opts.required === false ? okResult(0) : failResult('amount_missing', 'The amount is empty.');
  }
  if (typeof raw === 'number') return parseYuanNumber(raw);
  if (typeof raw !== 'string') return failResult('amount_format', formatDetail);

  let s = stripSpaces(toHalfWidth(raw)).replace(/元$/, '');
  let negative = false;
  // Sign may come before or after the currency symbol ("-¥5", "¥-5").
  for (let i = 0; i < 2; i++) {
    s = s.replace(/^[¥￥]/, '');
    if (/^[-\u2212]/.test(s)) {
      negative = true;
      s = s.slice(1);
    } else if (s.startsWith('+')) {
      s = s.slice(1);
    }
  }
  return parseYuanDecimal(s, negative);
}

const formatDetail = 'The amount must be a number of yuan with at most two decimals, e.g. 1234.56 or ¥1,234.56.';

/** Handles numeric spreadsheet cells, absorbing binary float noise such as 0.1 + 0.2. */
function parseYuanNumber(x: number): Checked<number> {
  if (!Number.isFinite(x)) return failResult('amount_format', formatDetail);
  if (x < 0) return failResult('amount_negative', 'The amount must not be negative.');
  if (x > MAX_FEN / 100) return failResult('amount_too_large', tooLargeDetail);
  let s = x.toPrecision(15);
  if (s.includes('e')) {
    // Only tiny values (< 1e-6) get an exponent here; below 1e-9 it is noise around zero.
    if (x >= 1e-9) return failResult('amount_precision', precisionDetail);
    s = '0';
  }
  return parseYuanDecimal(s, false);
}

const precisionDetail = 'The amount has more than two decimals; round it to whole fen (0.01 yuan).';
const tooLargeDetail =
  'The amount exceeds 100,000,000 yuan, which is outside the range of a consumer loan; check the figure.';

/** Parses an unsigned decimal string with optional thousands commas. */
function parseYuanDecimal(s: string, negative: boolean): Checked<number> {
  const m = DECIMAL.exec(s);
  if (!m) return failResult('amount_format', formatDetail);
  const intPart = (m[1] ?? '').replaceAll(',', '').replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 2) return failResult('amount_precision', precisionDetail);
  // Check the digit count first so Number() never sees a value beyond safe-integer range.
  if (intPart.length > 9) return failResult('amount_too_large', tooLargeDetail);
  const fen = Number(intPart) * 100 + Number(frac.padEnd(2, '0'));
  if (negative && fen !== 0) return failResult('amount_negative', 'The amount must not be negative.');
  if (fen > MAX_FEN) return failResult('amount_too_large', tooLargeDetail);
  return okResult(fen);
}

/** Throws unless `fen` is a safe integer, so floats never leak into money arithmetic. */
function assertFen(fen: number, what = 'fen'): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${what} must be a safe integer number of fen, got ${fen}`);
}

/** Formats fen as yuan with thousands separators and two decimals, e.g. 1234567 → "12,345.67". */
export function formatYuan(fen: number): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const yuan = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}${yuan}.${cents}`;
}

/** Formats fen with the yuan sign, e.g. 1234567 → "¥12,345.67" (negative: "-¥12.00"). */
export function formatYuanWithSymbol(fen: number): string {
  const plain = formatYuan(fen);
  return plain.startsWith('-') ? `-¥${plain.slice(1)}` : `¥${plain}`;
}

/** Adds fen amounts, throwing if any operand or the total is not a safe integer. */
export function sumFen(...xs: number[]): number {
  let total = 0;
  for (const x of xs) {
    assertFen(x, 'sumFen operand');
    total += x;
  }
  assertFen(total, 'sumFen total');
  return total;
}

// --- RMB capitals (人民币大写), DOMAIN.md §7 "Recommended canonical policy" ---

const CAP_DIGITS = '零壹贰叁肆伍陆柒捌玖';
const CAP_SMALL_UNITS = ['', '拾', '佰', '仟'] as const;
const CAP_GROUP_UNITS = ['亿', '万', ''] as const;
/** 1万亿 yuan in fen: beyond this we would need Hutool's 万亿 style, out of scope. */
const CAP_LIMIT_FEN = 100_000_000_000_000;

/** Writes 1..9999 with internal zero runs collapsed to one 零 and trailing zeros dropped. */
function groupCapitals(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    // Always 壹拾, never bare 拾 (PBoC example 壹拾万).
    out += (CAP_DIGITS[d] ?? '') + CAP_SMALL_UNITS[pos];
  }
  return out;
}

/** Writes a positive whole-yuan amount below 1万亿 using 亿/万 groups. */
function integerCapitals(yuan: number): string {
  const groups = [Math.floor(yuan / 1e8), Math.floor(yuan / 1e4) % 1e4, yuan % 1e4];
  let out = '';
  let skippedGroup = false;
  groups.forEach((g, i) => {
    if (g === 0) {
      if (out !== '') skippedGroup = true;
      return;
    }
    // 零 is mandatory for a whole zero group or a group starting with 0; it is omitted
    // (policy choice for rule 4.3) when only the 万 digit is zero and the next group starts non-zero.
    if (out !== '' && (skippedGroup || g < 1000)) out += '零';
    out += groupCapitals(g) + CAP_GROUP_UNITS[i];
    skippedGroup = false;
  });
  return out;
}

/** RMB capitals without the 人民币 prefix, e.g. 1025005 → "壹万零贰佰伍拾元零伍分". */
export function rmbCapitalsBare(fen: number): string {
  assertFen(fen);
  if (fen < 0) throw new RangeError('rmbCapitals does not write negative amounts');
  if (fen >= CAP_LIMIT_FEN) throw new RangeError('rmbCapitals supports amounts below 1万亿 yuan');
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cent = fen % 10;
  let out = yuan > 0 ? `${integerCapitals(yuan)}元` : '';
  if (jiao === 0 && cent === 0) return `${out}整`;
  // 元 digit 0 before a non-zero 角: 零 omitted (policy choice for rule 4.3).
  if (jiao > 0) out += `${CAP_DIGITS[jiao]}角`;
  // 角 = 0 but 分 ≠ 0: 零 is mandatory after 元 (rule 4.4).
  else if (yuan > 0) out += '零';
  if (cent > 0) out += `${CAP_DIGITS[cent]}分`;
  return out;
}

/** RMB capitals as written on legal documents, e.g. 1025005 → "人民币壹万零贰佰伍拾元零伍分". */
export function rmbCapitals(fen: number): string {
  return `人民币${rmbCapitalsBare(fen)}`;
}
