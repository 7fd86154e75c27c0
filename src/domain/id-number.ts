/**
 * Resident identity numbers (公民身份号码), GB 11643-1999. See DOMAIN.md §1.1.
 */

import { isBlank, stripSpaces, toHalfWidth } from './half-width.js';
import { type Checked, failResult, okResult } from './validation-result.js';

export type IdNumberInfo = {
  idNumber: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'male' | 'female';
  addressCode: string;
};

export type ParseIdOptions = {
  /** Reference day (YYYY-MM-DD); birth dates after it are rejected. No future check when absent. */
  asOf?: string;
  /** Upgrade pre-1999 15-digit numbers instead of rejecting them. */
  acceptLegacy15?: boolean;
  /** Earliest accepted birth date (YYYY-MM-DD). Defaults to 1900-01-01 to catch typos. */
  minBirthDate?: string;
};

// 2^(18-i) mod 11 for positions 1..17 (ISO 7064 MOD 11-2).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

// GB/T 2260 province-level prefixes. 81/82/83 are the address codes used on residence permits
// for Hong Kong, Macau and Taiwan residents (港澳台居民居住证, 810000/820000/830000).
const PROVINCE_PREFIXES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

const DEFAULT_MIN_BIRTH = '1900-01-01';

/** Computes the GB 11643 check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

/** True when `ymd` (YYYYMMDD) is a real Gregorian calendar date. */
function isRealDate(ymd: string): boolean {
  const y = Number(ymd.slice(0, 4));
  const m = Number(ymd.slice(4, 6));
  const d = Number(ymd.slice(6, 8));
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Turns whatever a spreadsheet or form handed us into a candidate string, or a failure. */
function normalise(raw: unknown): Checked<string> {
  if (typeof raw === 'number') {
    // Above 2^53 a double cannot hold 18 digits exactly: the cell was stored as a number.
    if (!Number.isSafeInteger(raw)) {
      return failResult('id_excel_truncated', excelTruncatedDetail);
    }
    return okResult(String(raw));
  }
  if (typeof raw !== 'string') {
    return failResult('id_format', 'The ID number must be text of 18 characters.');
  }
  return okResult(stripSpaces(toHalfWidth(raw)).toUpperCase());
}

const excelTruncatedDetail =
  'The ID number looks damaged by Excel (digits beyond the 15th were lost); re-export the column formatted as text.';

/** Parses and validates an identity number, reporting Excel damage separately from typos. */
export function parseIdNumber(raw: unknown, opts: ParseIdOptions = {}): Checked<IdNumberInfo> {
  if (isBlank(raw)) return failResult('id_missing', 'The ID number is empty.');
  const norm = normalise(raw);
  if (!norm.ok) return norm;
  let id = norm.value;
  const warnings: string[] = [];

  if (/^\d(\.\d+)?E\+?\d+$/.test(id)) {
    return failResult(
      'id_excel_scientific',
      'The ID number was turned into scientific notation by Excel; format the column as text and re-enter the full number.',
    );
  }
  // A trailing ".0" means the value went through a float; beyond 15 digits it cannot be trusted.
  const floatForm = /^(\d+)\.0+$/.exec(id);
  if (floatForm) {
    const digits = floatForm[1] ?? '';
    if (digits.length > 15) return failResult('id_excel_truncated', excelTruncatedDetail);
    id = digits;
  }

  if (/^\d{15}$/.test(id)) {
    if (!opts.acceptLegacy15) {
      return failResult('id_legacy_15', 'This is a pre-1999 15-digit ID number; ask for the current 18-digit number.');
    }
    const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
    id = first17 + idCheckChar(first17);
    warnings.push('id_legacy_15_upgraded');
  }

  if (!/^\d{17}[\dX]$/.test(id)) {
    return failResult(
      'id_format',
      `The ID number must be 17 digits followed by a digit or X (got ${id.length} characters).`,
    );
  }

  const checksumOk = idCheckChar(id.slice(0, 17)) === id[17];
  // Excel keeps 15 significant digits and pads with zeros, so the checksum almost always breaks.
  if (!checksumOk && id.endsWith('000')) return failResult('id_excel_truncated', excelTruncatedDetail);

  const ymd = id.slice(6, 14);
  const birthDate = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
  if (!isRealDate(ymd)) {
    return failResult('id_birth_date', 'The birth-date part (digits 7-14) is not a real calendar date.');
  }
  if (birthDate < (opts.minBirthDate ?? DEFAULT_MIN_BIRTH)) {
    return failResult('id_birth_date', 'The birth-date part (digits 7-14) is implausibly early; check for a typo.');
  }
  if (opts.asOf !== undefined && birthDate > opts.asOf) {
    return failResult('id_birth_date', 'The birth-date part (digits 7-14) lies in the future.');
  }

  if (!checksumOk) {
    return failResult(
      'id_checksum',
      'The last character does not match the check digit; one of the digits is probably mistyped.',
    );
  }

  const addressCode = id.slice(0, 6);
  // Abolished codes stay valid for life, so an unknown region is only a warning (DOMAIN §1.1).
  if (!PROVINCE_PREFIXES.has(addressCode.slice(0, 2))) warnings.push('id_unknown_region');

  const sex = Number(id[16]) % 2 === 1 ? 'male' : 'female';
  return okResult({ idNumber: id, birthDate, sex, addressCode }, warnings);
}

/** Masks an ID number as first 6 + stars + last 2; strings too short to mask safely become all stars. */
export function maskIdNumber(id: string): string {
  const chars = [...id];
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return chars.slice(0, 6).join('') + '*'.repeat(chars.length - 8) + chars.slice(-2).join('');
}

export type GenerateIdOptions = {
  addressCodes?: readonly string[];
  sex?: 'male' | 'female';
  /** Inclusive birth-year range; defaults to 1965..2003. */
  minYear?: number;
  maxYear?: number;
};

// Real county-level codes (Quanzhou, Beijing Chaoyang, Guangzhou, Shanghai, Hangzhou, Chengdu).
const DEMO_ADDRESS_CODES = [
  '350502',
  '350503',
  '350521',
  '350582',
  '350583',
  '110105',
  '440106',
  '310104',
  '330106',
  '510104',
] as const;

/** Picks an integer in [min, max] from a PRNG returning values in [0, 1). */
function pickInt(rand: () => number, min: number, max: number): number {
  return min + Math.min(max - min, Math.floor(rand() * (max - min + 1)));
}

/** Generates a valid 18-character ID number deterministically from the supplied PRNG. */
export function generateIdNumber(rand: () => number, opts: GenerateIdOptions = {}): string {
  const codes = opts.addressCodes ?? DEMO_ADDRESS_CODES;
  const address = codes[pickInt(rand, 0, codes.length - 1)] ?? '350502';
  const minYear = opts.minYear ?? 1965;
  const maxYear = opts.maxYear ?? 2003;
  const year = pickInt(rand, minYear, maxYear);
  const start = Date.UTC(year, 0, 1);
  const days = Math.round((Date.UTC(year + 1, 0, 1) - start) / 86_400_000);
  const birth = new Date(start + pickInt(rand, 0, days - 1) * 86_400_000).toISOString().slice(0, 10);
  const seqBase = pickInt(rand, 0, 499) * 2; // even; +1 below for male
  const sex = opts.sex ?? (rand() < 0.5 ? 'male' : 'female');
  const seq = String(seqBase + (sex === 'male' ? 1 : 0)).padStart(3, '0');
  const first17 = address + birth.replaceAll('-', '') + seq;
  return first17 + idCheckChar(first17);
}
