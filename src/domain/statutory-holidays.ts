// The statutory holidays of the national rules (全国年节及纪念日放假办法), for years whose State Council
// arrangement is not loaded (issue 15 item 7). The arrangement adds bridge days and make-up workdays
// each year, so these days are a floor: a deadline never counts a statutory holiday as a working day,
// and the server warns while an open deadline falls in a year without its arrangement.
// Lunar dates and the 清明 solar term come from lunar-typescript (6tail), not from a table of ours.
import { Lunar, Solar } from 'lunar-typescript';

export type StatutoryHoliday = { date: string; name: string };

/**
 * Which text of the rules governs a year. 2013 revision (in force 2014-01-01): 春节 正月初一至初三,
 * 劳动节 5月1日. 2024 revision (国务院令第798号, in force 2025-01-01): 春节 adds 农历除夕, 劳动节 adds
 * 5月2日. Both keep 元旦 1月1日, 清明 (the solar term's day), 端午 (五月初五), 中秋 (八月十五) and
 * 国庆 10月1日至3日. Earlier texts are not modelled: before 2014 no year is covered.
 */
export const STATUTORY_RULES_FROM_YEAR = 2014;
const REVISION_2024_FROM_YEAR = 2025;
/** lunar-typescript's range of lunar years it converts. */
const LAST_COVERED_YEAR = 2100;

const iso = (s: Solar): string => s.toYmd();

const memo = new Map<number, readonly StatutoryHoliday[] | null>();

/** The statutory holidays of a Gregorian year, in date order; null when the modelled rules do not cover it. */
export function statutoryHolidays(year: number): readonly StatutoryHoliday[] | null {
  if (!Number.isInteger(year)) throw new RangeError(`year must be an integer: ${year}`);
  if (year < STATUTORY_RULES_FROM_YEAR || year > LAST_COVERED_YEAR) return null;
  const cached = memo.get(year);
  if (cached !== undefined) return cached;
  const revised = year >= REVISION_2024_FROM_YEAR;
  const newYear = Lunar.fromYmd(year, 1, 1);
  const days: StatutoryHoliday[] = [
    { date: `${year}-01-01`, name: '元旦' },
    ...(revised ? [{ date: iso(newYear.next(-1).getSolar()), name: '春节（除夕）' }] : []),
    ...[0, 1, 2].map((n) => ({ date: iso(newYear.next(n).getSolar()), name: '春节' })),
    { date: iso(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()['清明']!), name: '清明节' },
    { date: `${year}-05-01`, name: '劳动节' },
    ...(revised ? [{ date: `${year}-05-02`, name: '劳动节' }] : []),
    { date: iso(Lunar.fromYmd(year, 5, 5).getSolar()), name: '端午节' },
    { date: iso(Lunar.fromYmd(year, 8, 15).getSolar()), name: '中秋节' },
    ...[1, 2, 3].map((d) => ({ date: `${year}-10-0${d}`, name: '国庆节' })),
  ];
  // A mid-autumn on 10-01..03 is one day off, not two.
  const byDate = new Map(days.map((d) => [d.date, d]));
  const result = Object.freeze([...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)));
  memo.set(year, result);
  return result;
}

/** True when the date is a statutory holiday of its year's rules. */
export function isStatutoryHoliday(date: string): boolean {
  const days = statutoryHolidays(Number(date.slice(0, 4)));
  return days?.some((d) => d.date === date) ?? false;
}
