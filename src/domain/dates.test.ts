import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  compareDates,
  dayOfWeek,
  diffDays,
  fromDayNumber,
  isValidIsoDate,
  maxDate,
  minDate,
  parseIsoDate,
  shanghaiDate,
  shanghaiDateTime,
  shanghaiHour,
  shanghaiHourUtc,
  shanghaiMidnightUtc,
  toDayNumber,
} from './dates.js';

describe('parseIsoDate / isValidIsoDate', () => {
  it('accepts real dates and trims input', () => {
    expect(parseIsoDate(' 2024-02-29 ')).toEqual({ ok: true, value: '2024-02-29' });
    expect(isValidIsoDate('2000-02-29')).toBe(true);
  });

  it('rejects impossible or malformed dates', () => {
    for (const bad of [
      '2023-02-29',
      '1900-02-29',
      '2024-13-01',
      '2024-04-31',
      '2024-1-01',
      '20240101',
      '',
      '2024-00-10',
    ]) {
      expect(isValidIsoDate(bad)).toBe(false);
      const r = parseIsoDate(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('date_invalid');
    }
  });
});

describe('day numbers', () => {
  it('matches the epoch and round-trips', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('2000-03-01')).toBe(11017);
    expect(fromDayNumber(-1)).toBe('1969-12-31');
    for (let n = -800; n < 30000; n += 37) expect(toDayNumber(fromDayNumber(n))).toBe(n);
  });

  it('agrees with Date.UTC over several years', () => {
    for (let n = 18000; n < 21000; n++) {
      expect(fromDayNumber(n)).toBe(new Date(n * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('knows the weekday', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('2025-01-04')).toBe(6); // Saturday
    expect(dayOfWeek('2025-01-05')).toBe(0); // Sunday
  });

  it('throws on invalid input', () => {
    expect(() => toDayNumber('2025-02-30')).toThrow(RangeError);
  });
});

describe('adding', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-01-10', 30)).toBe('2025-02-09');
  });

  it('clamps months to the month end', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
  });

  it('moves Feb 29 to Feb 28 in non-leap years', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2022-06-30', 3)).toBe('2025-06-30');
  });

  it('diffDays is b − a', () => {
    expect(diffDays('2025-01-01', '2025-03-01')).toBe(59);
    expect(diffDays('2025-03-01', '2025-01-01')).toBe(-59);
  });
});

describe('Shanghai time', () => {
  it('gives the wall time eight hours ahead of UTC, across midnight', () => {
    expect(shanghaiDateTime(new Date('2025-03-01T15:59:59Z'))).toBe('2025-03-01 23:59:59');
    expect(shanghaiDateTime(new Date('2025-03-01T16:00:00Z'))).toBe('2025-03-02 00:00:00');
  });
  it('rolls the date at 16:00 UTC', () => {
    expect(shanghaiDate(new Date('2025-03-01T15:59:59Z'))).toBe('2025-03-01');
    expect(shanghaiDate(new Date('2025-03-01T16:00:00Z'))).toBe('2025-03-02');
  });

  it('gives the local hour', () => {
    expect(shanghaiHour(new Date('2025-03-01T13:59:00Z'))).toBe(21);
    expect(shanghaiHour(new Date('2025-03-01T14:00:00Z'))).toBe(22);
    expect(shanghaiHour(new Date('2025-03-01T23:59:00Z'))).toBe(7);
    expect(shanghaiHour(new Date('1969-12-31T20:00:00Z'))).toBe(4);
  });

  it('finds Shanghai midnight and hours in UTC', () => {
    expect(shanghaiMidnightUtc('2025-03-02').toISOString()).toBe('2025-03-01T16:00:00.000Z');
    expect(shanghaiHourUtc('2025-03-02', 8).toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(shanghaiDate(shanghaiMidnightUtc('2026-02-28'))).toBe('2026-02-28');
  });
});

describe('compare / max / min', () => {
  it('orders dates', () => {
    expect(compareDates('2025-01-01', '2025-01-02')).toBe(-1);
    expect(compareDates('2025-01-02', '2025-01-02')).toBe(0);
    expect(compareDates('2025-01-03', '2025-01-02')).toBe(1);
    expect(maxDate('2024-05-01', '2025-01-01', '2023-12-31')).toBe('2025-01-01');
    expect(minDate('2024-05-01', '2025-01-01', '2023-12-31')).toBe('2023-12-31');
    expect(maxDate('2024-05-01')).toBe('2024-05-01');
  });
});
