// Intake screening of a validated claim (DESIGN §3 intake stage; DOMAIN §2, §3, §8). It decides which
// screening action the lifecycle applies and records why; nothing here reduces a claim silently: the
// part above a rate cap is only computed and marked, for legal staff to act on.
import type { NormalizedClaimRow } from './claim-row.js';
import { classify, type LoanClass } from './five-tier.js';
import { type LimitationInput, limitationExpiresOn, plainlyExpired } from './limitation.js';
import { formatYuanWithSymbol, sumFen } from './money.js';
import {
  assessRate,
  formatBp,
  interestAboveCapFen,
  LPR_CAP_MULTIPLIER,
  type LprRow,
  type RateAssessment,
} from './rate-cap.js';
import type { LenderType } from './roles.js';

export type ScreeningOutcome = 'eligible' | 'needs_fix' | 'rejected' | 'flagged';
/** Lifecycle actions (lifecycle.ts) the outcomes map to; a flagged claim goes on as eligible. */
export type ScreeningAction = 'screen_eligible' | 'screen_needs_fix' | 'screen_reject';
export type ScreeningReason = { code: string; message: string };

export type ScreeningResult = {
  outcome: ScreeningOutcome;
  action: ScreeningAction;
  reasons: ScreeningReason[];
  loanClass: LoanClass;
  riskScore: number;
  /** Interest, penalty and fees above the applicable cap, in fen: marked unenforceable, not removed. */
  aboveCapFen: number;
  limitationExpiresOn: string;
  rate: RateAssessment | null;
};

export type ScreeningContext = { asOf: string; lenderType: LenderType; lprRows: readonly LprRow[] };

const ACTIONS: Readonly<Record<ScreeningOutcome, ScreeningAction>> = {
  eligible: 'screen_eligible',
  flagged: 'screen_eligible',
  needs_fix: 'screen_needs_fix',
  rejected: 'screen_reject',
};

const LENDER_NAMES: Readonly<Record<LenderType, string>> = {
  licensed: 'licensed lenders',
  local_financial: 'local financial organisations such as small-loan companies',
  private: 'private lenders',
};

/** Screens a validated claim: rejected (limitation) > needs_fix (no rate, no written address) > flagged (rate above cap) > eligible. */
export function screenClaim(row: NormalizedClaimRow, ctx: ScreeningContext): ScreeningResult {
  const reasons: ScreeningReason[] = [];

  // At import no interrupting event is known yet, so the period runs from the due date alone.
  const limitation: LimitationInput = { dueDate: row.dueDate, interruptions: [] };
  const expiresOn = limitationExpiresOn(limitation);
  const expired = plainlyExpired(limitation, ctx.asOf);
  if (expired) {
    reasons.push({
      code: 'limitation_expired',
      message: `The 3-year limitation period counted from the due date ${row.dueDate} ended on ${expiresOn} and no interruption is known; the debtor may refuse to pay, so the claim needs legal review before any step.`,
    });
  }

  if (row.annualRateBp === null) {
    reasons.push({
      code: 'rate_missing',
      message: 'The annual rate is missing, so the legal interest cap cannot be checked.',
    });
  }
  if (row.address === null && row.email === null) {
    reasons.push({
      code: 'no_service_address',
      message: 'Neither a postal address nor an e-mail address is given, so notices could not be served in writing.',
    });
  }

  const rate =
    row.annualRateBp === null
      ? null
      : assessRate({
          lenderType: ctx.lenderType,
          contractDate: row.loanDate,
          annualRateBp: row.annualRateBp,
          lprRows: ctx.lprRows,
        });
  const aboveCapFen =
    rate === null || row.annualRateBp === null
      ? 0
      : interestAboveCapFen({
          interestFen: row.interestFen,
          penaltyFen: row.penaltyFen,
          feesFen: row.feesFen,
          annualRateBp: row.annualRateBp,
          applicableCapBp: rate.applicableCapBp,
        });
  if (rate?.flagged && row.annualRateBp !== null) {
    reasons.push({
      code: 'rate_above_cap',
      message: aboveCapMessage(row.annualRateBp, rate, ctx.lenderType, row.loanDate, aboveCapFen),
    });
  }

  const outcome: ScreeningOutcome = expired
    ? 'rejected'
    : reasons.some((r) => r.code === 'rate_missing' || r.code === 'no_service_address')
      ? 'needs_fix'
      : rate?.flagged
        ? 'flagged'
        : 'eligible';

  const outstandingFen = sumFen(row.principalFen, row.interestFen, row.penaltyFen, row.feesFen) - aboveCapFen;
  // Without a rate the score adds no rate points; the claim is sent back for the rate anyway.
  const { loanClass, riskScore } = classify({
    overdueDays: row.overdueDays,
    outstandingFen,
    guarantee: row.guarantee,
    annualRateBp: row.annualRateBp ?? 0,
  });

  return {
    outcome,
    action: ACTIONS[outcome],
    reasons,
    loanClass,
    riskScore,
    aboveCapFen,
    limitationExpiresOn: expiresOn,
    rate,
  };
}

function aboveCapMessage(
  rateBp: number,
  rate: RateAssessment,
  lenderType: LenderType,
  loanDate: string,
  aboveCapFen: number,
): string {
  const basis =
    lenderType === 'private'
      ? ` (${LPR_CAP_MULTIPLIER} × the one-year LPR of ${formatBp(rate.applicableCapBp / LPR_CAP_MULTIPLIER)} in force on the loan date ${loanDate})`
      : '';
  return (
    `${formatBp(rateBp)} is above the ${formatBp(rate.applicableCapBp)} line that applies to ${LENDER_NAMES[lenderType]}${basis}; ` +
    `${formatYuanWithSymbol(aboveCapFen)} of the interest, penalty and fees lies above it and is marked unenforceable.`
  );
}
