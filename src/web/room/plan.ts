/**
 * A plan from what the proposal builder asks (kind, total, number of payments, first payment and its
 * date), judged by the same rules the server applies (src/domain/settlement-terms.ts), so the builder
 * shows before sending what the room would refuse and what needs the creditor's approval.
 */
import { addMonths } from '../../domain/dates';
import {
  checkPlan,
  type LimitBreach,
  limitBreaches,
  type OfferTerms,
  type SettlementPlan,
} from '../../domain/settlement-terms';
import { frameErrorText } from './frame-errors';

export interface PlanInput {
  kind: 'lump_sum' | 'instalments';
  totalFen: number;
  /** Payments of an instalment plan (2 or more). */
  count: number;
  /** First payment of an instalment plan; the rest is split evenly, any remainder on the last. */
  firstFen: number;
  firstDueDate: string;
}

/** Monthly payments from the first due date. */
export function planOf(input: PlanInput): SettlementPlan {
  const { kind, totalFen, firstDueDate } = input;
  if (kind === 'lump_sum') return { kind, totalFen, instalments: [{ dueDate: firstDueDate, amountFen: totalFen }] };
  const count = Math.max(2, input.count);
  const rest = totalFen - input.firstFen;
  const each = Math.floor(rest / (count - 1));
  const instalments = Array.from({ length: count }, (_, i) => ({
    dueDate: addMonths(firstDueDate, i),
    amountFen: i === 0 ? input.firstFen : i === count - 1 ? rest - each * (count - 2) : each,
  }));
  return { kind, totalFen, instalments };
}

/** Why the plan cannot be sent as it is, in Chinese; null when it can. */
export function planProblem(plan: SettlementPlan, today: string, enforceableFen: number): string | null {
  if (plan.instalments.some((i) => i.amountFen < 1)) return '每期金额须大于零：请调整首期金额或期数。';
  const problem = checkPlan(plan, { today, enforceableFen });
  return problem ? frameErrorText(problem) : null;
}

/** The creditor's limits the plan breaks, each as a Chinese line. */
export function breachLines(plan: SettlementPlan, basis: OfferTerms): string[] {
  return limitBreaches(plan, basis).map(breachLine);
}

export function breachLine(b: LimitBreach): string {
  if (b.limit === 'maxDiscountPct') return `减免 ${b.proposed}%，超过授权上限 ${b.allowed}%`;
  if (b.limit === 'maxInstalments') return `分 ${b.proposed} 期，超过授权上限 ${b.allowed} 期`;
  return `首期占 ${b.proposed}%，低于授权下限 ${b.allowed}%`;
}
