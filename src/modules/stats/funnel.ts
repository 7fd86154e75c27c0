/**
 * The funnel statistics a principal asks for: the claims it may count (modules/claims/access.ts),
 * narrowed by creditor, batch and import dates, summed per stage, creditor, batch and mediation
 * organisation, with the trend from the daily snapshots. A creditor or batch outside what the
 * principal may see counts nothing, as an empty funnel, so no one learns another tenant's figures.
 */
import { and, eq, gte, inArray, lt, lte, type SQL } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { batches, claims, funnelSnapshots, funnelTallies, organisations } from '../../db/schema/index.js';
import { addDays, isValidIsoDate, shanghaiMidnightUtc } from '../../domain/dates.js';
import { type GroupKey, rollUp, summariseFunnel, type Totals, trendOf } from '../../domain/funnel-stats.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { countedClaims, countedTallies, visibleSnapshots } from '../claims/access.js';
import { funnelAggregates } from './funnel-queries.js';
import type { FunnelQuery } from './schemas.js';

function checkDates(q: FunnelQuery) {
  for (const field of ['from', 'to'] as const) {
    const value = q[field];
    if (value !== undefined && !isValidIsoDate(value))
      throw new AppError('validation_failed', `${field}=${value} is no calendar date: write it as YYYY-MM-DD.`, {
        fields: [{ field: `/querystring/${field}`, message: 'must be a calendar date', zh: '不是有效的日期' }],
      });
  }
  if (q.from && q.to && q.from > q.to)
    throw new AppError(
      'validation_failed',
      `The period runs from ${q.from} to ${q.to}: "from" must not be after "to".`,
      {
        fields: [{ field: '/querystring/to', message: 'must not be before from', zh: '结束日期不能早于开始日期' }],
      },
    );
}

/** The claims the query counts for the principal: on the claims, and on their funnel tallies. */
function conditions(p: Principal, q: FunnelQuery): { tallies: SQL; claims: SQL } {
  const from = q.from === undefined ? undefined : shanghaiMidnightUtc(q.from);
  const to = q.to === undefined ? undefined : shanghaiMidnightUtc(addDays(q.to, 1));
  return {
    tallies: and(
      countedTallies(p),
      q.creditor === undefined ? undefined : eq(funnelTallies.creditorOrgId, q.creditor),
      q.batch === undefined ? undefined : eq(funnelTallies.batchId, q.batch),
      // A tally's day is the Shanghai date of its claims' import.
      q.from === undefined ? undefined : gte(funnelTallies.createdDay, q.from),
      q.to === undefined ? undefined : lte(funnelTallies.createdDay, q.to),
    )!,
    claims: and(
      countedClaims(p),
      q.creditor === undefined ? undefined : eq(claims.creditorOrgId, q.creditor),
      q.batch === undefined ? undefined : eq(claims.batchId, q.batch),
      from === undefined ? undefined : gte(claims.createdAt, from),
      to === undefined ? undefined : lt(claims.createdAt, to),
    )!,
  };
}

/** The daily trend of the principal's snapshots; a batch has none (snapshots are not kept per batch). */
function trend(db: DB, p: Principal, q: FunnelQuery) {
  if (q.batch !== undefined) return [];
  const rows = db
    .select()
    .from(funnelSnapshots)
    .where(
      and(
        visibleSnapshots(p),
        q.creditor === undefined ? undefined : eq(funnelSnapshots.creditorOrgId, q.creditor),
        q.from === undefined ? undefined : gte(funnelSnapshots.day, q.from),
        q.to === undefined ? undefined : lte(funnelSnapshots.day, q.to),
      ),
    )
    .all();
  return trendOf(rows);
}

function names(db: DB, orgIds: number[], batchIds: number[]) {
  const orgs = orgIds.length
    ? db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(inArray(organisations.id, orgIds))
        .all()
    : [];
  const refs = batchIds.length
    ? db
        .select({ id: batches.id, reference: batches.reference })
        .from(batches)
        .where(inArray(batches.id, batchIds))
        .all()
    : [];
  return {
    org: (id: number | null) => (id === null ? null : (orgs.find((o) => o.id === id)?.name ?? null)),
    batch: (id: number | null) => (id === null ? null : (refs.find((b) => b.id === id)?.reference ?? null)),
  };
}

const byClaims = <T extends Totals>(xs: T[]) => xs.sort((a, b) => b.claims - a.claims);

export function funnelStatistics(db: DB, p: Principal, q: FunnelQuery) {
  checkDates(q);
  const where = conditions(p, q);
  const input = funnelAggregates(db, where.tallies, where.claims);
  const groups = <K extends keyof GroupKey>(key: K) => [...rollUp(input, (g) => g[key] ?? 0)];
  const creditors = groups('creditorOrgId');
  const batchRows = groups('batchId');
  const mediationOrgs = groups('mediationOrgId');
  const named = names(
    db,
    [...creditors, ...mediationOrgs].map(([id]) => id).filter((id) => id > 0),
    batchRows.map(([id]) => id).filter((id) => id > 0),
  );
  const nullable = (id: number) => (id > 0 ? id : null);
  return {
    ...summariseFunnel(input),
    byCreditor: byClaims(creditors.map(([id, t]) => ({ creditorOrgId: id, name: named.org(id), ...t }))),
    byBatch: byClaims(
      batchRows.map(([id, t]) => ({ batchId: nullable(id), reference: named.batch(nullable(id)), ...t })),
    ),
    byMediationOrg: byClaims(
      mediationOrgs.map(([id, t]) => ({ mediationOrgId: nullable(id), name: named.org(nullable(id)), ...t })),
    ),
    trend: trend(db, p, q),
  };
}

export type FunnelStatistics = ReturnType<typeof funnelStatistics>;
