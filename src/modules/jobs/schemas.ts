import { type Static, Type } from 'typebox';
import { Id, Instant, Nullable, StringEnum } from '../common/schemas.js';

export const JobNameParams = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9.-]{0,63}$', description: 'a job name, e.g. claims.stage-time-limits' }),
  },
  { additionalProperties: false },
);

const JobRunSchema = Type.Object({
  id: Id,
  status: StringEnum(['running', 'ok', 'partial', 'failed', 'abandoned'] as const, {
    description:
      'partial: some items threw (see errors); failed: the run itself stopped with an error; abandoned: its process stopped mid-run (its items went to the next run)',
  }),
  startedAt: Instant,
  finishedAt: Nullable(Instant),
  durationMs: Nullable(Type.Integer({ minimum: 0 })),
  itemsDone: Type.Integer({ minimum: 0 }),
  itemsFailed: Type.Integer({ minimum: 0 }),
  /** The run's summary (JSON) or, for a failed run, its error message. */
  detail: Nullable(Type.String()),
});

const ItemErrorSchema = Type.Object({
  item: Type.String(),
  due: Type.String(),
  attempts: Type.Integer({ minimum: 1 }),
  error: Type.String(),
  at: Instant,
});

export const JobSchema = Type.Object({
  name: Type.String(),
  schedule: Type.String({ description: 'an interval or a cron line (Asia/Shanghai)' }),
  /** A run that an admin started here is still going. */
  running: Type.Boolean(),
  lastRun: Nullable(JobRunSchema),
  itemsDone: Type.Integer({ minimum: 0, description: 'items this job has done in the last 30 days, all runs' }),
  /** Items whose last attempt threw: each is taken again by the next run. */
  failedItems: Type.Integer({ minimum: 0 }),
  errors: Type.Array(ItemErrorSchema, { description: 'the latest failed items (at most 10)' }),
});
export type JobView = Static<typeof JobSchema>;

export const JobStartedSchema = Type.Object({ name: Type.String(), started: Type.Literal(true) });
