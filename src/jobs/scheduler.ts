/**
 * The job schedule as data, run by bree: each job is a file beside this one that bree starts in a
 * worker thread. The server starts the scheduler after it listens and stops it before it closes;
 * buildApp never does, so tests and scripts run no timers.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import Bree from 'bree';
import { siblingModule, startWorker } from '../adapters/workers.js';
import type { Config } from '../config.js';

export interface ScheduledJob {
  name: string;
  /** The job file beside this module, without extension (.ts from sources, .js from dist/). */
  file: string;
  /** Every this many milliseconds, or … */
  everyMs?: (config: Config) => number;
  /** … on this cron schedule, Shanghai time. */
  cron?: string;
}

/** Every job runs once when the scheduler starts, then on its schedule. */
export const SCHEDULE: readonly ScheduledJob[] = [
  {
    name: 'deliveries.send-pending',
    file: 'deliveries-send-pending',
    everyMs: (c) => c.deliveryIntervalSeconds * 1000,
  },
  // Public-notice periods end at midnight; ten past leaves room for clocks that are slightly off.
  { name: 'deliveries.deem-served', file: 'deliveries-deem-served', cron: '10 0 * * *' },
];

export interface SchedulerLog {
  debug(msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Scheduler {
  /** Stop the timers and wait for running jobs, which stop between two units of work. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  config: Config;
  /** The database file the jobs open. */
  dbFile: string;
  /** The environment the jobs read their configuration from. */
  env: Record<string, string | undefined>;
  log: SchedulerLog;
  jobs?: readonly ScheduledJob[];
}

/** Start every scheduled job under bree; answers the handle that stops them. */
export async function startScheduler({
  config,
  dbFile,
  env,
  log,
  jobs = SCHEDULE,
}: SchedulerOptions): Promise<Scheduler> {
  const bree = new Bree({
    root: false,
    timezone: 'Asia/Shanghai',
    acceptedExtensions: ['.js', '.ts'],
    logger: {
      info: (m: unknown) => log.debug(String(m)),
      warn: (m: unknown) => log.debug(String(m)),
      error: (m: unknown) => log.error({ detail: String(m) }, 'job error'),
    },
    errorHandler: (err: unknown, meta: { name: string }) => log.error({ job: meta.name, err }, 'job failed'),
    jobs: jobs.map((job) => ({
      name: job.name,
      path: fileURLToPath(siblingModule(import.meta.url, job.file)),
      // timeout 0: run at start, then on the schedule (bree's default for a scheduled job is to wait).
      timeout: 0,
      ...(job.cron ? { cron: job.cron } : { interval: job.everyMs!(config) }),
      worker: { env: { ...env }, workerData: { dbFile } },
    })),
  });
  // Bree starts plain `new Worker(path)`; from TypeScript sources the worker must first register tsx,
  // which startWorker does (the same way the import workers start).
  bree.createWorker = (filename, options) => startWorker(pathToFileURL(filename), options);
  await bree.start();
  return { stop: () => bree.stop() };
}
