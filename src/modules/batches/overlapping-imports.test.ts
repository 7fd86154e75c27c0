/**
 * One creditor's batches overlapping in time are written one after another (issue 20: dedup stays
 * exact): a second batch sent while the first still commits waits for it, so a contract both hold is
 * judged against what the first really keeps. Here the first is refused whole in strict mode while the
 * second waits: the second imports the shared contract itself instead of skipping it as existing, and a
 * claim of the first never appears.
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

const ROWS = 6000;

async function csvOf(rows: SampleCell[][]): Promise<Buffer> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-overlap-')), 'batch.csv');
  await writeSampleBatch(file, 'csv-utf8', rows);
  const bytes = fs.readFileSync(file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return bytes;
}

describe("one creditor's overlapping imports", () => {
  let t: TestApp;
  let big: Buffer;
  let small: Buffer;
  let shared: string;

  beforeAll(async () => {
    t = await createTestApp();
    const rows: SampleCell[][] = [];
    for (const c of sampleClaimStream(createRng(31), ROWS, { asOf: '2026-11-01', prefix: 'OVER' }))
      rows.push(claimRow(c));
    shared = String(rows[0]![SAMPLE_COL.contractNo]);
    const second = [rows[0]!, ...rows.slice(1, 3).map((r) => [`${r[SAMPLE_COL.contractNo]}-B`, ...r.slice(1)])];
    // The last row's ID number fails its check digit: in strict mode the whole first batch is refused.
    const last = rows[ROWS - 1]!;
    last[SAMPLE_COL.idNumber] =
      `${String(last[SAMPLE_COL.idNumber]).slice(0, 17)}${String(last[SAMPLE_COL.idNumber]).endsWith('1') ? '2' : '1'}`;
    big = await csvOf(rows);
    small = await csvOf(second);
  });
  afterAll(() => t.close());

  const upload = async (content: Buffer, fields: Record<string, string>) => {
    const body = multipart(fields, { filename: 'batch.csv', content });
    return t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { ...(await t.as('creditor1')), ...body.headers },
      payload: body.payload,
    });
  };
  const finished = async (id: number): Promise<BatchView> => {
    for (;;) {
      const b = (await t.app.inject({ url: `/api/batches/${id}`, headers: await t.as('creditor1') })).json();
      if (b.status !== 'committing' && b.status !== 'validating') return b as BatchView;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('writes the second after the first, so a contract of a refused first batch is the second’s', async () => {
    const first = await upload(big, { strict: 'true' });
    expect(first.statusCode, first.body).toBe(202);
    const second = await upload(small, {});
    expect(second.statusCode, second.body).toBe(202);
    const a = await finished(first.json().id);
    const b = await finished(second.json().id);
    expect(a.status).toBe('failed');
    expect(b).toMatchObject({ status: 'committed', accepted: 3, skipped: 0 });
    const claim = t.database.sqlite.prepare('select batch_id b from claims where contract_no = ?').get(shared);
    expect(claim).toEqual({ b: b.id });
    expect(t.database.sqlite.prepare('select count(*) n from claims where batch_id = ?').get(a.id)).toEqual({ n: 0 });
  }, 180_000);
});
