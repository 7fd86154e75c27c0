// Working-day calendar for CPL art. 85 period counting (DOMAIN §4.5). The official holiday and
// make-up workday arrangement is published by the State Council each November for the next year,
// so the app stores it as data rows that an admin extends every year; the table below is only the
// seed for 2025 and 2026. A year without its arrangement still keeps the statutory holidays of the
// national rules (statutory-holidays.ts), so no deadline counts 1 January as a working day.
import { addDays, dayOfWeek, fromDayNumber, isValidIsoDate, toDayNumber } from './dates.js';
import { isStatutoryHoliday } from './statutory-holidays.js';

export type HolidayCalendar = {
  holidays: ReadonlySet<string>;
  makeupWorkdays: ReadonlySet<string>;
  /** Years whose State Council arrangement is loaded; other years fall back to the statutory holidays. */
  loadedYears: ReadonlySet<number>;
};

/** One stored calendar row: a day off (holiday) or a weekend day worked instead (workday). */
export type CalendarRow = { date: string; kind: 'holiday' | 'workday' };

// A year of consecutive non-working days is impossible; the bound turns a corrupt calendar into
// an error instead of an endless loop.
const MAX_SCAN_DAYS = 366;

/**
 * Builds a calendar from rows, optionally on top of an existing one; throws on bad or conflicting rows.
 * A year with at least one row counts as loaded: every arrangement lists 元旦 at least.
 */
export function calendarFrom(rows: Iterable<CalendarRow>, base?: HolidayCalendar): HolidayCalendar {
  const holidays = new Set(base?.holidays ?? []);
  const makeupWorkdays = new Set(base?.makeupWorkdays ?? []);
  const loadedYears = new Set(base?.loadedYears ?? []);
  for (const row of rows) {
    if (!isValidIsoDate(row.date))
      throw new RangeError(`calendar row has an invalid date: ${JSON.stringify(row.date)}`);
    if (row.kind === 'holiday') holidays.add(row.date);
    else if (row.kind === 'workday') makeupWorkdays.add(row.date);
    else throw new RangeError(`calendar row has an unknown kind: ${JSON.stringify((row as { kind: unknown }).kind)}`);
    loadedYears.add(yearOf(row.date));
  }
  for (const d of holidays) {
    if (makeupWorkdays.has(d)) throw new RangeError(`${d} is both a holiday and a make-up workday`);
  }
  return { holidays, makeupWorkdays, loadedYears };
}

const yearOf = (date: string): number => Number(date.slice(0, 4));

/**
 * True when courts and offices work that day: weekdays that are not holidays, plus make-up workdays.
 * In a year whose arrangement is not loaded, the statutory holidays are days off too.
 */
export function isWorkingDay(cal: HolidayCalendar, date: string): boolean {
  if (cal.holidays.has(date)) return false;
  if (cal.makeupWorkdays.has(date)) return true;
  const dow = dayOfWeek(date);
  if (dow === 0 || dow === 6) return false;
  return cal.loadedYears.has(yearOf(date)) || !isStatutoryHoliday(date);
}

/** Whether the arrangement of the date's year is loaded: a deadline in another year rests on the fallback. */
export const isYearLoaded = (cal: HolidayCalendar, date: string): boolean => cal.loadedYears.has(yearOf(date));

/** The first working day on or after the date. */
export function workingDayOnOrAfter(cal: HolidayCalendar, date: string): string {
  let n = toDayNumber(date);
  for (let i = 0; i <= MAX_SCAN_DAYS; i++, n++) {
    const d = fromDayNumber(n);
    if (isWorkingDay(cal, d)) return d;
  }
  throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days of ${date}`);
}

/** The first working day strictly after the date. */
export function nextWorkingDay(cal: HolidayCalendar, date: string): string {
  return workingDayOnOrAfter(cal, addDays(date, 1));
}

/** The date n working days after the given date (the date itself is not counted; n = 0 returns it). */
export function addWorkingDays(cal: HolidayCalendar, date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer: ${n}`);
  let d = date;
  for (let i = 0; i < n; i++) d = nextWorkingDay(cal, d);
  return d;
}

/**
 * Last day of a period of `days` days starting on `start`, per CPL art. 85: the start day is not
 * counted, so the period ends on start + days; an end on a weekend or holiday moves to the next working day.
 */
export function periodEnd(cal: HolidayCalendar, start: string, days: number): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`period days must be a non-negative integer: ${days}`);
  return workingDayOnOrAfter(cal, addDays(start, days));
}

function range(kind: CalendarRow['kind'], from: string, to: string): CalendarRow[] {
  const rows: CalendarRow[] = [];
  for (let n = toDayNumber(from); n <= toDayNumber(to); n++) rows.push({ date: fromDayNumber(n), kind });
  return rows;
}

