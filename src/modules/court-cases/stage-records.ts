/**
 * The court's own record of the stages it runs (DOMAIN.md §4.3–4.4): a claim that enters court
 * pre-litigation mediation is registered at once as a `民诉前调` case under the court's next number, and
 * the case closes when that mediation ends in an agreement or fails. Called by applyTransition, so
 * every way into the stage (escalation, a breached agreement, the time-limit job) writes it.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, courtCases } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { assignCaseNo } from './case-numbers.js';
import { courtOf } from './court-of.js';

const KIND = 'pre_litigation_mediation';
const ENDS = ['agreed', 'failed'];

export interface StageRecord {
  courtOrgId: number;
  courtCaseId: number;
  caseNo: string | null;
}

/** Register or close the claim's court stage as the step from `before` to `after` requires. */
export function recordCourtStage(tx: DbOrTx, before: Claim, after: Claim, now: Date): StageRecord | null {
  if (after.stage !== 'court_mediation') return null;
  const today = shanghaiDate(now);
  if (before.stage !== 'court_mediation') {
    const court = courtOf(tx, after);
    const number = assignCaseNo(tx, court, KIND, Number(today.slice(0, 4)), undefined);
    const opened = tx
      .insert(courtCases)
      .values({
        claimId: after.id,
        courtOrgId: court.id,
        kind: KIND,
        status: 'pending',
        filedOn: today,
        createdAt: now,
        ...number,
      })
      .returning()
      .get();
    return { courtOrgId: court.id, courtCaseId: opened.id, caseNo: opened.caseNo };
  }
  if (before.status === after.status || !ENDS.includes(after.status)) return null;
  const closed = tx
    .update(courtCases)
    .set({ status: 'closed', outcome: after.status, decidedOn: today })
    .where(and(eq(courtCases.claimId, after.id), eq(courtCases.kind, KIND), eq(courtCases.status, 'pending')))
    .returning()
    .get();
  return closed ? { courtOrgId: closed.courtOrgId, courtCaseId: closed.id, caseNo: closed.caseNo } : null;
}
