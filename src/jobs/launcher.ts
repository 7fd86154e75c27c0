/**
 * Running one job now, outside its schedule (an admin's "run now"): the job file in a worker thread,
 * as bree starts it, so a long sweep never holds up the server. Its items are claimed like any run's,
 * so it may overlap a scheduled run of the same job.
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../adapters/workers.js';
import type { PlannedJob } from './schedule.js';

export interface JobLauncher {
  readonly planned: readonly PlannedJob[];
  /** Whether a run this launcher started is still going. */
  running(name: string): boolean;
  /** Start `name` now; false when the launcher's previous run of it is still going. */
  start(name: string): boolean;
  /** Ask running jobs to stop between two items and wait for them. */
  close(): Promise<void>;
}

export interface LauncherOptions {
  planned: readonly PlannedJob[];
  /** The database file and the environment the job reads its configuration from. */
  dbFile: string;
  env: Record<string, string | undefined>;
  onError(job: string, err: unknown): void;
}

const STOP_WAIT_MS = 10_000;

export function createJobLauncher({ planned, dbFile, env, onError }: LauncherOptions): JobLauncher {
  const workers = new Map<string, { worker: Worker; exited: Promise<void> }>();
  return {
    planned,
    running: (name) => workers.has(name),
    start(name) {
      const job = planned.find((j) => j.name === name);
      if (!job) throw new Error(`no job named ${name}`);
      if (workers.has(name)) return false;
      const worker = startWorker(siblingModule(import.meta.url, job.file), {
        env: { ...env },
        workerData: { dbFile },
      });
      worker.on('error', (err) => onError(name, err));
      // A job worker says 'done' and then idles on its port (as under bree, which ends it then too).
      worker.on('message', (message) => {
        if (message === 'done') void worker.terminate();
      });
      const exited = new Promise<void>((resolve) =>
        worker.once('exit', () => {
          workers.delete(name);
          resolve();
        }),
      );
      workers.set(name, { worker, exited });
      return true;
    },
    async close() {
      await Promise.all(
        [...workers.values()].map(async ({ worker, exited }) => {
          worker.postMessage('cancel');
          const timer = setTimeout(() => void worker.terminate(), STOP_WAIT_MS);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
