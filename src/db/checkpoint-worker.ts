/** The checkpoint thread (see checkpointer.ts): its own connection to the file, copying the WAL on a timer. */
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointSettings } from './checkpointer.js';

/** What `PRAGMA wal_checkpoint` answers: pages in the WAL and pages copied. */
interface CheckpointPass {
  busy: number;
  log: number;
  checkpointed: number;
}

const { file, intervalMs, rewindPages, rewindWaitMs } = workerData as CheckpointSettings & { file: string };
const db = new Database(file);
// Only the rewind waits (PASSIVE never does), and writers wait behind it.
db.pragma(`busy_timeout = ${rewindWaitMs}`);
/** Passes in a row, each copying what came during the one before, until that is little. */
const MAX_PASSES = 4;
const LITTLE_PAGES = 256;

function round(): void {
  let pass: CheckpointPass | undefined;
  for (let i = 0, before = 0; i < MAX_PASSES; i++) {
    [pass] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointPass[];
    if (!pass || pass.log - before < LITTLE_PAGES) break;
    before = pass.log;
  }
  // Answers busy, having copied what it could, when the writer or a reader outlasted the wait.
  if (pass && pass.log >= rewindPages) db.pragma('wal_checkpoint(RESTART)');
  setTimeout(round, intervalMs);
}

setTimeout(round, intervalMs);
