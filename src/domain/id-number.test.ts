import { describe, expect, it } from 'vitest';
import { generateIdNumber, idCheckChar, maskIdNumber, parseIdNumber } from './id-number.js';

/** Returns the failure code, or 'ok'. */
function codeOf(raw: unknown, opts?: Parameters<typeof parseIdNumber>[1]): string {
  const r = parseIdNumber(raw, opts);
  return r.ok ? 'ok' : r.code;
}

/** Small deterministic PRNG (mulberry32) so generator tests are repeatable. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('idCheckChar', () => {
  it('computes X for the GB 11643 sample (sum 167, mod 11 = 2)', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
  });
  it('computes digits for other vectors', () => {
    expect(idCheckChar('36042619910101007')).toBe('1');
    expect(idCheckChar('34052419800101001')).toBe('X');
    expect(idCheckChar('36042619910102009')).toBe('3');
  });
  it('rejects input that is not 17 digits', () => {
    expect(() => idCheckChar('1234')).toThrow(RangeError);
  });
});

describe('parseIdNumber: DOMAIN §1.1 vectors', () => {
  const valid = [
    '11010519491231002X',
    '360426199101010071',
    '412723199010050012',
    '110102199101010078',
    '120110199212010072',
    '34052419800101001X',
    '513231200012121657',
    '51323120001212169X',
    // Historically questionable county codes are still accepted (no historic lookup).
    '110111198012010078',
    '110201199312010077',
  ];
  it.each(valid)('accepts %s', (id) => {
    const r = parseIdNumber(id);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.idNumber).toBe(id);
      expect(r.warnings).toBeUndefined();
    }
  });

  it('decodes the GB sample: female, 1949-12-31, 110105', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', addressCode: '110105' },
    });
  });

  it('decodes sex from the 17th digit (odd = male)', () => {
    const r = parseIdNumber('360426199101010071');
    expect(r.ok && r.value.sex).toBe('male');
  });

  it('upper-cases a trailing x', () => {
    const r = parseIdNumber('44011320141005001x');
    expect(r.ok && r.value.idNumber).toBe('44011320141005001X');
  });

  it('GB sample born 1880: checksum valid, below the default 1900 floor, accepted with a lower floor', () => {
    expect(idCheckChar('44052418800101001')).toBe('4');
    expect(codeOf('440524188001010014')).toBe('id_birth_date');
    const r = parseIdNumber('440524188001010014', { minBirthDate: '1800-01-01' });
    expect(r.ok && r.value.birthDate).toBe('1880-01-01');
  });

  it('rejects bad checksums', () => {
    expect(codeOf('340524198001010013')).toBe('id_checksum');
    expect(codeOf('36042619910102009X')).toBe('id_checksum');
  });

  it('rejects month 13 as a birth-date error', () => {
    expect(codeOf('360426199113010079')).toBe('id_birth_date');
  });

  it('rejects a letter in the body as a format error', () => {
    expect(codeOf('T60426199101010078')).toBe('id_format');
  });

  it('warns, but accepts, an unknown province 99', () => {
    const r = parseIdNumber('990426199112010074');
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings).toEqual(['id_unknown_region']);
  });
});

describe('parseIdNumber: other rules', () => {
  it('reports missing values', () => {
    expect(codeOf('')).toBe('id_missing');
    expect(codeOf('  \u3000 ')).toBe('id_missing');
    expect(codeOf(null)).toBe('id_missing');
    expect(codeOf(undefined)).toBe('id_missing');
  });

  it('reports wrong length and characters', () => {
    expect(codeOf('1101051949123100')).toBe('id_format');
    expect(codeOf('11010519491231002XX')).toBe('id_format');
    expect(codeOf('1101051949123100X2')).toBe('id_format');
    expect(codeOf({})).toBe('id_format');
  });

  it('rejects impossible dates such as 29 February in a non-leap year', () => {
    const first17 = '35050219900229001';
    expect(codeOf(first17 + idCheckChar(first17))).toBe('id_birth_date');
    const leap = '35050220000229001';
    expect(codeOf(leap + idCheckChar(leap))).toBe('ok');
  });

  it('checks future birth dates only when asOf is given', () => {
    const first17 = '35050220300101001';
    const id = first17 + idCheckChar(first17);
    expect(codeOf(id)).toBe('ok');
    expect(codeOf(id, { asOf: '2026-01-01' })).toBe('id_birth_date');
    expect(codeOf(id, { asOf: '2030-01-01' })).toBe('ok');
  });

  it('strips ASCII, full-width and ideographic spaces', () => {
    const r = parseIdNumber(' 110105 19491231 002X\u3000');
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
  });

  it('converts full-width digits and X', () => {
    const r = parseIdNumber('１１０１０５１９４９１２３１００２Ｘ');
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
    const lower = parseIdNumber('１１０１０５１９４９１２３１００２ｘ');
    expect(lower.ok && lower.value.idNumber).toBe('11010519491231002X');
  });

  it('rejects legacy 15-digit numbers by default', () => {
    expect(codeOf('350502900101123')).toBe('id_legacy_15');
  });

  it('upgrades legacy 15-digit numbers when allowed, with a warning', () => {
    const r = parseIdNumber('350502900101123', { acceptLegacy15: true });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.idNumber).toBe('35050219900101123X');
      expect(r.value.birthDate).toBe('1990-01-01');
      expect(r.value.sex).toBe('male');
      expect(r.warnings).toEqual(['id_legacy_15_upgraded']);
    }
  });

  it('never echoes the raw number in the failure detail', () => {
    const r = parseIdNumber('340524198001010013');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).not.toContain('340524198001010013');
  });
});

describe('parseIdNumber: Excel damage', () => {
  it('detects scientific notation', () => {
    expect(codeOf('3.50502E+17')).toBe('id_excel_scientific');
    expect(codeOf('3.50502199001011E+17')).toBe('id_excel_scientific');
    expect(codeOf('3.50502199001011e+17')).toBe('id_excel_scientific');
    expect(codeOf('3.50502199001011E17')).toBe('id_excel_scientific');
  });

  it('detects numbers padded with zeros after the 15th digit', () => {
    expect(codeOf('350502199001011000')).toBe('id_excel_truncated');
  });

  it('keeps a genuine number ending in 000 when its checksum holds', () => {
    // Sequence 000 with check char 0 is rare but legal.
    expect(idCheckChar('11010519900108000')).toBe('0');
    expect(codeOf('110105199001080000')).toBe('ok');
  });

  it('detects a float-looking ".0" suffix on a long number', () => {
    expect(codeOf('350502199001011000.0')).toBe('id_excel_truncated');
    expect(codeOf('11010519491231002.0')).toBe('id_excel_truncated');
  });

  it('accepts a ".0" suffix on a 15-digit legacy number, which a double holds exactly', () => {
    expect(codeOf('350502900101123.0', { acceptLegacy15: true })).toBe('ok');
  });

  it('rejects JavaScript numbers too large to be exact', () => {
    expect(codeOf(350502199001011000)).toBe('id_excel_truncated');
    expect(codeOf(3.50502199001011e17)).toBe('id_excel_truncated');
  });

  it('accepts a 15-digit legacy number given as a number', () => {
    expect(codeOf(350502900101123, { acceptLegacy15: true })).toBe('ok');
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 2 characters of an 18-character number', () => {
    expect(maskIdNumber('35050219900101123X')).toBe('350502**********3X');
    expect(maskIdNumber('35050219900101123X')).toHaveLength(18);
  });
  it('masks a 15-digit number the same way', () => {
    expect(maskIdNumber('350502900101123')).toBe('350502*******23');
  });
  it('fully masks short strings', () => {
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('')).toBe('');
  });
  it('masks a 9-character string leaving one star', () => {
    expect(maskIdNumber('123456789')).toBe('123456*89');
  });
});

describe('generateIdNumber', () => {
  it('produces valid numbers with demo address codes and birth years 1965-2003', () => {
    const rand = mulberry32(42);
    const codes = new Set([
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
    ]);
    for (let i = 0; i < 500; i++) {
      const r = parseIdNumber(generateIdNumber(rand), { asOf: '2026-01-01' });
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(codes.has(r.value.addressCode)).toBe(true);
        const year = Number(r.value.birthDate.slice(0, 4));
        expect(year).toBeGreaterThanOrEqual(1965);
        expect(year).toBeLessThanOrEqual(2003);
        expect(r.warnings).toBeUndefined();
      }
    }
  });

  it('is deterministic for the same seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 5 }, () => generateIdNumber(a));
    const ys = Array.from({ length: 5 }, () => generateIdNumber(b));
    expect(xs).toEqual(ys);
    expect(new Set(xs).size).toBe(5);
  });

  it('honours sex and address options', () => {
    const rand = mulberry32(1);
    for (let i = 0; i < 50; i++) {
      const r = parseIdNumber(generateIdNumber(rand, { sex: 'female', addressCodes: ['350583'] }));
      expect(r.ok && r.value.sex).toBe('female');
      expect(r.ok && r.value.addressCode).toBe('350583');
    }
  });

  it('copes with a PRNG returning the extreme values 0 and 0.999…', () => {
    expect(parseIdNumber(generateIdNumber(() => 0)).ok).toBe(true);
    expect(parseIdNumber(generateIdNumber(() => 0.9999999999)).ok).toBe(true);
  });
});
