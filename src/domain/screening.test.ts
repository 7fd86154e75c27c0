import { describe, expect, it } from 'vitest';
import type { NormalizedClaimRow } from './claim-row.js';
import { classify } from './five-tier.js';
import type { LprRow } from './rate-cap.js';
import { type ScreeningContext, screenClaim } from './screening.js';

// Change points from DOMAIN §2.3 (1-year LPR 3.45% from 2023-08-21, so 4× = 13.80%).
const lprRows: LprRow[] = [
  { publishDate: '2019-08-20', lpr1yBp: 425, lpr5yBp: 485 },
  { publishDate: '2023-08-21', lpr1yBp: 345, lpr5yBp: 420 },
  { publishDate: '2024-10-21', lpr1yBp: 310, lpr5yBp: 360 },
  { publishDate: '2025-05-20', lpr1yBp: 300, lpr5yBp: 350 },
];

const claim: NormalizedClaimRow = {
  contractNo: 'JK-001',
  name: '张三',
  idNumber: '360426199101010071',
  phone: '13800138000',
  address: '福建省泉州市鲤城区中山路1号',
  email: null,
  loanDate: '2024-01-05',
  dueDate: '2024-07-01',
  principalFen: 1_000_000,
  interestFen: 100_000,
  penaltyFen: 0,
  feesFen: 0,
  annualRateBp: 1200,
  overdueDays: 243,
  guarantee: 'none',
  eServiceConsent: false,
};

function ctx(lenderType: ScreeningContext['lenderType'], asOf = '2025-03-01'): ScreeningContext {
  return { asOf, lenderType, lprRows };
}

describe('screenClaim: eligible', () => {
  it('passes a private loan within 4 × LPR', () => {
    const r = screenClaim(claim, ctx('private'));
    expect(r).toMatchObject({
      outcome: 'eligible',
      action: 'screen_eligible',
      reasons: [],
      aboveCapFen: 0,
      limitationExpiresOn: '2027-07-01',
      loanClass: 'substandard', // 243 days > 90
      riskScore: 63, // overdue 10 + 33, amount 5, no security 15
    });
    expect(r.rate).toMatchObject({ capBp: 1380, applicableCapBp: 1380, flagged: false });
  });

  it('passes a licensed lender at 20%: above 4 × LPR but within the 24% line', () => {
    const r = screenClaim({ ...claim, annualRateBp: 2000 }, ctx('licensed'));
    expect(r.outcome).toBe('eligible');
    expect(r.rate).toMatchObject({ aboveLprCap: true, above24: false, flagged: false });
  });
});

describe('screenClaim: flagged', () => {
  it('flags a licensed lender above 24% and computes the part above the line', () => {
    const r = screenClaim({ ...claim, annualRateBp: 3600 }, ctx('licensed'));
    expect(r.outcome).toBe('flagged');
    expect(r.action).toBe('screen_eligible');
    // 100,000 fen × (36 − 24) / 36, rounded up in the debtor's favour.
    expect(r.aboveCapFen).toBe(33_334);
    expect(r.reasons).toEqual([
      {
        code: 'rate_above_cap',
        message: '年化利率36.00%高于持牌金融机构适用的24.00%上限；利息、罚息和费用中¥333.34超过上限，标记为不予主张。',
      },
    ]);
  });

  it('flags a private lender above 4 × the LPR in force on the loan date', () => {
    const r = screenClaim({ ...claim, annualRateBp: 2000 }, ctx('private'));
    expect(r.outcome).toBe('flagged');
    expect(r.reasons[0]?.message).toContain(
      '年化利率20.00%高于民间借贷出借人适用的13.80%上限（借款日2024-01-05适用的一年期LPR 3.45%的4倍）',
    );
    expect(r.aboveCapFen).toBe(31_000); // 100,000 × 6.20 / 20
  });

  it('names local financial organisations in the message', () => {
    const r = screenClaim({ ...claim, annualRateBp: 3000 }, ctx('local_financial'));
    expect(r.reasons[0]?.message).toContain('小额贷款公司等地方金融组织适用的24.00%上限');
  });

  it('splits a private loan formed before 2020-08-20 at that day and shows each part (art. 31)', () => {
    const row = { ...claim, loanDate: '2020-02-20', dueDate: '2023-02-20', interestFen: 1_928_000, annualRateBp: 3000 };
    const r = screenClaim(row, ctx('private', '2025-06-01'));
    expect(r.outcome).toBe('flagged');
    expect(r.aboveCapFen).toBe(1_084_000);
    expect(r.transition?.parts.map((p) => [p.capBp, p.chargesFen, p.aboveCapFen])).toEqual([
      [2400, 182_000, 36_400],
      [1200, 1_746_000, 1_047_600],
    ]);
    const message = r.reasons[0]?.message ?? '';
    expect(message).toContain('2020-02-20至2020-08-19的¥1,820.00按原规定24.00%上限，超过部分¥364.00');
    expect(message).toContain(
      '2020-08-20至2025-06-01的¥17,460.00按起诉时一年期LPR的4倍即12.00%上限，超过部分¥10,476.00',
    );
  });

  it('does not flag a transitional private loan within both lines', () => {
    const row = { ...claim, loanDate: '2020-02-20', dueDate: '2023-02-20', annualRateBp: 1100 };
    const r = screenClaim(row, ctx('private', '2025-06-01'));
    expect(r).toMatchObject({ outcome: 'eligible', aboveCapFen: 0, reasons: [] });
  });

  it('classifies on the outstanding amount without the part above the cap', () => {
    const row = { ...claim, principalFen: 4_900_000, interestFen: 150_000, annualRateBp: 4800 };
    const r = screenClaim(row, ctx('licensed'));
    expect(r.aboveCapFen).toBe(75_000);
    const input = { overdueDays: 243, guarantee: 'none' as const, annualRateBp: 4800 };
    expect(r.riskScore).toBe(classify({ ...input, outstandingFen: 4_975_000 }).riskScore);
    expect(r.riskScore).not.toBe(classify({ ...input, outstandingFen: 5_050_000 }).riskScore);
  });
});

