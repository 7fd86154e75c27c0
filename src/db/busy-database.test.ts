/**
 * Another writer holding the database (another process on the same file) must not turn
 * into a 500 or a failed claim: requests are answered 503 with Retry-After, document batches wait.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('a database another writer holds', () => {
  let t: TestApp;
  let other: Database.Database;

  beforeEach(async () => {
    t = await createTestApp({ env: { DB_BUSY_TIMEOUT_MS: '50' } });
    other = new Database(path.join(t.dataDir, 'platform.db'));
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await t.close();
  });

  it('answers a write 503 problem+json with Retry-After, changes nothing, and takes it once the lock is gone', async () => {
    const headers = await t.as('mediator1');
    const claim = t.database.sqlite
      .prepare("select id, version from claims where stage = 'people_mediation' and hold is null order by id limit 1")
      .get() as { id: number; version: number };
    const issue = () => t.app.inject({ method: 'POST', url: `/api/claims/${claim.id}/access-code`, headers });
    const codes = () => (t.database.sqlite.prepare('select count(*) n from access_codes').get() as { n: number }).n;
    const before = codes();

    other.exec('BEGIN IMMEDIATE');
    const refused = await issue();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ code: 'unavailable', reason: 'database_busy' });
    expect(refused.json().detail).toMatch(/again in a few seconds/);
    expect(refused.body).not.toMatch(/SQLITE|stack/i);
    expect(codes()).toBe(before);

    other.exec('ROLLBACK');
    expect((await issue()).statusCode).toBe(201);
    expect(codes()).toBe(before + 1);
  });

  it('lets a document batch wait for the lock rather than fail its claims', async () => {
    const headers = await t.as('creditor1');
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/documents/batch',
      headers,
      payload: { kind: 'demand_letter', filter: { stage: 'people_mediation', status: 'notified' } },
    });
    expect(start.statusCode).toBe(202);
    const { jobId, total } = start.json() as { jobId: number; total: number };
    expect(total).toBeGreaterThan(4);

    type Job = { status: string; done: number; failed: number; items: { error: string | null }[] };
    const read = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/documents/jobs/${jobId}`, headers })).json() as Job;
    let job = await read();
    // Once documents are being made, the lock is taken for a second: the claims in between find the database busy.
    while (job.done === 0) {
      await sleep(20);
      job = await read();
    }
    other.exec('BEGIN IMMEDIATE');
    await sleep(1000);
    other.exec('ROLLBACK');

    while (job.status === 'running') {
      await sleep(200);
      job = await read();
    }
    expect(job.items.filter((i) => i.error !== null)).toEqual([]);
    expect(job).toMatchObject({ status: 'done', done: total, failed: 0 });
  }, 60_000);
});
