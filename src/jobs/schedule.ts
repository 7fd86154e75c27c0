/**
 * The job schedule as data, and the settings that change it: `JOB_SCHEDULE_<JOB>` (the job's name in
 * capitals, dots and dashes as `_`) is either an interval (`30s`, `15m`, `2h`) or a five-field cron
 * line in Shanghai time. A malformed or unknown one stops the start with a message naming it.
 */
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';

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
  // Deadlines are days, but hourly runs take up claims whose hold was released during the day.
  { name: 'claims.stage-time-limits', file: 'stage-time-limits', cron: '20 * * * *' },
  { name: 'payments.breach-after-grace', file: 'breach-after-grace', cron: '25 * * * *' },
  { name: 'payments.instalment-reminders', file: 'instalment-reminders', cron: '30 * * * *' },
  { name: 'objections.reply-deadlines', file: 'objections-reply-deadlines', cron: '35 * * * *' },
  // A session's end is minutes, not days: a room left open is closed within five minutes of it.
  { name: 'sessions.close-past-end', file: 'sessions-close-past-end', cron: '*/5 * * * *' },
  // A term ends with its last day: the lapse is recorded once that day is over.
  { name: 'credit.listing-lapse', file: 'listing-lapse', cron: '15 0 * * *' },
  // Just after the day ends, so the snapshot is the day's last state.
  { name: 'stats.daily-snapshot', file: 'stats-daily-snapshot', cron: '5 0 * * *' },
];

/** A job as the scheduler runs it: an interval in milliseconds or a cron line. */
export interface PlannedJob {
  name: string;
  file: string;
  schedule: { everyMs: number } | { cron: string };
}

export const scheduleVariable = (job: string) => `JOB_SCHEDULE_${job.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };
// minute, hour, day of month, month, day of week (0 and 7 are Sunday)
const CRON_FIELDS: [string, number, number][] = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
];

/** Why a cron line is malformed, or null when it is a valid one. */
export function cronProblem(line: string): string | null {
  const fields = line.trim().split(/\s+/);
  if (fields.length !== 5) return `a cron line has 5 fields (minute hour day month weekday), not ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const [name, min, max] = CRON_FIELDS[i]!;
    for (const part of field.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      const numbers = m ? [m[2], m[3]].filter((n) => n !== undefined).map(Number) : [];
      if (!m || numbers.some((n) => n < min || n > max) || m[4] === '0' || (numbers[1] ?? max) < (numbers[0] ?? min))
        return `the ${name} field "${field}" must be *, a number from ${min} to ${max}, a range a-b or a list, with an optional /step`;
    }
  }
  return null;
}

/** Parse an interval (`30s`, `15m`, `2h`) or a cron line; throws the reason it is malformed. */
function parseSchedule(raw: string): PlannedJob['schedule'] {
  const interval = /^(\d+)\s*([smh])$/.exec(raw.trim());
  if (interval) {
    const ms = Number(interval[1]) * UNITS[interval[2]!]!;
    if (ms < 1000 || ms > 7 * 86_400_000) throw new Error('an interval must be from 1s to 168h');
    return { everyMs: ms };
  }
  const problem = cronProblem(raw);
  if (problem) throw new Error(`it is neither an interval (30s, 15m, 2h) nor a cron line: ${problem}`);
  return { cron: raw.trim() };
}

/** The schedule with the environment's settings applied; a ConfigError names every bad setting. */
export function planSchedule(
  config: Config,
  env: Record<string, string | undefined>,
  jobs: readonly ScheduledJob[] = SCHEDULE,
): PlannedJob[] {
  const problems: string[] = [];
  const known = new Set(jobs.map((j) => scheduleVariable(j.name)));
  for (const name of Object.keys(env)
    .filter((k) => k.startsWith('JOB_SCHEDULE_') && !known.has(k))
    .sort())
    problems.push(`${name} names no job; the jobs are ${[...known].join(', ')}.`);
  const planned = jobs.map((job) => {
    const variable = scheduleVariable(job.name);
    const raw = env[variable];
    const fallback = job.cron ? { cron: job.cron } : { everyMs: job.everyMs!(config) };
    if (raw === undefined || raw === '') return { name: job.name, file: job.file, schedule: fallback };
    try {
      return { name: job.name, file: job.file, schedule: parseSchedule(raw) };
    } catch (err) {
      problems.push(`${variable}="${raw}" is not a schedule: ${(err as Error).message}.`);
      return { name: job.name, file: job.file, schedule: fallback };
    }
  });
  if (problems.length) throw new ConfigError(problems);
  return planned;
}

/** The schedule in words, for the admin's list. */
export const describeSchedule = (s: PlannedJob['schedule']) =>
  'cron' in s ? `cron ${s.cron} (Asia/Shanghai)` : `every ${s.everyMs / 1000} s`;
