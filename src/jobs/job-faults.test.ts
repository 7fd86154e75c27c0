/**
 * The faults the exactly-once mechanism answers, with real processes on one database file: a sweep
 * killed while it holds an item's transaction, and two sweeps at once. Either way every item is done
 * exactly once: one time_out and one escalate event per claim, nothing skipped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../domain/dates.js';
import { makeClaim } from '../testing/factories.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { DEFAULT_LEASE_MS } from './exactly-once.js';
import { main as stageTimeLimits } from './stage-time-limits.js';

const root = path.resolve(import.meta.dirname, '../..');

interface Child {
  process: ChildProcess;
  /** Resolves with each line the child prints, in order. */
  line(text: string | RegExp): Promise<string>;
  exited: Promise<number | null>;
}

describe('job faults', () => {
  const key = crypto.randomBytes(32).toString('base64');
  let t: TestApp;
  let env: Record<string, string>;
  let dbFile: string;
  let claimIds: number[];
  const count = (q: string, ...args: unknown[]) => (t.database.sqlite.prepare(q).get(...args) as { n: number }).n;

  const child = (stallAt?: number): Child => {
    const args = ['--import', 'tsx', 'src/testing/job-child.ts', dbFile, t.clock.now().toISOString()];
    const proc = spawn(process.execPath, stallAt ? [...args, String(stallAt)] : args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    const waiters: { match: string | RegExp; resolve(line: string): void }[] = [];
    proc.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      for (const w of [...waiters]) {
        const line = output.split('\n').find((l) => (typeof w.match === 'string' ? l === w.match : w.match.test(l)));
        if (line !== undefined) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
    return {
      process: proc,
      line: (match) =>
        new Promise((resolve) => {
          const line = output.split('\n').find((l) => (typeof match === 'string' ? l === match : match.test(l)));
          if (line !== undefined) resolve(line);
          else waiters.push({ match, resolve });
        }),
      exited: new Promise((resolve) => proc.on('exit', (code) => resolve(code))),
    };
  };

  /** One time_out and one escalate per claim, and every item done once. */
  const expectEachOnce = () => {
    for (const action of ['time_out', 'escalate'])
      expect(
        count(
          `select count(*) n from (select claim_id from claim_events where action = ? group by claim_id having count(*) = 1)`,
          action,
        ),
      ).toBe(claimIds.length);
    expect(count("select count(*) n from claim_events where action in ('time_out', 'escalate')")).toBe(
      2 * claimIds.length,
    );
    expect(count("select count(*) n from job_items where status = 'done'")).toBe(claimIds.length);
    expect(count("select count(*) n from claims where stage = 'court_mediation'")).toBe(claimIds.length);
  };

  beforeEach(async () => {
    t = await createTestApp({ seed: false, env: { DATA_KEY: key } });
    dbFile = path.join(t.dataDir, 'platform.db');
    env = { DATA_DIR: t.dataDir, DATA_KEY: key, LOG_LEVEL: 'silent', DB_BUSY_TIMEOUT_MS: '20000' };
    claimIds = Array.from({ length: 300 }, () => makeClaim(t, { at: 'notified' }).claimId);
    t.clock.advance(31 * MS_PER_DAY);
  });
  afterEach(() => t.close());

  it('a sweep killed inside an item’s transaction: its committed items stay done, the rest are done by the next runs, none twice', async () => {
    const killed = child(140);
    await killed.line('ready');
    killed.process.stdin!.write('go\n');
    await killed.line('stalled');
    killed.process.kill('SIGKILL');
    expect(await killed.exited).toBe(null);
    // What committed stays done; the items the dead run holds are leased; none was done twice.
    const done = count("select count(*) n from job_items where status = 'done'");
    const leased = count("select count(*) n from job_items where status = 'claimed'");
    expect(done).toBeGreaterThan(0);
    expect(leased).toBeGreaterThan(0);
    expect(count("select count(*) n from claim_events where action = 'time_out'")).toBe(done);

    const input = { env, dbFile, clock: t.clock };
    // While the dead run's lease holds, its items wait; the others are done now.
    expect(await stageTimeLimits(input)).toMatchObject({ done: claimIds.length - done - leased, skipped: leased });
    t.clock.advance(DEFAULT_LEASE_MS);
    expect(await stageTimeLimits(input)).toMatchObject({ done: leased, skipped: 0, failed: 0 });
    expectEachOnce();
    expect(await stageTimeLimits(input)).toMatchObject({ done: 0 });
    expectEachOnce();
  }, 60_000);

  it('two sweeps at once on one database file: each item is done by one of them, none twice', async () => {
    const [a, b] = [child(), child()];
    await Promise.all([a.line('ready'), b.line('ready')]);
    a.process.stdin!.write('go\n');
    b.process.stdin!.write('go\n');
    const [ra, rb] = (await Promise.all([a.line(/^\{/), b.line(/^\{/)])).map(
      (l) => JSON.parse(l) as { done: number; failed: number },
    );
    expect([await a.exited, await b.exited]).toEqual([0, 0]);
    expect(ra!.failed + rb!.failed).toBe(0);
    expect(ra!.done + rb!.done).toBe(claimIds.length);
    // Both did part of the work: they really ran side by side.
    expect(ra!.done).toBeGreaterThan(0);
    expect(rb!.done).toBeGreaterThan(0);
    expectEachOnce();
  }, 60_000);
});
