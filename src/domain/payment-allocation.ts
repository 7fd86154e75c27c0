/**
 * Where a payment goes (issue 16 item 1). Civil Code art. 561: a payment that does not cover the whole
 * debt goes first to the costs of realising the claim, then to interest, then to the principal, unless
 * the parties agreed otherwise (the agreement's order). Art. 560: among debts of one kind the one due
 * first is paid first, so instalments are filled oldest first. What is paid beyond what is owed is
 * kept as an overpayment, never dropped.
 */

export const COMPONENTS = ['costs', 'interest', 'principal'] as const;
export type Component = (typeof COMPONENTS)[number];

/** Civil Code art. 561: costs, interest, principal. */
export const ART_561_ORDER: readonly Component[] = COMPONENTS;

export type Components = Record<Component, number>;

export interface AmountsWithCap {
  principalFen: number;
  interestFen: number;
  penaltyFen: number;
  feesFen: number;
  /** Interest, penalty and fees above the legal cap: not enforceable, so never owed. */
  aboveCapFen: number;
}

/**
 * What a claim enforceably consists of: fees as costs, interest and penalty interest as interest, and
 * principal. The part above the legal cap comes off interest first, then costs; it never touches principal.
 */
export function enforceableComponents(a: AmountsWithCap): Components {
  const interest = a.interestFen + a.penaltyFen;
  const offInterest = Math.min(a.aboveCapFen, interest);
  const offCosts = Math.min(a.aboveCapFen - offInterest, a.feesFen);
  return { costs: a.feesFen - offCosts, interest: interest - offInterest, principal: a.principalFen };
}

export const sumComponents = (c: Components): number => c.costs + c.interest + c.principal;

/** Each component less what earlier payments already covered of it. */
export function componentsLeft(owed: Components, paid: readonly Components[]): Components {
  const left = { ...owed };
  for (const p of paid) for (const k of COMPONENTS) left[k] = Math.max(0, left[k] - p[k]);
  return left;
}

export interface InstalmentLeft {
  id: number;
  dueDate: string;
  /** What of this instalment is still unpaid. */
  leftFen: number;
}

export interface PaymentInput {
  amountFen: number;
  /** The components still owed. */
  left: Components;
  /**
   * The most the claim still has to pay, when a settlement fixed it below the components (its share
   * of the settlement less what was paid); null when the components themselves are owed.
   */
  dueFen: number | null;
  /** The instalments of the claim's settlement with what is left of each; empty without one. */
  instalments: readonly InstalmentLeft[];
  order?: readonly Component[];
}

export interface PaymentAllocation {
  /** What the payment covered of each component. */
  applied: Components;
  /** What it covered of each instalment, oldest first; instalments it did not reach are left out. */
  instalments: { id: number; fen: number }[];
  /** Paid beyond what was owed: recorded and flagged. */
  overpaidFen: number;
  /** Nothing is owed after this payment. */
  settled: boolean;
}

/** Allocate one payment: components in the given order (art. 561 by default), instalments oldest first. */
/** What is owed: the components left, capped by the settlement's due amount where there is one. */
export const owedFen = (left: Components, dueFen: number | null): number =>
  Math.min(sumComponents(left), dueFen ?? Number.POSITIVE_INFINITY);

export function allocatePayment(input: PaymentInput): PaymentAllocation {
  const { amountFen, left } = input;
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
    throw new RangeError(`a payment is a positive number of fen: ${amountFen}`);
  const order = input.order ?? ART_561_ORDER;
  if (new Set(order).size !== COMPONENTS.length || !COMPONENTS.every((k) => order.includes(k)))
    throw new RangeError(`the order must name each of ${COMPONENTS.join(', ')} once`);
  const owed = owedFen(left, input.dueFen);
  const usable = Math.min(amountFen, owed);

  const applied: Components = { costs: 0, interest: 0, principal: 0 };
  let rest = usable;
  for (const k of order) {
    applied[k] = Math.min(rest, left[k]);
    rest -= applied[k];
  }

  const instalments: { id: number; fen: number }[] = [];
  let toSchedule = usable;
  const byAge = [...input.instalments].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id - b.id);
  for (const i of byAge) {
    if (toSchedule === 0) break;
    const fen = Math.min(toSchedule, i.leftFen);
    if (fen === 0) continue;
    instalments.push({ id: i.id, fen });
    toSchedule -= fen;
  }
  return { applied, instalments, overpaidFen: amountFen - usable, settled: usable === owed };
}
