/** Which mediator of an organisation takes a claim: the debtor's mediator for this creditor, else the least loaded. */
import { and, asc, countDistinct, desc, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, claims, users } from '../../db/schema/index.js';
import { createTriage, type MediatorLoad } from '../../domain/triage.js';

/** Mediators of the organisation with their open caseload (debtors with open claims), for balanced assignment. */
export function mediatorCaseloads(db: DbOrTx, orgId: number): MediatorLoad[] {
  const open = db
    .select({ id: claims.assigneeId, n: countDistinct(claims.debtorId) })
    .from(claims)
    .where(and(eq(claims.mediationOrgId, orgId), ne(claims.stage, 'closed')))
    .groupBy(claims.assigneeId)
    .all();
  const load = new Map(open.map((r) => [r.id, r.n]));
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'mediator'), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .all()
    .map((u) => ({ id: u.id, openCaseload: load.get(u.id) ?? 0 }));
}

/**
 * The mediator for one claim entering mediation on its own (not in a batch): the one already handling
 * the debtor's other open claims with this creditor, as a batch import assigns them, else the least
 * loaded; null when the claim has no mediation organisation or it has no mediators.
 */
export function assignMediator(tx: DbOrTx, claim: Claim): number | null {
  if (claim.mediationOrgId === null) return null;
  const current = tx
    .select({ id: claims.assigneeId })
    .from(claims)
    .where(
      and(
        eq(claims.creditorOrgId, claim.creditorOrgId),
        eq(claims.debtorId, claim.debtorId),
        ne(claims.id, claim.id),
        isNotNull(claims.assigneeId),
        ne(claims.stage, 'closed'),
      ),
    )
    .orderBy(desc(claims.id))
    .limit(1)
    .get();
  return createTriage(mediatorCaseloads(tx, claim.mediationOrgId)).assign(current?.id ?? null);
}
