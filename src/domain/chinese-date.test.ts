import { describe, expect, it } from 'vitest';
import { chineseDate, chineseDateUpper } from './chinese-date.js';

describe('chineseDate', () => {
  it('writes Arabic numerals without leading zeros', () => {
    expect(chineseDate('2026-11-22')).toBe('2026年11月22日');
    expect(chineseDate('2024-01-05')).toBe('2024年1月5日');
  });
  it('rejects malformed or impossible dates', () => {
    expect(() => chineseDate('2026-02-30')).toThrow(RangeError);
    expect(() => chineseDate('2026/11/22')).toThrow(RangeError);
    expect(() => chineseDate('2026-1-5')).toThrow(RangeError);
    expect(() => chineseDate('')).toThrow(RangeError);
  });
});

describe('chineseDateUpper', () => {
  it('writes the court-ruling form', () => {
    expect(chineseDateUpper('2026-11-22')).toBe('二〇二六年十一月二十二日');
  });
  it('handles 〇 in years and the tens forms of months and days', () => {
    expect(chineseDateUpper('2000-01-01')).toBe('二〇〇〇年一月一日');
    expect(chineseDateUpper('2019-10-10')).toBe('二〇一九年十月十日');
    expect(chineseDateUpper('2024-12-20')).toBe('二〇二四年十二月二十日');
    expect(chineseDateUpper('2024-02-29')).toBe('二〇二四年二月二十九日');
    expect(chineseDateUpper('1999-03-31')).toBe('一九九九年三月三十一日');
  });
  it('rejects impossible dates', () => {
    expect(() => chineseDateUpper('2023-02-29')).toThrow(RangeError);
    expect(() => chineseDateUpper('2023-13-01')).toThrow(RangeError);
  });
});
