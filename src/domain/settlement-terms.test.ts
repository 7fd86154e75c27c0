import { describe, expect, it } from 'vitest';
import { DEPENDANT_ALLOWANCE_FEN, monthlyCapacityFen, suggestPlan } from './affordable-plan.js';
import { addMonths } from './dates.js';
import {
  checkPlan,
  describeBreaches,
  limitBreaches,
  NO_CONCESSION_LIMITS,
  offerBasis,
  type SettlementPlan,
  strictestLimits,
} from './settlement-terms.js';

const limits = { maxDiscountPct: 30, maxInstalments: 12, minFirstPaymentPct: 10 };
const claim = { principalFen: 800_000, interestFen: 100_000, penaltyFen: 80_000, feesFen: 20_000, aboveCapFen: 0 };
const relief = { waiveInterest: true, waivePenalty: true, maxInstalments: 36 };

describe('offer basis', () => {
  it('excludes the part above the legal cap from the enforceable amount', () => {
    const b = offerBasis([claim, { ...claim, aboveCapFen: 50_000 }], limits, null);
    expect(b).toMatchObject({ enforceableFen: 1_950_000, waivedFen: 0, baseFen: 1_950_000, hardship: false, limits });
  });

  it('waives interest and penalty under a granted hardship request and allows longer plans', () => {
    const b = offerBasis([claim, { ...claim, aboveCapFen: 30_000 }], limits, relief);
    // 180,000 of interest and penalty on the first claim; 150,000 left of them after the cap on the second.
    expect(b).toMatchObject({ enforceableFen: 1_970_000, waivedFen: 330_000, baseFen: 1_640_000, hardship: true });
    expect(b.limits.maxInstalments).toBe(36);
    // A creditor more generous than the hardship plan keeps its own limit.
    expect(offerBasis([claim], { ...limits, maxInstalments: 48 }, relief).limits.maxInstalments).toBe(48);
    expect(offerBasis([claim], limits, { ...relief, waiveInterest: false })).toMatchObject({
      waivedFen: 80_000,
      baseFen: 920_000,
    });
  });

  it('keeps to the strictest of several limits, and to no concession without any', () => {
    expect(strictestLimits([limits, { maxDiscountPct: 40, maxInstalments: 6, minFirstPaymentPct: 5 }])).toEqual({
      maxDiscountPct: 30,
      maxInstalments: 6,
      minFirstPaymentPct: 10,
    });
    expect(strictestLimits([])).toEqual(NO_CONCESSION_LIMITS);
  });
});

