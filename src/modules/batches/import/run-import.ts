/**
 * The importer: each import runs on two worker threads (parse, write) joined by a MessageChannel,
 * which report its progress and outcome. The write thread opens the database file itself. The
 * importer discards the batches left `committing` by a writer that is gone, when it is created
 * (on start) and then periodically.
 */
import { MessageChannel, type Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../../../adapters/workers.js';
import { discardAbandonedBatches } from './abandoned-batches.js';
import {
  ABANDONED_AFTER_MS,
  failedOutcome,
  type ImportResult,
  INTERNAL_FAILURE,
  type ParseJob,
  type WriteJob,
  type WriterToCoordinator,
} from './protocol.js';

export interface ImportProgress {
  phase: 'validating' | 'committing';
  rowsRead: number;
  rowsWritten: number;
  bytesRead: number;
  bytesTotal: number;
}

export interface ImportHandle {
  /** The batch id once the writer has begun (null for dry runs). */
  started: Promise<number | null>;
  done: Promise<ImportResult>;
  /** Stop the import; nothing of it is saved. */
  abort(): Promise<void>;
}

export interface Importer {
  /** Start an import; `onCrash` hears what a worker that died had to say. */
  start(
    parse: ParseJob,
    write: WriteJob,
    onProgress?: (p: ImportProgress) => void,
    onCrash?: (detail: string) => void,
  ): ImportHandle;
  /** Stop every running import (shutdown); their transactions roll back. */
  close(): Promise<void>;
}

/** The importer for the database in `dbFile`. */
export function createImporter(dbFile: string): Importer {
  const running = new Set<ImportHandle>();
  const sweep = () => {
    try {
      discardAbandonedBatches(dbFile);
    } catch (err) {
      process.emitWarning(`discarding abandoned batches failed: ${String(err)}`);
    }
  };
  sweep();
  const sweeper = setInterval(sweep, ABANDONED_AFTER_MS);
  sweeper.unref();
  return {
    start(parse, write, onProgress, onCrash) {
      const handle = runImport(dbFile, parse, write, onProgress, onCrash);
      running.add(handle);
      void handle.done.then(() => running.delete(handle));
      return handle;
    },
    async close() {
      clearInterval(sweeper);
      await Promise.all([...running].map((h) => h.abort()));
    },
  };
}

function runImport(
  dbFile: string,
  parse: ParseJob,
  write: WriteJob,
  onProgress: (p: ImportProgress) => void = () => {},
  onCrash: (detail: string) => void = () => {},
): ImportHandle {
  const { port1, port2 } = new MessageChannel();
  const parser = startWorker(siblingModule(import.meta.url, 'parse-worker'), {
    workerData: { job: parse, port: port1 },
    transferList: [port1],
  });
  const writer = startWorker(siblingModule(import.meta.url, 'write-worker'), {
    workerData: { dbFile, job: write, port: port2 },
    transferList: [port2],
  });

  const failed = (detail: string): ImportResult => ({ batchId: null, ...failedOutcome(detail) });

  let resolveStarted!: (id: number | null) => void;
  const started = new Promise<number | null>((r) => (resolveStarted = r));
  const done = new Promise<ImportResult>((resolve) => {
    const settle = (result: ImportResult) => {
      resolveStarted(result.batchId);
      resolve(result);
      void stop(parser);
      void stop(writer);
    };
    writer.on('message', (m: WriterToCoordinator) => {
      if (m.type === 'started') resolveStarted(m.batchId);
      else if (m.type === 'progress') onProgress(m);
      else if (m.type === 'done') settle(m.result);
      else {
        if (m.internal) onCrash(m.internal);
        settle(failed(m.detail));
      }
    });
    parser.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'crash') onCrash(m.message ?? '');
    });
    // A worker that dies is reported and the other is stopped; the open transaction dies with the writer.
    writer.on('error', (err) => {
      onCrash(String(err.stack ?? err));
      settle(failed(INTERNAL_FAILURE));
    });
    writer.on('exit', () => settle(failed('The import stopped before it finished; nothing of it was saved.')));
    parser.on('error', (err) => {
      onCrash(String(err.stack ?? err));
      writer.postMessage({ type: 'abort' });
    });
  });

  return {
    started,
    done,
    async abort() {
      writer.postMessage({ type: 'abort' });
      await done;
    },
  };
}

async function stop(worker: Worker): Promise<void> {
  await worker.terminate().catch(() => undefined);
}
