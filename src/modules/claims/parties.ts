import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, type Debtor, debtors, organisations } from '../../db/schema/index.js';

export type ClaimWithParties = { claim: Claim; debtor: Debtor; creditorName: string };

/** The claim with its debtor and its creditor's name, as a view or a message to the debtor shows them. */
export function withParties(tx: DbOrTx, claim: Claim): ClaimWithParties {
  const debtor = tx.select().from(debtors).where(eq(debtors.id, claim.debtorId)).get()!;
  const creditor = tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, claim.creditorOrgId))
    .get()!;
  return { claim, debtor, creditorName: creditor.name };
}
