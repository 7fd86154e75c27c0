/**
 * One job action on one claim, by the same service verb the single-claim route calls, so a claim
 * moves in a batch exactly as it would alone (the lifecycle table, its court record, its events).
 */
import { and, desc, eq } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { type CourtCase, courtCases } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { findClaim } from '../claims/access.js';
import type { ClaimService } from '../claims/service.js';
import type { ConfirmationService } from '../court/confirmation.js';
import type { CourtRecordService } from '../court/court-record-service.js';
import type { MeasureInput } from '../court/schemas.js';
import type { BatchAction } from './schemas.js';

export interface ClaimActionVerbs {
  db: DB;
  claims: ClaimService;
  confirmations: ConfirmationService;
  records: CourtRecordService;
}

export interface ActionPayload {
  reason?: string;
  measure?: MeasureInput;
}

/** The claim's latest court case of `kind` (in `status`, if given), or a refusal naming what is missing. */
function caseOf(
  verbs: ClaimActionVerbs,
  p: Principal,
  claimId: number,
  kind: string,
  status: CourtCase['status'] | null,
  missing: string,
) {
  findClaim(verbs.db, p, claimId);
  const found = verbs.db
    .select({ id: courtCases.id })
    .from(courtCases)
    .where(
      and(
        eq(courtCases.claimId, claimId),
        eq(courtCases.kind, kind),
        status ? eq(courtCases.status, status) : undefined,
      ),
    )
    .orderBy(desc(courtCases.id))
    .get();
  if (!found) throw new AppError('transition_forbidden', `Claim ${claimId} ${missing}.`, { reason: 'no_court_case' });
  return found.id;
}

export function actOn(
  verbs: ClaimActionVerbs,
  p: Principal,
  action: BatchAction,
  payload: ActionPayload,
  claimId: number,
) {
  if (action === 'grant_confirmation') {
    const caseId = caseOf(
      verbs,
      p,
      claimId,
      'judicial_confirmation',
      'pending',
      'has no application for judicial confirmation before the court',
    );
    verbs.confirmations.grant(p, caseId, undefined);
  } else if (action === 'record_measure') {
    const caseId = caseOf(verbs, p, claimId, 'enforcement', null, 'has no enforcement case');
    verbs.records.measure(p, caseId, payload.measure!);
  } else {
    verbs.claims.transitionCurrent(p, claimId, { action, ...(payload.reason ? { reason: payload.reason } : {}) });
  }
}
