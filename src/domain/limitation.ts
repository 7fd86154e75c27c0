// Limitation period (诉讼时效, DOMAIN §3). Only the debtor can raise limitation (art. 193), so this
// module only warns creditors; it never blocks or reduces a claim by itself.
import { addYears, compareDates, diffDays, maxDate } from './dates.js';
import { type HolidayCalendar, workingDayOnOrAfter } from './holiday-calendar.js';

/** Civil Code art. 188 general limitation period (high). */
export const LIMITATION_YEARS = 3;
/** Period to apply for enforcement, CPL art. 246 (2021) / 250 (2023) (high for the 2 years). */
export const ENFORCEMENT_APPLICATION_YEARS = 2;
/** Design default: warn this many days before expiry (not a legal rule). */
export const LIMITATION_WARN_DAYS = 90;

export type LimitationInput = {
  dueDate: string;
  /** Instalment loans: the period runs from the last instalment's due date (art. 189). */
  lastInstalmentDueDate?: string;
  /** A valid acceleration restarts the clock from that day in many courts (art. 189 practice; medium). */
  accelerationDate?: string;
  /** Dates of interrupting events (art. 195): delivered demands, payments, promises, mediation filings, suits. */
  interruptions: readonly string[];
};

export type LimitationStatus = 'running' | 'expiring_soon' | 'expired';

/** The day the period started running before any interruption: acceleration, else last instalment, else due date. */
export function limitationBaseStart(input: LimitationInput): string {
  return input.accelerationDate ?? input.lastInstalmentDueDate ?? input.dueDate;
}

/**
 * Last day of the limitation period: the latest of the base start and the interruptions, plus 3 years.
 * Counting from the due date itself (not the day after) and ignoring the art. 203 holiday extension
 * both make the date err early, which is the safe side for a warning.
 */
export function limitationExpiresOn(input: LimitationInput): string {
  const start = maxDate(limitationBaseStart(input), ...input.interruptions);
  return addYears(start, LIMITATION_YEARS);
}

/** 'expired' after the last day, 'expiring_soon' within warnDays of it, else 'running'. */
export function limitationStatus(
  expiresOn: string,
  asOf: string,
  warnDays: number = LIMITATION_WARN_DAYS,
): LimitationStatus {
  const left = diffDays(asOf, expiresOn);
  if (left < 0) return 'expired';
  return left <= warnDays ? 'expiring_soon' : 'running';
}

/** True when the period has expired and no interruption was logged after the base start, so nothing argues it still runs. */
export function plainlyExpired(input: LimitationInput, asOf: string): boolean {
  const base = limitationBaseStart(input);
  const interruptedAfterStart = input.interruptions.some((d) => compareDates(d, base) > 0);
  return !interruptedAfterStart && limitationStatus(limitationExpiresOn(input), asOf) === 'expired';
}

/**
 * Last day to apply for enforcement: 2 years after the last day of performance. With a calendar,
 * an end on a weekend or holiday moves to the next working day (CPL art. 85).
 */
export function enforcementApplicationDeadline(performanceEnd: string, cal?: HolidayCalendar): string {
  const end = addYears(performanceEnd, ENFORCEMENT_APPLICATION_YEARS);
  return cal ? workingDayOnOrAfter(cal, end) : end;
}
