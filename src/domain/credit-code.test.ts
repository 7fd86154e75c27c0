import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, parseCreditCode } from './credit-code.js';

/** Returns the normalised code, or the failure code. */
function result(raw: unknown): string {
  const r = parseCreditCode(raw);
  return r.ok ? r.value : r.code;
}

describe('creditCodeCheckChar', () => {
  it('reproduces the worked example (sum 538 → L)', () => {
    expect(creditCodeCheckChar('91110000600037341')).toBe('L');
  });
  it('computes 9 for the whitelisted real-world outlier', () => {
    expect(creditCodeCheckChar('91350203M0001QAY9')).toBe('9');
  });
  it('throws on forbidden symbols', () => {
    expect(() => creditCodeCheckChar('9111000060003IOZS')).toThrow(RangeError);
  });
});

describe('parseCreditCode: DOMAIN §1.2 vectors', () => {
  const valid = [
    '91110000600037341L',
    '121200004013590816',
    '91310115MA1K3BTP2B',
    '9144030071526726XG',
    '91620105L015101280',
    '92340602MA2PBMEM24',
    '91340600MA2PBM9HXD',
    '913101203509708598',
  ];
  it.each(valid)('accepts %s', (code) => {
    expect(result(code)).toBe(code);
  });

  it('rejects a wrong check character', () => {
    expect(result('91110000600037341N')).toBe('credit_code_checksum');
    expect(result('91350203M0001QAY9B')).toBe('credit_code_checksum');
  });

  it('allows a letter in position 1 (GB 32100), so only the checksum fails', () => {
    expect(result('A1110000600037341L')).toBe('credit_code_checksum');
    expect(creditCodeCheckChar('A1110000600037341')).toBe('K');
    expect(result('A1110000600037341K')).toBe('A1110000600037341K');
  });

  it('rejects forbidden letters and wrong length', () => {
    expect(result('9111000060003IOZSV')).toBe('credit_code_format');
    expect(result('12345')).toBe('credit_code_format');
  });

  it('requires digits in positions 3-8', () => {
    expect(result('9111A000600037341L')).toBe('credit_code_format');
  });
});

describe('parseCreditCode: normalisation', () => {
  it('upper-cases, strips spaces and folds full-width characters', () => {
    expect(result(' 91310115ma1k3btp2b ')).toBe('91310115MA1K3BTP2B');
    expect(result('９１１１００００６０００３７３４１Ｌ')).toBe('91110000600037341L');
  });
  it('reports missing and non-text values', () => {
    expect(result('')).toBe('credit_code_missing');
    expect(result(undefined)).toBe('credit_code_missing');
    expect(result(123)).toBe('credit_code_format');
  });
});
