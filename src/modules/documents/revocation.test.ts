/** Revoking a document (issue 15 item 2): the issuer withdraws it with a reason; /verify then says revoked. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import type { DocumentView } from './schemas.js';

describe('revoking a document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const one = <T>(sql: string, ...args: unknown[]) => t.database.sqlite.prepare(sql).get(...args) as T;
  const counts = () => ({
    revoked: one<{ n: number }>('select count(*) n from documents where revoked_at is not null').n,
    events: one<{ n: number }>('select count(*) n from claim_events').n,
  });
  const demand = async (claimId: number) =>
    (
      await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claimId}/documents`,
        headers: await t.as('creditor1'),
        payload: { kind: 'demand_letter' },
      })
    ).json() as DocumentView;
  const revoke = async (user: string, id: number, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/documents/${id}/revoke`, headers: await t.as(user), payload });

  it('revokes with a reason as an event; /verify answers revoked with the date, never genuine', async () => {
    const { claimId } = makeClaim(t, { at: 'notified' });
    const doc = await demand(claimId);
    const res = await revoke('creditor1', doc.id, { reason: '金额有误，已重新出具' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: doc.id,
      revokedAt: t.clock.now().toISOString(),
      revokedReason: '金额有误，已重新出具',
    });
    const event = one<{ action: string; reason: string; data: string }>(
      'select action, reason, data from claim_events where claim_id = ? order by seq desc limit 1',
      claimId,
    );
    expect(event).toMatchObject({ action: 'document.revoked', reason: '金额有误，已重新出具' });
    expect(JSON.parse(event.data)).toMatchObject({ documentId: doc.id, docNo: doc.docNo });
    const chain = await t.app.inject({
      method: 'GET',
      url: `/api/claims/${claimId}/events`,
      headers: await t.as('creditor1'),
    });
    expect(chain.json().chain).toMatchObject({ valid: true });

    const verified = await t.app.inject({ method: 'GET', url: `/verify/${doc.verifyCode}` });
    expect(verified.json()).toMatchObject({
      status: 'revoked',
      genuine: false,
      revokedOn: '2026-11-20',
      revokedOnText: '2026年11月20日',
    });
    const page = await t.app.inject({
      method: 'GET',
      url: `/verify/${doc.verifyCode}`,
      headers: { accept: 'text/html' },
    });
    expect(page.body).toContain('该文书已于2026年11月20日被出具单位撤销');
    expect(page.body).not.toContain('真实文书');

    // Revoking again changes nothing; asking for the kind again makes a new document, not the revoked one.
    const before = counts();
    expect((await revoke('creditor1', doc.id, { reason: '再次撤销' })).json().revokedReason).toBe(
      '金额有误，已重新出具',
    );
    expect(counts()).toEqual(before);
    const fresh = await demand(claimId);
    expect(fresh.id).not.toBe(doc.id);
    expect(fresh.revokedAt).toBeNull();
  });

  it('refuses another organisation, an empty reason and unknown fields, and writes nothing', async () => {
    const { claimId } = makeClaim(t, { at: 'notified' });
    const doc = await demand(claimId);
    const before = counts();
    const mediator = await revoke('mediator1', doc.id, { reason: '不是我们出具的' });
    expect(mediator.statusCode).toBe(403);
    expect(mediator.json()).toMatchObject({ code: 'forbidden', reason: 'not_issuer' });
    expect((await revoke('creditor2', doc.id, { reason: '别家的文书' })).statusCode).toBe(404);
    expect((await revoke('creditor1', doc.id, { reason: '   ' })).statusCode).toBe(400);
    expect((await revoke('creditor1', doc.id, {})).statusCode).toBe(400);
    expect((await revoke('creditor1', doc.id, { reason: '金额有误', also: 1 })).statusCode).toBe(400);
    expect(counts()).toEqual(before);
    expect((await t.app.inject({ method: 'GET', url: `/verify/${doc.verifyCode}` })).json().status).toBe('genuine');
  });

  it('the data migration revokes a certificate issued without certify_repair and leaves true documents', async () => {
    const { claimId } = makeClaim(t, { at: 'notified' });
    const honest = await demand(claimId);
    const forged = await demand(makeClaim(t, { at: 'notified' }).claimId);
    // A certificate as the platform issued them before the table existed.
    t.database.sqlite.prepare("update documents set kind = 'credit_repair_certificate' where id = ?").run(forged.id);
    const sql = fs.readFileSync(
      path.join(import.meta.dirname, '../../../migrations/0011_document_revocation.sql'),
      'utf8',
    );
    const update = sql.split('--> statement-breakpoint').find((s) => s.includes('UPDATE'))!;
    t.database.sqlite.exec(update);
    const state = (id: number) =>
      one<{ revoked_at: number | null; revoked_reason: string | null }>(
        'select revoked_at, revoked_reason from documents where id = ?',
        id,
      );
    expect(state(forged.id).revoked_at).not.toBeNull();
    expect(state(forged.id).revoked_reason).toContain('数据迁移');
    expect(state(honest.id)).toEqual({ revoked_at: null, revoked_reason: null });
    expect((await t.app.inject({ method: 'GET', url: `/verify/${forged.verifyCode}` })).json().status).toBe('revoked');
  });
});
