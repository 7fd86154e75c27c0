/** The admin's jobs page data (GET /api/admin/jobs) and "run now" (POST /api/admin/jobs/:name/run). */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runItems } from '../../jobs/exactly-once.js';
import { openJobContext, recordJobRun } from '../../jobs/job-context.js';
import { stageTimeLimits } from '../../jobs/stage-time-limits.js';
import { makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('admin jobs', () => {
  let t: TestApp;
  const sql = () => t.database.sqlite;
  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_KEY: Buffer.alloc(32, 7).toString('base64') } });
  });
  afterAll(() => t.close());

  const list = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/jobs', headers: await t.as('admin') });
    expect(res.statusCode).toBe(200);
    return res.json() as {
      name: string;
      schedule: string;
      running: boolean;
      lastRun: Record<string, unknown> | null;
      itemsDone: number;
      failedItems: number;
      errors: Record<string, unknown>[];
    }[];
  };

  it('lists every job with its schedule, last run, items done and the items that failed', async () => {
    const before = await list();
    expect(before.map((j) => [j.name, j.schedule])).toEqual([
      ['deliveries.send-pending', 'every 30 s'],
      ['deliveries.deem-served', 'cron 10 0 * * * (Asia/Shanghai)'],
      ['claims.stage-time-limits', 'cron 20 * * * * (Asia/Shanghai)'],
      ['payments.breach-after-grace', 'cron 25 * * * * (Asia/Shanghai)'],
      ['payments.instalment-reminders', 'cron 30 * * * * (Asia/Shanghai)'],
      ['objections.reply-deadlines', 'cron 35 * * * * (Asia/Shanghai)'],
      ['sessions.close-past-end', 'cron */5 * * * * (Asia/Shanghai)'],
      ['credit.listing-lapse', 'cron 15 0 * * * (Asia/Shanghai)'],
      ['stats.daily-snapshot', 'cron 5 0 * * * (Asia/Shanghai)'],
    ]);
    expect(before.find((j) => j.name === 'claims.stage-time-limits')).toMatchObject({
      lastRun: null,
      itemsDone: 0,
      failedItems: 0,
    });

    // A run in which one claim throws: two done, one failed with its error.
    const claims = [1, 2, 3].map(() => makeClaim(t, { at: 'notified' }).claimId);
    for (const id of claims) sql().prepare("update claims set stage_deadline = '2026-10-01' where id = ?").run(id);
    const bad = `claim:${claims[0]}`;
    const ctx = openJobContext({
      env: { DATA_DIR: t.dataDir, DATA_KEY: Buffer.alloc(32, 7).toString('base64') },
      dbFile: path.join(t.dataDir, 'platform.db'),
      clock: t.clock,
    });
    try {
      await recordJobRun(
        ctx.db,
        stageTimeLimits.name,
        {
          now: () => new Date(t.clock.now().getTime() + 1500),
        },
        async (runId) => {
          const s = await runItems(
            {
              ...stageTimeLimits,
              due: (c, now) => stageTimeLimits.due(c, now).filter((i) => claims.includes(Number(i.key.slice(6)))),
              run: (tx, item, c, now) => {
                if (item.key === bad) throw new Error('claim row unreadable');
                return stageTimeLimits.run(tx, item, c, now);
              },
            },
            ctx,
            { runId, now: t.clock.now() },
          );
          return { processed: s.done, failed: s.failed, result: s };
        },
      );
    } finally {
      ctx.close();
    }
    const job = (await list()).find((j) => j.name === 'claims.stage-time-limits')!;
    expect(job).toMatchObject({
      running: false,
      lastRun: { status: 'partial', itemsDone: 2, itemsFailed: 1, durationMs: 0 },
      itemsDone: 2,
      failedItems: 1,
      errors: [
        {
          item: bad,
          due: '2026-10-01',
          attempts: 1,
          error: 'claim row unreadable',
          at: new Date(t.clock.now()).toISOString(),
        },
      ],
    });
  });

  it('runs a job now in a worker thread; a second start while it runs is refused with 409', async () => {
    const c = makeClaim(t, { at: 'notified' });
    // The worker runs on the real clock: a deadline long past is due whenever the test runs.
    sql().prepare("update claims set stage_deadline = '2020-01-02' where id = ?").run(c.claimId);
    const headers = await t.as('admin');
    const url = '/api/admin/jobs/claims.stage-time-limits/run';
    const started = await t.app.inject({ method: 'POST', url, headers });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toEqual({ name: 'claims.stage-time-limits', started: true });
    const again = await t.app.inject({ method: 'POST', url, headers });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.json()).toMatchObject({ code: 'job_running', detail: expect.stringContaining('running already') });
    expect((await list()).find((j) => j.name === 'claims.stage-time-limits')!.running).toBe(true);

    const deadline = Date.now() + 30_000;
    while ((await list()).find((j) => j.name === 'claims.stage-time-limits')!.running && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(sql().prepare('select stage, status from claims where id = ?').get(c.claimId)).toEqual({
      stage: 'court_mediation',
      status: 'awaiting_contact',
    });
    const runs = sql().prepare("select status from job_runs where job = 'claims.stage-time-limits' order by id").all();
    expect(runs.at(-1)).toEqual({ status: 'ok' });
  }, 40_000);

  it('shows a run whose process died mid-run as abandoned once a lease has passed, not as running forever', async () => {
    const job = 'payments.instalment-reminders';
    const now = t.clock.now().getTime();
    const runRow = (startedAgoMs: number) =>
      sql()
        .prepare("insert into job_runs (job, status, started_at) values (?, 'running', ?)")
        .run(job, now - startedAgoMs).lastInsertRowid as number;
    const statusNow = async () => (await list()).find((j) => j.name === job)!.lastRun!.status;
    runRow(60_000);
    expect(await statusNow()).toBe('running');
    const holding = runRow(10 * 60_000);
    sql()
      .prepare(
        "insert into job_items (job, item_key, due, status, run_id, lease_until, updated_at) values (?, 'instalment:1', '2026-11-22', 'claimed', ?, ?, ?)",
      )
      .run(job, holding, now + 60_000, now);
    expect(await statusNow()).toBe('running');
    runRow(10 * 60_000);
    expect(await statusNow()).toBe('abandoned');
  });

  it('answers an unknown or malformed job name with a problem naming the jobs; nothing runs', async () => {
    const headers = await t.as('admin');
    const runsBefore = sql().prepare('select count(*) n from job_runs').get();
    const unknown = await t.app.inject({ method: 'POST', url: '/api/admin/jobs/claims.nightly/run', headers });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      code: 'not_found',
      detail: expect.stringContaining('The jobs are deliveries.send-pending, deliveries.deem-served'),
    });
    const malformed = await t.app.inject({ method: 'POST', url: '/api/admin/jobs/DROP%20TABLE/run', headers });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'validation_failed', fields: [{ field: '/params/name' }] });
    expect(sql().prepare('select count(*) n from job_runs').get()).toEqual(runsBefore);
  });
});
