/**
 * A batch's forecast from the platform's own history (issue 17 item 6). Claims are compared by their
 * five-tier class and amount band; from the resolved claims of each such cell come the share reaching
 * and settling at each stage, the days spent there, the share of the claimed fen recovered and its
 * spread. A cell with fewer than MIN_CELL_HISTORY resolved claims borrows its class's history, and a
 * class with too little borrows the documented defaults below. The range of the recovery is about 95%:
 * 1.96 standard deviations of the sum of independent claims, widened by the uncertainty of each cell's
 * mean (its variance over the claims it was learnt from).
 */
import { MS_PER_DAY } from './dates.js';
import type { Stage } from './lifecycle.js';

/** The stages where a claim can settle, in funnel order. */
export const FORECAST_STAGES = ['people_mediation', 'court_mediation', 'litigation', 'enforcement'] as const;
export type ForecastStage = (typeof FORECAST_STAGES)[number];

/** Fewer resolved comparable claims than this and a cell borrows wider history or the defaults. */
export const MIN_CELL_HISTORY = 20;

/** Amount bands in fen (yuan 5,000 / 20,000 / 50,000): what a debtor can pay differs by size. */
const BANDS: [string, number][] = [
  ['lt5k', 500_000],
  ['5k-20k', 2_000_000],
  ['20k-50k', 5_000_000],
];
export const amountBand = (fen: number) => BANDS.find(([, limit]) => fen < limit)?.[0] ?? 'ge50k';

/**
 * Defaults when the platform has too little history (design defaults, low confidence: no published
 * series; to be replaced by the platform's own figures as claims resolve). Per stage: the share of
 * claims reaching it that settle there, the share of the others that go on to the next stage, and
 * the days a stay lasts (the 30-day mediation limits of DOMAIN.md §4.3; litigation and enforcement
 * from the usual first-instance and enforcement periods). A settled claim recovers
 * DEFAULT_SETTLED_RECOVERY of its claimed fen.
 */
export const FORECAST_DEFAULTS: Record<ForecastStage, { settle: number; goOn: number; days: number }> = {
  people_mediation: { settle: 0.25, goOn: 0.9, days: 30 },
  court_mediation: { settle: 0.2, goOn: 0.6, days: 30 },
  litigation: { settle: 0.1, goOn: 0.8, days: 90 },
  enforcement: { settle: 0.15, goOn: 0, days: 180 },
};
export const DEFAULT_SETTLED_RECOVERY = 0.8;

/** A resolved claim of the history: what it was and what became of it. */
export interface HistoryClaim {
  loanClass: string | null;
  claimedFen: number;
  recoveredFen: number;
  /** The forecast stages it entered. */
  reached: readonly Stage[];
  /** The stage it was fulfilled from, or null (withdrawn, uncollectible, upheld objection…). */
  settledAt: Stage | null;
  /** Completed stays, milliseconds per stage. */
  stayMs: Partial<Record<Stage, number>>;
  /** From leaving intake to closing. */
  cycleMs: number;
}

export interface BatchClaim {
  loanClass: string | null;
  claimedFen: number;
}

/** What a cell of comparable claims predicts for one claim. */
interface Profile {
  n: number;
  reach: Record<ForecastStage, number>;
  settle: Record<ForecastStage, number>;
  days: Record<ForecastStage, number>;
  /** Mean and variance of the share of claimed fen recovered. */
  recoveryMean: number;
  recoveryVar: number;
  cycleDays: number;
}

const zeroes = () => Object.fromEntries(FORECAST_STAGES.map((s) => [s, 0])) as Record<ForecastStage, number>;

export function defaultProfile(): Profile {
  const reach = zeroes();
  const settle = zeroes();
  const days = zeroes();
  let reaching = 1;
  let cycle = 0;
  for (const s of FORECAST_STAGES) {
    const d = FORECAST_DEFAULTS[s];
    reach[s] = reaching;
    settle[s] = reaching * d.settle;
    days[s] = d.days;
    cycle += reaching * d.days;
    reaching *= (1 - d.settle) * d.goOn;
  }
  const p = FORECAST_STAGES.reduce((n, s) => n + settle[s], 0);
  const r = DEFAULT_SETTLED_RECOVERY;
  return { n: 0, reach, settle, days, recoveryMean: p * r, recoveryVar: p * r * r - (p * r) ** 2, cycleDays: cycle };
}

