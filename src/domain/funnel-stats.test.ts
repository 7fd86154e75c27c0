import { describe, expect, it } from 'vitest';
import { cycleTime, medianTenths, ratioBp, trendOf } from './funnel-stats.js';

describe('funnel statistics arithmetic', () => {
  it('takes the median of odd and even counts of stays by tenths of a day, none of nothing', () => {
    const b = (tenths: number, stays = 1) => ({ tenths, stays, totalMs: tenths * 8_640_000 * stays });
    expect(medianTenths([b(50), b(10), b(30)])).toBe(30);
    expect(medianTenths([b(40), b(10), b(30), b(20)])).toBe(25);
    expect(medianTenths([b(10, 3), b(90, 2)])).toBe(10);
    expect(medianTenths([b(10, 2), b(90, 2)])).toBe(50);
    expect(medianTenths([b(10, 0)])).toBeNull();
    expect(medianTenths([])).toBeNull();
  });

  it('gives rates in basis points rounded down, 0 over nothing', () => {
    expect(ratioBp(1, 3)).toBe(3333);
    expect(ratioBp(5, 0)).toBe(0);
  });

  it('counts stays in days to one decimal', () => {
    // Stays of 1, 2 and 6 days and one of 2.04 days (to 2.0): the average is of the exact lengths.
    const stays = [
      { tenths: 10, stays: 1, totalMs: 86_400_000 },
      { tenths: 20, stays: 2, totalMs: 2 * 86_400_000 + 176_256_000 },
      { tenths: 60, stays: 1, totalMs: 6 * 86_400_000 },
    ];
    expect(cycleTime('people_mediation', stays)).toEqual({
      stage: 'people_mediation',
      stays: 4,
      averageDays: 2.8,
      medianDays: 2,
    });
    expect(cycleTime('litigation')).toEqual({ stage: 'litigation', stays: 0, averageDays: null, medianDays: null });
  });

  it('sums the rows of a day before taking its rates', () => {
    const row = { mediationOrgId: 0, courtOrgId: 0, breaches: 0 };
    const trend = trendOf([
      {
        ...row,
        day: '2026-11-20',
        creditorOrgId: 1,
        claims: 10,
        claimedFen: 1000,
        recoveredFen: 100,
        settled: 1,
        byStage: { closed: 10 },
      },
      {
        ...row,
        day: '2026-11-19',
        creditorOrgId: 1,
        claims: 4,
        claimedFen: 400,
        recoveredFen: 0,
        settled: 0,
        byStage: {},
      },
      {
        ...row,
        day: '2026-11-20',
        creditorOrgId: 2,
        claims: 30,
        claimedFen: 1000,
        recoveredFen: 400,
        settled: 9,
        byStage: { closed: 5 },
      },
    ]);
    expect(trend.map((d) => [d.day, d.claims, d.settlementRateBp, d.recoveryBp, d.byStage])).toEqual([
      ['2026-11-19', 4, 0, 0, {}],
      ['2026-11-20', 40, 2500, 2500, { closed: 15 }],
    ]);
  });
});
