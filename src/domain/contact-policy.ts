// Collection-conduct gate for outbound contact (DOMAIN §6.1, CBA 个人消费类贷款催收工作指引, 2026).
// Quiet hours are in the debtor's local time, which is always Shanghai time (UTC+8) in mainland China.
import { addDays, shanghaiDate, shanghaiHour, shanghaiHourUtc } from './dates.js';

/** No collection contact from 22:00 (Shanghai) … (§6.1; high). */
export const QUIET_START_HOUR = 22;
/** … until 08:00 (Shanghai) (§6.1; high). */
export const QUIET_END_HOUR = 8;

export type ContactChannel = 'sms' | 'email' | 'call' | 'post';

/** Per-debtor daily caps; a channel without a cap (post by default) is not limited. */
export type DailyCaps = Partial<Record<ContactChannel, number>>;

/**
 * call: 6 attempts per number per day is the guideline's rule for unanswered calls (§6.1; high).
 * sms and email: 3 per day is a design default of this platform, not a rule from the guideline.
 */
export const DEFAULT_DAILY_CAPS: Readonly<DailyCaps> = Object.freeze({ sms: 3, email: 3, call: 6 });

export type QuietHours = { startHour: number; endHour: number };

export type ContactRule = 'quiet_hours' | 'frequency_cap' | 'claim_on_hold' | 'not_debtor_address';

export type ContactDecision =
  | { allowed: true }
  | { allowed: false; rule: ContactRule; deferUntil?: Date; detail: string };

export type ContactRequest = {
  now: Date;
  channel: ContactChannel;
  /** Contacts on this channel to this debtor (for calls: attempts on this number) so far today, Shanghai date. */
  sentTodayToDebtor: number;
  held: boolean;
  addressBelongsToDebtor: boolean;
  caps?: DailyCaps;
  quiet?: QuietHours;
};

/** Whether a contact may go out now; quiet hours and caps defer it, a hold or third-party address refuses it. */
export function checkContact(req: ContactRequest): ContactDecision {
  const { now, channel, sentTodayToDebtor, held, addressBelongsToDebtor } = req;
  const caps = req.caps ?? DEFAULT_DAILY_CAPS;
  const quiet = req.quiet ?? { startHour: QUIET_START_HOUR, endHour: QUIET_END_HOUR };

  // Third parties may only be contacted through a separate "debtor unreachable" gate (§6.1).
  if (!addressBelongsToDebtor) {
    return {
      allowed: false,
      rule: 'not_debtor_address',
      detail: 'the address is not the debtor’s own; third-party contact is refused',
    };
  }
  if (held) {
    return {
      allowed: false,
      rule: 'claim_on_hold',
      detail: 'the claim is on hold; no contact until the hold is lifted',
    };
  }
  // Post is exempt: a letter's delivery time is not chosen by the sender.
  if (channel !== 'post' && inQuietHours(now, quiet)) {
    return {
      allowed: false,
      rule: 'quiet_hours',
      deferUntil: nextShanghaiHour(now, quiet.endHour),
      detail: `quiet hours ${pad(quiet.startHour)}:00-${pad(quiet.endHour)}:00 Shanghai time`,
    };
  }
  const cap = caps[channel];
  if (cap !== undefined && sentTodayToDebtor >= cap) {
    return {
      allowed: false,
      rule: 'frequency_cap',
      deferUntil: shanghaiHourUtc(addDays(shanghaiDate(now), 1), quiet.endHour),
      detail: `daily cap of ${cap} ${channel} contacts reached`,
    };
  }
  return { allowed: true };
}

/** True when the instant falls in the quiet window (which may wrap past midnight). */
export function inQuietHours(
  now: Date,
  quiet: QuietHours = { startHour: QUIET_START_HOUR, endHour: QUIET_END_HOUR },
): boolean {
  const h = shanghaiHour(now);
  if (quiet.startHour === quiet.endHour) return false;
  return quiet.startHour > quiet.endHour
    ? h >= quiet.startHour || h < quiet.endHour
    : h >= quiet.startHour && h < quiet.endHour;
}

function nextShanghaiHour(now: Date, hour: number): Date {
  const today = shanghaiHourUtc(shanghaiDate(now), hour);
  return today.getTime() > now.getTime() ? today : shanghaiHourUtc(addDays(shanghaiDate(now), 1), hour);
}

function pad(h: number): string {
  return String(h).padStart(2, '0');
}
