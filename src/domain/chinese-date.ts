/**
 * Dates as written on Chinese legal documents.
 */

const UPPER_DIGITS = '〇一二三四五六七八九';

/** Splits a strict YYYY-MM-DD string into numbers, throwing on anything that is not a real date. */
function splitIsoDate(iso: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  const d = Number(m?.[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC maps years 0-99 to 1900+; such years are not expected on legal documents anyway.
  if (!m || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) {
    throw new RangeError('Expected a real calendar date in YYYY-MM-DD form');
  }
  return [y, mo, d];
}

/** Writes 1..31 in Chinese numerals as used in dates: 十, 十一, 二十, 三十一. */
function smallNumberUpper(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const tensPart = tens === 0 ? '' : tens === 1 ? '十' : `${UPPER_DIGITS[tens]}十`;
  return tensPart + (ones === 0 ? '' : (UPPER_DIGITS[ones] ?? ''));
}

/** Formats 2026-11-22 as "2026年11月22日" (Arabic numerals, common on modern documents). */
export function chineseDate(iso: string): string {
  const [y, m, d] = splitIsoDate(iso);
  return `${y}年${m}月${d}日`;
}

/** Formats 2026-11-22 as "二〇二六年十一月二十二日" (the form used on court rulings). */
export function chineseDateUpper(iso: string): string {
  const [y, m, d] = splitIsoDate(iso);
  const year = [...String(y)].map((c) => UPPER_DIGITS[Number(c)] ?? '').join('');
  return `${year}年${smallNumberUpper(m)}月${smallNumberUpper(d)}日`;
}
