import { describe, expect, it } from 'vitest';
import {
  cleanText,
  csvSafe,
  excelSerialToDate,
  parseDateCell,
  parseEmailCell,
  parseIntCell,
  parseRateCell,
} from './cell-values.js';
import type { Checked } from './validation-result.js';

/** The value, or the failure code. */
function v<T>(r: Checked<T>): T | string {
  return r.ok ? r.value : r.code;
}

describe('parseDateCell', () => {
  it('accepts the written formats', () => {
    for (const s of [
      '2024-01-05',
      '2024/1/5',
      '2024.1.5',
      '2024年1月5日',
      '2024年01月05号',
      '20240105',
      ' 2024-1-05 ',
    ]) {
      expect(v(parseDateCell(s)), s).toBe('2024-01-05');
    }
  });

  it('ignores a time part, including an ISO zone suffix', () => {
    expect(v(parseDateCell('2024-01-05 00:00:00'))).toBe('2024-01-05');
    expect(v(parseDateCell('2024-01-05T16:30:00.000Z'))).toBe('2024-01-05');
    expect(v(parseDateCell('2024/1/5 9:30'))).toBe('2024-01-05');
    expect(v(parseDateCell('2024年1月5日 09:30:00'))).toBe('2024-01-05');
  });

  it('accepts full-width digits and separators', () => {
    expect(v(parseDateCell('２０２４－０１－０５'))).toBe('2024-01-05');
    expect(v(parseDateCell('２０２４年１月５日'))).toBe('2024-01-05');
  });

  it('takes the UTC date of a Date object, as exceljs produces', () => {
    expect(v(parseDateCell(new Date(Date.UTC(2024, 0, 5))))).toBe('2024-01-05');
    expect(v(parseDateCell(new Date(Date.UTC(2024, 0, 5, 23, 59))))).toBe('2024-01-05');
    expect(v(parseDateCell(new Date(Number.NaN)))).toBe('date_invalid');
  });

  it('converts Excel serial numbers in the 1900 system', () => {
    expect(v(parseDateCell(45292))).toBe('2024-01-01');
    expect(v(parseDateCell('45292'))).toBe('2024-01-01');
    expect(v(parseDateCell(45292.75))).toBe('2024-01-01');
    expect(v(parseDateCell(1))).toBe('1900-01-01');
    expect(v(parseDateCell(59))).toBe('1900-02-28');
    expect(v(parseDateCell(61))).toBe('1900-03-01');
    expect(v(parseDateCell(2958465))).toBe('9999-12-31');
  });

  it('rejects the fictitious 1900-02-29 and serials out of range', () => {
    expect(v(excelSerialToDate(60))).toBe('date_invalid');
    expect(v(parseDateCell(0))).toBe('date_format');
    expect(v(parseDateCell(-5))).toBe('date_format');
    expect(v(parseDateCell(2958466))).toBe('date_format');
  });

  it('reads an 8-digit number as YYYYMMDD', () => {
    expect(v(parseDateCell(20240105))).toBe('2024-01-05');
  });

  it('separates missing, malformed and impossible dates', () => {
    expect(v(parseDateCell(''))).toBe('date_missing');
    expect(v(parseDateCell(null))).toBe('date_missing');
    expect(v(parseDateCell('5/1/2024'))).toBe('date_format');
    expect(v(parseDateCell('2024-01/05'))).toBe('date_format');
    expect(v(parseDateCell('24-1-5'))).toBe('date_format');
    expect(v(parseDateCell(true))).toBe('date_format');
    expect(v(parseDateCell('2024-02-30'))).toBe('date_invalid');
    expect(v(parseDateCell('20231301'))).toBe('date_invalid');
    expect(v(parseDateCell('2023年2月29日'))).toBe('date_invalid');
  });
});

describe('parseRateCell', () => {
  it('reads text and numbers as percentages, in basis points', () => {
    expect(v(parseRateCell('23.5'))).toBe(2350);
    expect(v(parseRateCell('23.5%'))).toBe(2350);
    expect(v(parseRateCell('２３．５％'))).toBe(2350);
    expect(v(parseRateCell(23.5))).toBe(2350);
    expect(v(parseRateCell(24))).toBe(2400);
  });

  it('reads a JS number below 1 as a percent-cell fraction, but text below 1 as a percentage', () => {
    expect(v(parseRateCell(0.235))).toBe(2350);
    expect(v(parseRateCell(0.1 + 0.2))).toBe(3000);
    expect(v(parseRateCell('0.5'))).toBe(50);
    expect(v(parseRateCell(0))).toBe(0);
  });

  it('rounds digits beyond 0.01% up, never down onto a cap', () => {
    expect(v(parseRateCell('24.001'))).toBe(2401);
    expect(v(parseRateCell('24.0000'))).toBe(2400);
    expect(v(parseRateCell(24.000000000000004))).toBe(2400);
  });

  it('returns null for an empty cell', () => {
    expect(v(parseRateCell(''))).toBeNull();
    expect(v(parseRateCell(undefined))).toBeNull();
  });

  it('rejects malformed and out-of-range rates', () => {
    expect(v(parseRateCell('abc'))).toBe('rate_format');
    expect(v(parseRateCell('23.5.1'))).toBe('rate_format');
    expect(v(parseRateCell(Number.NaN))).toBe('rate_format');
    expect(v(parseRateCell('-3%'))).toBe('rate_out_of_range');
    expect(v(parseRateCell(-0.1))).toBe('rate_out_of_range');
    expect(v(parseRateCell('1000.01'))).toBe('rate_out_of_range');
    expect(v(parseRateCell(1e25))).toBe('rate_out_of_range');
    expect(v(parseRateCell('1000%'))).toBe(100_000);
  });
});

