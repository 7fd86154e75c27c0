/**
 * Credit repair ends with the certificate (issue 16 item 6): the court's certify_repair, one claim or
 * a batch, is followed by the creditor's 信用修复证明 and the claim's close as fulfilled; a claim that a
 * stop left certified without its certificate gets it when the server starts again, exactly once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClaim } from '../../testing/factories.js';
import { pdfText } from '../../testing/pdf-text.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

type Row = Record<string, number | string | null>;

describe('the credit repair certificate', () => {
  let t: TestApp;
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  const position = (id: number) => one('select stage, status, credit_listing, version from claims where id = ?', id);
  const certificates = (id: number) =>
    t.database.sqlite
      .prepare("select id, doc_no from documents where claim_id = ? and kind = 'credit_repair_certificate'")
      .all(id) as { id: number; doc_no: string }[];
  const post = async (url: string, payload: object, who = 'clerk1') =>
    t.app.inject({ method: 'POST', url, headers: await t.as(who), payload });
  /** The claim once its follow-up closed it (the certificate is rendered after the step's answer). */
  const closed = async (id: number) => {
    for (let i = 0; i < 300; i++) {
      if (position(id).stage === 'closed') return position(id);
      await sleep(20);
    }
    throw new Error(`claim ${id} stayed ${position(id).stage}/${position(id).status}`);
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('issues the certificate when the court certifies the repair, and closes the claim as fulfilled', async () => {
    const { claim } = makeClaim(t, { at: 'repair_requested' });
    expect(
      (
        await post(`/api/claims/${claim.id}/transitions`, {
          action: 'approve_repair',
          version: position(claim.id).version,
        })
      ).statusCode,
    ).toBe(200);
    expect(certificates(claim.id)).toHaveLength(0);
    const certified = await post(`/api/claims/${claim.id}/transitions`, {
      action: 'certify_repair',
      version: position(claim.id).version,
    });
    expect(certified.statusCode).toBe(200);
    expect(certified.json()).toMatchObject({ stage: 'credit_repair', status: 'certified' });

    expect(await closed(claim.id)).toMatchObject({ stage: 'closed', status: 'fulfilled', credit_listing: 0 });
    const [certificate, ...more] = certificates(claim.id);
    expect(more).toHaveLength(0);
    const close = one(
      "select actor_kind, data from claim_events where claim_id = ? and action = 'close_repaired'",
      claim.id,
    );
    expect(close.actor_kind).toBe('system');
    expect(JSON.parse(String(close.data))).toMatchObject({ documentId: certificate!.id, docNo: certificate!.doc_no });

    const pdf = await t.app.inject({ url: `/api/documents/${certificate!.id}/pdf`, headers: await t.as('creditor1') });
    expect(pdf.statusCode).toBe(200);
    const { text } = await pdfText(pdf.rawPayload);
    expect(text).toContain('信用修复证明');
    expect(text).toContain(claim.contractNo);
    // The chain still verifies with the platform's own step on it.
    const events = await t.app.inject({ url: `/api/claims/${claim.id}/events`, headers: await t.as('creditor1') });
    expect(events.json().chain).toMatchObject({ valid: true });
  });

  it('follows a batch certification claim by claim', async () => {
    const made = [makeClaim(t, { at: 'repair_requested' }).claim, makeClaim(t, { at: 'repair_requested' }).claim];
    for (const c of made)
      expect(
        (await post(`/api/claims/${c.id}/transitions`, { action: 'approve_repair', version: position(c.id).version }))
          .statusCode,
      ).toBe(200);
    const job = await post('/api/claims/actions', {
      action: 'certify_repair',
      claimIds: made.map((c) => c.id),
      clientKey: 'repair-batch-1',
    });
    expect(job.statusCode).toBe(202);
    for (const c of made) {
      expect(await closed(c.id)).toMatchObject({ status: 'fulfilled' });
      expect(certificates(c.id)).toHaveLength(1);
    }
  });

  it('issues the certificate a stop left owing when the server starts again, and only once', async () => {
    const { claim } = makeClaim(t, { at: 'repair_certified' });
    expect(position(claim.id)).toMatchObject({ stage: 'credit_repair', status: 'certified' });
    expect(certificates(claim.id)).toHaveLength(0);

    t = await t.restart();
    expect(await closed(claim.id)).toMatchObject({ status: 'fulfilled' });
    expect(certificates(claim.id)).toHaveLength(1);
    const events = one('select count(*) n from claim_events where claim_id = ?', claim.id).n;

    t = await t.restart();
    await sleep(100);
    expect(certificates(claim.id)).toHaveLength(1);
    expect(one('select count(*) n from claim_events where claim_id = ?', claim.id).n).toBe(events);
  });
});
