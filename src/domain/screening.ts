// Intake screening of a validated claim (DESIGN §3 intake stage; DOMAIN §2, §3, §8). It decides which
// screening action the lifecycle applies and records why; nothing here reduces a claim silently: the
// part above a rate cap is only computed and marked, for legal staff to act on.
import type { NormalizedClaimRow } from './claim-row.js';
import { classify, type LoanClass } from './five-tier.js';
import { cnCalendar2025_2026, type HolidayCalendar } from './holiday-calendar.js';
import { computeLimitation, type Limitation, plainlyExpired } from './limitation.js';
import { formatYuanWithSymbol, sumFen } from './money.js';
import {
  assessRate,
  assessTransitionalPrivateLoan,
  formatBp,
  interestAboveCapFen,
  isTransitionalPrivateLoan,
  LPR_CAP_MULTIPLIER,
  type LprRow,
  type RateAssessment,
  type TransitionAssessment,
} from './rate-cap.js';
import type { LenderType } from './roles.js';

export type ScreeningOutcome = 'eligible' | 'needs_fix' | 'limitation_review' | 'flagged';
/** Lifecycle actions (lifecycle.ts) the outcomes map to; a flagged claim goes on as eligible. */
export type ScreeningAction = 'screen_eligible' | 'screen_needs_fix' | 'screen_limitation_review';
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
  /** Private loans formed before 2020-08-20: the two parts of 法释〔2020〕17号 art. 31. */
  transition: TransitionAssessment | null;
};

export type ScreeningContext = {
  asOf: string;
  lenderType: LenderType;
  lprRows: readonly LprRow[];
  /** Working days for the art. 203 end of the limitation period; the seeded calendar when not given. */
  calendar?: HolidayCalendar;
};

const ACTIONS: Readonly<Record<ScreeningOutcome, ScreeningAction>> = {
  eligible: 'screen_eligible',
  flagged: 'screen_eligible',
  needs_fix: 'screen_needs_fix',
  limitation_review: 'screen_limitation_review',
};

const LENDER_NAMES: Readonly<Record<LenderType, string>> = {
  licensed: '持牌金融机构',
  local_financial: '小额贷款公司等地方金融组织',
  private: '民间借贷出借人',
};

/** Screens a validated claim: limitation_review > needs_fix (no rate, no way of service) > flagged (rate above cap) > eligible. */
export function screenClaim(row: NormalizedClaimRow, ctx: ScreeningContext): ScreeningResult {
  const reasons: ScreeningReason[] = [];

  // At import no interrupting event is known yet, so the period runs from the due date alone.
  const limitation = computeLimitation(
    { dueDate: row.dueDate, interruptions: [] },
    ctx.calendar ?? cnCalendar2025_2026,
  );
  const expired = plainlyExpired(limitation, ctx.asOf);
  if (expired) reasons.push({ code: 'limitation_expired', message: limitationMessage(limitation) });

  if (row.annualRateBp === null) {
    reasons.push({ code: 'rate_missing', message: '缺少年化利率，无法核对法定利率上限。' });
  }
  // A notice needs a way of service: post to the address, e-mail, or an SMS link when the debtor
  // consented to electronic service (CPL art. 90); the phone alone without consent is not one.
  if (row.address === null && row.email === null && !row.eServiceConsent) {
    reasons.push({
      code: 'no_service_address',
      message: '既无联系地址也无电子邮箱，且借款人未同意电子送达，通知无法送达。',
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
  const transition =
    row.annualRateBp !== null && isTransitionalPrivateLoan(ctx.lenderType, row.loanDate)
      ? assessTransitionalPrivateLoan({
          loanDate: row.loanDate,
          accruedTo: ctx.asOf,
          filedOn: ctx.asOf,
          annualRateBp: row.annualRateBp,
          chargesFen: sumFen(row.interestFen, row.penaltyFen, row.feesFen),
          lprRows: ctx.lprRows,
        })
      : null;
  const aboveCapFen =
    rate === null || row.annualRateBp === null
      ? 0
      : transition
        ? transition.aboveCapFen
        : interestAboveCapFen({
            interestFen: row.interestFen,
            penaltyFen: row.penaltyFen,
            feesFen: row.feesFen,
            annualRateBp: row.annualRateBp,
            applicableCapBp: rate.applicableCapBp,
          });
  if (transition && aboveCapFen > 0 && row.annualRateBp !== null) {
    reasons.push({ code: 'rate_above_cap', message: transitionMessage(row.annualRateBp, transition) });
  } else if (!transition && rate?.flagged && row.annualRateBp !== null) {
    reasons.push({
      code: 'rate_above_cap',
      message: aboveCapMessage(row.annualRateBp, rate, ctx.lenderType, row.loanDate, aboveCapFen),
    });
  }
  const flagged = transition ? aboveCapFen > 0 : (rate?.flagged ?? false);

  const outcome: ScreeningOutcome = expired
    ? 'limitation_review'
    : reasons.some((r) => r.code === 'rate_missing' || r.code === 'no_service_address')
      ? 'needs_fix'
      : flagged
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
    limitationExpiresOn: limitation.expiresOn,
    rate,
    transition,
  };
}

const START_NAMES = {
  due_date: '到期日',
  last_instalment: '最后一期到期日',
  acceleration: '宣布提前到期之日',
} as const;

function limitationMessage(limitation: Limitation): string {
  const from =
    limitation.countedFrom.kind in START_NAMES
      ? START_NAMES[limitation.countedFrom.kind as keyof typeof START_NAMES]
      : '最近一次中断事由';
  return (
    `自${from}${limitation.countedFrom.on}起算的三年诉讼时效已于${limitation.expiresOn}届满，且未知有中断事由；` +
    '债务人可以提出不履行的抗辩（民法典第一百九十二条），需由债权人决定是否继续。'
  );
}

function transitionMessage(rateBp: number, t: TransitionAssessment): string {
  const [before, after] = t.parts;
  return (
    `年化利率${formatBp(rateBp)}；借款发生于2020年8月20日之前，按法释〔2020〕17号第三十一条分段计算：` +
    `${before.from}至${before.to}的${formatYuanWithSymbol(before.chargesFen)}按原规定${formatBp(before.capBp)}上限，超过部分${formatYuanWithSymbol(before.aboveCapFen)}` +
    `${t.aboveVoidLine ? '（利率超过36%，超过部分无效）' : ''}；` +
    `${after.from}至${after.to}的${formatYuanWithSymbol(after.chargesFen)}按起诉时一年期LPR的${LPR_CAP_MULTIPLIER}倍即${formatBp(after.capBp)}上限，超过部分${formatYuanWithSymbol(after.aboveCapFen)}；` +
    `合计${formatYuanWithSymbol(t.aboveCapFen)}超过法定上限，标记为不予主张。`
  );
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
      ? `（借款日${loanDate}适用的一年期LPR ${formatBp(rate.applicableCapBp / LPR_CAP_MULTIPLIER)}的${LPR_CAP_MULTIPLIER}倍）`
      : '';
  return (
    `年化利率${formatBp(rateBp)}高于${LENDER_NAMES[lenderType]}适用的${formatBp(rate.applicableCapBp)}上限${basis}；` +
    `利息、罚息和费用中${formatYuanWithSymbol(aboveCapFen)}超过上限，标记为不予主张。`
  );
}
