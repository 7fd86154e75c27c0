import { describe, expect, it } from 'vitest';
import { reduceAmounts } from './objections.js';

const claim = {
  principalFen: 1_000_000,
  interestFen: 200_000,
  penaltyFen: 50_000,
  feesFen: 10_000,
  aboveCapFen: 80_000,
};

describe('reducing a claim after an objection', () => {
  it('keeps the amounts not given and lowers the ones given', () => {
    const r = reduceAmounts(claim, { penaltyFen: 0 });
    expect(r).toEqual({
      ok: true,
      after: { principalFen: 1_000_000, interestFen: 200_000, penaltyFen: 0, feesFen: 10_000 },
      aboveCapFen: 30_000,
    });
  });

  it('takes a reduction off the part above the cap first, never below zero or above what is left', () => {
    expect(reduceAmounts(claim, { interestFen: 100_000 })).toMatchObject({ ok: true, aboveCapFen: 0 });
    expect(reduceAmounts(claim, { principalFen: 900_000 })).toMatchObject({ ok: true, aboveCapFen: 80_000 });
    expect(reduceAmounts(claim, { interestFen: 0, penaltyFen: 0, feesFen: 0 })).toMatchObject({
      ok: true,
      aboveCapFen: 0,
    });
  });

  it('refuses an increase, a negative or fractional amount, and a change that lowers nothing', () => {
    expect(reduceAmounts(claim, { feesFen: 10_001 })).toMatchObject({ ok: false, field: 'feesFen' });
    expect(reduceAmounts(claim, { feesFen: -1 })).toMatchObject({ ok: false, field: 'feesFen' });
    expect(reduceAmounts(claim, { feesFen: 1.5 })).toMatchObject({ ok: false, field: 'feesFen' });
    expect(reduceAmounts(claim, { principalFen: 1_000_000 })).toMatchObject({ ok: false, field: null });
    expect(reduceAmounts(claim, {})).toMatchObject({ ok: false, field: null });
  });
});
