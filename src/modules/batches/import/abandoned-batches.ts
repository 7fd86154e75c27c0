/**
 * Batches whose writer is gone: a process killed while its batch was `committing` leaves rows that
 * nobody sees (claims/access.ts) but that hold its contract numbers. On start and then every so
 * often, each batch whose process has ended, or that has not marked itself alive for a while, is
 * discarded and recorded as failed, so the same file can be sent again.
 */
import Database from 'better-sqlite3';
import { discardBatch } from '../../../db/bulk-import.js';
import { ABANDONED_AFTER_MS, failedOutcome } from './protocol.js';

export const ABANDONED_DETAIL =
  'The import was cut short (the server or the import stopped) before it finished; nothing of it was saved. Send the file again.';

/** Whether process `pid` runs on this machine. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Discard the abandoned batches of `dbFile`; answers their ids. */
export function discardAbandonedBatches(dbFile: string): number[] {
  const db = new Database(dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    const committing = db
      .prepare("SELECT id, importer_pid AS pid, heartbeat_at AS beat FROM batches WHERE status = 'committing'")
      .all() as { id: number; pid: number | null; beat: number | null }[];
    const now = Date.now();
    // Our own pid may be a reused one of a process before us: then only the heartbeat tells.
    const gone = committing.filter(
      (b) =>
        b.beat === null ||
        now - b.beat > ABANDONED_AFTER_MS ||
        (b.pid !== null && b.pid !== process.pid && !running(b.pid)),
    );
    for (const b of gone) discardBatch(db, b.id, { ...failedOutcome(ABANDONED_DETAIL), finishedAt: now });
    return gone.map((b) => b.id);
  } finally {
    db.close();
  }
}
