/**
 * One sample claim written as an import would write it (debtor, rate check, class, screening) and then
 * walked along a path of actions through the lifecycle engine, so that its event chain is real. The
 * demo seed and the test factories both make their claims here.
 */
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, claims, type Organisation } from '../../db/schema/index.js';
import { loanColumns } from '../../domain/claim-row.js';
import { shanghaiDate } from '../../domain/dates.js';
import { classify } from '../../domain/five-tier.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import type { Actor, ActorKind } from '../../domain/lifecycle.js';

import { assessRate, interestAboveCapFen, type LprRow } from '../../domain/rate-cap.js';
import { applyTransition } from '../claims/apply-transition.js';
import { takeRecordedStep } from '../court/recorded-steps.js';
import { upsertDebtor } from '../debtors/store.js';
import type { Step } from './demo-positions.js';
import type { SampleClaim } from './sample-claims.js';

const SCREENING_BY_FIRST_STEP: Record<string, 'eligible' | 'needs_fix' | 'limitation_review'> = {
  screen_eligible: 'eligible',
  screen_needs_fix: 'needs_fix',
  screen_limitation_review: 'limitation_review',
};

export interface SeedClaimInput {
  creditor: Organisation;
  mediationOrgId: number;
  courtOrgId: number;
  /** The batch the claim came in with, if any. */
  batchId?: number;
  assignee: { id: number; displayName: string } | null;
  sample: SampleClaim;
  steps: readonly Step[];
  /** Who takes a step of each kind (an assigned mediator's steps are theirs). */
  actors: Record<ActorKind, Actor>;
  /** The day the claims are as of (Shanghai), and when the first step is taken; one step every `stepMs`. */
  today: string;
  startAt: Date;
  stepMs: number;
  calendar: HolidayCalendar;
  lprRows: LprRow[];
  crypto: FieldCrypto;
  /** When the debtor's record is written. */
  now: Date;
}

export function seedClaim(tx: DbOrTx, input: SeedClaimInput): Claim {
  const { creditor, sample: s, assignee } = input;
  const debtor = upsertDebtor(tx, input.crypto, s, input.now);
  const rate = assessRate({
    lenderType: creditor.lenderType!,
    contractDate: s.loanDate,
    annualRateBp: s.annualRateBp,
    lprRows: input.lprRows,
  });
  const { loanClass, riskScore } = classify({
    overdueDays: s.overdueDays,
    outstandingFen: s.principalFen + s.interestFen,
    guarantee: s.guarantee,
    annualRateBp: s.annualRateBp,
  });
  const screening = SCREENING_BY_FIRST_STEP[input.steps[0]?.[0] ?? ''] ?? null;
  const litigationAllowed = (creditor.settlementPolicy as { litigationAllowed?: boolean } | null)?.litigationAllowed;
  let at = input.startAt;
  let claim: Claim = tx
    .insert(claims)
    .values({
      creditorOrgId: creditor.id,
      debtorId: debtor.id,
      batchId: input.batchId ?? null,
      ...loanColumns(s, input.today),
      loanClass,
      riskScore,
      aboveCapFen: interestAboveCapFen({ ...s, applicableCapBp: rate.applicableCapBp }),
      screening: screening === 'eligible' && rate.flagged ? 'flagged' : screening,
      stage: 'intake',
      status: 'screening',
      litigationAllowed: litigationAllowed ?? true,
      mediationOrgId: input.mediationOrgId,
      courtOrgId: input.courtOrgId,
      assigneeId: assignee?.id ?? null,
      createdAt: at,
      updatedAt: at,
    })
    .returning()
    .get();

  for (const [action, kind] of input.steps) {
    // A creditor whose policy keeps failed claims out of court: they stay failed in court mediation.
    if (action === 'file_suit' && !claim.litigationAllowed) break;
    const actor =
      kind === 'mediator' && assignee ? { kind, id: assignee.id, name: assignee.displayName } : input.actors[kind];
    claim =
      takeRecordedStep(tx, claim, action, { actor, now: at, today: shanghaiDate(at), calendar: input.calendar }) ??
      applyTransition(tx, claim, action, actor, at, { calendar: input.calendar, reason: 'demo data' });
    at = new Date(at.getTime() + input.stepMs);
  }
  return claim;
}
