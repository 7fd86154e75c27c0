// Interest-rate ceilings (DOMAIN §2). Rates are integer basis points (3.85% → 385) so that caps and
// comparisons are exact; the LPR history is data (a date-effective table an admin extends), never constants.
import { addDays, compareDates, diffDays, isValidIsoDate } from './dates.js';
import type { LenderType } from './roles.js';
import { JUDICIAL_ALL_IN_LINE_BP } from './rule-defaults.js';

export { JUDICIAL_ALL_IN_LINE_BP };

/** SPC private-lending provisions art. 25: 4 × one-year LPR at contract formation (§2.1; high). */
export const LPR_CAP_MULTIPLIER = 4;

export type LprRow = { publishDate: string; lpr1yBp: number; lpr5yBp: number };

export type RateAssessment = {
  /** 4 × one-year LPR for the contract date. */
  capBp: number;
  aboveLprCap: boolean;
  /** Above the 24% judicial all-in line. */
  above24: boolean;
  /** The cap for this lender type: 4×LPR for private lenders, 24% for licensed / local financial ones. */
  applicableCapBp: number;
  /** The rate exceeds the applicable cap; a flag for legal review, never an automatic reduction. */
  flagged: boolean;
};

export class LprCsvError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`LPR CSV line ${line}: ${detail}`);
    this.name = 'LprCsvError';
  }
}

const HEADER = ['publish_date', 'lpr_1y_pct', 'lpr_5y_plus_pct', 'cap_4x_1y_pct'];
const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** Converts a percent string such as "3.85" to integer basis points (385) without floating point. */
export function percentToBp(s: string): number | null {
  const m = PERCENT.exec(s.trim());
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = Number((m[2] ?? '').padEnd(2, '0'));
  return whole * 100 + frac;
}

/** Formats basis points as a percent with two decimals, e.g. 2400 → "24.00%". */
export function formatBp(bp: number): string {
  requireNonNegativeInt('bp', bp);
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
}

/**
 * Parses the LPR CSV (publish_date,lpr_1y_pct,lpr_5y_plus_pct,cap_4x_1y_pct) into rows sorted by
 * date; throws LprCsvError naming the line on a bad header, value, duplicate date or inconsistent cap.
 */
export function parseLprCsv(text: string): LprRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  if (header.join(',') !== HEADER.join(',')) {
    throw new LprCsvError(1, `expected header ${HEADER.join(',')}`);
  }
  const rows: LprRow[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.length !== HEADER.length)
      throw new LprCsvError(line, `expected ${HEADER.length} fields, got ${cells.length}`);
    const [publishDate = '', p1 = '', p5 = '', cap = ''] = cells;
    if (!isValidIsoDate(publishDate))
      throw new LprCsvError(line, `publish_date is not a YYYY-MM-DD date: ${publishDate}`);
    if (seen.has(publishDate)) throw new LprCsvError(line, `duplicate publish_date ${publishDate}`);
    const lpr1yBp = percentToBp(p1);
    const lpr5yBp = percentToBp(p5);
    const capBp = percentToBp(cap);
    if (lpr1yBp === null) throw new LprCsvError(line, `lpr_1y_pct is not a percent with at most 2 decimals: ${p1}`);
    if (lpr5yBp === null)
      throw new LprCsvError(line, `lpr_5y_plus_pct is not a percent with at most 2 decimals: ${p5}`);
    // The cap column is redundant; checking it catches a mistyped rate in an admin upload.
    if (capBp !== LPR_CAP_MULTIPLIER * lpr1yBp) {
      throw new LprCsvError(line, `cap_4x_1y_pct ${cap} is not 4 × lpr_1y_pct ${p1}`);
    }
    seen.add(publishDate);
    rows.push({ publishDate, lpr1yBp, lpr5yBp });
  });
  return rows.sort((a, b) => compareDates(a.publishDate, b.publishDate));
}

/**
 * The LPR in force on a date: the latest row published on or before it, or null before the first
 * row (2019-08-20). Publication-day rule: a contract signed on a publication day uses that day's new
 * LPR, since the date alone cannot tell whether it was signed before the 09:00 release.
 */
