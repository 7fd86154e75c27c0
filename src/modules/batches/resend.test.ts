/**
 * Sending a batch again: identical uploads at the same moment share one batch, a failed batch blocks
 * no re-send, and a reference sent before with other content is refused naming its batch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../testing/multipart.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng } from '../admin/sample-claims.js';
import { claimRow, sampleClaimStream, writeSampleBatch } from './sample-files.js';
import type { BatchView } from './schemas.js';

describe('sending a batch again', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const snapshot = () =>
    t.database.sqlite
      .prepare(
        'select (select count(*) from claims) claims, (select count(*) from batches) batches, (select count(*) from claim_events) events, (select count(*) from batch_row_errors) errors',
      )
      .get();
  /** A CSV of `n` fresh claims; `bad` puts an invalid phone in its first row. */
  const csv = async (seed: number, n: number, bad = false) => {
    const rows = [...sampleClaimStream(createRng(seed), n, { asOf: '2026-11-01', prefix: `RS${seed}` })].map((c, i) =>
      claimRow(bad && i === 0 ? { ...c, phone: '123' } : c),
    );
    const file = path.join(t.dataDir, `resend-${seed}-${n}-${bad}.csv`);
    await writeSampleBatch(file, 'csv-utf8', rows);
    return fs.readFileSync(file);
  };
  const upload = async (content: Buffer, fields: Record<string, string> = {}) => {
    const body = multipart(fields, { filename: 'batch.csv', content });
    return t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { ...(await t.as('creditor1')), ...body.headers },
      payload: body.payload,
    });
  };
  const finished = async (id: number): Promise<BatchView> => {
    for (let i = 0; i < 600; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/api/batches/${id}`, headers: await t.as('creditor1') });
      const b = res.json() as BatchView;
      if (res.statusCode === 200 && !b.progress) return b;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`batch ${id} did not finish`);
  };

  it('three identical uploads at the same moment answer one batch: 202 once, 200 twice, no database text', async () => {
    const before = snapshot() as { batches: number };
    const content = await csv(1, 50);
    const answers = await Promise.all([upload(content), upload(content), upload(content)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 202]);
    const ids = new Set(answers.map((a) => a.json().id));
    expect(ids.size).toBe(1);
    for (const a of answers) expect(a.body).not.toMatch(/constraint|sqlite/i);
    expect(await finished([...ids][0])).toMatchObject({ status: 'committed', accepted: 50 });
    expect((snapshot() as { batches: number }).batches).toBe(before.batches + 1);
  });

  it('a failed strict batch blocks no re-send: the same file, then the corrected one under its reference', async () => {
    const content = await csv(2, 20, true);
    const strict = await upload(content, { strict: 'true', reference: 'RS-2026-12' });
    expect(strict.statusCode).toBe(202);
    expect(await finished(strict.json().id)).toMatchObject({ status: 'failed', accepted: 0, rejected: 1 });

    const lenient = await upload(content);
    expect(lenient.statusCode).toBe(202);
    expect(lenient.json().id).not.toBe(strict.json().id);
    expect(await finished(lenient.json().id)).toMatchObject({ status: 'committed', accepted: 19, rejected: 1 });
    const again = await upload(content);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(lenient.json().id);

    const corrected = await upload(await csv(3, 5), { strict: 'true', reference: 'RS-2026-12' });
    expect(corrected.statusCode).toBe(202);
    expect(await finished(corrected.json().id)).toMatchObject({ status: 'committed', accepted: 5 });
  });

  it('a reference sent before with other content answers 409 reference_conflict naming the batch, importing nothing', async () => {
    const first = await upload(await csv(4, 5), { reference: 'RS-2026-13' });
    expect(first.statusCode).toBe(202);
    const id = (await finished(first.json().id)).id;
    const before = snapshot();
    const clash = await upload(await csv(5, 5), { reference: 'RS-2026-13' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'duplicate', reason: 'reference_conflict' });
    expect(clash.json().detail).toContain(`batch ${id}`);
    expect(snapshot()).toEqual(before);
    const same = await upload(await csv(4, 5), { reference: 'RS-2026-13' });
    expect(same.statusCode).toBe(200);
    expect(same.json().id).toBe(id);
  });
});
