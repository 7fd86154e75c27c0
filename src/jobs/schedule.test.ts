/**
 * The schedule settings, and the two ways a job runs outside bree: `npm run jobs -- <name>` (a child
 * process, as staff run it) and the server refusing a malformed setting before it opens anything.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { makeClaim } from '../testing/factories.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { cronProblem, planSchedule, SCHEDULE } from './schedule.js';

const root = path.resolve(import.meta.dirname, '../..');

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out })),
  );
}

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    planSchedule(loadConfig({}), env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
};

describe('schedule settings', () => {
  it('takes an interval or a cron line per job, and the defaults otherwise', () => {
    const planned = planSchedule(loadConfig({ DELIVERY_INTERVAL_SECONDS: '45' }), {
      JOB_SCHEDULE_CLAIMS_STAGE_TIME_LIMITS: '*/15 8-20 * * 1-5',
      JOB_SCHEDULE_PAYMENTS_INSTALMENT_REMINDERS: '2h',
    });
    expect(planned.map((j) => [j.name, j.schedule])).toEqual([
      ['deliveries.send-pending', { everyMs: 45_000 }],
      ['deliveries.deem-served', { cron: '10 0 * * *' }],
      ['claims.stage-time-limits', { cron: '*/15 8-20 * * 1-5' }],
      ['payments.breach-after-grace', { cron: '25 * * * *' }],
      ['payments.instalment-reminders', { everyMs: 7_200_000 }],
      ['objections.reply-deadlines', { cron: '35 * * * *' }],
      ['sessions.close-past-end', { cron: '*/5 * * * *' }],
      ['credit.listing-lapse', { cron: '15 0 * * *' }],
      ['stats.daily-snapshot', { cron: '5 0 * * *' }],
    ]);
    for (const job of SCHEDULE) if (job.cron) expect(cronProblem(job.cron)).toBeNull();
  });

  it('refuses a malformed or unknown setting, naming each', () => {
    expect(
      problemsOf({
        JOB_SCHEDULE_CLAIMS_STAGE_TIME_LIMITS: '61 * * * *',
        JOB_SCHEDULE_DELIVERIES_SEND_PENDING: '0s',
        JOB_SCHEDULE_PAYMENTS_BREACH_AFTER_GRACE: 'hourly',
        JOB_SCHEDULE_NIGHTLY_STATS: '0 2 * * *',
      }),
    ).toEqual([
      'JOB_SCHEDULE_NIGHTLY_STATS names no job; the jobs are JOB_SCHEDULE_DELIVERIES_SEND_PENDING, JOB_SCHEDULE_DELIVERIES_DEEM_SERVED, JOB_SCHEDULE_CLAIMS_STAGE_TIME_LIMITS, JOB_SCHEDULE_PAYMENTS_BREACH_AFTER_GRACE, JOB_SCHEDULE_PAYMENTS_INSTALMENT_REMINDERS, JOB_SCHEDULE_OBJECTIONS_REPLY_DEADLINES, JOB_SCHEDULE_SESSIONS_CLOSE_PAST_END, JOB_SCHEDULE_CREDIT_LISTING_LAPSE, JOB_SCHEDULE_STATS_DAILY_SNAPSHOT.',
      'JOB_SCHEDULE_DELIVERIES_SEND_PENDING="0s" is not a schedule: an interval must be from 1s to 168h.',
      'JOB_SCHEDULE_CLAIMS_STAGE_TIME_LIMITS="61 * * * *" is not a schedule: it is neither an interval (30s, 15m, 2h) nor a cron line: the minute field "61" must be *, a number from 0 to 59, a range a-b or a list, with an optional /step.',
      'JOB_SCHEDULE_PAYMENTS_BREACH_AFTER_GRACE="hourly" is not a schedule: it is neither an interval (30s, 15m, 2h) nor a cron line: a cron line has 5 fields (minute hour day month weekday), not 1.',
    ]);
    expect(cronProblem('0 8 * * 1-5')).toBeNull();
    expect(cronProblem('0 20-8 * * *')).toMatch(/hour field/);
    expect(cronProblem('*/0 * * * *')).toMatch(/minute field/);
    expect(cronProblem('0 0 0 * *')).toMatch(/day of month field/);
  });

  it('the server refuses a malformed setting at start, naming it, before it opens the database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-schedule-'));
    try {
      const { code, out } = await run(['src/server.ts'], {
        DATA_DIR: dataDir,
        PORT: '0',
        JOB_SCHEDULE_CLAIMS_STAGE_TIME_LIMITS: '20 * * *',
      });
      expect(code).toBe(1);
      expect(out).toContain('JOB_SCHEDULE_CLAIMS_STAGE_TIME_LIMITS="20 * * *" is not a schedule');
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm run jobs -- <name>', () => {
  const key = crypto.randomBytes(32).toString('base64');
  let t: TestApp;
  let env: Record<string, string>;
  beforeEach(async () => {
    t = await createTestApp({ seed: false, env: { DATA_KEY: key } });
    env = { DATA_DIR: t.dataDir, DATA_KEY: key };
  });
  afterEach(() => t.close());

  it('runs one job once on the configured database and exits, printing what it did', async () => {
    const c = makeClaim(t, { at: 'notified' });
    // The script runs on the real clock: a deadline long past is due whenever the test runs.
    t.database.sqlite.prepare("update claims set stage_deadline = '2020-01-02' where id = ?").run(c.claimId);
    const { code, out } = await run(['scripts/jobs.ts', 'claims.stage-time-limits'], env);
    expect(out).toContain('任务 claims.stage-time-limits 已运行完毕');
    expect(out).toContain('"done":1');
    expect(code).toBe(0);
    expect(t.database.sqlite.prepare('select stage, status from claims where id = ?').get(c.claimId)).toEqual({
      stage: 'court_mediation',
      status: 'awaiting_contact',
    });
    expect(t.database.sqlite.prepare('select job, status, processed from job_runs').all()).toEqual([
      { job: 'claims.stage-time-limits', status: 'ok', processed: 1 },
    ]);
  }, 60_000);

  it('names the jobs when the name is unknown, and refuses a malformed schedule setting; nothing runs', async () => {
    const unknown = await run(['scripts/jobs.ts', 'claims.nightly'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('没有名为“claims.nightly”的任务。');
    expect(unknown.out).toContain('claims.stage-time-limits（cron 20 * * * * (Asia/Shanghai)）');
    const malformed = await run(['scripts/jobs.ts', 'claims.stage-time-limits'], {
      ...env,
      JOB_SCHEDULE_DELIVERIES_DEEM_SERVED: 'daily',
    });
    expect(malformed.code).toBe(1);
    expect(malformed.out).toContain('JOB_SCHEDULE_DELIVERIES_DEEM_SERVED="daily" is not a schedule');
    expect(t.database.sqlite.prepare('select count(*) n from job_runs').get()).toEqual({ n: 0 });
  }, 60_000);
});
