import { describe, expect, it } from 'vitest';
import { dayOfWeek } from './dates.js';
import {
  addWorkingDays,
  cnCalendar2025_2026 as cal,
  calendarFrom,
  cnCalendarRows2025_2026,
  isWorkingDay,
  nextWorkingDay,
  periodEnd,
  workingDayOnOrAfter,
} from './holiday-calendar.js';

const empty = calendarFrom([]);

describe('isWorkingDay', () => {
  it('treats weekends as non-working and weekdays as working', () => {
    expect(isWorkingDay(empty, '2025-03-07')).toBe(true); // Friday
    expect(isWorkingDay(empty, '2025-03-08')).toBe(false); // Saturday
    expect(isWorkingDay(empty, '2025-03-09')).toBe(false); // Sunday
  });

  it('applies holidays and make-up workdays', () => {
    expect(isWorkingDay(cal, '2025-10-08')).toBe(false); // Wednesday, National Day holiday
    expect(isWorkingDay(cal, '2025-10-11')).toBe(true); // Saturday, make-up workday
    expect(isWorkingDay(cal, '2026-02-23')).toBe(false); // Monday, Spring Festival
    expect(isWorkingDay(cal, '2026-01-04')).toBe(true); // Sunday, make-up workday
  });
});

describe('seed data', () => {
  it('lists only weekend days as make-up workdays', () => {
    for (const d of cal.makeupWorkdays) expect([0, 6]).toContain(dayOfWeek(d));
  });

  it('holds the expected number of days off per year', () => {
    // 2025: 1+8+3+5+3+8 = 28 listed days; 2026: 3+9+3+5+3+3+7 = 33.
    expect([...cal.holidays].filter((d) => d.startsWith('2025')).length).toBe(28);
    expect([...cal.holidays].filter((d) => d.startsWith('2026')).length).toBe(33);
    expect(cnCalendarRows2025_2026.filter((r) => r.kind === 'workday').length).toBe(11);
  });
});

describe('calendarFrom', () => {
  it('extends a base calendar with new rows', () => {
    const next = calendarFrom([{ date: '2027-01-01', kind: 'holiday' }], cal);
    expect(isWorkingDay(next, '2027-01-01')).toBe(false);
    expect(isWorkingDay(next, '2025-10-01')).toBe(false);
    expect(isWorkingDay(cal, '2027-01-01')).toBe(true); // base untouched (Friday)
  });

  it('rejects invalid and conflicting rows', () => {
    expect(() => calendarFrom([{ date: '2025-02-30', kind: 'holiday' }])).toThrow(RangeError);
    expect(() =>
      calendarFrom([
        { date: '2025-05-01', kind: 'holiday' },
        { date: '2025-05-01', kind: 'workday' },
      ]),
    ).toThrow(/both/);
  });
});

describe('next / add working days', () => {
  it('skips a weekend', () => {
    expect(nextWorkingDay(empty, '2025-03-07')).toBe('2025-03-10');
    expect(workingDayOnOrAfter(empty, '2025-03-07')).toBe('2025-03-07');
  });

  it('skips a holiday block and lands on a make-up Saturday', () => {
    expect(nextWorkingDay(cal, '2025-09-30')).toBe('2025-10-09');
    expect(addWorkingDays(cal, '2025-10-09', 2)).toBe('2025-10-11');
  });

  it('counts three working days over a weekend', () => {
    expect(addWorkingDays(cal, '2025-03-06', 3)).toBe('2025-03-11'); // Thu → Tue
    expect(addWorkingDays(cal, '2025-03-06', 0)).toBe('2025-03-06');
    expect(() => addWorkingDays(cal, '2025-03-06', -1)).toThrow(RangeError);
  });
});

describe('periodEnd (CPL art. 85)', () => {
  it('does not count the start day', () => {
    expect(periodEnd(cal, '2025-03-03', 15)).toBe('2025-03-18'); // Tuesday
  });

  it('moves an end on a weekend to Monday', () => {
    expect(periodEnd(cal, '2025-03-01', 14)).toBe('2025-03-17'); // ends Sat 03-15
  });

  it('moves an end inside a holiday to the first working day after it', () => {
    // 2025-09-05 + 30 = 2025-10-05, inside the National Day block → Thursday 10-09.
    expect(periodEnd(cal, '2025-09-05', 30)).toBe('2025-10-09');
    // 2026-01-22 + 30 = 2026-02-21 (Spring Festival) → Tuesday 02-24.
    expect(periodEnd(cal, '2026-01-22', 30)).toBe('2026-02-24');
  });

  it('keeps an end on a make-up Saturday', () => {
    expect(periodEnd(cal, '2026-01-29', 30)).toBe('2026-02-28');
  });
});
