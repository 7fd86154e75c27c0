/**
 * Settlement offers against the creditor's limits (largest discount, most instalments, smallest first
 * payment). Pure: the session service gathers the amounts and limits, these rules judge an offer.
 */
import type { CappedAmounts } from './claim-amounts.js';
import { compareDates } from './dates.js';

export interface SettlementLimits {
  /** Largest discount on the base amount, percent. */
  maxDiscountPct: number;
  maxInstalments: number;
  /** Smallest first payment, percent of the settlement total. */
  minFirstPaymentPct: number;
}

/** Used when a claim carries no stated policy: nothing below full, immediate payment without approval. */
export const NO_CONCESSION_LIMITS: SettlementLimits = { maxDiscountPct: 0, maxInstalments: 1, minFirstPaymentPct: 100 };

export const SETTLEMENT_KINDS = ['lump_sum', 'instalments'] as const;
export type SettlementKind = (typeof SETTLEMENT_KINDS)[number];

export interface PlanInstalment {
  dueDate: string;
  amountFen: number;
}

export interface SettlementPlan {
  kind: SettlementKind;
  totalFen: number;
  instalments: PlanInstalment[];
}

export interface OfferBasis {
  /** Sum of the claims less the part above the legal cap. */
  enforceableFen: number;
  /** Interest and penalty waived by a granted hardship request (0 without one); never principal or fees. */
  waivedFen: number;
  /** What the discount limit is measured from: enforceable less the waiver. */
  baseFen: number;
  limits: SettlementLimits;
  /** A granted hardship request covers at least one of the claims. */
  hardship: boolean;
  /** Each claim's waiver under the relief, in the order of the claims given (0 for a claim it does not cover). */
  reliefFen: number[];
}

/** What a claim is worth in an offer: its amounts less the part above the legal cap. */
export function enforceableFen(c: CappedAmounts): number {
  return Math.max(0, c.principalFen + c.interestFen + c.penaltyFen + c.feesFen - c.aboveCapFen);
}

/** The strictest of several limits: a session over claims of several batches keeps to all of them. */
export function strictestLimits(list: readonly SettlementLimits[]): SettlementLimits {
  if (list.length === 0) return NO_CONCESSION_LIMITS;
  return {
    maxDiscountPct: Math.min(...list.map((l) => l.maxDiscountPct)),
    maxInstalments: Math.min(...list.map((l) => l.maxInstalments)),
    minFirstPaymentPct: Math.max(...list.map((l) => l.minFirstPaymentPct)),
  };
}

/** What a granted hardship request (特殊群体救助) gives every claim it covers. */
export interface HardshipRelief {
  waiveInterest: boolean;
  waivePenalty: boolean;
  maxInstalments: number;
}

/**
 * The basis of an offer over these claims. Hardship relief waives interest and penalty outside the
 * discount limit (the limit is measured from what is left) on the claims it `covers` (all of them
 * when not said), so a relief granted on one claim relieves that claim's share alone. The longer plan
 * it allows is one schedule for every contract of the offer, so it applies only when the relief
 * covers them all; otherwise the creditor's instalment limit stands.
 */
export function offerBasis<C extends CappedAmounts>(
  claims: readonly C[],
  limits: SettlementLimits,
  relief: HardshipRelief | null,
  covers: (claim: C) => boolean = () => true,
): OfferBasis {
  let totalFen = 0;
  let waivedFen = 0;
  const reliefFen: number[] = [];
  let coveredCount = 0;
  for (const c of claims) {
    const enforceable = enforceableFen(c);
    totalFen += enforceable;
    let waived = 0;
    if (relief && covers(c)) {
      coveredCount++;
      // The part above the legal cap is counted off the waived charges first: it was never owed.
      const waivable = (relief.waiveInterest ? c.interestFen : 0) + (relief.waivePenalty ? c.penaltyFen : 0);
      waived = Math.min(enforceable, Math.max(0, waivable - c.aboveCapFen));
    }
    reliefFen.push(waived);
    waivedFen += waived;
  }
  const all = relief !== null && claims.length > 0 && coveredCount === claims.length;
  return {
    enforceableFen: totalFen,
    waivedFen,
    baseFen: totalFen - waivedFen,
    limits:
      relief && all ? { ...limits, maxInstalments: Math.max(limits.maxInstalments, relief.maxInstalments) } : limits,
    hardship: relief !== null && coveredCount > 0,
    reliefFen,
  };
}

