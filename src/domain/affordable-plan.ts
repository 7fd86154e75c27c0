/**
 * An affordable settlement plan from the debtor's statement of means, inside the creditor's limits:
 * the largest total the debtor can pay (up to the full base amount), in equal monthly payments the
 * debtor can afford. A discount is given only as far as affordability needs, never beyond the limit.
 */
import { addMonths } from './dates.js';
import type { OfferBasis, SettlementPlan } from './settlement-terms.js';

export interface MeansStatement {
  monthlyIncomeFen: number;
  essentialExpensesFen: number;
  dependants: number;
}

/**
 * Monthly living allowance per dependant, ¥800: a design default near Fujian's urban minimum living
 * standard (低保, about ¥800–1,000 a month in 2024, from memory: unverified), to be reviewed.
 */
export const DEPENDANT_ALLOWANCE_FEN = 80_000;

/** Share of the disposable income a plan may take (design default): half, leaving room for shocks. */
export const AFFORDABLE_SHARE_PCT = 50;

/** What the debtor can pay a month: half of income less essential expenses and dependants, in whole yuan. */
export function monthlyCapacityFen(m: MeansStatement): number {
  const disposable = m.monthlyIncomeFen - m.essentialExpensesFen - m.dependants * DEPENDANT_ALLOWANCE_FEN;
  if (disposable <= 0) return 0;
  return Math.floor((disposable * AFFORDABLE_SHARE_PCT) / 100 / 100) * 100;
}

export type Suggestion =
  | { ok: true; plan: SettlementPlan; monthlyCapacityFen: number; discountFen: number }
  | {
      ok: false;
      reason: 'no_capacity' | 'unaffordable_within_limits';
      detail: string;
      monthlyCapacityFen: number;
      minimumTotalFen: number;
    };

/** The plan to propose, or why no plan inside the limits is affordable. */
export function suggestPlan(input: { basis: OfferBasis; means: MeansStatement; firstDueDate: string }): Suggestion {
  const { basis, means, firstDueDate } = input;
  const { maxDiscountPct, maxInstalments, minFirstPaymentPct } = basis.limits;
  const capacity = monthlyCapacityFen(means);
  // The smallest total inside the discount limit.
  const minimumTotalFen = Math.ceil((basis.baseFen * (100 - maxDiscountPct)) / 100);
  if (capacity === 0) {
    return {
      ok: false,
      reason: 'no_capacity',
      detail: 'The statement of means leaves nothing to pay after essential expenses and dependants.',
      monthlyCapacityFen: 0,
      minimumTotalFen,
    };
  }
  // Payable within the instalment limit, and with a first payment of one month's capacity still at
  // least the smallest first payment: first ≥ pct × total ⇔ total ≤ first × 100 / pct.
  let total = Math.min(basis.baseFen, capacity * maxInstalments);
  if (minFirstPaymentPct > 0) total = Math.min(total, Math.floor((capacity * 100) / minFirstPaymentPct));
  if (total < minimumTotalFen || total <= 0) {
    return {
      ok: false,
      reason: 'unaffordable_within_limits',
      detail: `At ${capacity} fen a month the debtor cannot pay the smallest total the limits allow (${minimumTotalFen} fen in at most ${maxInstalments} payments); only the creditor can approve a plan outside the limits.`,
      monthlyCapacityFen: capacity,
      minimumTotalFen,
    };
  }
  const count = Math.ceil(total / capacity);
  const instalments = Array.from({ length: count }, (_, i) => ({
    dueDate: addMonths(firstDueDate, i),
    amountFen: i < count - 1 ? capacity : total - capacity * (count - 1),
  }));
  return {
    ok: true,
    plan: { kind: count === 1 ? 'lump_sum' : 'instalments', totalFen: total, instalments },
    monthlyCapacityFen: capacity,
    discountFen: basis.baseFen - total,
  };
}