function profileOf(history: readonly HistoryClaim[]): Profile {
  const n = history.length;
  const reach = zeroes();
  const settle = zeroes();
  const days = zeroes();
  const stays = zeroes();
  let sum = 0;
  let squares = 0;
  let cycle = 0;
  for (const h of history) {
    for (const s of FORECAST_STAGES) {
      if (h.reached.includes(s)) reach[s]++;
      if (h.settledAt === s) settle[s]++;
      const ms = h.stayMs[s];
      if (ms !== undefined) {
        days[s] += ms / MS_PER_DAY;
        stays[s]++;
      }
    }
    const r = h.claimedFen > 0 ? Math.min(h.recoveredFen / h.claimedFen, 1.5) : 0;
    sum += r;
    squares += r * r;
    cycle += h.cycleMs / MS_PER_DAY;
  }
  const mean = sum / n;
  const fallback = defaultProfile().days;
  for (const s of FORECAST_STAGES) {
    reach[s] /= n;
    settle[s] /= n;
    days[s] = stays[s] ? days[s] / stays[s] : fallback[s];
  }
  // The sample variance (n - 1): the history is a sample of what the same kind of claim does.
  const variance = n > 1 ? Math.max(0, (squares - n * mean * mean) / (n - 1)) : 0;
  return { n, reach, settle, days, recoveryMean: mean, recoveryVar: variance, cycleDays: cycle / n };
}

export interface Forecast {
  claims: number;
  claimedFen: number;
  basis: 'history' | 'partial_history' | 'defaults';
  historyClaims: number;
  claimsOnDefaults: number;
  stages: { stage: ForecastStage; expectedReaching: number; expectedSettling: number; averageDays: number }[];
  expectedSettled: number;
  expectedRecoveredFen: number;
  recoveredFenLow: number;
  recoveredFenHigh: number;
  expectedCycleDays: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The forecast of `batch` from `history` (resolved claims not of the batch). */
export function forecastBatch(batch: readonly BatchClaim[], history: readonly HistoryClaim[]): Forecast {
  const cells = new Map<string, HistoryClaim[]>();
  for (const h of history)
    for (const k of [`${h.loanClass}|${amountBand(h.claimedFen)}`, `${h.loanClass}|*`]) {
      const list = cells.get(k) ?? [];
      list.push(h);
      cells.set(k, list);
    }
  const profiles = new Map<string, Profile | null>();
  const profileFor = (c: BatchClaim): Profile | null => {
    for (const k of [`${c.loanClass}|${amountBand(c.claimedFen)}`, `${c.loanClass}|*`]) {
      if (!profiles.has(k)) {
        const list = cells.get(k) ?? [];
        profiles.set(k, list.length >= MIN_CELL_HISTORY ? profileOf(list) : null);
      }
      const p = profiles.get(k);
      if (p) return p;
    }
    return null;
  };
  const defaults = defaultProfile();
  const reaching = zeroes();
  const settling = zeroes();
  const dayWeight = zeroes();
  let onDefaults = 0;
  let claimedFen = 0;
  let expected = 0;
  let cycle = 0;
  // Per profile: Σa² (claim-to-claim spread) and Σa (spread of the learnt mean).
  const spread = new Map<Profile, { a: number; a2: number }>();
  for (const c of batch) {
    const found = profileFor(c);
    if (!found) onDefaults++;
    const p = found ?? defaults;
    claimedFen += c.claimedFen;
    expected += c.claimedFen * p.recoveryMean;
    cycle += p.cycleDays;
    for (const s of FORECAST_STAGES) {
      reaching[s] += p.reach[s];
      settling[s] += p.settle[s];
      dayWeight[s] += p.reach[s] * p.days[s];
    }
    const sp = spread.get(p) ?? { a: 0, a2: 0 };
    sp.a += c.claimedFen;
    sp.a2 += c.claimedFen * c.claimedFen;
    spread.set(p, sp);
  }
  let variance = 0;
  for (const [p, { a, a2 }] of spread) variance += p.recoveryVar * a2 + (p.n > 0 ? (p.recoveryVar * a * a) / p.n : 0);
  const half = 1.96 * Math.sqrt(variance);
  const n = batch.length;
  return {
    claims: n,
    claimedFen,
    basis: onDefaults === 0 && n > 0 ? 'history' : onDefaults === n ? 'defaults' : 'partial_history',
    historyClaims: history.length,
    claimsOnDefaults: onDefaults,
    stages: FORECAST_STAGES.map((stage) => ({
      stage,
      expectedReaching: round1(reaching[stage]),
      expectedSettling: round1(settling[stage]),
      averageDays: round1(reaching[stage] > 0 ? dayWeight[stage] / reaching[stage] : defaults.days[stage]),
    })),
    expectedSettled: round1(FORECAST_STAGES.reduce((s, st) => s + settling[st], 0)),
    expectedRecoveredFen: Math.round(expected),
    recoveredFenLow: Math.max(0, Math.floor(expected - half)),
    recoveredFenHigh: Math.ceil(expected + half),
    expectedCycleDays: round1(n ? cycle / n : 0),
  };
}
