/** Mediation time limits set per creditor: the batch's policy at import, then the court limit when the sweep escalates. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodEnd } from '../../domain/holiday-calendar.js';
import { main as stageTimeLimits } from '../../jobs/stage-time-limits.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng } from '../admin/sample-claims.js';
import { sampleClaimStream } from '../batches/sample-files.js';
import type { BatchView } from '../batches/schemas.js';

describe('mediation time limits from the policy', () => {
  let t: TestApp;
  const key = Buffer.alloc(32, 3).toString('base64');
  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_KEY: key } });
  });
  afterAll(() => t.close());

  it("people's mediation lasts the batch's peopleMediationDays, and the escalation starts courtMediationDays", async () => {
    const claims = [...sampleClaimStream(createRng(17), 2, { asOf: '2026-11-01', prefix: 'TL' })].map((c) => ({
      contract_no: c.contractNo,
      name: c.name,
      id_number: c.idNumber,
      phone: c.phone,
      address: c.address,
      annual_rate: '18%',
      loan_date: c.loanDate,
      due_date: c.dueDate,
      principal: c.principalFen / 100,
    }));
    const headers = await t.as('creditor1');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers,
      payload: { reference: 'TL-1', claims, policy: { peopleMediationDays: 10, courtMediationDays: 15 } },
    });
    expect(res.statusCode, res.body).toBe(202);
    let batch: BatchView = res.json();
    for (let i = 0; i < 200 && (batch.status !== 'committed' || batch.progress); i++) {
      await new Promise((r) => setTimeout(r, 50));
      batch = (await t.app.inject({ method: 'GET', url: `/api/batches/${batch.id}`, headers })).json();
    }
    const rows = t.database.sqlite
      .prepare("select id, stage_deadline from claims where contract_no like 'TL%' and stage = 'people_mediation'")
      .all() as { id: number; stage_deadline: string }[];
    expect(rows.length).toBeGreaterThan(0);
    const calendar = t.reference.calendar();
    // Imported on 2026-11-20 (TEST_NOW, Shanghai).
    for (const r of rows) expect(r.stage_deadline).toBe(periodEnd(calendar, '2026-11-20', 10));

    t.clock.advance(12 * 86_400_000);
    await stageTimeLimits({
      env: { DATA_DIR: t.dataDir, DATA_KEY: key, LOG_LEVEL: 'silent' },
      dbFile: path.join(t.dataDir, 'platform.db'),
      clock: t.clock,
    });
    for (const r of rows)
      expect(t.database.sqlite.prepare('select stage, stage_deadline from claims where id = ?').get(r.id)).toEqual({
        stage: 'court_mediation',
        stage_deadline: periodEnd(calendar, '2026-12-02', 15),
      });
  });
});
