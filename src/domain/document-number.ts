/**
 * Document numbers: readable and unique, counted per issuing organisation, kind and year, e.g.
 * `闽0502-调通-2026-000123` (a court issues with its court code) or `CRED-A-催告-2026-000007`.
 */
import { numberCodeOf, type RegisteredKind } from './document-kinds.js';

const SERIAL_DIGITS = 6;
export const MAX_SERIAL = 10 ** SERIAL_DIGITS - 1;

/** Everything before the serial; numbers with the same prefix share one counter. */
export function docNoPrefix(orgCode: string, kind: RegisteredKind, year: number): string {
  return `${orgCode}-${numberCodeOf(kind)}-${year}-`;
}

export function formatDocNo(prefix: string, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_SERIAL)
    throw new RangeError(`A document serial runs from 1 to ${MAX_SERIAL}.`);
  return prefix + String(serial).padStart(SERIAL_DIGITS, '0');
}

/** The serial of `docNo` if it has `prefix`, else 0. Serials are zero-padded, so they sort as text. */
export function serialOf(docNo: string, prefix: string): number {
  if (!docNo.startsWith(prefix)) return 0;
  const tail = docNo.slice(prefix.length);
  return /^\d+$/.test(tail) ? Number(tail) : 0;
}
