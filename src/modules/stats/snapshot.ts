/**
 * The daily funnel snapshot (job stats.daily-snapshot): just after midnight Shanghai, the funnel of
 * every committed claim (a batch still `committing` counts nothing yet) as it stood at the end of the day that ended, one row per creditor, mediation
 * organisation and court. The figures are summed outside the write (from the funnel tallies), and the
 * day's rows are written once: the job lists the day only while it has no rows, and its job_items
 * mark stops a second run that listed it at the same time.
 */
import { eq } from 'drizzle-orm';
import type { DB, Tx } from '../../db/open.js';
import { funnelSnapshots } from '../../db/schema/index.js';
import { addDays, shanghaiDate } from '../../domain/dates.js';
import { type SnapshotRow, snapshotRows } from '../../domain/funnel-stats.js';
import type { DueItem } from '../../jobs/exactly-once.js';
import { committedTallies } from '../claims/access.js';
import { groupAggregates } from './funnel-queries.js';

export interface SnapshotItem extends DueItem {
  day: string;
  rows: SnapshotRow[];
}

/** The day that ended before `now` (Shanghai), with its rows, unless it has its snapshot already. */
export function snapshotDue(db: DB, now: Date): SnapshotItem[] {
  const day = addDays(shanghaiDate(now), -1);
  if (db.select({ day: funnelSnapshots.day }).from(funnelSnapshots).where(eq(funnelSnapshots.day, day)).get())
    return [];
  return [{ key: `funnel:${day}`, due: day, day, rows: snapshotRows(groupAggregates(db, committedTallies())) }];
}

export function writeSnapshot(tx: Tx, item: SnapshotItem, now: Date): string {
  for (const row of item.rows)
    tx.insert(funnelSnapshots)
      .values({ day: item.day, ...row, createdAt: now })
      .onConflictDoNothing()
      .run();
  return item.rows.length ? 'written' : 'no_claims';
}
