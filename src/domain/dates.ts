// Calendar dates are 'YYYY-MM-DD' strings; arithmetic goes through integer day numbers
// (days since 1970-01-01) so nothing here ever depends on the host's local time zone.
// China has one zone, UTC+8 with no DST, so Shanghai wall time is plain arithmetic.

export const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
/** Asia/Shanghai offset from UTC; fixed since 1991 (no DST), so no tz database is needed. */
export const SHANGHAI_OFFSET_MS = 8 * MS_PER_HOUR;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type ParsedIsoDate = { ok: true; value: string } | { ok: false; code: 'date_invalid'; detail: string };

type Ymd = { y: number; m: number; d: number };

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Number of days in month m (1-12) of year y. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function splitDate(s: string): Ymd | null {
  const match = ISO_DATE.exec(s);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  // Years before 1000 are never business dates; rejecting them keeps the 4-digit format unambiguous.
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

function requireYmd(s: string): Ymd {
  const ymd = splitDate(s);
  if (!ymd) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(s)}`);
  return ymd;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatYmd({ y, m, d }: Ymd): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Checks a raw string (trimmed) is a real calendar date in YYYY-MM-DD form. */
export function parseIsoDate(s: string): ParsedIsoDate {
  const trimmed = s.trim();
  if (splitDate(trimmed)) return { ok: true, value: trimmed };
  return { ok: false, code: 'date_invalid', detail: `expected a real date as YYYY-MM-DD, got ${JSON.stringify(s)}` };
}

/** True when s is exactly a real calendar date in YYYY-MM-DD form (no trimming). */
export function isValidIsoDate(s: string): boolean {
  return splitDate(s) !== null;
}

/** Days since 1970-01-01 for a date (H. Hinnant's days_from_civil, integer-only). */
export function toDayNumber(s: string): number {
  const { y: y0, m, d } = requireYmd(s);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date for a day number (inverse of toDayNumber). */
export function fromDayNumber(n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`day number must be an integer: ${n}`);
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return formatYmd({ y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d });
}

/** Day of week, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(s: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(s) + 4) % 7) + 7) % 7;
}

/** d plus n calendar days (n may be negative). */
export function addDays(d: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer: ${n}`);
  return fromDayNumber(toDayNumber(d) + n);
}

/** d plus n months; a day past the target month's end is clamped to that month's last day. */
export function addMonths(d: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`months must be an integer: ${n}`);
  const { y, m, d: day } = requireYmd(d);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return formatYmd({ y: ny, m: nm, d: Math.min(day, daysInMonth(ny, nm)) });
}

/** d plus n years; Feb 29 becomes Feb 28 in a non-leap target year (Civil Code art. 202: month end). */
export function addYears(d: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`years must be an integer: ${n}`);
  return addMonths(d, n * 12);
}

/** b − a in days (positive when b is later). */
export function diffDays(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** Shanghai (UTC+8) calendar date of an instant. */
export function shanghaiDate(instant: Date): string {
  return fromDayNumber(Math.floor((instantMs(instant) + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** Shanghai (UTC+8) hour of day, 0-23, of an instant. */
export function shanghaiHour(instant: Date): number {
  const msOfDay = (((instantMs(instant) + SHANGHAI_OFFSET_MS) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  return Math.floor(msOfDay / MS_PER_HOUR);
}

/** Shanghai (UTC+8) wall time of an instant, `2026-11-20 10:00:00`. */
export function shanghaiDateTime(instant: Date): string {
  return new Date(instantMs(instant) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The UTC instant of 00:00 Shanghai time on the given date. */
export function shanghaiMidnightUtc(date: string): Date {
  return new Date(toDayNumber(date) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

/** The UTC instant of hour:00 Shanghai time on the given date. */
export function shanghaiHourUtc(date: string, hour: number): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour must be 0-23: ${hour}`);
  return new Date(shanghaiMidnightUtc(date).getTime() + hour * MS_PER_HOUR);
}

/** −1, 0 or 1 as a is before, equal to or after b. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const diff = toDayNumber(a) - toDayNumber(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** The latest of one or more dates. */
export function maxDate(first: string, ...rest: string[]): string {
  let best = first;
  requireYmd(best);
  for (const d of rest) if (compareDates(d, best) > 0) best = d;
  return best;
}

/** The earliest of one or more dates. */
export function minDate(first: string, ...rest: string[]): string {
  let best = first;
  requireYmd(best);
  for (const d of rest) if (compareDates(d, best) < 0) best = d;
  return best;
}

function instantMs(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return ms;
}
