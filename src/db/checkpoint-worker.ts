/** The checkpoint thread (see checkpointer.ts): its own connection to the file, copying the WAL on a timer. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointPass, CheckpointSettings } from './checkpointer.js';

const { file, intervalMs, busyTimeoutMs } = workerData as CheckpointSettings & { file: string };
const db = new Database(file);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
/** Passes in a row, each copying what came during the one before, until that is little. */
const MAX_PASSES = 4;
const LITTLE_PAGES = 256;

/** Copy, report, and wait for the connection's answer (it may catch up meanwhile) before the next round. */
function round(): void {
  let pass: CheckpointPass | undefined;
  for (let i = 0, before = 0; i < MAX_PASSES; i++) {
    [pass] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointPass[];
    if (!pass || pass.log - before < LITTLE_PAGES) break;
    before = pass.log;
  }
  parentPort!.postMessage(pass);
}

parentPort!.on('message', () => setTimeout(round, intervalMs));
setTimeout(round, intervalMs);