describe('plans and limits', () => {
  const basis = offerBasis([claim], limits, null);
  const plan = (totalFen: number, amounts: number[], kind: SettlementPlan['kind'] = 'instalments'): SettlementPlan => ({
    kind,
    totalFen,
    instalments: amounts.map((amountFen, i) => ({ dueDate: addMonths('2026-12-01', i), amountFen })),
  });
  const today = '2026-11-20';

  it('accepts a coherent plan and finds it inside the limits', () => {
    const p = plan(900_000, [300_000, 300_000, 300_000]);
    expect(checkPlan(p, { today, enforceableFen: basis.enforceableFen })).toBeNull();
    expect(limitBreaches(p, basis)).toEqual([]);
  });

  it('refuses incoherent plans with a reason', () => {
    const e = basis.enforceableFen;
    expect(checkPlan(plan(900_000, [300_000, 300_000]), { today, enforceableFen: e })?.code).toBe('instalments_sum');
    expect(checkPlan(plan(900_000, [450_000, 450_000], 'lump_sum'), { today, enforceableFen: e })?.code).toBe(
      'kind_mismatch',
    );
    expect(checkPlan(plan(900_000, [900_000]), { today, enforceableFen: e })?.code).toBe('kind_mismatch');
    expect(
      checkPlan(
        {
          kind: 'instalments',
          totalFen: 2,
          instalments: [
            { dueDate: '2026-12-01', amountFen: 1 },
            { dueDate: '2026-12-01', amountFen: 1 },
          ],
        },
        { today, enforceableFen: e },
      )?.code,
    ).toBe('dates_order');
    expect(
      checkPlan(
        { kind: 'lump_sum', totalFen: 5, instalments: [{ dueDate: '2026-11-19', amountFen: 5 }] },
        { today, enforceableFen: e },
      )?.code,
    ).toBe('due_in_past');
    expect(checkPlan(plan(e + 1, [e + 1], 'lump_sum'), { today, enforceableFen: e })?.code).toBe('above_enforceable');
  });

  it('names each limit a plan breaks, at the exact boundary', () => {
    // 30% of 1,000,000 is exactly the limit; one fen more is a breach.
    expect(limitBreaches(plan(700_000, [100_000, 600_000]), basis)).toEqual([]);
    const breaches = limitBreaches(plan(699_999, [69_999, 630_000]), basis);
    expect(breaches).toEqual([
      { limit: 'maxDiscountPct', allowed: 30, proposed: 30 },
      { limit: 'minFirstPaymentPct', allowed: 10, proposed: 10 },
    ]);
    const long = plan(
      1_000_000,
      Array(13)
        .fill(0)
        .map((_, i) => (i === 0 ? 100_000 : 75_000)),
    );
    expect(limitBreaches(long, basis)).toEqual([{ limit: 'maxInstalments', allowed: 12, proposed: 13 }]);
    expect(
      describeBreaches([
        { limit: 'maxDiscountPct', allowed: 30, proposed: 35.5 },
        { limit: 'maxInstalments', allowed: 12, proposed: 13 },
      ]),
    ).toBe('discount 35.5% (limit 30%); 13 instalments (limit 12)');
  });
});

