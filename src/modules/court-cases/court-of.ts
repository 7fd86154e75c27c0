/** The court that takes a claim: the one it is assigned to, else its mediation committee's court. */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, claims, type Organisation, organisations } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** The claim's court; a claim that had none is assigned its committee's court in the same transaction. */
export function courtOf(tx: DbOrTx, claim: Claim): Organisation {
  const id = claim.courtOrgId ?? committeeCourtId(tx, claim);
  if (!id)
    throw new AppError(
      'unprocessable',
      "No court is assigned to this claim or to its mediation committee; an admin must name the committee's court.",
      { reason: 'no_court' },
    );
  if (claim.courtOrgId !== id) tx.update(claims).set({ courtOrgId: id }).where(eq(claims.id, claim.id)).run();
  return tx.select().from(organisations).where(eq(organisations.id, id)).get()!;
}

function committeeCourtId(tx: DbOrTx, claim: Claim): number | null {
  if (!claim.mediationOrgId) return null;
  const committee = tx.select().from(organisations).where(eq(organisations.id, claim.mediationOrgId)).get();
  return committee?.courtId ?? null;
}
