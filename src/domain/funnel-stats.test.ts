import { describe, expect, it } from 'vitest';
import { cycleTime, median, ratioBp, trendOf } from './funnel-stats.js';

describe('funnel statistics arithmetic', () => {
  it('takes the median of odd and even counts, none of nothing', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('gives rates in basis points rounded down, 0 over nothing', () => {
    expect(ratioBp(1, 3)).toBe(3333);
    expect(ratioBp(5, 0)).toBe(0);
  });

  it('counts stays in days to one decimal', () => {
    expect(cycleTime('people_mediation', [86_400_000, 2 * 86_400_000, 6 * 86_400_000])).toEqual({
      stage: 'people_mediation',
      stays: 3,
      averageDays: 3,
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
