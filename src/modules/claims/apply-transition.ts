/**
 * The one way a claim's position changes: run the pure lifecycle function, write the claim guarded by
 * its version, write the court's record of the stage (court-cases/stage-records.ts), and append the
 * event, all inside the caller's transaction.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, claims } from '../../db/schema/index.js';
import { type Actor, type TransitionOptions, transition } from '../../domain/lifecycle.js';
import { AppError } from '../../errors.js';
import { recordCourtStage } from '../court-cases/stage-records.js';
import { appendClaimEvent } from './events.js';

export function applyTransition(
  tx: DbOrTx,
  claim: Claim,
  action: string,
  actor: Actor,
  now: Date,
  options: TransitionOptions & { data?: Record<string, unknown> },
): Claim {
  const result = transition(claim, action, actor, now, options);
  if (!result.ok) throw new AppError('transition_forbidden', result.error.detail, { reason: result.error.code });
  const next = result.claim;
  const changed = tx
    .update(claims)
    .set({
      stage: next.stage,
      status: next.status,
      hold: next.hold,
      enforceableTitle: next.enforceableTitle,
      creditListing: next.creditListing,
      stageDeadline: next.stageDeadline,
      version: claim.version + 1,
      updatedAt: now,
    })
    .where(and(eq(claims.id, claim.id), eq(claims.version, claim.version)))
    .run().changes;
  if (changed === 0) throw versionConflict();
  const moved = { ...next, version: claim.version + 1, updatedAt: now };
  const court = recordCourtStage(tx, claim, moved, now, options.calendar);
  const { event } = result;
  const data = {
    ...(event.deadline ? { deadline: event.deadline } : {}),
    ...(court ? { courtCaseId: court.courtCaseId, caseNo: court.caseNo } : {}),
    ...options.data,
  };
  appendClaimEvent(tx, {
    claimId: claim.id,
    action,
    from: event.from,
    to: event.to,
    actor,
    reason: event.reason,
    data: Object.keys(data).length > 0 ? data : null,
    at: now,
  });
  return court ? { ...moved, courtOrgId: court.courtOrgId } : moved;
}

export const versionConflict = () =>
  new AppError('version_conflict', 'The claim was changed by someone else since you read it. Reload it and try again.');