describe('affordable plan', () => {
  const means = (income: number, expenses: number, dependants = 0) => ({
    monthlyIncomeFen: income,
    essentialExpensesFen: expenses,
    dependants,
  });

  it('takes half of what is left after expenses and dependants, in whole yuan', () => {
    expect(monthlyCapacityFen(means(600_000, 300_000))).toBe(150_000);
    expect(monthlyCapacityFen(means(600_000, 300_000, 2))).toBe((300_000 - 2 * DEPENDANT_ALLOWANCE_FEN) / 2);
    expect(monthlyCapacityFen(means(600_055, 300_000))).toBe(150_000);
    expect(monthlyCapacityFen(means(300_000, 300_000))).toBe(0);
  });

  it('asks the full amount when the debtor can pay it within the instalment limit', () => {
    const basis = offerBasis([claim], limits, null);
    const s = suggestPlan({ basis, means: means(600_000, 300_000), firstDueDate: '2026-11-27' });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.plan.totalFen).toBe(1_000_000);
    expect(s.plan.kind).toBe('instalments');
    expect(s.plan.instalments.map((i) => i.amountFen)).toEqual([
      150_000, 150_000, 150_000, 150_000, 150_000, 150_000, 100_000,
    ]);
    expect(s.plan.instalments.map((i) => i.dueDate).slice(0, 3)).toEqual(['2026-11-27', '2026-12-27', '2027-01-27']);
    expect(limitBreaches(s.plan, basis)).toEqual([]);
    expect(checkPlan(s.plan, { today: '2026-11-20', enforceableFen: basis.enforceableFen })).toBeNull();
  });

  it('discounts only as far as affordability needs, inside the limit', () => {
    const basis = offerBasis([claim], { ...limits, minFirstPaymentPct: 5 }, null);
    // 60,000 a month × 12 = 720,000: a 28% discount, inside the 30% limit.
    const s = suggestPlan({ basis, means: means(400_000, 280_000), firstDueDate: '2026-11-27' });
    expect(s).toMatchObject({ ok: true, monthlyCapacityFen: 60_000, discountFen: 280_000 });
    if (s.ok) expect(limitBreaches(s.plan, basis)).toEqual([]);
  });

  it('a lump sum when one month covers it', () => {
    const basis = offerBasis(
      [{ ...claim, principalFen: 50_000, interestFen: 0, penaltyFen: 0, feesFen: 0 }],
      limits,
      null,
    );
    const s = suggestPlan({ basis, means: means(600_000, 300_000), firstDueDate: '2026-11-27' });
    expect(s).toMatchObject({
      ok: true,
      plan: { kind: 'lump_sum', totalFen: 50_000, instalments: [{ dueDate: '2026-11-27', amountFen: 50_000 }] },
    });
  });

  it('keeps the first payment at least the smallest share', () => {
    // 12 × 100,000 would pay it all, but a first payment of 100,000 is only 10% of 1,000,000 at most.
    const basis = offerBasis([claim], { ...limits, minFirstPaymentPct: 20 }, null);
    const s = suggestPlan({ basis, means: means(500_000, 300_000), firstDueDate: '2026-11-27' });
    expect(s).toMatchObject({ ok: false, reason: 'unaffordable_within_limits', minimumTotalFen: 700_000 });
    const s2 = suggestPlan({
      basis: offerBasis([claim], { ...limits, minFirstPaymentPct: 14 }, null),
      means: means(500_000, 300_000),
      firstDueDate: '2026-11-27',
    });
    expect(s2.ok).toBe(true);
    if (s2.ok) expect(s2.plan.instalments[0]!.amountFen * 100).toBeGreaterThanOrEqual(14 * s2.plan.totalFen);
  });

  it('says so when nothing inside the limits is affordable, or nothing is left to pay with', () => {
    const basis = offerBasis([claim], limits, null);
    expect(suggestPlan({ basis, means: means(200_000, 150_000), firstDueDate: '2026-11-27' })).toMatchObject({
      ok: false,
      reason: 'unaffordable_within_limits',
      monthlyCapacityFen: 25_000,
    });
    expect(suggestPlan({ basis, means: means(200_000, 250_000), firstDueDate: '2026-11-27' })).toMatchObject({
      ok: false,
      reason: 'no_capacity',
    });
  });

  it('a granted hardship request waives interest and penalty and allows a longer plan', () => {
    const m = means(300_000, 250_000);
    const open = { ...limits, minFirstPaymentPct: 0 };
    expect(suggestPlan({ basis: offerBasis([claim], open, null), means: m, firstDueDate: '2026-11-27' }).ok).toBe(
      false,
    );
    const basis = offerBasis([claim], open, relief);
    const s = suggestPlan({ basis, means: m, firstDueDate: '2026-11-27' });
    // 820,000 left after the waiver: 32 payments of 25,000 and a last of 20,000, inside 36.
    expect(s).toMatchObject({ ok: true, discountFen: 0, plan: { totalFen: 820_000 } });
    if (s.ok) expect(s.plan.instalments).toHaveLength(33);
  });
});

describe('offer basis: a hardship relief on some of the claims', () => {
  const other = { ...claim, interestFen: 40_000, penaltyFen: 10_000 };
  const list = [
    { id: 1, ...claim },
    { id: 2, ...other },
  ];

  it("relieves the covered claim's share alone, and keeps the creditor's instalment limit for the one schedule", () => {
    const b = offerBasis(list, limits, relief, (c) => c.id === 1);
    // 1,000,000 + 870,000 owed; the first claim's 180,000 of interest and penalty waived, not the second's 50,000.
    expect(b).toMatchObject({ enforceableFen: 1_870_000, waivedFen: 180_000, baseFen: 1_690_000, hardship: true });
    expect(b.reliefFen).toEqual([180_000, 0]);
    expect(b.limits.maxInstalments).toBe(limits.maxInstalments);
    // Covering both: both relieved, and the longer plan.
    const all = offerBasis(list, limits, relief, () => true);
    expect(all).toMatchObject({ waivedFen: 230_000, reliefFen: [180_000, 50_000], hardship: true });
    expect(all.limits.maxInstalments).toBe(36);
    // Covering none is no hardship settlement.
    expect(offerBasis(list, limits, relief, () => false)).toMatchObject({
      waivedFen: 0,
      reliefFen: [0, 0],
      hardship: false,
      limits,
    });
  });
});
