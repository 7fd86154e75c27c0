import { describe, expect, it } from 'vitest';
import { dayOfWeek } from './dates.js';
import {
  addWorkingDays,
  arrangementRows,
  cnCalendar2025_2026 as cal,
  calendarFrom,
  cnCalendarRows2025_2026,
  isWorkingDay,
  isYearLoaded,
  nextWorkingDay,
  periodEnd,
  workingDayOnOrAfter,
} from './holiday-calendar.js';
import { statutoryHolidays } from './statutory-holidays.js';

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
    expect(isWorkingDay(cal, '2027-01-01')).toBe(false); // not loaded in the base, but a statutory holiday
    expect(isYearLoaded(cal, '2027-01-01')).toBe(false); // base untouched
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

describe('statutory holidays (全国年节及纪念日放假办法) for years without an arrangement', () => {
  it('agree with the State Council arrangements of 2025 and 2026: every statutory day is a day off there', () => {
    for (const year of [2025, 2026]) {
      const days = statutoryHolidays(year)!;
      expect(days).toHaveLength(13); // 2024 revision: 13 days a year
      for (const d of days) expect(cal.holidays.has(d.date), `${year} ${d.name} ${d.date}`).toBe(true);
    }
  });

  it('give 2027 its fixed and lunar days from the lunar calendar', () => {
    expect(statutoryHolidays(2027)!.map((d) => d.date)).toEqual([
      '2027-01-01',
      '2027-02-05', // 除夕
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05', // 清明
      '2027-05-01',
      '2027-05-02',
      '2027-06-09', // 端午
      '2027-09-15', // 中秋
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
  });

  it('follow the 2013 text before 2025: no 除夕, one day of 劳动节', () => {
    const days = statutoryHolidays(2024)!.map((d) => d.date);
    expect(days).toHaveLength(11);
    expect(days).not.toContain('2024-02-09'); // 除夕
    expect(days).toEqual(expect.arrayContaining(['2024-02-10', '2024-04-04', '2024-06-10', '2024-09-17']));
    expect(days).not.toContain('2024-05-02');
  });

  it('cover no year before the 2013 text took effect', () => {
    expect(statutoryHolidays(2013)).toBeNull();
  });

  it('make 2027-01-01 a day off although 2027 is not loaded, and say the year is not loaded', () => {
    expect(isYearLoaded(cal, '2027-01-01')).toBe(false);
    expect(isYearLoaded(cal, '2026-01-01')).toBe(true);
    expect(isWorkingDay(cal, '2027-01-01')).toBe(false); // Friday, 元旦
    expect(isWorkingDay(cal, '2027-02-08')).toBe(false); // Monday, 正月初三
    expect(isWorkingDay(cal, '2027-02-09')).toBe(true);
    expect(periodEnd(cal, '2026-12-02', 30)).toBe('2027-01-04');
  });

  it('yield to a loaded arrangement: a loaded year uses its own rows only', () => {
    const loaded = calendarFrom([{ date: '2027-01-01', kind: 'holiday' }], cal);
    expect(isYearLoaded(loaded, '2027-06-09')).toBe(true);
    expect(isWorkingDay(loaded, '2027-06-09')).toBe(true); // 端午 is not in this (partial) arrangement
  });
});

describe('arrangementRows: a year uploaded by an admin', () => {
  const good = {
    holidays: [
      { from: '2027-01-01', to: '2027-01-03', name: '元旦' },
      { from: '2027-02-05', to: '2027-02-12', name: '春节' },
    ],
    workdays: ['2027-02-20'],
  };

  it('turns blocks and workdays into calendar rows', () => {
    const r = arrangementRows(2027, good);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.rows.filter((x) => x.kind === 'holiday')).toHaveLength(11);
      expect(r.rows.filter((x) => x.kind === 'workday')).toEqual([{ date: '2027-02-20', kind: 'workday' }]);
    }
  });

  it('lists every problem: malformed, outside the year, reversed, overlapping, a weekday as workday', () => {
    const r = arrangementRows(2027, {
      holidays: [
        { from: '2027-02-30', to: '2027-03-01', name: '坏日期' },
        { from: '2026-12-31', to: '2027-01-01', name: '跨年' },
        { from: '2027-05-05', to: '2027-05-01', name: '倒序' },
        { from: '2027-10-01', to: '2027-10-07', name: '国庆' },
        { from: '2027-10-06', to: '2027-10-08', name: '重叠' },
      ],
      workdays: ['2027-10-07', '2027-03-03'],
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems).toEqual([
        { field: '/holidays/0/from', message: '"2027-02-30" is not a real YYYY-MM-DD date' },
        { field: '/holidays/1/from', message: '2026-12-31 is not in 2027' },
        { field: '/holidays/2', message: 'the block ends (2027-05-01) before it starts (2027-05-05)' },
        { field: '/holidays/4', message: '2027-10-06 is already in holiday 国庆' },
        { field: '/holidays/4', message: '2027-10-07 is already in holiday 国庆' },
        { field: '/workdays/0', message: '2027-10-07 is a weekday, so it cannot be a make-up workday' },
        { field: '/workdays/0', message: '2027-10-07 is already in holiday 国庆' },
        { field: '/workdays/1', message: '2027-03-03 is a weekday, so it cannot be a make-up workday' },
      ]);
  });

  it('needs at least one holiday', () => {
    expect(arrangementRows(2027, { holidays: [], workdays: [] })).toMatchObject({ ok: false });
  });
});
