/** The frame store thread (see frame-store.ts): its own connection, one transaction per batch of frames. */
import { type MessagePort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { frameInsert, type NewFrameRow } from '../../db/session-frames.js';

const { file, lockWaitMs, port, state } = workerData as {
  file: string;
  lockWaitMs: number;
  port: MessagePort;
  state: Int32Array;
};
const db = new Database(file);
// This thread may wait for the write lock: the event loop does not wait with it.
db.pragma(`busy_timeout = ${lockWaitMs}`);
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// Copying the WAL is the checkpoint thread's work (src/db/checkpointer.ts), never inside a batch.
db.pragma('wal_autocheckpoint = 0');

const insert = frameInsert(db);
const store = db.transaction((rows: NewFrameRow[]) => rows.forEach(insert));

port.on('message', (batch: string) => {
  let error: string | null = null;
  try {
    // Immediate: the write lock is waited for when the transaction begins, with the busy timeout.
    store.immediate(JSON.parse(batch) as NewFrameRow[]);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  // The answer is queued before the flag drops, so a thread that waited on the flag finds it.
  port.postMessage(error);
  Atomics.store(state, 0, 0);
  Atomics.notify(state, 0);
});
