/**
 * WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside whichever
 * commit takes the WAL past 1,000 pages: that commit copies the pages into the database file, tens
 * of milliseconds. Live session frames commit on the event loop, so the server turns the automatic
 * checkpoint off on its connection and this thread copies the WAL beside it. A page written many
 * times between two passes is copied once, so a longer interval is also less work.
 *
 * Copying alone never rewinds a WAL that receives continuous commits: the next commit starts the
 * WAL over only if everything in it was copied when that commit's transaction began. So once the WAL
 * is long, the thread copies the little that came after its pass while holding off writers (a
 * RESTART checkpoint), and the next commit rewinds the WAL. Writers wait for that last copy, not the
 * event loop: it used to do this catch-up itself and stood still for up to 20 ms, the database
 * file's sync included.
 */
import type Database from 'better-sqlite3';
import { siblingModule, startWorker } from '../adapters/workers.js';

export interface CheckpointSettings {
  /** How often the thread copies the WAL into the database file. */
  intervalMs: number;
  /** WAL pages beyond which the thread rewinds the WAL after a pass. */
  rewindPages: number;
  /**
   * How long a rewind waits for the writer in progress and for readers of the WAL; writers wait
   * behind it meanwhile, so it is short. A rewind that cannot go ahead is tried again next round.
   */
  rewindWaitMs: number;
}

export interface Checkpointer {
  stop(): Promise<void>;
}

/** SQLite's default `wal_autocheckpoint`, given back to the connection when the thread stops. */
const AUTOCHECKPOINT_PAGES = 1000;

export function startCheckpointer(sqlite: Database.Database, file: string, settings: CheckpointSettings): Checkpointer {
  const worker = startWorker(siblingModule(import.meta.url, 'checkpoint-worker'), {
    workerData: { file, ...settings },
  });
  const automatic = () => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  sqlite.pragma('wal_autocheckpoint = 0');
  // A thread that failed must not leave the WAL to grow unchecked.
  worker.on('error', automatic);
  worker.unref();
  return {
    async stop() {
      automatic();
      await worker.terminate();
    },
  };
}
