import { describe, expect, it } from 'vitest';
import { formatYuan, formatYuanWithSymbol, parseYuan, rmbCapitals, rmbCapitalsBare, sumFen } from './money.js';

/** Returns the fen value, or the failure code. */
function fenOrCode(raw: unknown, opts?: Parameters<typeof parseYuan>[1]): number | string {
  const r = parseYuan(raw, opts);
  return r.ok ? r.value : r.code;
}

describe('rmbCapitals: DOMAIN §7 vectors (canonical policy)', () => {
  // Amounts are given in fen so the table itself involves no floats.
  const vectors: Array<[number, string]> = [
    [1025005, '壹万零贰佰伍拾元零伍分'],
    [6755632, '陆万柒仟伍佰伍拾陆元叁角贰分'],
    [102400, '壹仟零贰拾肆元整'],
    [242102, '贰仟肆佰贰拾壹元零贰分'],
    [20000000000, '贰亿元整'],
    [2000000, '贰万元整'],
    [19985, '壹佰玖拾玖元捌角伍分'],
    [980000500000, '玖拾捌亿零伍仟元整'],
    // DOMAIN's table lists DotCommon's 玖拾万零捌仟…, which writes the optional 零 of rule 4.3;
    // the canonical policy omits it (as for 107000.53) and never adds 整 after 角.
    [90888820, '玖拾万捌仟捌佰捌拾捌元贰角'],
    [10035008900, '壹亿零叁拾伍万零捌拾玖元整'],
    [140950, '壹仟肆佰零玖元伍角'],
    [600714, '陆仟零柒元壹角肆分'],
    [1640902, '壹万陆仟肆佰零玖元零贰分'],
    [32504, '叁佰贰拾伍元零肆分'],
    [168032, '壹仟陆佰捌拾元叁角贰分'],
    [10700053, '壹拾万柒仟元伍角叁分'],
    [1000, '壹拾元整'],
    [10000001, '壹拾万元零壹分'],
    [5, '伍分'],
    [0, '零元整'],
  ];
  it.each(vectors)('%i fen → %s', (fen, text) => {
    expect(rmbCapitalsBare(fen)).toBe(text);
    expect(rmbCapitals(fen)).toBe(`人民币${text}`);
  });

  it('writes the 1010 and 151121.15 cases the banking way, not the HJ95 way', () => {
    expect(rmbCapitalsBare(101000)).toBe('壹仟零壹拾元整');
    expect(rmbCapitalsBare(15112115)).toBe('壹拾伍万壹仟壹佰贰拾壹元壹角伍分');
  });

  it('covers further zero patterns', () => {
    expect(rmbCapitalsBare(50)).toBe('伍角');
    expect(rmbCapitalsBare(55)).toBe('伍角伍分');
    expect(rmbCapitalsBare(10000000100)).toBe('壹亿零壹元整');
    expect(rmbCapitalsBare(10001000000)).toBe('壹亿零壹万元整');
    expect(rmbCapitalsBare(11000000000)).toBe('壹亿壹仟万元整');
    expect(rmbCapitalsBare(100050000)).toBe('壹佰万零伍佰元整');
    expect(rmbCapitalsBare(99999999999999)).toBe('玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分');
  });

  it('throws RangeError at and above 1万亿 yuan (incl. the Hutool 12412412412421.12 vector)', () => {
    expect(() => rmbCapitals(100000000000000)).toThrow(RangeError);
    expect(() => rmbCapitals(1241241241242112)).toThrow(RangeError);
  });

  it('throws RangeError for negative or fractional fen', () => {
    expect(() => rmbCapitals(-1)).toThrow(RangeError);
    expect(() => rmbCapitals(1.5)).toThrow(RangeError);
  });
});

