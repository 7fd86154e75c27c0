/**
 * The nightly snapshot through the job mechanism (its main(), as bree runs it): one set of rows per
 * day however often it runs, the day's figures equal to the funnel's, and the trend each principal
 * sums from the rows it may see.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../../domain/dates.js';
import { main as dailySnapshot } from '../../jobs/stats-daily-snapshot.js';
import { demoOrg, makeBatch, makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('daily funnel snapshot', () => {
  const key = crypto.randomBytes(32).toString('base64');
  let t: TestApp;
  let input: Parameters<typeof dailySnapshot>[0];
  const rows = () =>
    t.database.sqlite
      .prepare('select * from funnel_snapshots order by day, creditor_org_id, mediation_org_id')
      .all() as {
      day: string;
      creditor_org_id: number;
      claims: number;
      created_at: number;
    }[];
  const trend = async (who: string) => {
    const res = await t.app.inject({ url: '/api/stats/funnel', headers: await t.as(who) });
    expect(res.statusCode).toBe(200);
    return res.json().trend as { day: string; claims: number; settled: number; byStage: Record<string, number> }[];
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_KEY: key } });
    input = {
      env: { DATA_DIR: t.dataDir, DATA_KEY: key, LOG_LEVEL: 'silent' },
      dbFile: path.join(t.dataDir, 'platform.db'),
      clock: t.clock,
    };
  });
  afterAll(() => t.close());

  it('writes each day once, equal to the funnel then, and each principal sums its own rows', async () => {
    // 2026-11-20 10:00 Shanghai: the day that ended is 2026-11-19.
    expect(await dailySnapshot(input)).toMatchObject({ done: 1, failed: 0, outcomes: { written: 1 } });
    const first = rows();
    expect(new Set(first.map((r) => r.day))).toEqual(new Set(['2026-11-19']));
    const { n } = t.database.sqlite.prepare('select count(*) n from claims').get() as { n: number };
    expect(first.reduce((s, r) => s + r.claims, 0)).toBe(n);

    // Again the same day, and later that day: nothing more.
    expect(await dailySnapshot(input)).toMatchObject({ done: 0 });
    t.clock.advance(6 * 3_600_000);
    expect(await dailySnapshot(input)).toMatchObject({ done: 0 });
    expect(rows()).toEqual(first);

    // The next day's snapshot sees the claim made since.
    makeClaim(t, { at: 'agreed' });
    t.clock.advance(MS_PER_DAY);
    expect(await dailySnapshot(input)).toMatchObject({ done: 1 });
    expect(new Set(rows().map((r) => r.day))).toEqual(new Set(['2026-11-19', '2026-11-20']));
    expect(
      t.database.sqlite.prepare("select job, status, processed from job_runs where job = 'stats.daily-snapshot'").all(),
    ).toEqual([
      { job: 'stats.daily-snapshot', status: 'ok', processed: 1 },
      { job: 'stats.daily-snapshot', status: 'ok', processed: 0 },
      { job: 'stats.daily-snapshot', status: 'ok', processed: 0 },
      { job: 'stats.daily-snapshot', status: 'ok', processed: 1 },
    ]);

    const creditorA = demoOrg(t, 'CRED-A').id;
    const count = (where: string, ...args: unknown[]) =>
      (t.database.sqlite.prepare(`select count(*) n from claims where ${where}`).get(...args) as { n: number }).n;
    const own = await trend('creditor1');
    expect(own.map((d) => [d.day, d.claims])).toEqual([
      ['2026-11-19', count('creditor_org_id = ?', creditorA) - 1],
      ['2026-11-20', count('creditor_org_id = ?', creditorA)],
    ]);
    expect(own[1]!.settled).toBeGreaterThan(own[0]!.settled);
    const all = await trend('admin');
    expect(all.map((d) => d.claims)).toEqual([n, n + 1]);
    expect(Object.values(all[1]!.byStage).reduce((s, x) => s + x, 0)).toBe(n + 1);
    const other = await trend('creditor2');
    expect(other[0]!.claims).toBe(count('creditor_org_id <> ?', creditorA));
    // A period selects the days.
    const res = await t.app.inject({ url: '/api/stats/funnel?from=2026-11-20', headers: await t.as('creditor1') });
    expect(res.json().trend.map((d: { day: string }) => d.day)).toEqual(['2026-11-20']);
  });
  it('a batch still committing counts in neither the snapshot nor the statistics until it flips', async () => {
    const sqlite = t.database.sqlite;
    const batchId = makeBatch(t, 'CRED-A', 'COMMITTING-1');
    sqlite
      .prepare("update batches set status = 'committing', importer_pid = ?, heartbeat_at = ? where id = ?")
      .run(process.pid, Date.now(), batchId);
    for (const at of ['agreed', 'notified', 'escalated'] as const) makeClaim(t, { at, batchId });
    const { n } = sqlite.prepare('select count(*) n from claims').get() as { n: number };
    const funnel = async (who: string, query = '') => {
      const res = await t.app.inject({ url: `/api/stats/funnel${query}`, headers: await t.as(who) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { claims: number; byBatch: { batchId: number | null }[] };
    };
    const creditorA = demoOrg(t, 'CRED-A').id;
    const ownCount = (
      sqlite.prepare('select count(*) n from claims where creditor_org_id = ?').get(creditorA) as { n: number }
    ).n;

    // (Asked before the clock moves: a day on, the sign-ins have run out.)
    expect((await funnel('admin')).claims).toBe(n - 3);
    const own = await funnel('creditor1');
    expect(own.claims).toBe(ownCount - 3);
    expect(own.byBatch.map((b) => b.batchId)).not.toContain(batchId);
    expect((await funnel('creditor1', `?batch=${batchId}`)).claims).toBe(0);
    t.clock.advance(MS_PER_DAY);
    expect(await dailySnapshot(input)).toMatchObject({ done: 1 });
    const day = rows().filter((r) => r.day === '2026-11-21');
    expect(day.reduce((s, r) => s + r.claims, 0)).toBe(n - 3);

    // Flipped, its claims count in the next day's snapshot.
    sqlite.prepare("update batches set status = 'committed' where id = ?").run(batchId);
    t.clock.advance(MS_PER_DAY);
    expect(await dailySnapshot(input)).toMatchObject({ done: 1 });
    expect(
      rows()
        .filter((r) => r.day === '2026-11-22')
        .reduce((s, r) => s + r.claims, 0),
    ).toBe(n);
  });
});
