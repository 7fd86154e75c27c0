/**
 * The app's transactions take the write lock when they begin. Other connections write beside it
 * (the frame store thread, jobs, imports); SQLite never waits for a transaction that has already
 * read, so a deferred transaction that read and then wrote would fail at once while another
 * connection held the lock for a moment.
 */

import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

/** Another thread that holds the write lock for `ms` milliseconds, then commits. */
const HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.exec('BEGIN IMMEDIATE');
parentPort.postMessage('holding');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
db.exec('COMMIT');
db.close();
`;

describe('transactions of the app', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it("wait for another connection's short write instead of failing after they have read", async () => {
    const { db, sqlite } = t.database;
    const before = (sqlite.prepare('select count(*) n from organisations').get() as { n: number }).n;
    const holder = new Worker(HOLDER, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: path.join(t.dataDir, 'platform.db'),
        ms: 100,
      },
    });
    await once(holder, 'message');
    const started = performance.now();
    const n = db.transaction((tx) => {
      const { n } = tx.get<{ n: number }>(sql`select count(*) as n from organisations`)!;
      tx.run(sql`update organisations set name = name where id = (select min(id) from organisations)`);
      return n;
    });
    expect(n).toBe(before);
    // It waited for the other thread's commit (about 100 ms), then went through.
    expect(performance.now() - started).toBeGreaterThan(50);
    await once(holder, 'exit');
  });
});
