/**
 * An import commits in short slices while its batch is `committing` (issue 20 item 1): every reader
 * is kept from its rows until the one transaction that flips it, the status is the database's, a
 * repeat of the upload answers the same batch, dedup holds across slices, and other writers go on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../testing/multipart.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng } from '../admin/sample-claims.js';
import { claimRow, SAMPLE_COL, type SampleCell, sampleClaimStream, writeSampleBatch } from './sample-files.js';
import type { BatchView } from './schemas.js';

// Rows travel from the parser 2,000 at a time: the repeated contract number lies three messages later.
const ROWS = 8000;
const REPEATED = { first: 10, again: 6500 };

describe('a batch imported in slices', () => {
  let t: TestApp;
  let file: Buffer;
  const sql = () => t.database.sqlite;

  beforeAll(async () => {
    t = await createTestApp();
    const rows: SampleCell[][] = [];
    for (const c of sampleClaimStream(createRng(20), ROWS, { asOf: '2026-11-01', prefix: 'SLICE' }))
      rows.push(claimRow(c));
    // The same contract and person again, far into the file: one duplicate error, never two claims.
    rows[REPEATED.again] = [...rows[REPEATED.first]!];
    const csv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-slices-')), 'slices.csv');
    await writeSampleBatch(csv, 'csv-utf8', rows);
    file = fs.readFileSync(csv);
    fs.rmSync(path.dirname(csv), { recursive: true, force: true });
  });
  afterAll(() => t.close());

  const upload = async () => {
    const body = multipart({}, { filename: 'slices.csv', content: file });
    return t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { ...(await t.as('creditor1')), ...body.headers },
      payload: body.payload,
    });
  };
  const get = async (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: await t.as(who) });

  it('hides every row until the flip, answers a repeat with the same batch, and lets other writers through', async () => {
    const started = await upload();
    expect(started.statusCode, started.body).toBe(202);
    const id = (started.json() as BatchView).id;
    expect(started.json().status).toBe('committing');
    const stored = () => (sql().prepare('select count(*) n from claims where batch_id = ?').get(id) as { n: number }).n;

    let hiddenSeen = 0;
    let repeat: { statusCode: number; id: number } | null = null;
    const writes: number[] = [];
    let batch: BatchView;
    for (;;) {
      // Readers first, then the status: a claim seen before the flip would show as `committing` here.
      const mine = (await get('creditor1', `/api/claims?batchId=${id}&limit=1`)).json().items.length;
      const mediated = (await get('mediator1', `/api/claims?batchId=${id}&limit=1`)).json().items.length;
      const inDb = stored();
      batch = (await get('creditor1', `/api/batches/${id}`)).json() as BatchView;
      if (batch.status === 'committing') {
        expect([mine, mediated]).toEqual([0, 0]);
        if (inDb > 0) hiddenSeen++;
        if (inDb > 0 && !repeat) {
          const again = await upload();
          repeat = { statusCode: again.statusCode, id: again.json().id };
        }
      }
      // Another creditor's small write, which waited out the whole batch before.
      const key = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: await t.as('creditor2'),
        payload: { name: `probe-${writes.length}`, scopes: ['claims:read'] },
      });
      writes.push(key.statusCode);
      if (batch.status !== 'committing') break;
      await new Promise((r) => setTimeout(r, 50));
    }

    // Slices were in the database, unseen, while the batch committed.
    expect(hiddenSeen).toBeGreaterThan(0);
    expect(repeat).toEqual({ statusCode: 200, id });
    expect(writes.length).toBeGreaterThan(hiddenSeen);
    expect(new Set(writes)).toEqual(new Set([201]));

    expect(batch.status).toBe('committed');
    expect(batch.errorsByCode).toMatchObject({ contract_no_duplicate: 1 });
    const contractNo = String(
      (file.toString('utf8').split('\r\n')[REPEATED.first + 1] ?? '').split(',')[SAMPLE_COL.contractNo],
    );
    expect(sql().prepare('select count(*) n from claims where contract_no = ?').get(contractNo)).toEqual({ n: 1 });
    const listed = sql().prepare('select count(*) n from claims where batch_id = ?').get(id) as { n: number };
    expect(listed.n).toBe(batch.accepted);
    const report = (await get('creditor1', `/api/batches/${id}/errors.csv`)).body;
    expect(report).toContain(`${REPEATED.again + 2},合同编号,contract_no_duplicate`);
  }, 240_000);
});