describe('screenClaim: needs_fix', () => {
  it('sends back a claim without a rate', () => {
    const r = screenClaim({ ...claim, annualRateBp: null }, ctx('private'));
    expect(r).toMatchObject({ outcome: 'needs_fix', action: 'screen_needs_fix', rate: null, aboveCapFen: 0 });
    expect(r.reasons.map((x) => x.code)).toEqual(['rate_missing']);
  });

  it('sends back a claim with neither postal nor e-mail address', () => {
    const r = screenClaim({ ...claim, address: null, email: null }, ctx('private'));
    expect(r.outcome).toBe('needs_fix');
    expect(r.reasons.map((x) => x.code)).toEqual(['no_service_address']);
    expect(screenClaim({ ...claim, address: null, email: 'zhang@qq.com' }, ctx('private')).outcome).toBe('eligible');
  });

  it('wins over flagged but still computes the part above the cap', () => {
    const r = screenClaim({ ...claim, address: null, annualRateBp: 3600 }, ctx('licensed'));
    expect(r.outcome).toBe('needs_fix');
    expect(r.action).toBe('screen_needs_fix');
    expect(r.aboveCapFen).toBe(33_334);
    expect(r.reasons.map((x) => x.code)).toEqual(['no_service_address', 'rate_above_cap']);
  });
});

describe('screenClaim: limitation_review', () => {
  const old = { ...claim, loanDate: '2021-01-05', dueDate: '2021-07-01' };

  it('sends a claim whose limitation period plainly expired to the creditor, not to closure (art. 193)', () => {
    const r = screenClaim(old, ctx('private'));
    expect(r).toMatchObject({
      outcome: 'limitation_review',
      action: 'screen_limitation_review',
      limitationExpiresOn: '2024-07-01',
    });
    expect(r.reasons.map((x) => x.code)).toEqual(['limitation_expired']);
    expect(r.reasons[0]?.message).toContain('三年诉讼时效已于2024-07-01届满');
  });

  it('still runs on the last day of the period', () => {
    expect(screenClaim(old, ctx('private', '2024-07-01')).outcome).toBe('eligible');
    expect(screenClaim(old, ctx('private', '2024-07-02')).outcome).toBe('limitation_review');
  });

  it('wins over needs_fix and flagged', () => {
    const r = screenClaim({ ...old, address: null, annualRateBp: 3600 }, ctx('licensed'));
    expect(r.outcome).toBe('limitation_review');
    expect(r.action).toBe('screen_limitation_review');
    expect(r.reasons.map((x) => x.code)).toEqual(['limitation_expired', 'no_service_address', 'rate_above_cap']);
  });
});

describe('screenClaim: a way of service', () => {
  const phoneOnly = { ...claim, address: null, email: null };

  it('a phone-only claim needs fixing without consent to electronic service, and is eligible with it', () => {
    const without = screenClaim(phoneOnly, ctx('private'));
    expect(without.outcome).toBe('needs_fix');
    expect(without.reasons.map((x) => x.code)).toEqual(['no_service_address']);
    expect(without.reasons[0]!.message).toContain('未同意电子送达');
    const withConsent = screenClaim({ ...phoneOnly, eServiceConsent: true }, ctx('private'));
    expect(withConsent).toMatchObject({ outcome: 'eligible', action: 'screen_eligible', reasons: [] });
  });

  it('an e-mail or a postal address is a way of service without consent', () => {
    expect(screenClaim({ ...phoneOnly, email: 'a@example.cn' }, ctx('private')).outcome).toBe('eligible');
    expect(screenClaim({ ...phoneOnly, address: '泉州市鲤城区中山路1号' }, ctx('private')).outcome).toBe('eligible');
  });
});
