/**
 * WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside whichever
 * commit takes the WAL past 1,000 pages: that commit copies the pages into the database file, tens
 * of milliseconds. Live session frames commit on the event loop, so the server turns the automatic
 * checkpoint off on its connection and this thread copies the WAL beside it. A page written many
 * times between two passes is copied once, so a longer interval is also less work.
 *
 * Copying alone never rewinds the WAL while commits keep coming: the next commit starts the WAL over
 * only if everything in it was copied when that commit's transaction began. So once the WAL is long,
 * the connection copies the little that came after the thread's pass itself, between two of its own
 * transactions, and its next commit rewinds the WAL.
 */
import type Database from 'better-sqlite3';
import { siblingModule, startWorker } from '../adapters/workers.js';

export interface CheckpointSettings {
  /** How often the thread copies the WAL into the database file. */
  intervalMs: number;
  /** WAL pages beyond which the connection catches up after a pass, so that the WAL rewinds. */
  rewindPages: number;
  busyTimeoutMs: number;
}

/** What `PRAGMA wal_checkpoint` answers: pages in the WAL and pages copied. */
export interface CheckpointPass {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  stop(): Promise<void>;
}

/** SQLite's default `wal_autocheckpoint`, given back to the connection when the thread stops. */
const AUTOCHECKPOINT_PAGES = 1000;

export function startCheckpointer(sqlite: Database.Database, file: string, settings: CheckpointSettings): Checkpointer {
  const worker = startWorker(siblingModule(import.meta.url, 'checkpoint-worker'), { workerData: { file, ...settings } });
  const automatic = () => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  sqlite.pragma('wal_autocheckpoint = 0');
  // The thread waits for this answer before its next round, so the two never contend for the checkpoint.
  worker.on('message', (pass: CheckpointPass | undefined) => {
    if (pass && pass.log >= settings.rewindPages && sqlite.open && !sqlite.inTransaction) sqlite.pragma('wal_checkpoint(PASSIVE)');
    worker.postMessage('next');
  });
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
