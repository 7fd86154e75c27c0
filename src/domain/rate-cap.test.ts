import { describe, expect, it } from 'vitest';
import {
  assessRate,
  assessTransitionalPrivateLoan,
  formatBp,
  interestAboveCapFen,
  isTransitionalPrivateLoan,
  JUDICIAL_ALL_IN_LINE_BP,
  LprCsvError,
  lprOn,
  parseLprCsv,
  percentToBp,
  privateLendingCapBp,
} from './rate-cap.js';

// Lines copied from /work/shared/data/lpr-1y-5y.csv: the first rows, then the rows around each change point.
const CSV = `publish_date,lpr_1y_pct,lpr_5y_plus_pct,cap_4x_1y_pct
2019-08-20,4.25,4.85,17.00
2019-09-20,4.20,4.85,16.80
2019-10-21,4.20,4.85,16.80
2019-11-20,4.15,4.80,16.60
2020-02-20,4.05,4.75,16.20
2020-03-20,4.05,4.75,16.20
2020-04-20,3.85,4.65,15.40
2021-11-22,3.85,4.65,15.40
2021-12-20,3.80,4.65,15.20
2023-07-20,3.55,4.20,14.20
2023-08-21,3.45,4.20,13.80
2024-06-20,3.45,3.95,13.80
2024-07-22,3.35,3.85,13.40
2024-09-20,3.35,3.85,13.40
2024-10-21,3.10,3.60,12.40
2025-04-21,3.10,3.60,12.40
2025-05-20,3.00,3.50,12.00
2025-07-21,3.00,3.50,12.00
`;

const rows = parseLprCsv(CSV);

describe('percentToBp', () => {
  it('parses percents exactly', () => {
    expect(percentToBp('3.85')).toBe(385);
    expect(percentToBp('4.1')).toBe(410);
    expect(percentToBp('4')).toBe(400);
    expect(percentToBp('0.29')).toBe(29); // 0.29 * 100 is 28.999… in floating point
    expect(percentToBp('4.125')).toBeNull();
    expect(percentToBp('-1')).toBeNull();
    expect(percentToBp('abc')).toBeNull();
  });
});

describe('formatBp', () => {
  it('writes two decimals without floating point', () => {
    expect(formatBp(2400)).toBe('24.00%');
    expect(formatBp(1380)).toBe('13.80%');
    expect(formatBp(5)).toBe('0.05%');
    expect(() => formatBp(-1)).toThrow(RangeError);
  });
});

describe('parseLprCsv', () => {
  it('parses the real CSV lines to integer bp', () => {
    expect(rows).toHaveLength(18);
    expect(rows[0]).toEqual({ publishDate: '2019-08-20', lpr1yBp: 425, lpr5yBp: 485 });
    expect(rows[6]).toEqual({ publishDate: '2020-04-20', lpr1yBp: 385, lpr5yBp: 465 });
    expect(rows.at(-1)).toEqual({ publishDate: '2025-07-21', lpr1yBp: 300, lpr5yBp: 350 });
  });

  it('accepts CRLF, a BOM and sorts rows', () => {
    const text =
      '\uFEFFpublish_date,lpr_1y_pct,lpr_5y_plus_pct,cap_4x_1y_pct\r\n2020-04-20,3.85,4.65,15.40\r\n2019-08-20,4.25,4.85,17.00\r\n';
    expect(parseLprCsv(text).map((r) => r.publishDate)).toEqual(['2019-08-20', '2020-04-20']);
  });

  it('names the line of a bad row', () => {
    const head = 'publish_date,lpr_1y_pct,lpr_5y_plus_pct,cap_4x_1y_pct\n';
    expect(() => parseLprCsv('date,rate\n')).toThrow(LprCsvError);
    expect(() => parseLprCsv(`${head}2019-08-20,4.25,4.85,17.00\n2019-02-30,4.25,4.85,17.00`)).toThrow(/line 3/);
    expect(() => parseLprCsv(`${head}2019-08-20,4.25,4.85,16.00`)).toThrow(/cap_4x_1y_pct/);
    expect(() => parseLprCsv(`${head}2019-08-20,4.25,4.85,17.00\n2019-08-20,4.25,4.85,17.00`)).toThrow(/duplicate/);
    expect(() => parseLprCsv(`${head}2019-08-20,4.25%,4.85,17.00`)).toThrow(/lpr_1y_pct/);
    try {
      parseLprCsv(`${head}2019-08-20,4.25,4.85`);
      expect.unreachable();
    } catch (e) {
      expect((e as LprCsvError).line).toBe(2);
    }
  });
});

