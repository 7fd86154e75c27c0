/**
 * Mainland mobile numbers (手机号码). See DOMAIN.md §1.3.
 */

import { isBlank, stripSpaces, toHalfWidth } from './half-width.js';
import { type Checked, failResult, okResult } from './validation-result.js';

export type PhoneInfo = { phone: string; virtualOperator: boolean };

// Segments of virtual network operators (虚拟运营商): flagged, never rejected.
const VIRTUAL_PREFIXES = ['162', '165', '167', '170', '171'] as const;

/** Parses a mainland mobile number, stripping separators and a +86/0086/86 country prefix. */
export function parsePhone(raw: unknown): Checked<PhoneInfo> {
  if (isBlank(raw)) return failResult('phone_missing', 'The mobile number is empty.');
  let s: string;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) return failResult('phone_format', formatDetail);
    s = String(raw);
  } else if (typeof raw === 'string') {
    s = stripSpaces(toHalfWidth(raw));
  } else {
    return failResult('phone_format', formatDetail);
  }

  if (/^\d(\.\d+)?E\+?\d+$/i.test(s)) {
    return failResult(
      'phone_excel_scientific',
      'The mobile number was turned into scientific notation by Excel; format the column as text and re-enter it.',
    );
  }
  const warnings: string[] = [];
  // 11 digits fit a double exactly, so a float-style ".0" suffix loses nothing.
  const floatForm = /^(\d+)\.0+$/.exec(s);
  if (floatForm) {
    s = floatForm[1] ?? '';
    warnings.push('phone_float_suffix');
  }
  // Hyphens/dashes (ASCII, full-width already folded, Unicode dashes), dots and brackets.
  s = s.replace(/[-\u2010-\u2015\u2212()[\]（）【】]/g, '');

  const prefixed = /^(?:\+86|0086|86)(\d{11})$/.exec(s);
  if (prefixed) s = prefixed[1] ?? '';

  if (!/^1[3-9]\d{9}$/.test(s)) return failResult('phone_format', formatDetail);
  const virtualOperator = VIRTUAL_PREFIXES.some((p) => s.startsWith(p));
  return okResult({ phone: s, virtualOperator }, warnings);
}

const formatDetail =
  'The mobile number must be 11 digits starting with 1 and a second digit 3-9 (an optional +86 prefix is allowed).';

/** Masks a mobile number as first 3 + **** + last 4; short strings are fully masked. */
export function maskPhone(phone: string): string {
  const chars = [...phone];
  if (chars.length < 8) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

// Common carrier segments (no virtual-operator ranges, so demo data looks ordinary).
const DEMO_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '158',
  '159',
  '177',
  '180',
  '181',
  '186',
  '187',
  '188',
  '189',
  '199',
] as const;

/** Generates a valid mobile number deterministically from a PRNG returning values in [0, 1). */
export function generatePhone(rand: () => number): string {
  const i = Math.min(DEMO_PREFIXES.length - 1, Math.floor(rand() * DEMO_PREFIXES.length));
  let rest = '';
  for (let k = 0; k < 8; k++) rest += String(Math.min(9, Math.floor(rand() * 10)));
  return (DEMO_PREFIXES[i] ?? '138') + rest;
}
