/**
 * The sweep of abandoned batches (issue 20 item 1): a committing batch whose writer is alive stays,
 * one whose process ended or whose heartbeat is silent goes with what it wrote, and is recorded failed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { ABANDONED_DETAIL, discardAbandonedBatches } from './import/abandoned-batches.js';
import { ABANDONED_AFTER_MS } from './import/protocol.js';

describe('abandoned batches', () => {
  let t: TestApp;
  const sql = () => t.database.sqlite;
  const dbFile = () => path.join(t.dataDir, 'platform.db');

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A committing batch of creditor1 written by `pid`, last alive at `beat`, with one claim of a debtor it created and one of a known debtor. */
  const committing = (pid: number, beat: number, tag: string) => {
    const creditor = (sql().prepare("select id from organisations where code = 'CRED-A'").get() as { id: number }).id;
    const createdAt = Date.now();
    const batchId = Number(
      sql()
        .prepare(
          "insert into batches (creditor_org_id, status, importer_pid, heartbeat_at, created_at) values (?, 'committing', ?, ?, ?)",
        )
        .run(creditor, pid, beat, createdAt).lastInsertRowid,
    );
    const known = (
      sql().prepare('select debtor_id id from claims where creditor_org_id = ? limit 1').get(creditor) as {
        id: number;
      }
    ).id;
    const created = Number(
      sql()
        .prepare(
          "insert into debtors (name, id_number_enc, id_number_hash, created_at, updated_at) values ('新债务人', 'x', ?, ?, ?)",
        )
        .run(`hash-${tag}`, createdAt, createdAt).lastInsertRowid,
    );
    for (const [debtor, n] of [
      [created, 1],
      [known, 2],
    ] as const) {
      const claimId = Number(
        sql()
          .prepare(
            `insert into claims (creditor_org_id, debtor_id, batch_id, contract_no, loan_date, due_date, principal_fen, overdue_since, stage, status, created_at, updated_at)
             values (?, ?, ?, ?, '2024-01-01', '2025-01-01', 100000, '2025-01-02', 'people_mediation', 'awaiting_contact', ?, ?)`,
          )
          .run(creditor, debtor, batchId, `${tag}-${n}`, createdAt, createdAt).lastInsertRowid,
      );
      sql()
        .prepare(
          "insert into claim_events (claim_id, seq, action, from_stage, from_status, to_stage, to_status, actor_kind, actor_name, at, prev_hash, hash) values (?, 1, 'screen_eligible', 'intake', 'screening', 'people_mediation', 'awaiting_contact', 'system', 'system', ?, 'p', 'h')",
        )
        .run(claimId, createdAt);
    }
    return { batchId, created, known };
  };
  const traces = (batchId: number, created: number) =>
    sql()
      .prepare(
        'select (select count(*) from claims where batch_id = ?) claims, (select count(*) from claim_events where claim_id in (select id from claims where batch_id = ?)) events, (select count(*) from debtors where id = ?) created',
      )
      .get(batchId, batchId, created);
  const batch = (id: number) =>
    sql().prepare('select status, failure_detail detail, importer_pid pid from batches where id = ?').get(id);

  it('keeps a batch whose writer runs here and marks itself alive, hidden from its creditor', async () => {
    const { batchId, created } = committing(process.pid, Date.now(), 'ALIVE');
    expect(discardAbandonedBatches(dbFile())).toEqual([]);
    expect(traces(batchId, created)).toEqual({ claims: 2, events: 2, created: 1 });
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/claims?batchId=${batchId}`,
      headers: await t.as('creditor1'),
    });
    expect(listed.json().items, listed.body).toEqual([]);
  });

  it('discards a batch silent for longer than the limit, even under this process id, keeping the known debtor', () => {
    const { batchId, created, known } = committing(process.pid, Date.now() - ABANDONED_AFTER_MS - 1000, 'SILENT');
    expect(discardAbandonedBatches(dbFile())).toEqual([batchId]);
    expect(traces(batchId, created)).toEqual({ claims: 0, events: 0, created: 0 });
    expect(sql().prepare('select count(*) n from debtors where id = ?').get(known)).toEqual({ n: 1 });
    expect(batch(batchId)).toEqual({ status: 'failed', detail: ABANDONED_DETAIL, pid: null });
  });

  it('discards a batch whose process has ended, however recent its heartbeat', () => {
    const ended = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const { batchId, created } = committing(Number(ended.stdout.trim()), Date.now(), 'ENDED');
    expect(discardAbandonedBatches(dbFile())).toEqual([batchId]);
    expect(traces(batchId, created)).toEqual({ claims: 0, events: 0, created: 0 });
    expect(batch(batchId)).toMatchObject({ status: 'failed' });
  });
});
