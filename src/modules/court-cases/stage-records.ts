/**
 * The court's own record of the stages it runs (DOMAIN.md §4.3–4.4, §5): a claim that enters court
 * pre-litigation mediation is registered at once as a `民诉前调` case under the court's next number; one
 * that enters litigation or enforcement gets a pending `民初` or `执` case, numbered when the clerk
 * registers it; a mediation case closes when the mediation agrees or fails; approving credit repair
 * starts the 3-working-day removal deadline of every listing, and certifying it records the removals.
 * Called by applyTransition, so every way into a stage (a person, a batch, a job) writes it.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, courtCases, creditRecords } from '../../db/schema/index.js';
import type { CaseKind } from '../../domain/case-numbers.js';
import { shanghaiDate } from '../../domain/dates.js';
import { courtListDeletionDeadline } from '../../domain/deadlines.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import { assignCaseNo } from './case-numbers.js';
import { courtOf } from './court-of.js';

/** The case a stage opens on entry, and whether the court numbers it at once. */
const OPENS: Partial<Record<Claim['stage'], { kind: CaseKind; numbered: boolean }>> = {
  court_mediation: { kind: 'pre_litigation_mediation', numbered: true },
  litigation: { kind: 'first_instance', numbered: false },
  enforcement: { kind: 'enforcement', numbered: false },
};
const MEDIATION_ENDS = ['agreed', 'failed'];

export interface StageRecord {
  courtOrgId: number;
  courtCaseId: number;
  caseNo: string | null;
}

/** Register, close or follow up the claim's court records as the step from `before` to `after` requires. */
export function recordCourtStage(
  tx: DbOrTx,
  before: Claim,
  after: Claim,
  now: Date,
  calendar: HolidayCalendar,
): StageRecord | null {
  const today = shanghaiDate(now);
  const opens = before.stage !== after.stage ? OPENS[after.stage] : undefined;
  if (opens) {
    const court = courtOf(tx, after);
    const number = opens.numbered ? assignCaseNo(tx, court, opens.kind, Number(today.slice(0, 4)), undefined) : {};
    const opened = tx
      .insert(courtCases)
      .values({ claimId: after.id, courtOrgId: court.id, kind: opens.kind, filedOn: today, createdAt: now, ...number })
      .returning()
      .get();
    return { courtOrgId: court.id, courtCaseId: opened.id, caseNo: opened.caseNo };
  }
  if (before.status === after.status) return null;
  if (after.stage === 'court_mediation' && MEDIATION_ENDS.includes(after.status)) {
    const closed = tx
      .update(courtCases)
      .set({ status: 'closed', outcome: after.status, decidedOn: today })
      .where(
        and(
          eq(courtCases.claimId, after.id),
          eq(courtCases.kind, 'pre_litigation_mediation'),
          eq(courtCases.status, 'pending'),
        ),
      )
      .returning()
      .get();
    return closed ? { courtOrgId: closed.courtOrgId, courtCaseId: closed.id, caseNo: closed.caseNo } : null;
  }
  const open = and(eq(creditRecords.claimId, after.id), isNull(creditRecords.removedOn));
  if (after.stage === 'credit_repair' && after.status === 'approved')
    tx.update(creditRecords)
      .set({ removalDueOn: courtListDeletionDeadline(calendar, today) })
      .where(open)
      .run();
  if (after.stage === 'credit_repair' && after.status === 'certified')
    tx.update(creditRecords).set({ removedOn: today }).where(open).run();
  return null;
}
