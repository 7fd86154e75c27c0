/**
 * The aggregates the funnel statistics are computed from, each summed by SQLite over the claims of a
 * condition (who may see them and the caller's filters): claims per group and position, stage changes
 * and agreements from the events, breaches, money received, the stays per stage, objections and
 * hardship requests. Grouping by creditor, batch, mediation organisation and court lets one pass feed
 * every roll-up and the daily snapshot.
 */
import { and, count, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { claimEvents, claims, hardshipClaims, hardshipRequests, objections, payments } from '../../db/schema/index.js';
import type { FunnelInput, GroupCount } from '../../domain/funnel-stats.js';
import type { Stage } from '../../domain/lifecycle.js';

const group = {
  creditorOrgId: claims.creditorOrgId,
  batchId: claims.batchId,
  mediationOrgId: claims.mediationOrgId,
  courtOrgId: claims.courtOrgId,
};
const groupBy = [claims.creditorOrgId, claims.batchId, claims.mediationOrgId, claims.courtOrgId] as const;
const num = (expr: SQL) => sql<number>`coalesce(${expr}, 0)`.mapWith(Number);
const claimedFen = num(
  sql`sum(${claims.principalFen} + ${claims.interestFen} + ${claims.penaltyFen} + ${claims.feesFen})`,
);

/** Claims per group and position, agreements, breaches and money received: what the roll-ups and snapshots need. */
export function groupAggregates(
  db: DbOrTx,
  where: SQL,
): Pick<FunnelInput, 'positions' | 'settled' | 'breaches' | 'recoveredFen'> {
  const positions = db
    .select({ ...group, stage: claims.stage, status: claims.status, claims: count(), claimedFen })
    .from(claims)
    .where(where)
    .groupBy(...groupBy, claims.stage, claims.status)
    .all();
  const perGroup = (action: string, n: SQL<number>): GroupCount[] =>
    db
      .select({ ...group, n })
      .from(claimEvents)
      .innerJoin(claims, eq(claimEvents.claimId, claims.id))
      .where(and(where, eq(claimEvents.action, action)))
      .groupBy(...groupBy)
      .all();
  const recoveredFen = db
    .select({ ...group, n: num(sql`sum(${payments.amountFen} - ${payments.overpaidFen})`) })
    .from(payments)
    .innerJoin(claims, eq(payments.claimId, claims.id))
    .where(and(where, eq(payments.status, 'confirmed')))
    .groupBy(...groupBy)
    .all();
  return {
    positions,
    settled: perGroup('agree', num(sql`count(distinct ${claimEvents.claimId})`)),
    breaches: perGroup('breach', num(sql`count(*)`)),
    recoveredFen,
  };
}

/** Everything the whole funnel needs over the claims of `where`. */
export function funnelAggregates(db: DbOrTx, where: SQL): FunnelInput {
  const stageChanges = and(where, ne(claimEvents.fromStage, claimEvents.toStage));
  const flows = db
    .select({ from: claimEvents.fromStage, to: claimEvents.toStage, claims: count() })
    .from(claimEvents)
    .innerJoin(claims, eq(claimEvents.claimId, claims.id))
    .where(stageChanges)
    .groupBy(claimEvents.fromStage, claimEvents.toStage)
    .all() as { from: Stage; to: Stage; claims: number }[];
  const settledByStage = db
    .select({ stage: claimEvents.fromStage, claims: num(sql`count(distinct ${claimEvents.claimId})`) })
    .from(claimEvents)
    .innerJoin(claims, eq(claimEvents.claimId, claims.id))
    .where(and(where, eq(claimEvents.action, 'agree')))
    .groupBy(claimEvents.fromStage)
    .all() as { stage: Stage; claims: number }[];
  // A stay runs from the claim's previous change of stage (or its import) to the event that left the stage.
  const stayRows = db
    .select({
      stage: claimEvents.fromStage,
      ms: sql<number>`${claimEvents.at} - coalesce(lag(${claimEvents.at}) over (partition by ${claimEvents.claimId} order by ${claimEvents.seq}), ${claims.createdAt})`,
    })
    .from(claimEvents)
    .innerJoin(claims, eq(claimEvents.claimId, claims.id))
    .where(stageChanges)
    .all();
  const stays: Partial<Record<Stage, number[]>> = {};
  for (const { stage, ms } of stayRows) {
    const list = stays[stage as Stage] ?? [];
    list.push(ms);
    stays[stage as Stage] = list;
  }
  return {
    ...groupAggregates(db, where),
    flows,
    settledByStage,
    stays,
    objections: objectionCounts(db, where),
    hardship: hardshipCounts(db, where),
  };
}

function objectionCounts(db: DbOrTx, where: SQL): FunnelInput['objections'] {
  const rows = db
    .select({ status: objections.status, outcome: objections.outcome, n: count() })
    .from(objections)
    .innerJoin(claims, eq(objections.claimId, claims.id))
    .where(where)
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
    .innerJoin(claims, eq(hardshipClaims.claimId, claims.id))
    .where(where);
  const rows = db
    .select({ status: hardshipRequests.status, n: count() })
    .from(hardshipRequests)
    .where(inArray(hardshipRequests.id, ids))
    .groupBy(hardshipRequests.status)
    .all();
  const n = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return { pending: n('pending'), granted: n('granted'), refused: n('refused') };
}
