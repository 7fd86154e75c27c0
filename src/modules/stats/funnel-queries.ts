/**
 * The aggregates the funnel statistics are computed from. The claims' positions, moves between
 * stages, agreements, breaches, money received and stays are summed from funnel_tallies (which the
 * database keeps as claims are written: db/schema/stats.ts), so a query reads a few rows per claim
 * group whatever the number of claims and events; objections and hardship requests, few beside the
 * claims, are counted from their own rows. Grouping by creditor, batch, mediation organisation and
 * court lets one pass feed every roll-up and the daily snapshot.
 */
import { and, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { claims, funnelTallies, hardshipClaims, hardshipRequests, objections } from '../../db/schema/index.js';
import type { FunnelInput, GroupCount, StayBucket } from '../../domain/funnel-stats.js';
import type { Stage } from '../../domain/lifecycle.js';

type Kind = (typeof funnelTallies.kind.enumValues)[number];

const t = funnelTallies;
const group = {
  creditorOrgId: t.creditorOrgId,
  batchId: t.batchId,
  mediationOrgId: t.mediationOrgId,
  courtOrgId: t.courtOrgId,
};
const groupBy = [t.creditorOrgId, t.batchId, t.mediationOrgId, t.courtOrgId] as const;
const n = sql<number>`sum(${t.n})`.mapWith(Number);
const total = sql<number>`sum(${t.total})`.mapWith(Number);
const of = (where: SQL, kind: Kind) => and(where, eq(t.kind, kind));
/** A group as GroupKey has it: no batch, mediation organisation or court is null (0 in the tallies). */
const grouped = <R extends { batchId: number; mediationOrgId: number; courtOrgId: number }>(r: R) => ({
  ...r,
  batchId: r.batchId || null,
  mediationOrgId: r.mediationOrgId || null,
  courtOrgId: r.courtOrgId || null,
});

/** Claims per group and position, agreements, breaches and money received: what the roll-ups and snapshots need. */
export function groupAggregates(
  db: DbOrTx,
  where: SQL,
): Pick<FunnelInput, 'positions' | 'settled' | 'breaches' | 'recoveredFen'> {
  const positions = db
    .select({ ...group, stage: t.stage, status: t.detail, claims: n, claimedFen: total })
    .from(t)
    .where(of(where, 'position'))
    .groupBy(...groupBy, t.stage, t.detail)
    .having(sql`sum(${t.n}) <> 0`)
    .all()
    .map((r) => grouped({ ...r, stage: r.stage as Stage }));
  const perGroup = (kind: Kind, sum: SQL<number>): GroupCount[] =>
    db
      .select({ ...group, n: sum })
      .from(t)
      .where(of(where, kind))
      .groupBy(...groupBy)
      .all()
      .map(grouped);
  return {
    positions,
    settled: perGroup('settled', n),
    breaches: perGroup('breach', n),
    recoveredFen: perGroup('recovered', total),
  };
}

/** Everything the whole funnel needs: the tallies of `where`, the objections and hardship of the claims of `claimsWhere`. */
export function funnelAggregates(db: DbOrTx, where: SQL, claimsWhere: SQL): FunnelInput {
  const flows = db
    .select({ from: t.stage, to: t.detail, claims: n })
    .from(t)
    .where(of(where, 'flow'))
    .groupBy(t.stage, t.detail)
    .having(sql`sum(${t.n}) > 0`)
    .all() as { from: Stage; to: Stage; claims: number }[];
  const settledByStage = db
    .select({ stage: t.stage, claims: n })
    .from(t)
    .where(of(where, 'settled_in'))
    .groupBy(t.stage)
    .having(sql`sum(${t.n}) > 0`)
    .all() as { stage: Stage; claims: number }[];
  const stays: Partial<Record<Stage, StayBucket[]>> = {};
  const stayRows = db
    .select({ stage: t.stage, tenths: t.detail, stays: n, totalMs: total })
    .from(t)
    .where(of(where, 'stay'))
    .groupBy(t.stage, t.detail)
    .having(sql`sum(${t.n}) > 0`)
    .all();
  for (const { stage, tenths, ...r } of stayRows) {
    const list = stays[stage as Stage] ?? [];
    list.push({ tenths: Number(tenths), ...r });
    stays[stage as Stage] = list;
  }
  return {
    ...groupAggregates(db, where),
    flows,
    settledByStage,
    stays,
    objections: objectionCounts(db, claimsWhere),
    hardship: hardshipCounts(db, claimsWhere),
  };
}

function objectionCounts(db: DbOrTx, where: SQL): FunnelInput['objections'] {
  const rows = db
    .select({ status: objections.status, outcome: objections.outcome, n: count() })
    // From the objections, few, to their claims: the planner would otherwise walk a creditor's claims.
    .from(objections)
    .crossJoin(claims)
    .where(and(eq(objections.claimId, claims.id), where))
    .groupBy(objections.status, objections.outcome)
    .all();
  const sum = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).reduce((s, r) => s + r.n, 0);
  return {
    open: sum((r) => r.status === 'open'),
    upheld: sum((r) => r.outcome === 'upheld'),
    partially_upheld: sum((r) => r.outcome === 'partially_upheld'),
    rejected: sum((r) => r.outcome === 'rejected'),
  };
}

function hardshipCounts(db: DbOrTx, where: SQL): FunnelInput['hardship'] {
  const ids = db
    .selectDistinct({ id: hardshipClaims.requestId })
    .from(hardshipClaims)
    .crossJoin(claims)
    .where(and(eq(hardshipClaims.claimId, claims.id), where));
  const rows = db
    .select({ status: hardshipRequests.status, n: count() })
    .from(hardshipRequests)
    .where(inArray(hardshipRequests.id, ids))
    .groupBy(hardshipRequests.status)
    .all();
  const n = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return { pending: n('pending'), granted: n('granted'), refused: n('refused') };
}
