import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatFen, formatLongDate, formatRate } from './format';

describe('page formats', () => {
  it('writes fen as yuan with a thousands separator and two decimals', () => {
    expect(formatFen(123456)).toBe('¥1,234.56');
    expect(formatFen(3339900)).toBe('¥33,399.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(-150)).toBe('-¥1.50');
    expect(formatFen(123456789012)).toBe('¥1,234,567,890.12');
  });

  it('writes dates as Chinese users expect, instants in Shanghai time', () => {
    expect(formatDate('2026-12-06')).toBe('2026-12-06');
    // 17:30 UTC is already the next day in Shanghai.
    expect(formatDate('2026-12-05T17:30:00.000Z')).toBe('2026-12-06');
    expect(formatLongDate('2026-12-06')).toBe('2026年12月6日');
    expect(formatDateTime('2026-12-05T17:30:00.000Z')).toBe('2026-12-06 01:30');
    expect(formatDate(null)).toBe('');
  });

  it('writes basis points as a percentage', () => {
    expect(formatRate(2350)).toBe('23.50%');
    expect(formatRate(null)).toBe('');
  });
});
