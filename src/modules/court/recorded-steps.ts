/**
 * The lifecycle steps that the court records with a case of its own (their rules name `recordedBy`),
 * taken the way the clerk takes them: for the demo seed and the test factories, which walk a claim to
 * a position step by step and must leave the same records a real walk leaves.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, claims, courtCases } from '../../db/schema/index.js';
import { addDays } from '../../domain/dates.js';
import { applyForConfirmation, grantConfirmation } from './confirmation.js';
import { recordJudgment, recordMeasure, registerCase, type StepContext } from './court-records.js';

function openCase(tx: DbOrTx, claimId: number, kind: string) {
  const found = tx
    .select()
    .from(courtCases)
    .where(and(eq(courtCases.claimId, claimId), eq(courtCases.kind, kind), eq(courtCases.status, 'pending')))
    .orderBy(desc(courtCases.id))
    .get();
  // A walk that takes the step without the stage that opens its case is a mistake in the walk.
  if (!found) throw new Error(`claim ${claimId} has no pending ${kind} case for this step`);
  return found;
}

/** The registered case of `kind` the claim's stage opened (registering it now if the clerk has not). */
function registered(tx: DbOrTx, claim: Claim, kind: string, ctx: StepContext) {
  const c = openCase(tx, claim.id, kind);
  return c.caseNo ? c : registerCase(tx, c, claim, undefined, ctx);
}

const STEPS: Record<string, (tx: DbOrTx, claim: Claim, ctx: StepContext) => void> = {
  apply_confirmation: (tx, claim, ctx) => applyForConfirmation(tx, claim, ctx),
  // A court mediation's 调解书 confirms too (its own route); the walks here only confirm applications.
  confirm: (tx, claim, ctx) =>
    grantConfirmation(tx, openCase(tx, claim.id, 'judicial_confirmation'), claim, undefined, ctx),
  judge: (tx, claim, ctx) =>
    recordJudgment(
      tx,
      registered(tx, claim, 'first_instance', ctx),
      claim,
      {
        outcome: 'judged',
        effectiveOn: addDays(ctx.today, -1),
        awardedPrincipalFen: claim.principalFen,
        awardedInterestFen: claim.interestFen,
        costsFen: 0,
      },
      ctx,
    ),
  take_measures: (tx, claim, ctx) =>
    recordMeasure(tx, registered(tx, claim, 'enforcement', ctx), claim, { kind: 'account_freeze', on: ctx.today }, ctx),
  list_debtor: (tx, claim, ctx) =>
    recordMeasure(
      tx,
      registered(tx, claim, 'enforcement', ctx),
      claim,
      { kind: 'dishonest_listing', on: ctx.today },
      ctx,
    ),
};

/** Take `action` with its court record when it has one; answers the claim as it now is, or null if it has none. */
export function takeRecordedStep(tx: DbOrTx, claim: Claim, action: string, ctx: StepContext): Claim | null {
  const step = STEPS[action];
  if (!step) return null;
  step(tx, claim, ctx);
  return tx.select().from(claims).where(eq(claims.id, claim.id)).get()!;
}
