import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './common.js';

/**
 * The funnel as it stood at the end of a day (Shanghai), one row per creditor, mediation
 * organisation and court (0 for claims without one), written once per day by the stats.daily-snapshot job:
 * the figures a trend is drawn from. Counts and fen add up across rows, so any scope sums its rows.
 */
export const funnelSnapshots = sqliteTable(
  'funnel_snapshots',
  {
    day: text().notNull(),
    creditorOrgId: integer().notNull(),
    mediationOrgId: integer().notNull(),
    courtOrgId: integer().notNull(),
    claims: integer().notNull(),
    claimedFen: integer().notNull(),
    recoveredFen: integer().notNull(),
    /** Claims that reached an agreement at any stage. */
    settled: integer().notNull(),
    breaches: integer().notNull(),
    /** Claims per stage at the end of the day. */
    byStage: text({ mode: 'json' }).$type<Record<string, number>>().notNull(),
    createdAt: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.creditorOrgId, t.mediationOrgId, t.courtOrgId] })],
);

/** What a funnel tally counts (its stage and detail say where). */
export const TALLY_KINDS = ['position', 'flow', 'settled', 'settled_in', 'breach', 'recovered', 'stay'] as const;

/**
 * The funnel kept up to date as claims are written, so the statistics read a few thousand rows
 * instead of every claim and event. Kept in the transaction of every write, whichever module makes it
 * (db/funnel-tallies.ts: triggers on every connection openDatabase opens, the bulk import's slices
 * added whole); the view funnel_tallies_fresh computes the same rows from scratch.
 * One row per claim group (creditor, batch, mediation organisation, court: 0 for none; the Shanghai
 * day of import) and per kind:
 * - position: stage, status (detail): claims there now (n) and their claimed fen (total);
 * - flow: from stage, to stage (detail): moves between stages;
 * - settled: claims that reached an agreement (n); settled_in: those per stage they agreed in;
 * - breach: agreements breached; recovered: fen of confirmed payments less overpayment (total);
 * - stay: the stage, its length in tenths of a day (detail): completed stays (n) and their ms (total).
 * Rows that came to nothing stay as zeros.
 */
export const funnelTallies = sqliteTable(
  'funnel_tallies',
  {
    creditorOrgId: integer().notNull(),
    batchId: integer().notNull(),
    mediationOrgId: integer().notNull(),
    courtOrgId: integer().notNull(),
    createdDay: text().notNull(),
    kind: text({ enum: TALLY_KINDS }).notNull(),
    stage: text().notNull(),
    detail: text().notNull(),
    n: integer().notNull(),
    total: integer().notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.creditorOrgId, t.batchId, t.mediationOrgId, t.courtOrgId, t.createdDay, t.kind, t.stage, t.detail],
    }),
  ],
);
