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