export function lprOn(rows: readonly LprRow[], date: string): LprRow | null {
  if (!isValidIsoDate(date)) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(date)}`);
  // Valid YYYY-MM-DD strings order as their dates do, so string comparison is exact; it runs once
  // per imported row over the whole series, where parsing each date would dominate an import.
  let best: LprRow | null = null;
  for (const row of rows) {
    if (row.publishDate <= date && (!best || row.publishDate > best.publishDate)) best = row;
  }
  return best;
}

/**
 * Private-lending cap in bp: 4 × the one-year LPR in force when the contract was formed (art. 25).
 * Contracts before 2019-08-20 use the first LPR row: under the art. 31 transition, interest after
 * 2020-08-20 is judged against 4 × LPR, and the first row (17.00%) is the highest LPR-based cap, so
 * the flag never fires where a court could still allow the rate. Legal staff judge the details.
 */
export function privateLendingCapBp(rows: readonly LprRow[], contractDate: string): number {
  let row = lprOn(rows, contractDate);
  if (!row) {
    for (const r of rows) if (!row || r.publishDate < row.publishDate) row = r;
  }
  if (!row) throw new RangeError('LPR table is empty');
  return LPR_CAP_MULTIPLIER * row.lpr1yBp;
}

/** Shows both flags (> 4×LPR, > 24%) and which cap applies to this lender type (§2.1, §2.2). */
export function assessRate(input: {
  lenderType: LenderType;
  contractDate: string;
  annualRateBp: number;
  lprRows: readonly LprRow[];
  allInLineBp?: number;
}): RateAssessment {
  const { lenderType, contractDate, annualRateBp, lprRows, allInLineBp = JUDICIAL_ALL_IN_LINE_BP } = input;
  requireNonNegativeInt('annualRateBp', annualRateBp);
  const capBp = privateLendingCapBp(lprRows, contractDate);
  // Licensed lenders and the seven local financial organisation types are outside the
  // private-lending provisions (法释〔2020〕27号); courts reduce their all-in cost above 24%.
  const applicableCapBp = lenderType === 'private' ? capBp : allInLineBp;
  return {
    capBp,
    aboveLprCap: annualRateBp > capBp,
    above24: annualRateBp > allInLineBp,
    applicableCapBp,
    flagged: annualRateBp > applicableCapBp,
  };
}

/**
 * The part of interest + penalty + fees above the cap, in fen: sum × (rate − cap) / rate, rounded up
 * in the debtor's favour; 0 when the rate is within the cap. Integer arithmetic only.
 */
export function interestAboveCapFen(input: {
  interestFen: number;
  penaltyFen: number;
  feesFen: number;
  annualRateBp: number;
  applicableCapBp: number;
}): number {
  const { interestFen, penaltyFen, feesFen, annualRateBp, applicableCapBp } = input;
  for (const [k, v] of Object.entries({ interestFen, penaltyFen, feesFen, annualRateBp, applicableCapBp }))
    requireNonNegativeInt(k, v);
  if (annualRateBp <= applicableCapBp) return 0;
  // BigInt: sum × rate difference can pass 2^53 for large claims.
  const num = (BigInt(interestFen) + BigInt(penaltyFen) + BigInt(feesFen)) * BigInt(annualRateBp - applicableCapBp);
  const den = BigInt(annualRateBp);
  return Number((num + den - 1n) / den);
}

/**
 * 法释〔2020〕17号 art. 31 (DOMAIN.md §2.1, medium): for private loans formed before this day, interest to
 * the day before is judged under the old rules and interest from it under 4 × the LPR at filing.
 */
export const PRIVATE_LENDING_AMENDED_ON = '2020-08-20';
/** The old "two lines" for that first part: supported up to 24% p.a., void above 36% (§2.1 art. 31; medium). */
export const OLD_SUPPORTED_LINE_BP = 2400;
export const OLD_VOID_LINE_BP = 3600;

/** One part of a transitional private loan's charges, with the line that judges it. */
export type TransitionPart = {
  rule: 'old_two_lines' | 'lpr_at_filing';
  /** First and last day of the part. */
  from: string;
  to: string;
  days: number;
  capBp: number;
  /** The interest, penalty and fees that accrued in the part, pro rata by days. */
  chargesFen: number;
  aboveCapFen: number;
  /** chargesFen − aboveCapFen: what the line allows. */
  allowedFen: number;
};

/** The art. 31 judgement of a claim's charges, as stored on the claim and answered with it. */
export type TransitionAssessment = {
  annualRateBp: number;
  /** The day taken as the filing day, whose one-year LPR sets the second part's cap. */
  filedOn: string;
  /** The one-year LPR in force on `filedOn`: its publication day and rate. */
  lpr: { publishDate: string; lpr1yBp: number };
  parts: [TransitionPart, TransitionPart];
  /** Interest, penalty and fees claimed, what the two lines allow of them, and the rest. */
  chargesFen: number;
  allowedFen: number;
  aboveCapFen: number;
  /** Old rules: a rate above 36% is void for the first part, not merely unsupported. */
  aboveVoidLine: boolean;
};

/** Whether the art. 31 transition governs the loan: a private loan formed before 2020-08-20. */
export const isTransitionalPrivateLoan = (lenderType: LenderType, loanDate: string): boolean =>
  lenderType === 'private' && compareDates(loanDate, PRIVATE_LENDING_AMENDED_ON) < 0;

/**
 * Art. 31 for a private loan formed before 2020-08-20 whose charges accrued from the loan date to
 * `accruedTo`: the charges are split by days at 2020-08-20 (a constant rate accrues evenly), the part
 * before judged against 24%, the part after against 4 × the one-year LPR on `filedOn` (the platform
 * takes the day it computes as the filing day; it is recomputed when the claim is filed).
 */
export function assessTransitionalPrivateLoan(input: {
  loanDate: string;
  accruedTo: string;
  filedOn: string;
  annualRateBp: number;
  chargesFen: number;
  lprRows: readonly LprRow[];
}): TransitionAssessment {
  const { loanDate, accruedTo, filedOn, annualRateBp, chargesFen, lprRows } = input;
  requireNonNegativeInt('annualRateBp', annualRateBp);
  requireNonNegativeInt('chargesFen', chargesFen);
  if (compareDates(loanDate, PRIVATE_LENDING_AMENDED_ON) >= 0)
    throw new RangeError(`a loan of ${loanDate} is not formed before ${PRIVATE_LENDING_AMENDED_ON}`);
  const lpr = lprOn(lprRows, filedOn);
  if (!lpr) throw new RangeError(`no LPR is published on or before the filing day ${filedOn}`);
  const end = compareDates(accruedTo, PRIVATE_LENDING_AMENDED_ON) < 0 ? PRIVATE_LENDING_AMENDED_ON : accruedTo;
  const oldDays = diffDays(loanDate, PRIVATE_LENDING_AMENDED_ON);
  const newDays = diffDays(PRIVATE_LENDING_AMENDED_ON, end);
  const total = oldDays + newDays;
  // Half up to the fen; the second part takes the rest, so the parts add up to the charges exactly.
  const oldCharges =
    total === 0 ? chargesFen : Number((BigInt(chargesFen) * BigInt(2 * oldDays) + BigInt(total)) / BigInt(2 * total));
  const part = (
    rule: TransitionPart['rule'],
    from: string,
    to: string,
    days: number,
    capBp: number,
    fen: number,
  ): TransitionPart => {
    const aboveCapFen = interestAboveCapFen({
      interestFen: fen,
      penaltyFen: 0,
      feesFen: 0,
      annualRateBp,
      applicableCapBp: capBp,
    });
    return { rule, from, to, days, capBp, chargesFen: fen, aboveCapFen, allowedFen: fen - aboveCapFen };
  };
  const before = part(
    'old_two_lines',
    loanDate,
    addDays(PRIVATE_LENDING_AMENDED_ON, -1),
    oldDays,
    OLD_SUPPORTED_LINE_BP,
    oldCharges,
  );
  const after = part(
    'lpr_at_filing',
    PRIVATE_LENDING_AMENDED_ON,
    end,
    newDays,
    LPR_CAP_MULTIPLIER * lpr.lpr1yBp,
    chargesFen - oldCharges,
  );
  const aboveCapFen = before.aboveCapFen + after.aboveCapFen;
  return {
    annualRateBp,
    filedOn,
    lpr: { publishDate: lpr.publishDate, lpr1yBp: lpr.lpr1yBp },
    parts: [before, after],
    chargesFen,
    allowedFen: chargesFen - aboveCapFen,
    aboveCapFen,
    aboveVoidLine: annualRateBp > OLD_VOID_LINE_BP,
  };
}

function requireNonNegativeInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer: ${v}`);
}