describe('parseIntCell', () => {
  const opts = { code: 'days_format', what: 'The number of overdue days' };

  it('accepts whole numbers in the usual spellings', () => {
    expect(v(parseIntCell(12, opts))).toBe(12);
    expect(v(parseIntCell('12', opts))).toBe(12);
    expect(v(parseIntCell('１２天', opts))).toBe(12);
    expect(v(parseIntCell('12.0', opts))).toBe(12);
    expect(v(parseIntCell(' ', opts))).toBeNull();
  });

  it('rejects negatives, fractions, text and values above max', () => {
    expect(v(parseIntCell(-1, opts))).toBe('days_format');
    expect(v(parseIntCell(1.5, opts))).toBe('days_format');
    expect(v(parseIntCell('12.5', opts))).toBe('days_format');
    expect(v(parseIntCell('twelve', opts))).toBe('days_format');
    expect(v(parseIntCell(101, { ...opts, max: 100 }))).toBe('days_format');
  });
});

describe('cleanText', () => {
  it('trims and collapses whitespace, including full-width spaces, tabs and line breaks', () => {
    expect(v(cleanText('  福建省\u3000泉州市\t鲤城区\r\n  1号  ', 100))).toBe('福建省 泉州市 鲤城区 1号');
    expect(v(cleanText(undefined, 10))).toBe('');
    expect(v(cleanText(12345, 10))).toBe('12345');
  });

  it('rejects control characters and non-text values', () => {
    expect(v(cleanText('a\u0000b', 10))).toBe('text_control_chars');
    expect(v(cleanText('a\u001bb', 10))).toBe('text_control_chars');
    for (const bidi of ['\u202e', '\u202a', '\u2066', '\u2069', '\u200f', '\u061c'])
      expect(v(cleanText(`张${bidi}三`, 10))).toBe('text_control_chars');
    expect(v(cleanText('张\ud800三', 10))).toBe('text_control_chars');
    expect(v(cleanText({}, 10))).toBe('text_format');
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(v(cleanText('泉州'.repeat(5), 10))).toBe('泉州'.repeat(5));
    expect(v(cleanText('𠀀'.repeat(3), 3))).toBe('𠀀𠀀𠀀');
    expect(v(cleanText(`${'泉州'.repeat(5)}市`, 10))).toBe('text_too_long');
  });

  it('keeps formula-like text verbatim', () => {
    for (const s of ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1:A2)']) {
      expect(v(cleanText(s, 100))).toBe(s);
    }
  });
});

describe('csvSafe', () => {
  it('prefixes values that a spreadsheet would run as formulas', () => {
    expect(csvSafe('=1+1')).toBe("'=1+1");
    expect(csvSafe('+cmd|x')).toBe("'+cmd|x");
    expect(csvSafe('-2+3')).toBe("'-2+3");
    expect(csvSafe('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvSafe('\t=1')).toBe("'\t=1");
    expect(csvSafe('\r=1')).toBe("'\r=1");
  });

  it('leaves other values alone', () => {
    expect(csvSafe('张三')).toBe('张三');
    expect(csvSafe('a=b')).toBe('a=b');
    expect(csvSafe('')).toBe('');
  });
});

describe('parseEmailCell', () => {
  it('accepts ordinary addresses, lower-casing the domain only', () => {
    expect(v(parseEmailCell('Zhang.San@QQ.com'))).toBe('Zhang.San@qq.com');
    expect(v(parseEmailCell('li_si+loan@mail.163.com'))).toBe('li_si+loan@mail.163.com');
    expect(v(parseEmailCell('wang＠example.cn'))).toBe('wang@example.cn');
    expect(v(parseEmailCell(''))).toBeNull();
  });

  it('rejects what cannot be an address', () => {
    for (const s of ['zhang', 'zhang@', '@qq.com', 'a@@qq.com', 'a@qq', 'a..b@qq.com', 'a@-qq.com', '张三@qq.com']) {
      expect(v(parseEmailCell(s)), s).toBe('email_format');
    }
    expect(v(parseEmailCell(123))).toBe('email_format');
    expect(v(parseEmailCell(`${'a'.repeat(65)}@qq.com`))).toBe('email_format');
  });
});
