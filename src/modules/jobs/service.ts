/** The admin's view of the jobs: schedule, last run and the items that failed; and "run now". */
import { and, count, desc, eq, gt } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB } from '../../db/open.js';
import { jobItems, jobRuns } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { DEFAULT_LEASE_MS } from '../../jobs/exactly-once.js';
import type { JobLauncher } from '../../jobs/launcher.js';
import { describeSchedule } from '../../jobs/schedule.js';
import type { JobView } from './schemas.js';

const SHOWN_ERRORS = 10;

type RunStatus = NonNullable<JobView['lastRun']>['status'];

export function createJobService({ db, clock, launcher }: { db: DB; clock: Clock; launcher: JobLauncher }) {
  /**
   * A run still 'running' after a lease's time that holds no live claim stopped without finishing (its
   * process died): its items went back to the next run, so say so rather than show it running forever.
   */
  const statusOf = (run: typeof jobRuns.$inferSelect): RunStatus => {
    const now = clock.now();
    if (run.status !== 'running' || now.getTime() - run.startedAt.getTime() < DEFAULT_LEASE_MS)
      return run.status as RunStatus;
    const holding = db
      .select({ n: count() })
      .from(jobItems)
      .where(and(eq(jobItems.runId, run.id), eq(jobItems.status, 'claimed'), gt(jobItems.leaseUntil, now)))
      .get()!.n;
    return holding > 0 ? 'running' : 'abandoned';
  };

  const view = (name: string, schedule: string): JobView => {
    const run = db.select().from(jobRuns).where(eq(jobRuns.job, name)).orderBy(desc(jobRuns.id)).limit(1).get();
    const countOf = (status: 'done' | 'failed') =>
      db
        .select({ n: count() })
        .from(jobItems)
        .where(and(eq(jobItems.job, name), eq(jobItems.status, status)))
        .get()!.n;
    const errors = db
      .select()
      .from(jobItems)
      .where(and(eq(jobItems.job, name), eq(jobItems.status, 'failed')))
      .orderBy(desc(jobItems.updatedAt))
      .limit(SHOWN_ERRORS)
      .all();
    return {
      name,
      schedule,
      running: launcher.running(name),
      lastRun: run
        ? {
            id: run.id,
            status: statusOf(run),
            startedAt: run.startedAt.toISOString(),
            finishedAt: run.finishedAt?.toISOString() ?? null,
            durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
            itemsDone: run.processed,
            itemsFailed: run.failed,
            detail: run.detail,
          }
        : null,
      itemsDone: countOf('done'),
      failedItems: countOf('failed'),
      errors: errors.map((e) => ({
        item: e.itemKey,
        due: e.due,
        attempts: e.attempts,
        error: e.error ?? '',
        at: e.updatedAt.toISOString(),
      })),
    };
  };

  return {
    list: (): JobView[] => launcher.planned.map((j) => view(j.name, describeSchedule(j.schedule))),

    runNow(name: string): { name: string; started: true } {
      if (!launcher.planned.some((j) => j.name === name))
        throw new AppError(
          'not_found',
          `There is no job named "${name}". The jobs are ${launcher.planned.map((j) => j.name).join(', ')}.`,
        );
      if (!launcher.start(name))
        throw new AppError(
          'job_running',
          `Job "${name}" is running already; see its last run in GET /api/admin/jobs and start it again when it has finished.`,
        );
      return { name, started: true };
    },
  };
}

export type JobService = ReturnType<typeof createJobService>;
