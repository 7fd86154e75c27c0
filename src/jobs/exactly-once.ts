/**
 * Exactly once, durably: a job lists the items due now, claims them in job_items under a lease, and
 * does each item's effect in the transaction that marks it done, guarded by the lease still being its
 * own. So a crash mid-run leaves its items claimed until the lease runs out, after which the next run
 * takes them; two runs on one database never both commit an item; and an item that throws is
 * recorded with its error and taken again by the next run while the others go on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DB, Tx } from '../db/open.js';
import { driverOf } from '../db/open.js';

export interface DueItem {
  /** What the item is, e.g. `claim:12`. */
  key: string;
  /** When it fell due (a date or an instant as text): the same key due again later is a new item. */
  due: string;
}

export interface ItemJob<I extends DueItem, D> {
  name: string;
  /**
   * Every item due at `now`, oldest first; never one whose effect is done (a done mark is kept for
   * DONE_KEPT_MS only, and stops a second run that listed the item at the same time).
   */
  due(deps: D, now: Date): I[];
  /**
   * Do the item inside the transaction that marks it done, and answer a word for the run's summary;
   * null when it is not due after all (it is released and looked at again next run).
   */
  run(tx: Tx, item: I, deps: D, now: Date): string | null;
}

export interface ItemRunOptions {
  /** The job_runs row of this run: the owner of its claims. */
  runId: number;
  now: Date;
  /** How long a claim holds before another run may take the item (default 5 minutes). */
  leaseMs?: number;
  /** Items claimed at a time (default 200): the next ones nobody holds, so a second run works elsewhere. */
  chunk?: number;
  /**
   * Longest write transaction (default 25 ms), then a pause as long: SQLite's busy handler polls, so a
   * writer that commits and begins again at once would starve the server's writes (which wait
   * DB_BUSY_TIMEOUT_MS) and a second run.
   */
  sliceMs?: number;
  signal?: AbortSignal;
}

export interface ItemRunSummary {
  done: number;
  failed: number;
  /** Items another run holds or has done. */
  skipped: number;
  /** Items that were not due after all. */
  released: number;
  outcomes: Record<string, number>;
  /** The first errors of the run. */
  errors: { key: string; due: string; error: string }[];
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
/** How long done items stay in job_items (the admin's count of items done covers this window). */
export const DONE_KEPT_MS = 30 * 86_400_000;
const MAX_ERRORS_KEPT = 20;

/** Run `job` once over everything due at `now`. */
export async function runItems<I extends DueItem, D extends { db: DB }>(
  job: ItemJob<I, D>,
  deps: D,
  { runId, now, leaseMs = DEFAULT_LEASE_MS, chunk = 200, sliceMs = 25, signal }: ItemRunOptions,
): Promise<ItemRunSummary> {
  const { db } = deps;
  const s = statements(db);
  const at = now.getTime();
  const summary: ItemRunSummary = { done: 0, failed: 0, skipped: 0, released: 0, outcomes: {}, errors: [] };
  const items = job.due(deps, now);
  const claim = (it: I) =>
    s.claim.run({ job: job.name, key: it.key, due: it.due, runId, leaseUntil: at + leaseMs, now: at }).changes === 1;

  const runOne = (tx: Tx, item: I) => {
    const ids = [job.name, item.key, item.due, runId] as const;
    try {
      const outcome = tx.transaction((sp) => {
        const word = job.run(sp, item, deps, now);
        const marked = word === null ? s.release.run(...ids) : s.done.run(word, at, ...ids);
        // Our lease ran out and another run took the item: undo the effect, it is theirs.
        if (marked.changes !== 1) throw new Error(`lost the lease on ${item.key}`);
        return word;
      });
      if (outcome === null) summary.released++;
      else {
        summary.done++;
        summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
      }
    } catch (err) {
      // The savepoint took the item's effect back; its error stays, and the next run takes it again.
      const error = String((err as Error)?.message ?? err).slice(0, 1000);
      s.fail.run(error, at, ...ids);
      summary.failed++;
      if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push({ key: item.key, due: item.due, error });
    }
  };

  let next = 0;
  while (next < items.length && !signal?.aborted) {
    const mine: I[] = [];
    db.transaction(() => {
      while (mine.length < chunk && next < items.length) {
        const it = items[next++]!;
        if (claim(it)) mine.push(it);
        else summary.skipped++;
      }
    });
    let done = 0;
    while (done < mine.length) {
      if (signal?.aborted) {
        // Stopping: what this run holds goes back at once rather than when the lease ends.
        db.transaction(() => {
          for (const it of mine.slice(done)) s.release.run(job.name, it.key, it.due, runId);
        });
        break;
      }
      const started = performance.now();
      db.transaction((tx) => {
        do runOne(tx, mine[done++]!);
        while (done < mine.length && performance.now() - started < sliceMs);
      });
      await sleep(Math.max(1, performance.now() - started));
    }
  }
  // Done marks only matter while a run that listed the item may still be going.
  s.prune.run(job.name, at - DONE_KEPT_MS);
  return summary;
}

const cache = new WeakMap<DB, ReturnType<typeof prepare>>();
const statements = (db: DB) => {
  const cached = cache.get(db);
  if (cached) return cached;
  const s = prepare(db);
  cache.set(db, s);
  return s;
};

function prepare(db: DB) {
  const sqlite = driverOf(db);
  const owned = "job = ? and item_key = ? and due = ? and run_id = ? and status = 'claimed'";
  return {
    // A new item, or one whose last run failed or whose lease ran out; never one that is done.
    claim: sqlite.prepare(
      `insert into job_items (job, item_key, due, status, run_id, lease_until, attempts, updated_at)
        values (@job, @key, @due, 'claimed', @runId, @leaseUntil, 1, @now)
       on conflict (job, item_key, due) do update
         set status = 'claimed', run_id = @runId, lease_until = @leaseUntil, attempts = attempts + 1, updated_at = @now
       where job_items.status = 'failed' or (job_items.status = 'claimed' and job_items.lease_until <= @now)`,
    ),
    done: sqlite.prepare(
      `update job_items set status = 'done', outcome = ?, error = null, lease_until = null, updated_at = ?
       where ${owned}`,
    ),
    release: sqlite.prepare(`delete from job_items where ${owned}`),
    prune: sqlite.prepare("delete from job_items where job = ? and status = 'done' and updated_at < ?"),
    fail: sqlite.prepare(
      `update job_items set status = 'failed', error = ?, lease_until = null, updated_at = ?
       where ${owned}`,
    ),
  };
}
