/**
 * GET /api/stats/funnel over a batch of claims walked through the lifecycle: counts and fen per stage,
 * flows and agreements from the events, breaches, recovery from payments, stays per stage, objections
 * and hardship; each principal counts only what it may see; and the CSV and XLSX exports.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg, type MadeClaim, type MakeClaimOptions, makeBatch, makeClaim } from '../../testing/factories.js';
import { evidenceForm, signInDebtor } from '../../testing/portal.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { applyTransition } from '../claims/apply-transition.js';

type Funnel = {
  claims: number;
  claimedFen: number;
  recoveredFen: number;
  settled: number;
  breaches: number;
  settlementRateBp: number;
  recoveryBp: number;
  stages: { stage: string; claims: number; claimedFen: number; statuses: { status: string; claims: number }[] }[];
  flows: { from: string; to: string; claims: number }[];
  settledByStage: { stage: string; claims: number }[];
  cycleTimes: { stage: string; stays: number; averageDays: number | null; medianDays: number | null }[];
  objections: Record<string, number>;
  hardship: Record<string, number>;
  byCreditor: { creditorOrgId: number; name: string; claims: number }[];
  byBatch: { batchId: number | null; reference: string | null; claims: number }[];
  byMediationOrg: { mediationOrgId: number | null; name: string | null; claims: number }[];
};

describe('funnel statistics', () => {
  let t: TestApp;
  let batch: number;
  let made: MadeClaim[];
  let paidFen: number;
  const claimed = (c: MadeClaim) => c.claim.principalFen + c.claim.interestFen + c.claim.penaltyFen + c.claim.feesFen;
  const funnel = async (who: string, query: string) => {
    const res = await t.app.inject({ url: `/api/stats/funnel?${query}`, headers: await t.as(who) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Funnel;
  };

  beforeAll(async () => {
    t = await createTestApp();
    batch = makeBatch(t, 'CRED-A', '2026-11-STATS');
    const at = (position: MakeClaimOptions['at']) => makeClaim(t, { at: position, batchId: batch });
    made = [
      at('notified'),
      at('notified'),
      at('performing'),
      at('fulfilled'),
      at('escalated'),
      at('filed'),
      at('withdrawn'),
      at('performing'),
    ];
    // The last agreement is breached: no enforceable title, so the claim goes on to court mediation.
    const breached = made[7]!;
    t.db.transaction((tx) =>
      applyTransition(tx, breached.claim, 'breach', SYSTEM_ACTOR, t.clock.now(), { calendar: t.reference.calendar() }),
    );
    // Half of the fulfilled claim was paid (a confirmed payment, as the creditor records it).
    const fulfilled = made[3]!;
    paidFen = Math.floor(claimed(fulfilled) / 2);
    t.database.sqlite
      .prepare(
        "insert into payments (claim_id, creditor_org_id, amount_fen, paid_on, status, source, created_at) values (?, ?, ?, '2026-11-19', 'confirmed', 'creditor', ?)",
      )
      .run(fulfilled.claimId, fulfilled.claim.creditorOrgId, paidFen, t.clock.now().getTime());
    // A debtor objects to a notified claim; another asks for hardship relief.
    const form = evidenceForm([
      ['category', 'already_repaid'],
      ['statement', '已于上月全部还清。'],
    ]);
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/debtor/claims/${made[0]!.claimId}/objections`,
      headers: { ...(await signInDebtor(t, made[0]!.claimId)), ...form.headers },
      payload: form.payload,
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const request = t.database.sqlite
      .prepare(
        "insert into hardship_requests (debtor_id, reason, statement, status, created_at) values (?, 'illness', '住院治疗中', 'pending', ?)",
      )
      .run(made[1]!.debtorId, t.clock.now().getTime()).lastInsertRowid;
    t.database.sqlite
      .prepare('insert into hardship_claims (request_id, claim_id) values (?, ?)')
      .run(request, made[1]!.claimId);
    // Another creditor's claim, outside the batch.
    makeClaim(t, { at: 'notified', creditor: 'CRED-B' });
  });
  afterAll(() => t.close());

  it('counts a batch per stage and status, with flows, agreements, breaches, recovery and stays', async () => {
    const f = await funnel('creditor1', `batch=${batch}`);
    const claimedFen = made.reduce((s, c) => s + claimed(c), 0);
    expect(f).toMatchObject({
      claims: 8,
      claimedFen,
      recoveredFen: paidFen,
      settled: 3,
      breaches: 1,
      settlementRateBp: 3750,
      recoveryBp: Math.floor((paidFen * 10_000) / claimedFen),
      objections: { open: 1, upheld: 0, partially_upheld: 0, rejected: 0 },
      hardship: { pending: 1, granted: 0, refused: 0 },
    });
    const stage = (s: string) => f.stages.find((x) => x.stage === s)!;
    expect(f.stages.map((s) => s.stage)).toEqual([
      'intake',
      'people_mediation',
      'court_mediation',
      'litigation',
      'enforcement',
      'credit_repair',
      'closed',
    ]);
    expect(stage('people_mediation').statuses).toEqual([
      expect.objectContaining({ status: 'notified', claims: 2 }),
      expect.objectContaining({ status: 'performing', claims: 1 }),
    ]);
    expect(stage('people_mediation').claimedFen).toBe(claimed(made[0]!) + claimed(made[1]!) + claimed(made[2]!));
    expect([stage('court_mediation').claims, stage('litigation').claims, stage('closed').claims]).toEqual([2, 1, 2]);
    expect(f.flows).toEqual([
      { from: 'intake', to: 'people_mediation', claims: 8 },
      { from: 'people_mediation', to: 'court_mediation', claims: 3 },
      { from: 'people_mediation', to: 'closed', claims: 2 },
      { from: 'court_mediation', to: 'litigation', claims: 1 },
    ]);
    expect(f.settledByStage).toEqual([{ stage: 'people_mediation', claims: 3 }]);
    // Stays in people's mediation, one step a day: escalated 3, filed 2, withdrawn 1, fulfilled 5, breached 6.
    expect(f.cycleTimes.find((c) => c.stage === 'people_mediation')).toEqual({
      stage: 'people_mediation',
      stays: 5,
      averageDays: 3.4,
      medianDays: 3,
    });
    expect(f.cycleTimes.find((c) => c.stage === 'court_mediation')).toMatchObject({ stays: 1, medianDays: 3 });
    expect(f.byBatch).toEqual([expect.objectContaining({ batchId: batch, reference: '2026-11-STATS', claims: 8 })]);
    expect(f.byCreditor).toEqual([expect.objectContaining({ name: demoOrg(t, 'CRED-A').name, claims: 8 })]);
    expect(f.byMediationOrg).toEqual([expect.objectContaining({ name: demoOrg(t, 'PMC-QZ').name, claims: 8 })]);
  });

  it('counts only what the principal may see; an administrator counts every creditor', async () => {
    const creditorB = demoOrg(t, 'CRED-B').id;
    expect((await funnel('creditor2', `batch=${batch}`)).claims).toBe(0);
    expect((await funnel('creditor1', `creditor=${creditorB}`)).claims).toBe(0);
    const own = await funnel('creditor1', '');
    expect(own.byCreditor.map((c) => c.creditorOrgId)).toEqual([demoOrg(t, 'CRED-A').id]);
    expect((await funnel('mediator1', `batch=${batch}`)).claims).toBe(8);
    const all = await funnel('admin', '');
    expect(all.byCreditor.map((c) => c.creditorOrgId).sort()).toEqual([demoOrg(t, 'CRED-A').id, creditorB].sort());
    const { n } = t.database.sqlite.prepare('select count(*) n from claims').get() as { n: number };
    expect(all.claims).toBe(n);
    expect(all.byCreditor.reduce((s, c) => s + c.claims, 0)).toBe(n);
  });

  it('counts the claims imported in the period', async () => {
    expect((await funnel('creditor1', `batch=${batch}&from=2026-11-01&to=2026-11-20`)).claims).toBe(8);
    expect((await funnel('creditor1', `batch=${batch}&from=2026-11-21`)).claims).toBe(0);
    expect((await funnel('creditor1', `batch=${batch}&to=2026-11-01`)).claims).toBe(0);
  });

  it('refuses a period that ends before it starts, a malformed filter and an unknown one', async () => {
    const headers = await t.as('creditor1');
    const ask = (q: string) => t.app.inject({ url: `/api/stats/funnel?${q}`, headers });
    const backwards = await ask('from=2026-12-01&to=2026-11-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(backwards.json()).toMatchObject({ code: 'validation_failed', fields: [{ field: '/querystring/to' }] });
    for (const q of ['creditor=abc', 'batch=-1', 'from=2026-13-01', 'from=yesterday', 'region=fj'])
      expect((await ask(q)).statusCode, q).toBe(400);
  });

  it('exports the same figures as CSV with BOM and as an XLSX workbook, Chinese headers', async () => {
    const headers = await t.as('creditor1');
    const csv = await t.app.inject({ url: `/api/stats/funnel.csv?batch=${batch}`, headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; .*filename\*=UTF-8''/);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.slice(1).split('\r\n');
    expect(lines.slice(0, 3)).toEqual([
      '汇总',
      '案件数,债权金额（元）,已回收金额（元）,达成协议案件数,违约次数,和解率（%）,回收率（%）',
      expect.stringMatching(/^8,[\d.]+,[\d.]+,3,1,37\.5,[\d.]+$/),
    ]);
    expect(lines).toContain(`人民调解,已通知,2,${(claimed(made[0]!) + claimed(made[1]!)) / 100}`);
    expect(lines).toContain('人民调解,法院诉前调解,3');

    const xlsx = await t.app.inject({ url: `/api/stats/funnel.xlsx?batch=${batch}`, headers });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      '汇总',
      '各阶段案件',
      '阶段流转',
      '各阶段用时',
      '按债权人',
      '按批次',
      '按调解组织',
      '异议与困难救助',
      '每日趋势',
    ]);
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getRow(1).getCell(1).value).toBe('案件数');
    expect(summary.getRow(2).getCell(1).value).toBe(8);
    expect(summary.getRow(2).getCell(3).value).toBe(paidFen / 100);
    const batches = workbook.getWorksheet('按批次')!;
    expect([batches.getRow(2).getCell(1).value, batches.getRow(2).getCell(2).value]).toEqual(['2026-11-STATS', 8]);
  });
});
