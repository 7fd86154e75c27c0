/**
 * Funnel statistics from aggregates the database already summed (claims per position, stage changes
 * per group, money received): the rates, the roll-ups per creditor, batch and mediation organisation,
 * cycle times and the rows of a daily snapshot. Pure: the queries are in modules/stats.
 */
import { MS_PER_DAY } from './dates.js';
import { STAGES, type Stage } from './lifecycle.js';

/** Which creditor, batch, mediation organisation and court a set of claims belongs to (null: none). */
export interface GroupKey {
  creditorOrgId: number;
  batchId: number | null;
  mediationOrgId: number | null;
  courtOrgId: number | null;
}

/** Claims at one position within one group. */
export interface PositionRow extends GroupKey {
  stage: Stage;
  status: string;
  claims: number;
  claimedFen: number;
}

/** A per-group count: claims that reached an agreement, breaches, fen recovered. */
export type GroupCount = GroupKey & { n: number };

/** The completed stays in a stage that lasted `tenths` tenths of a day (rounded), and their exact sum. */
export interface StayBucket {
  tenths: number;
  stays: number;
  totalMs: number;
}

export interface FunnelInput {
  positions: readonly PositionRow[];
  /** Stage changes from the events: claims that moved from one stage to another. */
  flows: readonly { from: Stage; to: Stage; claims: number }[];
  settled: readonly GroupCount[];
  /** Agreements by the stage they were reached in. */
  settledByStage: readonly { stage: Stage; claims: number }[];
  breaches: readonly GroupCount[];
  recoveredFen: readonly GroupCount[];
  /** Completed stays per stage (entry to the event that left it), by their length to a tenth of a day. */
  stays: Partial<Record<Stage, readonly StayBucket[]>>;
  objections: { open: number; upheld: number; partially_upheld: number; rejected: number };
  hardship: { pending: number; granted: number; refused: number };
}

export interface Totals {
  claims: number;
  claimedFen: number;
  recoveredFen: number;
  settled: number;
  breaches: number;
  /** Claims that reached an agreement per 10,000 claims counted. */
  settlementRateBp: number;
  /** Fen recovered per 10,000 fen claimed. */
  recoveryBp: number;
}

export interface CycleTime {
  stage: Stage;
  /** Completed stays in the stage. */
  stays: number;
  averageDays: number | null;
  medianDays: number | null;
}

/** a / b in basis points, rounded down; 0 when b is 0. */
export const ratioBp = (a: number, b: number) => (b > 0 ? Math.floor((a * 10_000) / b) : 0);

/**
 * The median of the stays, each rounded to a tenth of a day as it is shown, in tenths (the mean of
 * the middle two for an even count, rounded); null for none. Rounding first lets the database keep
 * counts per tenth instead of every stay; it moves the median by at most half a tenth.
 */
export function medianTenths(buckets: readonly StayBucket[]): number | null {
  const sorted = [...buckets].filter((b) => b.stays > 0).sort((a, b) => a.tenths - b.tenths);
  const count = sorted.reduce((n, b) => n + b.stays, 0);
  if (!count) return null;
  const nth = (i: number) => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.stays;
      if (i < seen) return b.tenths;
    }
    throw new Error(`no stay ${i} of ${count}`);
  };
  const mid = count >> 1;
  return count % 2 ? nth(mid) : Math.round((nth(mid - 1) + nth(mid)) / 2);
}

const days = (ms: number | null) => (ms === null ? null : Math.round((ms / MS_PER_DAY) * 10) / 10);

export function cycleTime(stage: Stage, buckets: readonly StayBucket[] = []): CycleTime {
  const stays = buckets.reduce((n, b) => n + b.stays, 0);
  const total = buckets.reduce((n, b) => n + b.totalMs, 0);
  const mid = medianTenths(buckets);
  return {
    stage,
    stays,
    averageDays: days(stays ? total / stays : null),
    medianDays: mid === null ? null : mid / 10,
  };
}

const withRates = (t: Omit<Totals, 'settlementRateBp' | 'recoveryBp'>): Totals => ({
  ...t,
  settlementRateBp: ratioBp(t.settled, t.claims),
  recoveryBp: ratioBp(t.recoveredFen, t.claimedFen),
});

/** Totals per group of `by` (a key of the group, e.g. its creditor); groups without claims are left out. */
export function rollUp<K extends string | number>(
  input: Pick<FunnelInput, 'positions' | 'settled' | 'breaches' | 'recoveredFen'>,
  by: (g: GroupKey) => K,
): Map<K, Totals> {
  const sums = new Map<K, Omit<Totals, 'settlementRateBp' | 'recoveryBp'>>();
  const of = (g: GroupKey) => {
    const k = by(g);
    const s = sums.get(k) ?? { claims: 0, claimedFen: 0, recoveredFen: 0, settled: 0, breaches: 0 };
    sums.set(k, s);
    return s;
  };
  for (const p of input.positions) {
    const s = of(p);
    s.claims += p.claims;
    s.claimedFen += p.claimedFen;
  }
  for (const r of input.settled) of(r).settled += r.n;
  for (const r of input.breaches) of(r).breaches += r.n;
  for (const r of input.recoveredFen) of(r).recoveredFen += r.n;
  return new Map([...sums].filter(([, s]) => s.claims > 0).map(([k, s]) => [k, withRates(s)]));
}

