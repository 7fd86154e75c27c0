// Parsers for single spreadsheet cells. They accept what Excel, WPS, exceljs and CSV exports actually
// produce (serial dates, Date objects, full-width digits, percent cells as fractions) and return Checked
// results whose details never repeat the cell value, so they are safe to log.

import { fromDayNumber, isValidIsoDate } from './dates.js';
import { isBlank, stripSpaces, toHalfWidth } from './half-width.js';
import { type Checked, failResult, okResult } from './validation-result.js';

const MS_PER_DAY = 86_400_000;

/** Largest Excel serial date: 9999-12-31. */
export const MAX_EXCEL_SERIAL = 2_958_465;
/** Excel serial of 1970-01-01 in the 1900 date system (includes the fictitious 1900-02-29). */
const EXCEL_SERIAL_UNIX_EPOCH = 25_569;

const dateFormatDetail =
  'The date must be written as YYYY-MM-DD (also accepted: 2024/1/5, 2024.1.5, 2024年1月5日, 20240105 or a spreadsheet date cell).';

/** Builds YYYY-MM-DD from parts, or fails with date_invalid when the day does not exist. */
function ymdResult(y: number, m: number, d: number): Checked<string> {
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (!isValidIsoDate(iso))
    return failResult('date_invalid', 'The date does not exist in the calendar (check the month and day).');
  return okResult(iso);
}

/**
 * Excel 1900 date system: serial 1 is 1900-01-01 and serial 60 is 1900-02-29, a day that never
 * existed (Lotus 1-2-3 treated 1900 as a leap year and Excel kept the bug), so later serials are off by one.
 */
export function excelSerialToDate(serial: number): Checked<string> {
  const whole = Math.floor(serial);
  if (!Number.isFinite(serial) || whole < 1 || whole > MAX_EXCEL_SERIAL) {
    return failResult('date_format', dateFormatDetail);
  }
  if (whole === 60) return failResult('date_invalid', 'Excel serial 60 is 1900-02-29, a day that does not exist.');
  // A fractional part is the time of day; the date part is all a loan date needs.
  return okResult(fromDayNumber(whole - EXCEL_SERIAL_UNIX_EPOCH + (whole < 60 ? 1 : 0)));
}

