/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015. See DOMAIN.md §1.2.
 */

import { isBlank, stripSpaces, toHalfWidth } from './half-width.js';
import { type Checked, failResult, okResult } from './validation-result.js';

// 31 symbols; I, O, S, V, Z are never used. A symbol's value is its index.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// 3^(i-1) mod 31 for positions 1..17.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
// Positions 1-2 may be letters (GB 32100 allows it, unlike python-stdnum); 3-8 are a division code.
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** Computes the check character for the first 17 symbols of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) throw new RangeError('creditCodeCheckChar needs 17 symbols from the GB 32100 alphabet');
    sum += v * (WEIGHTS[i] ?? 0);
  }
  return ALPHABET[(31 - (sum % 31)) % 31] ?? '';
}

/** Parses a credit code; a checksum failure should go to manual review, since some issued codes fail it. */
export function parseCreditCode(raw: unknown): Checked<string> {
  if (isBlank(raw)) return failResult('credit_code_missing', 'The unified social credit code is empty.');
  if (typeof raw !== 'string') {
    return failResult('credit_code_format', 'The unified social credit code must be text of 18 characters.');
  }
  const code = stripSpaces(toHalfWidth(raw)).toUpperCase();
  if (!SHAPE.test(code)) {
    return failResult(
      'credit_code_format',
      'The unified social credit code must be 18 characters: digits in positions 3-8, and no letters I, O, S, V or Z.',
    );
  }
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) {
    return failResult(
      'credit_code_checksum',
      'The last character of the unified social credit code does not match its check character; compare it with the business licence or send it for manual review.',
    );
  }
  return okResult(code);
}
