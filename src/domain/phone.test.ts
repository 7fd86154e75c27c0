import { describe, expect, it } from 'vitest';
import { generatePhone, maskPhone, parsePhone } from './phone.js';

/** Returns the normalised phone, or the failure code. */
function result(raw: unknown): string {
  const r = parsePhone(raw);
  return r.ok ? r.value.phone : r.code;
}

describe('parsePhone: DOMAIN §1.3 vectors', () => {
  it('accepts the valid vectors', () => {
    expect(result('13800138000')).toBe('13800138000');
    expect(result('+86 139 1234 5678')).toBe('13912345678');
    expect(result('0086-186-1234-5678')).toBe('18612345678');
    expect(result('19912345678')).toBe('19912345678');
  });

  it('rejects the invalid vectors', () => {
    expect(result('12345678901')).toBe('phone_format');
    expect(result('1380013800')).toBe('phone_format');
    expect(result('23800138000')).toBe('phone_format');
    expect(result('138001380001')).toBe('phone_format');
  });
});

describe('parsePhone: normalisation', () => {
  it('strips brackets, hyphens and full-width characters', () => {
    expect(result('(+86) 138-0013-8000')).toBe('13800138000');
    expect(result('（＋８６）１３８００１３８０００')).toBe('13800138000');
    expect(result('8613800138000')).toBe('13800138000');
    expect(result('138\u30000013\u30008000')).toBe('13800138000');
  });

  it('does not strip 86 when the rest is not 11 digits', () => {
    expect(result('861380013800')).toBe('phone_format');
  });

  it('accepts spreadsheet numbers and a lossless ".0" suffix', () => {
    expect(result(13800138000)).toBe('13800138000');
    const r = parsePhone('13800138000.0');
    expect(r.ok && r.warnings).toEqual(['phone_float_suffix']);
  });

  it('reports missing and non-text values', () => {
    expect(result('')).toBe('phone_missing');
    expect(result(' - ')).toBe('phone_format');
    expect(result(null)).toBe('phone_missing');
    expect(result(true)).toBe('phone_format');
    expect(result(1.5)).toBe('phone_format');
  });

  it('detects Excel scientific notation', () => {
    expect(result('1.38001E+10')).toBe('phone_excel_scientific');
    expect(result('1.38001e+10')).toBe('phone_excel_scientific');
  });

  it('flags, but accepts, virtual-operator segments', () => {
    const v = parsePhone('17012345678');
    expect(v.ok && v.value.virtualOperator).toBe(true);
    const w = parsePhone('16512345678');
    expect(w.ok && w.value.virtualOperator).toBe(true);
    const n = parsePhone('13800138000');
    expect(n.ok && n.value.virtualOperator).toBe(false);
  });

  it('never echoes the raw value in the failure detail', () => {
    const r = parsePhone('12345678901');
    expect(!r.ok && r.detail.includes('12345678901')).toBe(false);
  });
});

describe('maskPhone', () => {
  it('masks the middle four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('fully masks short strings', () => {
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskPhone('')).toBe('');
  });
});

describe('generatePhone', () => {
  it('produces valid, non-virtual numbers deterministically', () => {
    let seed = 1;
    const rand = (): number => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const out = Array.from({ length: 200 }, () => generatePhone(rand));
    for (const p of out) {
      const r = parsePhone(p);
      expect(r.ok && !r.value.virtualOperator).toBe(true);
    }
    expect(new Set(out).size).toBeGreaterThan(190);
    expect(generatePhone(() => 0)).toBe('13000000000');
    expect(generatePhone(() => 0.99999999)).toBe('19999999999');
  });
});