// The written date part wins over any time or zone suffix: "2024-01-05T16:00:00Z" is 2024-01-05,
// consistent with taking the UTC parts of a Date object.
const TIME_SUFFIX = String.raw`(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?`;
const SEPARATED_DATE = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME_SUFFIX}$`);
const CHINESE_DATE = new RegExp(String.raw`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?${TIME_SUFFIX}$`);

/** Parses a date cell (text in common Chinese formats, Excel serial, or a JS Date) to YYYY-MM-DD. */
export function parseDateCell(raw: unknown): Checked<string> {
  if (isBlank(raw)) return failResult('date_missing', 'The date is empty.');
  if (raw instanceof Date) {
    const ms = raw.getTime();
    if (Number.isNaN(ms)) return failResult('date_invalid', 'The date cell holds an invalid date.');
    // exceljs gives date cells as UTC midnight of the displayed date, so the UTC parts are the date.
    const iso = fromDayNumber(Math.floor(ms / MS_PER_DAY));
    return isValidIsoDate(iso) ? okResult(iso) : failResult('date_invalid', 'The date is outside the years 1000-9999.');
  }
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 10_000_000 && raw <= 99_999_999) return compactDate(String(raw));
    return excelSerialToDate(raw);
  }
  if (typeof raw !== 'string') return failResult('date_format', dateFormatDetail);

  const s = toHalfWidth(raw).trim();
  if (/^\d{8}$/.test(s)) return compactDate(s);
  // Up to 7 digits is a serial number that went through a text column or a CSV file.
  if (/^\d{1,7}(\.\d+)?$/.test(s)) return excelSerialToDate(Number(s));

  const separated = SEPARATED_DATE.exec(s);
  if (separated) return ymdResult(Number(separated[1]), Number(separated[3]), Number(separated[4]));
  const chinese = CHINESE_DATE.exec(s);
  if (chinese) return ymdResult(Number(chinese[1]), Number(chinese[2]), Number(chinese[3]));
  return failResult('date_format', dateFormatDetail);
}

function compactDate(s: string): Checked<string> {
  return ymdResult(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
}

/** 1000% p.a.: anything above is a typo (e.g. a daily rate entered as a yearly one), not a loan term. */
export const MAX_RATE_BP = 100_000;

const rateFormatDetail = 'The annual rate must be a percentage such as 23.5 or 23.5%.';

/**
 * Turns a non-negative decimal percentage string into basis points. Digits beyond 0.01% round up,
 * so a rate just above a legal cap is never rounded down onto it (the debtor's side).
 */
function percentDigitsToBp(intPart: string, frac: string): number {
  const whole = Number(intPart) * 100 + Number(frac.slice(0, 2).padEnd(2, '0'));
  return /[1-9]/.test(frac.slice(2)) ? whole + 1 : whole;
}

/**
 * Parses an annual interest rate into basis points (23.5% → 2350); an empty cell is null.
 * Text is always a percentage ("0.5" means 0.5%). A JS number below 1 is read as a fraction
 * (0.235 → 23.5%), because a cell formatted as a percentage reaches us as its underlying value;
 * a genuine rate below 1% must therefore be typed as text or with "%".
 */
export function parseRateCell(raw: unknown): Checked<number | null> {
  if (isBlank(raw)) return okResult(null);
  let digits: string;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return failResult('rate_format', rateFormatDetail);
    if (raw < 0 || raw > MAX_RATE_BP / 100) return failResult('rate_out_of_range', rangeDetail);
    // toFixed drops binary noise such as 0.1 + 0.2; 10 decimals of a percentage is far below 1 bp.
    digits = raw > 0 && raw < 1 ? shiftTwoPlaces(raw.toFixed(12)) : raw.toFixed(10);
  } else if (typeof raw === 'string') {
    digits = stripSpaces(toHalfWidth(raw)).replace(/%$/, '');
    if (/^[-\u2212]\d/.test(digits)) return failResult('rate_out_of_range', rangeDetail);
    digits = digits.replace(/^\+/, '');
  } else {
    return failResult('rate_format', rateFormatDetail);
  }
  const m = /^(\d+)(?:\.(\d*))?$/.exec(digits);
  if (!m || (m[1] ?? '').length > 6)
    return failResult(m ? 'rate_out_of_range' : 'rate_format', m ? rangeDetail : rateFormatDetail);
  const bp = percentDigitsToBp(m[1] ?? '0', m[2] ?? '');
  if (bp > MAX_RATE_BP) return failResult('rate_out_of_range', rangeDetail);
  return okResult(bp);
}

const rangeDetail = 'The annual rate must be between 0% and 1000%.';

/** "0.235000000000" → "23.5000000000": a fraction written as a percentage, without floating point. */
function shiftTwoPlaces(fixed: string): string {
  const [int = '0', frac = ''] = fixed.split('.');
  return `${Number(int + frac.slice(0, 2))}.${frac.slice(2)}`;
}

export type IntCellOptions = {
  /** Failure code, e.g. 'days_format'. */
  code: string;
  /** What the number is, for the message, e.g. 'The number of overdue days'. */
  what: string;
  /** Inclusive upper bound; default 999,999,999. */
  max?: number;
};

/** Parses a non-negative whole number (number, "12", "１２", "12天", "12.0"); an empty cell is null. */
export function parseIntCell(raw: unknown, opts: IntCellOptions): Checked<number | null> {
  if (isBlank(raw)) return okResult(null);
  const max = opts.max ?? 999_999_999;
  const detail = `${opts.what} must be a whole number from 0 to ${max}.`;
  let n: number;
  if (typeof raw === 'number') {
    n = raw;
  } else if (typeof raw === 'string') {
    const m = /^(\d{1,9})(?:\.0+)?天?$/.exec(stripSpaces(toHalfWidth(raw)));
    if (!m) return failResult(opts.code, detail);
    n = Number(m[1]);
  } else {
    return failResult(opts.code, detail);
  }
  if (!Number.isSafeInteger(n) || n < 0 || n > max) return failResult(opts.code, detail);
  return okResult(n);
}

/**
 * C0 and C1 controls, and bidirectional controls (U+202E and friends, which make text read otherwise
 * than it is stored), never belong in a name or an address.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
export const INVISIBLE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Cleans a free-text cell: trims, turns full-width spaces, tabs and line breaks into single spaces,
 * and rejects other control characters. An empty cell becomes ''. Length counts characters, not bytes.
 * Text that looks like a spreadsheet formula ("=HYPERLINK(...)", "+cmd|...", "-2+3", "@SUM") is kept
 * verbatim: it is data here, and csvSafe escapes it wherever the platform writes it out.
 */
export function cleanText(raw: unknown, maxLength: number): Checked<string> {
  if (raw === null || raw === undefined) return okResult('');
  let s: string;
  if (typeof raw === 'string') s = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) s = String(raw);
  else return failResult('text_format', 'The cell must hold text.');
  s = s
    .replace(/[\ufeff\u200b]/g, '')
    .replace(/[\t\r\n\u3000\u00a0]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (INVISIBLE_CONTROLS.test(s) || !s.isWellFormed()) {
    return failResult('text_control_chars', 'The text contains invisible control characters; retype it.');
  }
  if ([...s].length > maxLength) return failResult('text_too_long', `The text is longer than ${maxLength} characters.`);
  return okResult(s);
}

/**
 * Escapes a value for a CSV file the platform writes (OWASP CSV injection guidance): a leading
 * =, +, -, @, tab or carriage return gets a single quote in front, so spreadsheets show it as text
 * instead of running it as a formula. Every CSV writer must pass text fields through this.
 */
export function csvSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

// Pragmatic, not RFC 5322: one "@", a dot-atom local part and a domain with a letter TLD.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

/** Parses an optional e-mail address (full-width "＠" accepted, domain lower-cased); an empty cell is null. */
export function parseEmailCell(raw: unknown): Checked<string | null> {
  if (isBlank(raw)) return okResult(null);
  if (typeof raw !== 'string') return failResult('email_format', emailDetail);
  const s = stripSpaces(toHalfWidth(raw)).replace(/^mailto:/i, '');
  if (s.length > 254 || !EMAIL.test(s)) return failResult('email_format', emailDetail);
  const at = s.lastIndexOf('@');
  const local = s.slice(0, at);
  if (local.length > 64) return failResult('email_format', emailDetail);
  return okResult(`${local}@${s.slice(at + 1).toLowerCase()}`);
}

const emailDetail = 'The e-mail address is not valid; it should look like name@example.com.';

/** Cell values of a yes/no column, Chinese or English; a blank cell is the column's default. */
const YES_NO: ReadonlyMap<string, boolean> = new Map([
  ['是', true],
  ['否', false],
  ['yes', true],
  ['no', false],
]);

/**
 * A yes/no cell (是/否/yes/no, any case and width); blank is `fallback`. Anything else fails with
 * `code`, and the detail names the value (a short word, never personal data) and the accepted ones.
 */
export function parseYesNoCell(
  raw: unknown,
  opts: { code: string; what: string; fallback: boolean },
): Checked<boolean> {
  if (isBlank(raw)) return okResult(opts.fallback);
  const text = typeof raw === 'string' ? toHalfWidth(raw).trim().toLowerCase() : String(raw);
  const value = YES_NO.get(text);
  if (value !== undefined) return okResult(value);
  const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
  return failResult(
    opts.code,
    `${opts.what} must be 是, 否, yes or no (blank means ${opts.fallback ? '是' : '否'}); the cell says ${JSON.stringify(shown)}.`,
  );
}
