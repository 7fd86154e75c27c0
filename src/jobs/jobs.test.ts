/**
 * The job shells: each job's main() run directly (its own database connection and adapters, a
 * job_runs row), and bree starting the scheduler and running a job file in a worker thread.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, type FileStore } from '../adapters/file-store.js';
import { maskEmail } from '../domain/email.js';
import { queueDelivery } from '../modules/deliveries/outbox.js';
import { insertDocument } from '../testing/deliveries.js';
import { makeClaim } from '../testing/factories.js';
import { type LoopbackSmtp, leafParts, parseMime, startLoopbackSmtp } from '../testing/smtp.js';
import { createTestApp, TEST_NOW, type TestApp } from '../testing/test-app.js';
import { main as deemServed } from './deliveries-deem-served.js';
import { main as sendPending } from './deliveries-send-pending.js';
import { recordJobRun } from './job-context.js';
import { startScheduler } from './scheduler.js';

interface JobRun {
  job: string;
  status: string;
  processed: number;
  detail: string | null;
  started_at: number;
  finished_at: number | null;
}

describe('jobs', () => {
  const key = crypto.randomBytes(32).toString('base64');
  let t: TestApp;
  let smtp: LoopbackSmtp;
  let files: FileStore;
  let env: Record<string, string>;
  let dbFile: string;
  const runs = () =>
    t.database.sqlite
      .prepare('select job, status, processed, detail, started_at, finished_at from job_runs order by id')
      .all() as JobRun[];

  beforeEach(async () => {
    t = await createTestApp({ seed: false, env: { DATA_KEY: key } });
    smtp = await startLoopbackSmtp();
    // The same folder and key as the app: the job opens the same database and file store.
    env = { DATA_DIR: t.dataDir, DATA_KEY: key, SMTP_URL: smtp.url, LOG_LEVEL: 'silent' };
    dbFile = path.join(t.dataDir, 'platform.db');
    files = createFileStore(path.join(t.dataDir, 'files'), Buffer.from(key, 'base64'));
  });
  afterEach(async () => {
    await smtp.close();
    await t.close();
  });

  function queueMail(dueAt: Date) {
    const c = makeClaim(t);
    const doc = insertDocument(t, files, c.claimId);
    t.db.transaction((tx) =>
      queueDelivery(
        tx,
        t.crypto,
        {
          claimId: c.claimId,
          debtorId: c.debtorId,
          channel: 'email',
          address: c.email!,
          addressMasked: maskEmail(c.email!),
          documentId: doc.id,
          key: `doc:${doc.id}:email`,
          dueAt,
        },
        dueAt,
      ),
    );
    return {
      c,
      doc,
      id: (t.database.sqlite.prepare('select id from deliveries where document_id = ?').get(doc.id) as { id: number })
        .id,
    };
  }

  it('deliveries.send-pending: main() opens its own connection and adapters from the configuration, sends what is due, records the run', async () => {
    const { c, doc } = queueMail(t.clock.now());
    const summary = await sendPending({ env, dbFile, clock: t.clock });
    expect(summary).toEqual({ processed: 1, sent: 1, retrying: 0, failed: 0, deferred: 0, refused: 0 });
    expect(smtp.received.map((m) => m.to)).toEqual([[c.email]]);
    const pdf = leafParts(parseMime(smtp.received[0]!.raw)).find((p) => p.filename?.endsWith('.pdf'))!;
    expect(pdf.body.equals(doc.bytes)).toBe(true);
    expect(runs()).toEqual([
      {
        job: 'deliveries.send-pending',
        status: 'ok',
        processed: 1,
        detail: JSON.stringify(summary),
        started_at: Date.parse(TEST_NOW),
        finished_at: Date.parse(TEST_NOW),
      },
    ]);

    // Run again: nothing is due, nothing is sent twice, and the run is recorded.
    expect((await sendPending({ env, dbFile, clock: t.clock })).processed).toBe(0);
    expect(smtp.received).toHaveLength(1);
    expect(runs().map((r) => [r.status, r.processed])).toEqual([
      ['ok', 1],
      ['ok', 0],
    ]);
  });

  it('deliveries.deem-served: main() marks documents whose public-notice period ran out, and records the run', async () => {
    const c = makeClaim(t);
    const doc = insertDocument(t, files, c.claimId, 'complaint');
    t.database.sqlite
      .prepare("update documents set public_notice_on = '2026-10-12', deemed_served_on = '2026-11-11' where id = ?")
      .run(doc.id);
    expect(await deemServed({ env, dbFile, clock: t.clock })).toMatchObject({ done: 1, outcomes: { served: 1 } });
    expect(
      t.database.sqlite.prepare('select service_method, served_at from documents where id = ?').get(doc.id),
    ).toEqual({ service_method: 'public_notice', served_at: Date.parse('2026-11-11T16:00:00Z') });
    expect(runs()).toEqual([expect.objectContaining({ job: 'deliveries.deem-served', status: 'ok', processed: 1 })]);
  });

  it('a run that throws is recorded as failed with its message', async () => {
    await expect(
      recordJobRun(t.db, 'deliveries.send-pending', t.clock, async () =>
        Promise.reject(new Error('database is locked')),
      ),
    ).rejects.toThrow('database is locked');
    expect(runs()).toEqual([
      expect.objectContaining({ status: 'failed', detail: 'database is locked', finished_at: Date.parse(TEST_NOW) }),
    ]);
  });

  it('bree starts the job file in a worker thread, which runs once and is stopped cleanly', async () => {
    // The worker uses the real clock, so the delivery is due in any case; at night it is deferred.
    const { id } = queueMail(new Date('2020-01-01T00:00:00Z'));
    const errors: string[] = [];
    const scheduler = await startScheduler({
      config: t.config,
      dbFile,
      env,
      log: { debug: () => {}, error: (obj, msg) => errors.push(`${msg} ${JSON.stringify(obj)}`) },
      jobs: [{ name: 'deliveries.send-pending', file: 'deliveries-send-pending', schedule: { everyMs: 3_600_000 } }],
    });
    try {
      const deadline = Date.now() + 20_000;
      while (!runs().some((r) => r.status !== 'running') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      await scheduler.stop();
    }
    expect(errors).toEqual([]);
    expect(runs()).toEqual([expect.objectContaining({ job: 'deliveries.send-pending', status: 'ok', processed: 1 })]);
    const { status } = t.database.sqlite.prepare('select status from deliveries where id = ?').get(id) as {
      status: string;
    };
    const outcomes = t.database.sqlite
      .prepare('select outcome, rule from contact_log where delivery_id = ?')
      .all(id) as { outcome: string; rule: string | null }[];
    if (status === 'sent') {
      expect(smtp.received).toHaveLength(1);
      expect(outcomes).toEqual([{ outcome: 'sent', rule: null }]);
    } else {
      expect(status).toBe('deferred');
      expect(outcomes).toEqual([{ outcome: 'deferred', rule: 'quiet_hours' }]);
    }
  }, 30_000);
});
