import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateSettlement, apportion } from './settlement-allocation.js';

describe('apportion', () => {
  it('splits in proportion and gives the remainders to the largest fractions', () => {
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(10, [5, 3, 2])).toEqual([5, 3, 2]);
    expect(apportion(0, [0, 0])).toEqual([0, 0]);
    expect(() => apportion(1, [0, 0])).toThrow(RangeError);
  });
});

describe('allocateSettlement: the 4-contract settlement of issue 15', () => {
  // ¥20,000 over four contracts owing ¥8,000, ¥6,000, ¥4,000 and ¥4,400.
  const claims = [
    { claimId: 1, owedFen: 800_000, reliefFen: 0 },
    { claimId: 2, owedFen: 600_000, reliefFen: 0 },
    { claimId: 3, owedFen: 400_000, reliefFen: 0 },
    { claimId: 4, owedFen: 440_000, reliefFen: 0 },
  ];

  it('gives each contract its own share, waiver and instalments', () => {
    const r = allocateSettlement(2_000_000, claims, [1_000_000, 500_000, 500_000]);
    expect(r.map((c) => c.shareFen)).toEqual([714_286, 535_714, 357_143, 392_857]);
    expect(r.map((c) => c.waivedFen)).toEqual([85_714, 64_286, 42_857, 47_143]);
    expect(r[0]!.instalmentsFen).toEqual([357_143, 178_572, 178_571]);
    expect(r.reduce((s, c) => s + c.shareFen, 0)).toBe(2_000_000);
  });

  it('keeps a hardship relief on the claim it covers', () => {
    const relieved = claims.map((c) => (c.claimId === 4 ? { ...c, reliefFen: 40_000 } : c));
    const r = allocateSettlement(2_200_000, relieved, [2_200_000]);
    // Bases 800,000 / 600,000 / 400,000 / 400,000 add up to the total: every claim pays its base.
    expect(r.map((c) => c.waivedFen)).toEqual([0, 0, 0, 40_000]);
  });

  it('refuses a plan that does not add up, and a total above what is owed', () => {
    expect(() => allocateSettlement(2_000_000, claims, [1_000_000, 999_999])).toThrow(/do not add up/);
    expect(() => allocateSettlement(2_240_001, claims, [2_240_001])).toThrow(/more than/);
  });
});

describe('allocateSettlement: property', () => {
  const scenario = fc
    .array(
      fc.record({ owedFen: fc.integer({ min: 0, max: 50_000_000 }), reliefPct: fc.integer({ min: 0, max: 100 }) }),
      { minLength: 1, maxLength: 12 },
    )
    .chain((rows) => {
      const owed = rows.reduce((s, r) => s + r.owedFen, 0);
      return fc.record({
        rows: fc.constant(rows),
        total: fc.integer({ min: 0, max: owed }),
        cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 35 }),
      });
    });

  it('shares add up to the total and each instalment to its amount, to the fen, within what each claim owes', () => {
    fc.assert(
      fc.property(scenario, ({ rows, total, cuts }) => {
        const claims = rows.map((r, i) => ({
          claimId: i + 1,
          owedFen: r.owedFen,
          reliefFen: Math.floor((r.owedFen * r.reliefPct) / 100),
        }));
        const points = cuts.map((c) => Math.floor(c * total)).sort((a, b) => a - b);
        const instalments = [...points, total].map((p, i, all) => p - (i === 0 ? 0 : all[i - 1]!));
        const r = allocateSettlement(total, claims, instalments);
        expect(r.reduce((s, c) => s + c.shareFen, 0)).toBe(total);
        instalments.forEach((amount, j) => {
          expect(r.reduce((s, c) => s + c.instalmentsFen[j]!, 0)).toBe(amount);
        });
        for (const c of r) {
          expect(c.shareFen).toBeGreaterThanOrEqual(0);
          expect(c.shareFen + c.waivedFen).toBe(c.owedFen);
          expect(c.waivedFen).toBeGreaterThanOrEqual(0);
          expect(c.instalmentsFen.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
          expect(c.instalmentsFen.reduce((s, x) => s + x, 0)).toBe(c.shareFen);
        }
      }),
      { numRuns: 500 },
    );
  });
});
