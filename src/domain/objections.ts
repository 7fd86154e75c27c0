// Debtor objections (异议申诉) and hardship requests (特殊群体救助): their closed vocabularies and the
// rule for reducing a claim's amounts when an objection is (partly) upheld.
import { AMOUNT_KEYS, type CappedAmounts, type ClaimAmounts } from './claim-amounts.js';

export const OBJECTION_CATEGORIES = [
  'amount_disputed',
  'already_repaid',
  'not_my_loan',
  'rate_above_cap',
  'limitation_expired',
  'other',
] as const;
export type ObjectionCategory = (typeof OBJECTION_CATEGORIES)[number];

export const OBJECTION_STATUSES = ['open', 'decided'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

export const OBJECTION_OUTCOMES = ['upheld', 'partially_upheld', 'rejected'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

export const HARDSHIP_REASONS = ['unemployment', 'illness', 'disability', 'disaster', 'other'] as const;
export type HardshipReason = (typeof HARDSHIP_REASONS)[number];

/** `granted` is what a settlement reads to mark itself as a hardship plan. */
export const HARDSHIP_STATUSES = ['pending', 'granted', 'refused'] as const;
export type HardshipStatus = (typeof HARDSHIP_STATUSES)[number];

export const HARDSHIP_OUTCOMES = ['granted', 'refused'] as const;
export type HardshipOutcome = (typeof HARDSHIP_OUTCOMES)[number];

export type Reduction =
  | { ok: true; after: ClaimAmounts; aboveCapFen: number }
  | { ok: false; field: (typeof AMOUNT_KEYS)[number] | null; detail: string };

/**
 * Apply the amounts an objection decision gives: parts not given stay; none may grow, and at least one
 * must fall. The part above the rate cap is reduced first, since it was never enforceable: what a
 * decision removes from interest, penalty and fees comes off that part before anything else.
 */
export function reduceAmounts(before: CappedAmounts, given: Partial<ClaimAmounts>): Reduction {
  const after: ClaimAmounts = {
    principalFen: before.principalFen,
    interestFen: before.interestFen,
    penaltyFen: before.penaltyFen,
    feesFen: before.feesFen,
  };
  for (const key of AMOUNT_KEYS) {
    const v = given[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 0)
      return { ok: false, field: key, detail: `${key} must be a whole number of fen, 0 or more.` };
    if (v > before[key])
      return { ok: false, field: key, detail: `${key} may only be reduced: it is ${before[key]} fen now, not ${v}.` };
    after[key] = v;
  }
  if (AMOUNT_KEYS.every((k) => after[k] === before[k])) {
    return {
      ok: false,
      field: null,
      detail: 'newAmounts must lower at least one amount; leave it out when the amounts stay as they are.',
    };
  }
  const charges = (a: ClaimAmounts) => a.interestFen + a.penaltyFen + a.feesFen;
  const removed = charges(before) - charges(after);
  return { ok: true, after, aboveCapFen: Math.max(0, Math.min(before.aboveCapFen - removed, charges(after))) };
}
