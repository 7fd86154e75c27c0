// Delivering documents and messages to debtors: the statuses a delivery goes through, the retry
// backoff, when a debtor counts as unreachable, and service by public notice (DOMAIN.md §4.5).
// The contact rules themselves (quiet hours, caps, hold, third parties) are in contact-policy.ts.
import { addDays, shanghaiMidnightUtc } from './dates.js';
import { maskEmail } from './email.js';
import { maskPhone } from './phone.js';

/**
 * queued → sending → sent → opened. A failed attempt is `retrying` (due again after the backoff) until
 * the attempts run out, then `failed` for good. A contact rule defers (`deferred`, due again when the
 * rule allows) or refuses (`refused`: hold, a third party's or an invalid address).
 */
export const DELIVERY_STATUSES = [
  'queued',
  'sending',
  'sent',
  'opened',
  'deferred',
  'retrying',
  'failed',
  'refused',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Statuses the sender picks up once their due time has come. */
export const DUE_STATUSES = ['queued', 'deferred', 'retrying'] as const satisfies readonly DeliveryStatus[];

/** Statuses after which a new delivery of the same document on the same channel may be queued. */
export const CLOSED_UNSENT_STATUSES = ['failed', 'refused'] as const satisfies readonly DeliveryStatus[];

/** Minutes to wait after the 1st, 2nd, 3rd … failed attempt; the last value repeats. A design default. */
export const RETRY_BACKOFF_MINUTES: readonly number[] = Object.freeze([1, 5, 30, 120]);

/** When to try again after `failedAttempts` failed attempts (1 = the first failed). */
export function retryAt(
  failedAttempts: number,
  now: Date,
  backoffMinutes: readonly number[] = RETRY_BACKOFF_MINUTES,
): Date {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new RangeError(`failed attempts must be a positive integer: ${failedAttempts}`);
  const minutes = backoffMinutes[Math.min(failedAttempts, backoffMinutes.length) - 1] ?? 0;
  return new Date(now.getTime() + minutes * 60_000);
}

/** Rules a delivery can be refused or deferred by: the contact rules plus an address that cannot be used. */
export type DeliveryRule =
  | 'quiet_hours'
  | 'frequency_cap'
  | 'claim_on_hold'
  | 'not_debtor_address'
  | 'invalid_address'
  /** A session's invitation when the session has started or ended: it would come too late. */
  | 'session_not_scheduled';

/**
 * One channel's state for a debtor: whether the debtor's record holds a usable address for it, and
 * the status of the latest delivery on it (null when none was made).
 */
export interface ChannelReach {
  hasValidAddress: boolean;
  lastStatus: DeliveryStatus | null;
}

/** A debtor is reachable while some channel has a usable address whose latest delivery did not fail for good. */
export function reachesDebtor(channels: readonly ChannelReach[]): boolean {
  return channels.some((c) => c.hasValidAddress && c.lastStatus !== 'failed');
}

/**
 * Service by public notice is complete once the period ending on `deemedServedOn` has run out
 * (CPL art. 85: a period ends at the end of its last day), i.e. at 00:00 Shanghai time the day after.
 */
export function publicNoticeServedAt(deemedServedOn: string): Date {
  return shanghaiMidnightUtc(addDays(deemedServedOn, 1));
}

const EMAIL_IN_TEXT = /[^\s<>"'()[\],;:]+@[^\s<>"'()[\],;:]+\.[A-Za-z]{2,}/g;
const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/**
 * A failure reason fit to store and show: mail servers quote the recipient address in their errors,
 * so addresses and mobile numbers are masked, and the text is cut to `max` characters.
 */
export function redactContacts(text: string, max = 500): string {
  const clean = text.replace(EMAIL_IN_TEXT, maskEmail).replace(MOBILE_IN_TEXT, maskPhone).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