const holidayRange = (from: string, to: string): CalendarRow[] => range('holiday', from, to);
const workday = (date: string): CalendarRow => ({ date, kind: 'workday' });

/**
 * State Council arrangements: 国办发明电〔2024〕12号 (2025, issued 2024-11-12) and the 2026 notice
 * issued 2025-11-04. Every day of each 放假调休 block is listed as a holiday, including weekend days
 * inside it, which changes nothing for counting but keeps the rows a literal copy of the notice.
 */
export const cnCalendarRows2025_2026: readonly CalendarRow[] = Object.freeze([
  // 2025
  ...holidayRange('2025-01-01', '2025-01-01'), // 元旦
  ...holidayRange('2025-01-28', '2025-02-04'), // 春节
  workday('2025-01-26'),
  workday('2025-02-08'),
  ...holidayRange('2025-04-04', '2025-04-06'), // 清明节
  ...holidayRange('2025-05-01', '2025-05-05'), // 劳动节
  workday('2025-04-27'),
  ...holidayRange('2025-05-31', '2025-06-02'), // 端午节
  ...holidayRange('2025-10-01', '2025-10-08'), // 国庆节、中秋节
  workday('2025-09-28'),
  workday('2025-10-11'),
  // 2026
  ...holidayRange('2026-01-01', '2026-01-03'), // 元旦
  workday('2026-01-04'),
  ...holidayRange('2026-02-15', '2026-02-23'), // 春节
  workday('2026-02-14'),
  workday('2026-02-28'),
  ...holidayRange('2026-04-04', '2026-04-06'), // 清明节
  ...holidayRange('2026-05-01', '2026-05-05'), // 劳动节
  workday('2026-05-09'),
  ...holidayRange('2026-06-19', '2026-06-21'), // 端午节
  ...holidayRange('2026-09-25', '2026-09-27'), // 中秋节
  ...holidayRange('2026-10-01', '2026-10-07'), // 国庆节
  workday('2026-09-20'),
  workday('2026-10-10'),
]);

/** Seed calendar for 2025-2026; later years must be added as data via calendarFrom. */
export const cnCalendar2025_2026: HolidayCalendar = calendarFrom(cnCalendarRows2025_2026);

/** A year's State Council arrangement as an admin sends it: holiday blocks and make-up workdays. */
export type YearArrangement = {
  holidays: readonly { from: string; to: string; name: string }[];
  workdays: readonly string[];
};

export type ArrangementProblem = { field: string; message: string };

/**
 * Checks an uploaded arrangement for `year` and turns it into calendar rows: every date real and in
 * the year, blocks in order and not overlapping, a make-up workday on a weekend and outside every block.
 * All problems are listed at once; no rows come back unless there are none.
 */
export function arrangementRows(
  year: number,
  input: YearArrangement,
): { ok: true; rows: CalendarRow[] } | { ok: false; problems: ArrangementProblem[] } {
  const problems: ArrangementProblem[] = [];
  const inYear = (field: string, date: string): boolean => {
    if (!isValidIsoDate(date))
      problems.push({ field, message: `${JSON.stringify(date)} is not a real YYYY-MM-DD date` });
    else if (yearOf(date) !== year) problems.push({ field, message: `${date} is not in ${year}` });
    else return true;
    return false;
  };
  const taken = new Map<string, string>();
  const rows: CalendarRow[] = [];
  input.holidays.forEach((block, i) => {
    const field = `/holidays/${i}`;
    if (!inYear(`${field}/from`, block.from) || !inYear(`${field}/to`, block.to)) return;
    if (block.from > block.to) {
      problems.push({ field, message: `the block ends (${block.to}) before it starts (${block.from})` });
      return;
    }
    for (const row of holidayRange(block.from, block.to)) {
      const other = taken.get(row.date);
      if (other) problems.push({ field, message: `${row.date} is already in ${other}` });
      else taken.set(row.date, `holiday ${block.name || i}`);
      rows.push(row);
    }
  });
  input.workdays.forEach((date, i) => {
    const field = `/workdays/${i}`;
    if (!inYear(field, date)) return;
    const dow = dayOfWeek(date);
    if (dow !== 0 && dow !== 6)
      problems.push({ field, message: `${date} is a weekday, so it cannot be a make-up workday` });
    const other = taken.get(date);
    if (other) problems.push({ field, message: `${date} is already in ${other}` });
    else taken.set(date, 'the make-up workdays');
    rows.push(workday(date));
  });
  if (!rows.some((r) => r.kind === 'holiday')) problems.push({ field: '/holidays', message: 'lists no holiday' });
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}