describe('lprOn', () => {
  it('is null before the first publication', () => {
    expect(lprOn(rows, '2019-08-19')).toBeNull();
  });

  it('uses the new LPR on its publication day', () => {
    expect(lprOn(rows, '2024-10-21')?.lpr1yBp).toBe(310);
    expect(lprOn(rows, '2024-10-20')?.lpr1yBp).toBe(335);
  });

  it('does not depend on row order', () => {
    expect(lprOn([...rows].reverse(), '2023-09-01')?.publishDate).toBe('2023-08-21');
  });
});

describe('privateLendingCapBp (§2.1 worked caps)', () => {
  it.each([
    ['2020-04-20', 1540],
    ['2021-11-30', 1540],
    ['2023-08-21', 1380],
    ['2024-06-30', 1380],
    ['2024-10-21', 1240],
    ['2025-04-30', 1240],
    ['2025-05-20', 1200],
  ])('contract on %s → %i bp', (date, cap) => {
    expect(privateLendingCapBp(rows, date)).toBe(cap);
  });

  it('uses the July rate for a contract one day before the August 2023 cut', () => {
    expect(privateLendingCapBp(rows, '2023-08-20')).toBe(1420);
  });

  it('uses the first row for contracts before 2019-08-20', () => {
    expect(privateLendingCapBp(rows, '2018-03-01')).toBe(1700);
  });

  it('throws on an empty table', () => {
    expect(() => privateLendingCapBp([], '2024-01-01')).toThrow(RangeError);
  });
});

describe('assessRate', () => {
  it('applies 4×LPR to private lenders', () => {
    expect(
      assessRate({ lenderType: 'private', contractDate: '2025-06-01', annualRateBp: 1500, lprRows: rows }),
    ).toEqual({
      capBp: 1200,
      aboveLprCap: true,
      above24: false,
      applicableCapBp: 1200,
      flagged: true,
    });
  });

  it('applies the 24% line to licensed and local financial lenders', () => {
    for (const lenderType of ['licensed', 'local_financial'] as const) {
      const r = assessRate({ lenderType, contractDate: '2025-06-01', annualRateBp: 1500, lprRows: rows });
      expect(r.applicableCapBp).toBe(JUDICIAL_ALL_IN_LINE_BP);
      expect(r.aboveLprCap).toBe(true);
      expect(r.flagged).toBe(false);
    }
    const high = assessRate({ lenderType: 'licensed', contractDate: '2025-06-01', annualRateBp: 2401, lprRows: rows });
    expect(high.above24).toBe(true);
    expect(high.flagged).toBe(true);
  });

  it('does not flag a rate exactly at the cap', () => {
    const r = assessRate({ lenderType: 'private', contractDate: '2020-05-01', annualRateBp: 1540, lprRows: rows });
    expect(r.flagged).toBe(false);
    expect(r.aboveLprCap).toBe(false);
  });

  it('accepts an overridden all-in line', () => {
    const r = assessRate({
      lenderType: 'licensed',
      contractDate: '2025-06-01',
      annualRateBp: 2000,
      lprRows: rows,
      allInLineBp: 1800,
    });
    expect(r.applicableCapBp).toBe(1800);
    expect(r.flagged).toBe(true);
  });
});

