import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng, type SampleClaim, sampleClaims } from '../admin/sample-claims.js';
import type { BatchView } from '../batches/schemas.js';
import type { ClaimView } from './schemas.js';

// Civil Code art. 193: a claim whose period plainly ran waits for the creditor's decision in intake.
describe('limitation review', () => {
  let t: TestApp;
  const sql = () => t.database.sqlite;
  const person = (seed: number) => sampleClaims(createRng(seed), 1, { asOf: '2026-11-20', prefix: 'LIMR' })[0]!;
  const [debtorA, debtorB] = [person(1509), person(1510)];
  const json = (c: SampleClaim, contractNo: string, dueDate: string) => ({
    contract_no: contractNo,
    name: c.name,
    id_number: c.idNumber,
    phone: c.phone,
    address: c.address,
    email: c.email,
    loan_date: '2020-01-05',
    due_date: dueDate,
    principal: '5000.00',
    interest: '100.00',
    annual_rate: '12%',
  });
  let batch: BatchView;
  const claimOf = (contractNo: string) =>
    sql().prepare('select * from claims where contract_no = ?').get(contractNo) as {
      id: number;
      stage: string;
      status: string;
      version: number;
      assignee_id: number | null;
      debtor_id: number;
    };
  const transition = async (who: string, id: number, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/claims/${id}/transitions`, headers: await t.as(who), payload });
  const counts = () =>
    sql()
      .prepare(
        'select (select count(*) from claim_events) events, (select sum(version) from claims) versions, (select count(*) from deliveries) deliveries',
      )
      .get();

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: await t.as('creditor1'),
      payload: {
        reference: 'LIMR-1',
        claims: [
          json(debtorA, 'LIMR-A-OLD', '2021-07-01'),
          json(debtorA, 'LIMR-A-NEW', '2026-06-30'),
          json(debtorB, 'LIMR-B-OLD', '2021-03-15'),
        ],
      },
    });
    expect(res.statusCode).toBe(202);
    for (;;) {
      batch = (
        await t.app.inject({ method: 'GET', url: `/api/batches/${res.json().id}`, headers: await t.as('creditor1') })
      ).json();
      if (batch.status === 'committed' || batch.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(() => t.close());

  it('keeps a plainly expired claim open in intake, with the reason, and counts it apart', async () => {
    expect(debtorA.idNumber).not.toBe(debtorB.idNumber);
    expect(batch).toMatchObject({ status: 'committed', accepted: 3, screening: { eligible: 1, limitation_review: 2 } });
    const old = claimOf('LIMR-A-OLD');
    expect([old.stage, old.status, old.assignee_id]).toEqual(['intake', 'limitation_review', null]);
    const view = (
      await t.app.inject({ method: 'GET', url: `/api/claims/${old.id}`, headers: await t.as('creditor1') })
    ).json() as ClaimView;
    expect(view.screeningReasons.join()).toContain('三年诉讼时效已于2024-07-01届满');
    expect(view.availableActions).toEqual(expect.arrayContaining(['proceed_despite_limitation', 'withdraw']));
  });

  it('lets no one but the creditor proceed, and writes nothing when refused', async () => {
    const old = claimOf('LIMR-B-OLD');
    const before = counts();
    for (const who of ['mediator1', 'clerk1']) {
      const res = await transition(who, old.id, { action: 'proceed_despite_limitation', version: old.version });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'transition_forbidden', reason: 'actor_not_permitted' });
    }
    expect(counts()).toEqual(before);
  });

  it("proceeds to people's mediation with the mediator of the debtor's other claims, and tells the debtor", async () => {
    const old = claimOf('LIMR-A-OLD');
    const sibling = claimOf('LIMR-A-NEW');
    // Put the debtor's other claim with the busier mediator, so the least loaded one would be wrong.
    const loads = sql()
      .prepare(
        "select u.id, count(distinct c.debtor_id) n from users u left join claims c on c.assignee_id = u.id and c.stage <> 'closed' where u.role = 'mediator' group by u.id order by n desc",
      )
      .all() as { id: number; n: number }[];
    sql().prepare('update claims set assignee_id = ? where id = ?').run(loads[0]!.id, sibling.id);

    const res = await transition('creditor1', old.id, {
      action: 'proceed_despite_limitation',
      reason: '债务人曾口头承诺还款，拟调解',
      version: old.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      stage: 'people_mediation',
      status: 'awaiting_contact',
      assigneeId: loads[0]!.id,
      stageDeadline: expect.any(String),
    });

    const events = (
      await t.app.inject({ method: 'GET', url: `/api/claims/${old.id}/events`, headers: await t.as('creditor1') })
    ).json();
    expect(events.chain.valid).toBe(true);
    expect(events.events.at(-1)).toMatchObject({
      action: 'proceed_despite_limitation',
      to: { stage: 'people_mediation', status: 'awaiting_contact' },
      reason: '债务人曾口头承诺还款，拟调解',
      data: { assigneeId: loads[0]!.id, debtorToldBy: debtorA.email ? ['email', 'sms'] : ['sms'] },
    });

    const sent = sql()
      .prepare('select channel, message, purpose, status from deliveries where claim_id = ? order by channel')
      .all(old.id) as { channel: string; message: string; purpose: string; status: string }[];
    expect(sent.map((d) => d.channel)).toEqual(debtorA.email ? ['email', 'sms'] : ['sms']);
    for (const d of sent) {
      expect(d).toMatchObject({ purpose: 'notice', status: 'queued' });
      expect(d.message).toContain('诉讼时效可能已于2024年7月1日届满');
      expect(d.message).toContain('第一百九十二条');
      expect(d.message).not.toContain(debtorA.idNumber);
    }
  });

  it('assigns a debtor with no other claim to the least loaded mediator', async () => {
    const old = claimOf('LIMR-B-OLD');
    const least = sql()
      .prepare(
        "select u.id, count(distinct c.debtor_id) n from users u left join claims c on c.assignee_id = u.id and c.stage <> 'closed' and c.mediation_org_id = u.org_id where u.role = 'mediator' group by u.id order by n, u.id limit 1",
      )
      .get() as { id: number };
    const res = await transition('creditor1', old.id, { action: 'proceed_despite_limitation', version: old.version });
    expect(res.json()).toMatchObject({ status: 'awaiting_contact', assigneeId: least.id });
  });

  it('lets the creditor withdraw instead', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: await t.as('creditor1'),
      payload: { reference: 'LIMR-2', claims: [json(debtorB, 'LIMR-B-OLDER', '2020-12-01')] },
    });
    expect(res.statusCode).toBe(202);
    // The claim is written before its batch flips to committed, and only then may anyone act on it.
    const committed = () =>
      sql().prepare("select 1 from batches where reference = 'LIMR-2' and status = 'committed'").get();
    for (let i = 0; !committed() && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    const claim = claimOf('LIMR-B-OLDER');
    expect(claim.status).toBe('limitation_review');
    const withdrawn = await transition('creditor1', claim.id, { action: 'withdraw', version: claim.version });
    expect(withdrawn.json()).toMatchObject({ stage: 'closed', status: 'withdrawn' });
    expect(sql().prepare('select count(*) n from deliveries where claim_id = ?').get(claim.id)).toEqual({ n: 0 });
  });
});
