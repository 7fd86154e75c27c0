// Limitation period (诉讼时效, DOMAIN §3). Only the debtor can raise limitation (art. 193), so this
// module only tells creditors where a claim stands; it never blocks or reduces a claim by itself.
import { addYears, compareDates, diffDays, minDate } from './dates.js';
import type { DocumentKind } from './document-kinds.js';
import { type HolidayCalendar, workingDayOnOrAfter } from './holiday-calendar.js';

/** Civil Code art. 188 general limitation period (high). */
export const LIMITATION_YEARS = 3;
/** Civil Code art. 188: no protection 20 years after the right was harmed (high). */
export const ABSOLUTE_LIMITATION_YEARS = 20;
/** Period to apply for enforcement, CPL art. 246 (2021) / 250 (2023) (high for the 2 years). */
export const ENFORCEMENT_APPLICATION_YEARS = 2;
/** Design default: warn this many days before expiry (not a legal rule). */
export const LIMITATION_WARN_DAYS = 90;

/**
 * Events that interrupt the period (art. 195), each with the rule that makes it one:
 * - demand_served: a demand that reaches or should reach the debtor (SPC limitation provisions art. 8),
 *   counted from the day of the delivery receipt or of deemed service;
 * - payment and acknowledgement (an agreement, a statement of means, a plan proposal): the obligor
 *   agrees to perform (art. 195 item 2; SPC art. 14: part payment, a repayment plan);
 * - mediation_application: a request to a people's mediation committee (SPC art. 12, medium), counted
 *   from the day of the request;
 * - suit: the right-holder sues (art. 195 item 3), counted from the filing.
 */
export const INTERRUPTION_KINDS = [
  'demand_served',
  'payment',
  'acknowledgement',
  'mediation_application',
  'suit',
] as const;
export type InterruptionKind = (typeof INTERRUPTION_KINDS)[number];

/**
 * The document whose service is the right-holder's demand (SPC art. 8). Notices the mediation
 * organisation issues are left out: counting one a court might not accept would show a later expiry
 * than the law gives, the unsafe side for a creditor's warning.
 */
const DEMAND_DOCUMENT_KINDS: ReadonlySet<string> = new Set<DocumentKind>(['demand_letter']);
export const isDemandDocument = (kind: string): boolean => DEMAND_DOCUMENT_KINDS.has(kind);

export type Interruption = {
  kind: InterruptionKind;
  on: string;
  /** The claim event that recorded it, shown with the expiry date. */
  eventSeq?: number;
};

/** Where the period was last counted from: the claim's own start, or an interruption. */
export type LimitationStart = { kind: 'due_date' | 'last_instalment' | 'acceleration'; on: string } | Interruption;

export type LimitationInput = {
  dueDate: string;
  /** Instalment loans: the period runs from the last instalment's due date (art. 189). */
  lastInstalmentDueDate?: string;
  /** A valid acceleration restarts the clock from that day in many courts (art. 189 practice; medium). */
  accelerationDate?: string;
  interruptions: readonly Interruption[];
};

export type Limitation = {
  /** Last day of the period: 3 years from `countedFrom`, never past the 20-year limit, moved off a holiday (art. 203). */
  expiresOn: string;
  countedFrom: LimitationStart;
  /** Last day of the 20-year limit counted from the claim's own start (art. 188). */
  absoluteLimitOn: string;
  /**
   * The debtor agreed to perform (a payment or an acknowledgement) after the period ran, so the
   * defence is gone (art. 192; SPC art. 14 counts part payment as agreeing). The date stays as it was.
   */
  defenceWaivedBy: Interruption | null;
};

export type LimitationStatus = 'running' | 'expiring_soon' | 'expired';

/** The day the period started running before any interruption: acceleration, else last instalment, else due date. */
export function limitationBaseStart(input: LimitationInput): LimitationStart {
  if (input.accelerationDate) return { kind: 'acceleration', on: input.accelerationDate };
  if (input.lastInstalmentDueDate) return { kind: 'last_instalment', on: input.lastInstalmentDueDate };
  return { kind: 'due_date', on: input.dueDate };
}

const AGREES_TO_PERFORM: ReadonlySet<InterruptionKind> = new Set(['payment', 'acknowledgement']);

/**
 * The limitation period of a claim given its interrupting events. Civil Code arts 201–203: the day
 * counted from is not counted, so the period ends on the same date 3 years later (Feb 29 → Feb 28);
 * a last day on a statutory holiday or weekend moves to the next working day. An interruption
 * restarts the period in full from its day (art. 195) only while the period still runs: one after
 * expiry cannot revive it, although the debtor's agreement to perform then waives the defence (art. 192).
 * A suit or mediation restarts from the end of the proceeding; the platform counts from its start,
 * which errs early, the safe side for a creditor's warning.
 */
export function computeLimitation(input: LimitationInput, cal: HolidayCalendar): Limitation {
  const base = limitationBaseStart(input);
  const absoluteLimitOn = workingDayOnOrAfter(cal, addYears(base.on, ABSOLUTE_LIMITATION_YEARS));
  const endFrom = (start: string) =>
    workingDayOnOrAfter(cal, minDate(addYears(start, LIMITATION_YEARS), addYears(base.on, ABSOLUTE_LIMITATION_YEARS)));
  let countedFrom: LimitationStart = base;
  let expiresOn = endFrom(base.on);
  let defenceWaivedBy: Interruption | null = null;
  const inOrder = [...input.interruptions].sort((a, b) => compareDates(a.on, b.on));
  for (const event of inOrder) {
    if (compareDates(event.on, countedFrom.on) <= 0) continue;
    if (compareDates(event.on, expiresOn) <= 0) {
      countedFrom = event;
      expiresOn = endFrom(event.on);
    } else if (AGREES_TO_PERFORM.has(event.kind) && !defenceWaivedBy) {
      defenceWaivedBy = event;
    }
  }
  return { expiresOn, countedFrom, absoluteLimitOn, defenceWaivedBy };
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

/** True when the period has run and the debtor has not given up the defence: the claim needs the creditor's decision. */
export function plainlyExpired(limitation: Limitation, asOf: string): boolean {
  return limitation.defenceWaivedBy === null && limitationStatus(limitation.expiresOn, asOf) === 'expired';
}

/**
 * Last day to apply for enforcement: 2 years after the last day of performance. With a calendar,
 * an end on a weekend or holiday moves to the next working day (CPL art. 85).
 */
export function enforcementApplicationDeadline(performanceEnd: string, cal?: HolidayCalendar): string {
  const end = addYears(performanceEnd, ENFORCEMENT_APPLICATION_YEARS);
  return cal ? workingDayOnOrAfter(cal, end) : end;
}