export interface StageCounts {
  stage: Stage;
  claims: number;
  claimedFen: number;
  statuses: { status: string; claims: number; claimedFen: number }[];
}

/** Claims and fen per stage in funnel order, each with its statuses. */
export function stageCounts(positions: readonly PositionRow[]): StageCounts[] {
  return STAGES.map((stage) => {
    const statuses = new Map<string, { claims: number; claimedFen: number }>();
    for (const p of positions.filter((r) => r.stage === stage)) {
      const s = statuses.get(p.status) ?? { claims: 0, claimedFen: 0 };
      s.claims += p.claims;
      s.claimedFen += p.claimedFen;
      statuses.set(p.status, s);
    }
    const list = [...statuses].map(([status, s]) => ({ status, ...s })).sort((a, b) => b.claims - a.claims);
    return {
      stage,
      claims: list.reduce((n, s) => n + s.claims, 0),
      claimedFen: list.reduce((n, s) => n + s.claimedFen, 0),
      statuses: list,
    };
  });
}

/** The whole funnel over the input's claims. */
export function summariseFunnel(input: FunnelInput) {
  return {
    ...(rollUp(input, () => 'all').get('all') ??
      withRates({ claims: 0, claimedFen: 0, recoveredFen: 0, settled: 0, breaches: 0 })),
    stages: stageCounts(input.positions),
    flows: [...input.flows].sort((a, b) => STAGES.indexOf(a.from) - STAGES.indexOf(b.from) || b.claims - a.claims),
    settledByStage: STAGES.map((stage) => ({
      stage,
      claims: input.settledByStage.filter((s) => s.stage === stage).reduce((n, s) => n + s.claims, 0),
    })).filter((s) => s.claims > 0),
    cycleTimes: STAGES.filter((s) => s !== 'closed').map((s) => cycleTime(s, input.stays[s])),
    objections: input.objections,
    hardship: input.hardship,
  };
}

export type FunnelSummary = ReturnType<typeof summariseFunnel>;

/** One row of a daily snapshot: a creditor, mediation organisation and court (0 for none). */
export interface SnapshotRow {
  creditorOrgId: number;
  mediationOrgId: number;
  courtOrgId: number;
  claims: number;
  claimedFen: number;
  recoveredFen: number;
  settled: number;
  breaches: number;
  byStage: Record<string, number>;
}

/** The snapshot rows of the input: its totals per creditor, mediation organisation and court. */
export function snapshotRows(input: Pick<FunnelInput, 'positions' | 'settled' | 'breaches' | 'recoveredFen'>) {
  const key = (g: GroupKey) => `${g.creditorOrgId}:${g.mediationOrgId ?? 0}:${g.courtOrgId ?? 0}`;
  const byStage = new Map<string, Record<string, number>>();
  for (const p of input.positions) {
    const stages = byStage.get(key(p)) ?? {};
    stages[p.stage] = (stages[p.stage] ?? 0) + p.claims;
    byStage.set(key(p), stages);
  }
  return [...rollUp(input, key)].map(([k, t]): SnapshotRow => {
    const [creditorOrgId, mediationOrgId, courtOrgId] = k.split(':').map(Number) as [number, number, number];
    const { claims, claimedFen, recoveredFen, settled, breaches } = t;
    return {
      creditorOrgId,
      mediationOrgId,
      courtOrgId,
      claims,
      claimedFen,
      recoveredFen,
      settled,
      breaches,
      byStage: byStage.get(k) ?? {},
    };
  });
}

/** A trend point per day from the snapshot rows of a scope: their sums and the rates of the sums. */
export function trendOf(rows: readonly (SnapshotRow & { day: string })[]) {
  const days = new Map<string, SnapshotRow & { day: string }>();
  for (const r of rows) {
    const d = days.get(r.day);
    if (!d) {
      days.set(r.day, { ...r, byStage: { ...r.byStage } });
      continue;
    }
    d.claims += r.claims;
    d.claimedFen += r.claimedFen;
    d.recoveredFen += r.recoveredFen;
    d.settled += r.settled;
    d.breaches += r.breaches;
    for (const [s, n] of Object.entries(r.byStage)) d.byStage[s] = (d.byStage[s] ?? 0) + n;
  }
  return [...days.values()]
    .sort((a, b) => (a.day < b.day ? -1 : 1))
    .map(({ day, claims, claimedFen, recoveredFen, settled, breaches, byStage }) => ({
      day,
      ...withRates({ claims, claimedFen, recoveredFen, settled, breaches }),
      byStage,
    }));
}