describe('parseYuan', () => {
  it('parses the brief examples', () => {
    expect(fenOrCode('1,234.56')).toBe(123456);
    expect(fenOrCode('¥1234')).toBe(123400);
    expect(fenOrCode('￥1,234.5')).toBe(123450);
    expect(fenOrCode('１２３４．５６')).toBe(123456);
    expect(fenOrCode('12.345')).toBe('amount_precision');
    expect(fenOrCode('-5')).toBe('amount_negative');
    expect(fenOrCode('abc')).toBe('amount_format');
  });

  it('converts spreadsheet numbers exactly', () => {
    expect(fenOrCode(1234.56)).toBe(123456);
    expect(fenOrCode(0.1 + 0.2)).toBe(30);
    expect(fenOrCode(1.005)).toBe('amount_precision');
    expect(fenOrCode(99999999.99)).toBe(9999999999);
    expect(fenOrCode(0)).toBe(0);
    expect(fenOrCode(0.1 + 0.2 - 0.3)).toBe(0);
    expect(fenOrCode(1e-7)).toBe('amount_precision');
    expect(fenOrCode(-0.01)).toBe('amount_negative');
    expect(fenOrCode(Number.NaN)).toBe('amount_format');
    expect(fenOrCode(Number.POSITIVE_INFINITY)).toBe('amount_format');
  });

  it('accepts symbols, 元, full-width commas and spaces', () => {
    expect(fenOrCode(' ¥ 1,234.56 元 ')).toBe(123456);
    expect(fenOrCode('１，２３４元')).toBe(123400);
    expect(fenOrCode('\u3000100\u3000')).toBe(10000);
    expect(fenOrCode('12.3400')).toBe(1234);
    expect(fenOrCode('007')).toBe(700);
  });

  it('rejects malformed text', () => {
    expect(fenOrCode('1,23,4')).toBe('amount_format');
    expect(fenOrCode('12.')).toBe('amount_format');
    expect(fenOrCode('1.2.3')).toBe('amount_format');
    expect(fenOrCode('1e5')).toBe('amount_format');
    expect(fenOrCode('-abc')).toBe('amount_format');
    expect(fenOrCode(true)).toBe('amount_format');
  });

  it('treats "-0" as zero and a negative with a symbol as negative', () => {
    expect(fenOrCode('-0')).toBe(0);
    expect(fenOrCode('-¥5')).toBe('amount_negative');
    expect(fenOrCode('¥-5')).toBe('amount_negative');
    expect(fenOrCode('－５')).toBe('amount_negative');
  });

  it('caps amounts at 1亿 yuan', () => {
    expect(fenOrCode('100000000')).toBe(10000000000);
    expect(fenOrCode('100000000.01')).toBe('amount_too_large');
    expect(fenOrCode('12345678901234567890')).toBe('amount_too_large');
    expect(fenOrCode(100000000.01)).toBe('amount_too_large');
  });

  it('handles empty input according to `required`', () => {
    expect(fenOrCode('')).toBe('amount_missing');
    expect(fenOrCode(null)).toBe('amount_missing');
    expect(fenOrCode('  ', { required: false })).toBe(0);
    expect(fenOrCode(undefined, { required: false })).toBe(0);
    expect(fenOrCode('5', { required: false })).toBe(500);
  });
});

describe('formatYuan', () => {
  it('always shows two decimals and thousands separators', () => {
    expect(formatYuan(1234567)).toBe('12,345.67');
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(100000000000)).toBe('1,000,000,000.00');
    expect(formatYuan(-1200)).toBe('-12.00');
  });
  it('adds the yuan sign', () => {
    expect(formatYuanWithSymbol(1234567)).toBe('¥12,345.67');
    expect(formatYuanWithSymbol(-1200)).toBe('-¥12.00');
  });
  it('refuses non-integer fen', () => {
    expect(() => formatYuan(12.5)).toThrow(RangeError);
  });
});

describe('sumFen', () => {
  it('adds integers', () => {
    expect(sumFen(100, 250, -50)).toBe(300);
    expect(sumFen()).toBe(0);
  });
  it('throws when a float sneaks in', () => {
    expect(() => sumFen(100, 0.1)).toThrow(RangeError);
    expect(() => sumFen(Number.NaN)).toThrow(RangeError);
  });
  it('throws when the total leaves the safe-integer range', () => {
    expect(() => sumFen(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
  });
});
