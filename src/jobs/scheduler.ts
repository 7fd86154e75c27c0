/**
 * The job schedule (schedule.ts), run by bree: each job is a file beside this one that bree starts in a
 * worker thread. The server starts the scheduler after it listens and stops it before it closes;
 * buildApp never does, so tests and scripts run no timers.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import Bree from 'bree';
import { siblingModule, startWorker } from '../adapters/workers.js';
import type { Config } from '../config.js';
import { type PlannedJob, planSchedule } from './schedule.js';

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
  /** The planned schedule (planSchedule), by default SCHEDULE with the environment's settings. */
  jobs?: readonly PlannedJob[];
}

/** Start every scheduled job under bree; answers the handle that stops them. */
export async function startScheduler({
  config,
  dbFile,
  env,
  log,
  jobs = planSchedule(config, env),
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
      ...('cron' in job.schedule ? { cron: job.schedule.cron } : { interval: job.schedule.everyMs }),
      worker: { env: { ...env }, workerData: { dbFile } },
    })),
  });
  // Bree starts plain `new Worker(path)`; from TypeScript sources the worker must first register tsx,
  // which startWorker does (the same way the import workers start).
  bree.createWorker = (filename, options) => startWorker(pathToFileURL(filename), options);
  await bree.start();
  return { stop: () => bree.stop() };
}