describe('interestAboveCapFen', () => {
  it('is zero at or below the cap', () => {
    expect(
      interestAboveCapFen({
        interestFen: 10_000,
        penaltyFen: 0,
        feesFen: 0,
        annualRateBp: 1200,
        applicableCapBp: 1200,
      }),
    ).toBe(0);
    expect(
      interestAboveCapFen({ interestFen: 10_000, penaltyFen: 0, feesFen: 0, annualRateBp: 0, applicableCapBp: 1200 }),
    ).toBe(0);
  });

  it('takes the proportional excess of the total', () => {
    // 36% against a 24% cap: one third of 3,000 yuan is above the cap.
    expect(
      interestAboveCapFen({
        interestFen: 200_000,
        penaltyFen: 50_000,
        feesFen: 50_000,
        annualRateBp: 3600,
        applicableCapBp: 2400,
      }),
    ).toBe(100_000);
  });

  it('rounds up in the debtor’s favour', () => {
    // 100 × (1500 − 1200) / 1500 = 20 exactly; 101 × 300 / 1500 = 20.2 → 21.
    expect(
      interestAboveCapFen({ interestFen: 100, penaltyFen: 0, feesFen: 0, annualRateBp: 1500, applicableCapBp: 1200 }),
    ).toBe(20);
    expect(
      interestAboveCapFen({ interestFen: 101, penaltyFen: 0, feesFen: 0, annualRateBp: 1500, applicableCapBp: 1200 }),
    ).toBe(21);
  });

  it('stays exact for large sums', () => {
    const big = 9_000_000_000_000; // 900 亿 yuan in fen
    expect(
      interestAboveCapFen({ interestFen: big, penaltyFen: 0, feesFen: 0, annualRateBp: 3000, applicableCapBp: 1000 }),
    ).toBe(6_000_000_000_000);
  });

  it('rejects non-integers and negatives', () => {
    expect(() =>
      interestAboveCapFen({ interestFen: 1.5, penaltyFen: 0, feesFen: 0, annualRateBp: 3000, applicableCapBp: 1000 }),
    ).toThrow(RangeError);
    expect(() =>
      interestAboveCapFen({ interestFen: 1, penaltyFen: -1, feesFen: 0, annualRateBp: 3000, applicableCapBp: 1000 }),
    ).toThrow(RangeError);
  });
});

describe('assessTransitionalPrivateLoan (法释〔2020〕17号 art. 31, §2.1)', () => {
  // Formed 2020-02-20: 182 days to 2020-08-19 and 1,746 days from 2020-08-20 to 2025-06-01.
  const loan = {
    loanDate: '2020-02-20',
    accruedTo: '2025-06-01',
    filedOn: '2025-06-01',
    annualRateBp: 3000,
    chargesFen: 1_928_000,
    lprRows: rows,
  };

  it('judges interest to 2020-08-19 by the old 24% line and from 2020-08-20 by 4 × the LPR at filing', () => {
    const r = assessTransitionalPrivateLoan(loan);
    expect(r.parts).toEqual([
      // 182,000 × (30 − 24) / 30
      {
        rule: 'old_two_lines',
        from: '2020-02-20',
        to: '2020-08-19',
        days: 182,
        capBp: 2400,
        chargesFen: 182_000,
        aboveCapFen: 36_400,
        allowedFen: 145_600,
      },
      // LPR 3.00% from 2025-05-20 → 12.00%; 1,746,000 × (30 − 12) / 30
      {
        rule: 'lpr_at_filing',
        from: '2020-08-20',
        to: '2025-06-01',
        days: 1746,
        capBp: 1200,
        chargesFen: 1_746_000,
        aboveCapFen: 1_047_600,
        allowedFen: 698_400,
      },
    ]);
    expect(r.aboveCapFen).toBe(1_084_000);
    expect(r.allowedFen).toBe(1_928_000 - 1_084_000);
    expect(r.lpr).toEqual({ publishDate: '2025-05-20', lpr1yBp: 300 });
    expect(r.filedOn).toBe('2025-06-01');
    expect(r.aboveVoidLine).toBe(false);
  });

  it('takes the LPR of the filing day, not of the contract day', () => {
    // Filed 2024-11-01: LPR 3.10% (from 2024-10-21) → 12.40%, although the loan was made under 4.05%.
    const r = assessTransitionalPrivateLoan({ ...loan, filedOn: '2024-11-01' });
    expect(r.parts[1].capBp).toBe(1240);
  });

  it('marks a rate above 36% as void for the first part', () => {
    expect(assessTransitionalPrivateLoan({ ...loan, annualRateBp: 3800 }).aboveVoidLine).toBe(true);
  });

  it('adds the parts up to the charges exactly, to the fen', () => {
    for (const chargesFen of [0, 1, 7, 99_999, 1_000_003]) {
      const r = assessTransitionalPrivateLoan({ ...loan, chargesFen });
      expect(r.parts[0].chargesFen + r.parts[1].chargesFen).toBe(chargesFen);
    }
  });

  it('applies only to private loans formed before 2020-08-20', () => {
    expect(isTransitionalPrivateLoan('private', '2020-08-19')).toBe(true);
    expect(isTransitionalPrivateLoan('private', '2020-08-20')).toBe(false);
    expect(isTransitionalPrivateLoan('licensed', '2019-01-01')).toBe(false);
    expect(() => assessTransitionalPrivateLoan({ ...loan, loanDate: '2020-08-20' })).toThrow(RangeError);
  });
});
