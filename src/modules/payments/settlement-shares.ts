/**
 * A settlement told per contract: its claims (oldest first), its instalments and each claim's share,
 * waiver and part of every instalment (domain/settlement-allocation.ts). The balance of a claim and
 * the combined mediation agreement read it from here, so both tell the same figures.
 */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import {
  type Claim,
  claims,
  type Instalment,
  instalments,
  type Settlement,
  settlementClaims,
} from '../../db/schema/index.js';
import { allocateSettlement, type ClaimAllocation } from '../../domain/settlement-allocation.js';
import { enforceableFen } from '../../domain/settlement-terms.js';

export interface SettlementShares {
  /** The settlement's claims in claim order, each with its allocation. */
  members: { claim: Claim; allocation: ClaimAllocation }[];
  plan: Instalment[];
}

export function settlementShares(tx: DbOrTx, settlement: Pick<Settlement, 'id' | 'totalFen'>): SettlementShares {
  const members = tx
    .select({ claim: claims, reliefFen: settlementClaims.reliefFen })
    .from(settlementClaims)
    .innerJoin(claims, eq(settlementClaims.claimId, claims.id))
    .where(eq(settlementClaims.settlementId, settlement.id))
    .orderBy(asc(claims.id))
    .all();
  const plan = tx
    .select()
    .from(instalments)
    .where(eq(instalments.settlementId, settlement.id))
    .orderBy(asc(instalments.seq))
    .all();
  const allocations = allocateSettlement(
    settlement.totalFen,
    // A relief granted on one claim lowers that claim's share alone (issue 15 item 13).
    members.map(({ claim: c, reliefFen }) => ({
      claimId: c.id,
      owedFen: enforceableFen(c),
      reliefFen: Math.min(reliefFen, enforceableFen(c)),
    })),
    plan.map((i) => i.amountFen),
  );
  return { members: members.map(({ claim }, i) => ({ claim, allocation: allocations[i]! })), plan };
}
