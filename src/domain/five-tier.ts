// Five-category classification (DOMAIN §8): the 2023 CBIRC/PBoC measures set overdue-day floors,
// and a bank may classify worse, never better. The risk score is the platform's own triage signal,
// descriptive only, not a bank's official classification.
import { JUDICIAL_ALL_IN_LINE_BP } from './rule-defaults.js';

export const LOAN_CLASSES = ['normal', 'special_mention', 'substandard', 'doubtful', 'loss'] as const;
export type LoanClass = (typeof LOAN_CLASSES)[number];

export const LOAN_CLASS_LABELS: Readonly<Record<LoanClass, string>> = Object.freeze({
  normal: '正常',
  special_mention: '关注',
  substandard: '次级',
  doubtful: '可疑',
  loss: '损失',
});

export const GUARANTEES = ['none', 'guarantor', 'mortgage', 'pledge'] as const;
export type Guarantee = (typeof GUARANTEES)[number];

export const GUARANTEE_LABELS: Readonly<Record<Guarantee, string>> = Object.freeze({
  none: '无',
  guarantor: '保证',
  mortgage: '抵押',
  pledge: '质押',
});

// Accepted spellings on import; 信用 (a credit loan) and 无担保 both mean unsecured.
const GUARANTEE_ALIASES: ReadonlyMap<string, Guarantee> = new Map([
  ['无', 'none'],
  ['无担保', 'none'],
  ['信用', 'none'],
  ['保证', 'guarantor'],
  ['抵押', 'mortgage'],
  ['质押', 'pledge'],
  ...GUARANTEES.map((g): [string, Guarantee] => [g, g]),
]);

export type ParsedGuarantee = { ok: true; value: Guarantee } | { ok: false; code: 'guarantee_unknown'; detail: string };

/** Score at or above which the class is worsened by one tier beyond the overdue floor. */
export const RISK_WORSEN_THRESHOLD = 80;

export type RiskInput = {
  overdueDays: number;
  outstandingFen: number;
  guarantee: Guarantee;
  annualRateBp: number;
};

/** Maps an import cell (Chinese label or English code) to a guarantee type; empty means none. */
export function parseGuarantee(raw: string | null | undefined): ParsedGuarantee {
  const key = (raw ?? '').trim();
  if (key === '') return { ok: true, value: 'none' };
  const value = GUARANTEE_ALIASES.get(key) ?? GUARANTEE_ALIASES.get(key.toLowerCase());
  if (value) return { ok: true, value };
  return {
    ok: false,
    code: 'guarantee_unknown',
    detail: `unknown guarantee type ${JSON.stringify(raw)}; expected 无, 保证, 抵押 or 质押`,
  };
}

/** The minimum class for a number of overdue days under the 2023 measures. */
export function classFloor(overdueDays: number): LoanClass {
  requireNonNegativeInt('overdueDays', overdueDays);
  if (overdueDays > 360) return 'loss';
  if (overdueDays > 270) return 'doubtful';
  if (overdueDays > 90) return 'substandard';
  if (overdueDays > 0) return 'special_mention';
  return 'normal';
}

/**
 * Triage score 0..100. Weights: overdue days up to 60 (0 when current, else 10 plus up to 50
 * rising linearly to 360 days), so they dominate; outstanding amount up to 15 (≥ 10k, 50k, 200k
 * yuan); security up to 15 (none 15, guarantor 8, mortgage or pledge 3); a rate above the 24%
 * line adds 10, since the excess is unlikely to be upheld and signals a high-risk borrower.
 */
export function riskScore(input: RiskInput): number {
  const { overdueDays, outstandingFen, guarantee, annualRateBp } = input;
  requireNonNegativeInt('overdueDays', overdueDays);
  requireNonNegativeInt('outstandingFen', outstandingFen);
  requireNonNegativeInt('annualRateBp', annualRateBp);
  const overdue = overdueDays === 0 ? 0 : 10 + Math.min(50, Math.floor((overdueDays * 50) / 360));
  const amount =
    outstandingFen >= 20_000_000 ? 15 : outstandingFen >= 5_000_000 ? 10 : outstandingFen >= 1_000_000 ? 5 : 0;
  const security = SECURITY_POINTS[guarantee];
  if (security === undefined) throw new RangeError(`unknown guarantee: ${String(guarantee)}`);
  const rate = annualRateBp > JUDICIAL_ALL_IN_LINE_BP ? 10 : 0;
  return Math.max(0, Math.min(100, overdue + amount + security + rate));
}

const SECURITY_POINTS: Readonly<Record<Guarantee, number>> = { none: 15, guarantor: 8, mortgage: 3, pledge: 3 };

/** The overdue floor, worsened one tier when the risk score reaches the threshold; never better than the floor. */
export function classify(input: RiskInput): { loanClass: LoanClass; riskScore: number } {
  const score = riskScore(input);
  const floor = LOAN_CLASSES.indexOf(classFloor(input.overdueDays));
  const index = score >= RISK_WORSEN_THRESHOLD ? Math.min(floor + 1, LOAN_CLASSES.length - 1) : floor;
  return { loanClass: LOAN_CLASSES[index] ?? 'loss', riskScore: score };
}

function requireNonNegativeInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer: ${v}`);
}
