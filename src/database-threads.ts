/**
 * The threads that work on the database file beside the app's connection: WAL checkpoints, session
 * frames and batch imports. The server and every test start them the same way and hand them to
 * buildApp, which stops them when it closes.
 */
import type { Config } from './config.js';
import { type Checkpointer, startCheckpointer } from './db/checkpointer.js';
import type { OpenedDatabase } from './db/open.js';
import { createImporter, type Importer } from './modules/batches/import/run-import.js';
import { type FrameStore, startFrameStore } from './modules/sessions/frame-store.js';

export interface DatabaseThreads {
  checkpointer: Checkpointer;
  frameStore: FrameStore;
  importer: Importer;
}

/** Start the threads on `file`, the database `database` has open. */
export function startDatabaseThreads(database: OpenedDatabase, file: string, config: Config): DatabaseThreads {
  return {
    // Commits on the event loop must not stall copying the WAL.
    checkpointer: startCheckpointer(database.sqlite, file, { intervalMs: 200, rewindPages: 16384, rewindWaitMs: 100 }),
    frameStore: startFrameStore(file, { busyTimeoutMs: config.dbBusyTimeoutMs }),
    importer: createImporter(file),
  };
}