export type PlanProblemCode = 'kind_mismatch' | 'instalments_sum' | 'dates_order' | 'due_in_past' | 'above_enforceable';

export interface PlanProblem {
  code: PlanProblemCode;
  detail: string;
}

/** Whether the plan is coherent: one payment for a lump sum, amounts summing to the total, dates in order. */
export function checkPlan(plan: SettlementPlan, opts: { today: string; enforceableFen: number }): PlanProblem | null {
  const n = plan.instalments.length;
  if (plan.kind === 'lump_sum' && n !== 1)
    return { code: 'kind_mismatch', detail: `A lump sum is one payment; this plan has ${n}.` };
  if (plan.kind === 'instalments' && n < 2)
    return {
      code: 'kind_mismatch',
      detail: 'An instalment plan has at least two payments; send one payment as a lump sum.',
    };
  const sum = plan.instalments.reduce((s, i) => s + i.amountFen, 0);
  if (sum !== plan.totalFen)
    return {
      code: 'instalments_sum',
      detail: `The payments add up to ${sum} fen, not the total of ${plan.totalFen} fen.`,
    };
  for (let i = 1; i < n; i++) {
    if (compareDates(plan.instalments[i - 1]!.dueDate, plan.instalments[i]!.dueDate) >= 0) {
      return { code: 'dates_order', detail: `Payment ${i + 1} must fall after payment ${i}.` };
    }
  }
  if (compareDates(plan.instalments[0]!.dueDate, opts.today) < 0)
    return {
      code: 'due_in_past',
      detail: `The first payment is due ${plan.instalments[0]!.dueDate}, before today (${opts.today}).`,
    };
  if (plan.totalFen > opts.enforceableFen) {
    return {
      code: 'above_enforceable',
      detail: `The total ${plan.totalFen} fen is more than the enforceable amount of ${opts.enforceableFen} fen (the part above the legal rate cap is excluded).`,
    };
  }
  return null;
}

export interface LimitBreach {
  limit: keyof SettlementLimits;
  allowed: number;
  /** The plan's value: percent for the two percentages (two decimals), a count for instalments. */
  proposed: number;
}

const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part * 10_000) / whole) / 100);

/** The limits a (coherent) plan breaks; empty when it is inside them. */
/** The basis of an offer as the parties see it: the totals and limits, not each claim's share of a relief. */
export type OfferTerms = Omit<OfferBasis, 'reliefFen'>;

export function limitBreaches(plan: SettlementPlan, basis: OfferTerms): LimitBreach[] {
  const { limits, baseFen } = basis;
  const breaches: LimitBreach[] = [];
  const discountFen = Math.max(0, baseFen - plan.totalFen);
  // Integer comparison: discount / base > max% ⇔ discount × 100 > max × base.
  if (discountFen * 100 > limits.maxDiscountPct * baseFen)
    breaches.push({ limit: 'maxDiscountPct', allowed: limits.maxDiscountPct, proposed: pct(discountFen, baseFen) });
  if (plan.instalments.length > limits.maxInstalments)
    breaches.push({ limit: 'maxInstalments', allowed: limits.maxInstalments, proposed: plan.instalments.length });
  const first = plan.instalments[0]?.amountFen ?? 0;
  if (first * 100 < limits.minFirstPaymentPct * plan.totalFen)
    breaches.push({
      limit: 'minFirstPaymentPct',
      allowed: limits.minFirstPaymentPct,
      proposed: pct(first, plan.totalFen),
    });
  return breaches;
}

const LIMIT_LABELS: Record<keyof SettlementLimits, string> = {
  maxDiscountPct: 'discount',
  maxInstalments: 'instalments',
  minFirstPaymentPct: 'first payment',
};

/** One line per breach, e.g. "discount 35% (limit 30%)". */
export function describeBreaches(breaches: readonly LimitBreach[]): string {
  return breaches
    .map((b) =>
      b.limit === 'maxInstalments'
        ? `${b.proposed} instalments (limit ${b.allowed})`
        : `${LIMIT_LABELS[b.limit]} ${b.proposed}% (limit ${b.allowed}%)`,
    )
    .join('; ');
}
