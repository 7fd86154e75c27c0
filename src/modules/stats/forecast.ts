/**
 * The data of a batch forecast (domain/forecast.ts): the batch's claims, and the platform's history of
 * resolved (closed) claims outside the batch, of every creditor, since a forecast shows only sums.
 * Each history claim's stages, stays and outcome come from its events; the money from its payments.
 */
import { and, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { claimEvents, claims, payments } from '../../db/schema/index.js';
import { type Forecast, forecastBatch, type HistoryClaim } from '../../domain/forecast.js';
import type { Stage } from '../../domain/lifecycle.js';
import { committedClaims } from '../claims/access.js';

/** The most recent resolved claims a forecast learns from: enough for every cell, bounded in memory. */
export const HISTORY_LIMIT = 50_000;

const claimedFen =
  sql<number>`${claims.principalFen} + ${claims.interestFen} + ${claims.penaltyFen} + ${claims.feesFen}`.mapWith(
    Number,
  );

function history(db: DB, batchId: number): HistoryClaim[] {
  const rows = db
    .select({
      id: claims.id,
      loanClass: claims.loanClass,
      claimedFen,
      status: claims.status,
      createdAt: claims.createdAt,
    })
    .from(claims)
    .where(and(committedClaims(), eq(claims.stage, 'closed'), or(isNull(claims.batchId), ne(claims.batchId, batchId))))
    .orderBy(desc(claims.id))
    .limit(HISTORY_LIMIT)
    .all();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const recovered = new Map<number, number>();
  const events = new Map<number, { fromStage: string; toStage: string; at: Date }[]>();
  // In slices: SQLite limits the parameters of one statement.
  for (let i = 0; i < ids.length; i += 5000) {
    const slice = ids.slice(i, i + 5000);
    for (const p of db
      .select({
        claimId: payments.claimId,
        fen: sql<number>`sum(${payments.amountFen} - ${payments.overpaidFen})`.mapWith(Number),
      })
      .from(payments)
      .where(and(inArray(payments.claimId, slice), eq(payments.status, 'confirmed')))
      .groupBy(payments.claimId)
      .all())
      recovered.set(p.claimId, p.fen);
    for (const e of db
      .select({
        claimId: claimEvents.claimId,
        fromStage: claimEvents.fromStage,
        toStage: claimEvents.toStage,
        at: claimEvents.at,
      })
      .from(claimEvents)
      .where(and(inArray(claimEvents.claimId, slice), ne(claimEvents.fromStage, claimEvents.toStage)))
      .orderBy(claimEvents.claimId, claimEvents.seq)
      .all()) {
      const list = events.get(e.claimId) ?? [];
      list.push(e);
      events.set(e.claimId, list);
    }
  }
  return rows.map((r) => {
    const moves = events.get(r.id) ?? [];
    const stayMs: Partial<Record<Stage, number>> = {};
    let entered = r.createdAt.getTime();
    let started: number | null = null;
    for (const m of moves) {
      if (m.fromStage !== 'intake')
        stayMs[m.fromStage as Stage] = (stayMs[m.fromStage as Stage] ?? 0) + m.at.getTime() - entered;
      else started ??= m.at.getTime();
      entered = m.at.getTime();
    }
    const last = moves.at(-1);
    return {
      loanClass: r.loanClass,
      claimedFen: r.claimedFen,
      recoveredFen: recovered.get(r.id) ?? 0,
      reached: [...new Set(moves.map((m) => m.toStage as Stage))],
      settledAt: r.status === 'fulfilled' && last ? (last.fromStage as Stage) : null,
      stayMs,
      cycleMs: last ? last.at.getTime() - (started ?? r.createdAt.getTime()) : 0,
    };
  });
}

export function forecastOf(db: DB, batchId: number): Forecast {
  const batch = db
    .select({ loanClass: claims.loanClass, claimedFen })
    .from(claims)
    .where(eq(claims.batchId, batchId))
    .all();
  return forecastBatch(batch, history(db, batchId));
}
