import { sumFen } from './money.js';

/** What a claim says is owed, in fen: the four amounts a batch row gives and an objection may reduce. */
export interface ClaimAmounts {
  principalFen: number;
  interestFen: number;
  penaltyFen: number;
  feesFen: number;
}

export const AMOUNT_KEYS = [
  'principalFen',
  'interestFen',
  'penaltyFen',
  'feesFen',
] as const satisfies readonly (keyof ClaimAmounts)[];

/** The amounts with the part of interest, penalty and fees above the legal rate cap: never part of an offer. */
export type CappedAmounts = ClaimAmounts & { aboveCapFen: number };

/** Everything the claim says is owed. */
export const totalFen = (c: ClaimAmounts): number => sumFen(c.principalFen, c.interestFen, c.penaltyFen, c.feesFen);

/** What may be claimed: the total less the part above the legal cap, which is not enforceable and never claimed. */
export const claimedFen = (c: CappedAmounts): number => Math.max(0, totalFen(c) - c.aboveCapFen);
