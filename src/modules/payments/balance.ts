/**
 * What a claim still owes: its enforceable components less what confirmed payments covered, and,
 * under a settlement, its share of the settlement (per contract, domain/settlement-allocation.ts)
 * and its part of each instalment less what it paid of them.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import {
  type Claim,
  instalments,
  type Payment,
  payments,
  settlementClaims,
  settlements,
} from '../../db/schema/index.js';
import {
  type Components,
  componentsLeft,
  enforceableComponents,
  type InstalmentLeft,
  sumComponents,
} from '../../domain/payment-allocation.js';
import { settlementShares } from './settlement-shares.js';

export interface ClaimBalance {
  left: Components;
  /** The claim's settlement, its share of it, and its part of each instalment with what is left. */
  settlement: {
    id: number;
    shareFen: number;
    dueFen: number;
    instalments: (InstalmentLeft & { seq: number; partFen: number })[];
  } | null;
  /** What confirmed payments covered, and what they paid beyond it. */
  paidFen: number;
  overpaidFen: number;
}

/** The claim's confirmed payments, oldest first. */
export const confirmedPayments = (tx: DbOrTx, claimId: number): Payment[] =>
  tx
    .select()
    .from(payments)
    .where(and(eq(payments.claimId, claimId), eq(payments.status, 'confirmed')))
    .orderBy(asc(payments.paidOn), asc(payments.id))
    .all();

const appliedOf = (p: Payment): Components => ({
  costs: p.costsFen,
  interest: p.interestFen,
  principal: p.principalFen,
});

/** The latest settlement covering the claim, or none. */
export const settlementOf = (tx: DbOrTx, claimId: number) =>
  tx
    .select({ settlement: settlements })
    .from(settlementClaims)
    .innerJoin(settlements, eq(settlementClaims.settlementId, settlements.id))
    .where(eq(settlementClaims.claimId, claimId))
    .orderBy(desc(settlements.id))
    .limit(1)
    .get()?.settlement ?? null;

export function claimBalance(tx: DbOrTx, claim: Claim): ClaimBalance {
  const paid = confirmedPayments(tx, claim.id);
  const left = componentsLeft(enforceableComponents(claim), paid.map(appliedOf));
  const paidFen = paid.reduce((s, p) => s + sumComponents(appliedOf(p)), 0);
  const overpaidFen = paid.reduce((s, p) => s + p.overpaidFen, 0);
  const settlement = settlementOf(tx, claim.id);
  if (!settlement) return { left, settlement: null, paidFen, overpaidFen };

  const { members, plan } = settlementShares(tx, settlement);
  const mine = members.find((m) => m.claim.id === claim.id)!.allocation;
  const underIt = paid.filter((p) => p.settlementId === settlement.id);
  const paidPerInstalment = new Map<number, number>();
  for (const p of underIt)
    for (const part of p.instalmentParts ?? [])
      paidPerInstalment.set(part.instalmentId, (paidPerInstalment.get(part.instalmentId) ?? 0) + part.fen);
  const paidUnderIt = underIt.reduce((s, p) => s + sumComponents(appliedOf(p)), 0);
  return {
    left,
    paidFen,
    overpaidFen,
    settlement: {
      id: settlement.id,
      shareFen: mine.shareFen,
      dueFen: Math.max(0, mine.shareFen - paidUnderIt),
      instalments: plan.map((i, j) => ({
        id: i.id,
        seq: i.seq,
        dueDate: i.dueDate,
        partFen: mine.instalmentsFen[j]!,
        leftFen: Math.max(0, mine.instalmentsFen[j]! - (paidPerInstalment.get(i.id) ?? 0)),
      })),
    },
  };
}

/** Add what payments covered to the settlement's instalments; an instalment paid in full is `paid`. */
export function payInstalments(tx: DbOrTx, parts: readonly { id: number; fen: number }[]): void {
  if (parts.length === 0) return;
  const rows = tx
    .select()
    .from(instalments)
    .where(
      inArray(
        instalments.id,
        parts.map((p) => p.id),
      ),
    )
    .all();
  for (const row of rows) {
    const paidFen = row.paidFen + parts.find((p) => p.id === row.id)!.fen;
    tx.update(instalments)
      .set({ paidFen, status: paidFen >= row.amountFen ? 'paid' : row.status })
      .where(eq(instalments.id, row.id))
      .run();
  }
}
