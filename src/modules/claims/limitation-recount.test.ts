/**
 * Civil Code art. 195: the limitation period starts again from each interrupting event, recounted in
 * the same transaction as the event, with the recount in the claim's chain and its detail answer.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore, type FileStore } from '../../adapters/file-store.js';
import { createMailer } from '../../adapters/mail.js';
import { insertDocument, senderDeps } from '../../testing/deliveries.js';
import { makeClaim, makeParties } from '../../testing/factories.js';
import { signInDebtor } from '../../testing/portal.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { receiptToken } from '../deliveries/receipts.js';
import { runDeliveries } from '../deliveries/sender.js';

type Event = { seq: number; action: string; data: Record<string, unknown> | null };

describe('limitation recounted on interrupting events', () => {
  let t: TestApp;
  let files: FileStore;
  const get = async (url: string) => t.app.inject({ method: 'GET', url, headers: await t.as('mediator1') });
  const eventsOf = async (claimId: number) =>
    (await get(`/api/claims/${claimId}/events`)).json() as { events: Event[]; chain: { valid: boolean } };
  const stored = (claimId: number) =>
    (
      t.database.sqlite.prepare('select limitation_expires_on as on_ from claims where id = ?').get(claimId) as {
        on_: string;
      }
    ).on_;

  beforeAll(async () => {
    const key = crypto.randomBytes(32).toString('base64');
    t = await createTestApp({ env: { DATA_KEY: key } });
    files = createFileStore(path.join(t.dataDir, 'files'), Buffer.from(key, 'base64'));
  });
  afterAll(() => t.close());

  it("the debtor's statement of means restarts the period of each open claim of theirs, not a closed one", async () => {
    const parties = makeParties(t, 2);
    const closed = makeClaim(t, { at: 'withdrawn', person: parties.person }).claimId;
    const closedEvents = (await eventsOf(closed)).events.length;
    const debtor = await signInDebtor(t, parties.claimIds[0]!);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/debtor/means',
      headers: debtor,
      payload: { monthlyIncomeFen: 500_000, essentialExpensesFen: 300_000, dependants: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    for (const id of parties.claimIds) {
      const { events, chain } = await eventsOf(id);
      expect(chain.valid).toBe(true);
      expect(events.at(-1)).toMatchObject({
        action: 'limitation.recounted',
        data: { interruption: { kind: 'acknowledgement', on: '2026-11-20' }, expiresOn: '2029-11-20' },
      });
      expect(stored(id)).toBe('2029-11-20');
    }
    expect((await eventsOf(closed)).events).toHaveLength(closedEvents);
  });

  it('a payment restarts the period from the day paid, shown in the detail with the payment event', async () => {
    const c = makeClaim(t);
    const before = stored(c.claimId);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${c.claimId}/payments`,
      headers: await t.as('creditor1'),
      payload: { amountFen: 10_000, paidAt: '2026-11-19', reference: 'LIM-PAY-1', channel: 'bank_transfer' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { events, chain } = await eventsOf(c.claimId);
    expect(chain.valid).toBe(true);
    const paid = events.find((e) => e.action === 'payment.recorded')!;
    const recount = events.find((e) => e.action === 'limitation.recounted')!;
    expect(recount.seq).toBe(paid.seq + 1);
    // 2026-11-19 + 3 years = Monday 2029-11-19.
    expect(recount.data).toMatchObject({
      interruption: { kind: 'payment', on: '2026-11-19', eventSeq: paid.seq },
      previousExpiresOn: before,
      expiresOn: '2029-11-19',
      defenceWaived: false,
    });
    expect(stored(c.claimId)).toBe('2029-11-19');
    expect((await get(`/api/claims/${c.claimId}`)).json()).toMatchObject({
      limitationExpiresOn: '2029-11-19',
      limitationCountedFrom: { kind: 'payment', on: '2026-11-19', eventSeq: paid.seq },
    });
  });

  it('a served demand letter restarts it from the day of the receipt; another notice does not', async () => {
    const c = makeClaim(t, { eServiceConsent: true });
    const before = stored(c.claimId);
    const detail = (await get(`/api/claims/${c.claimId}`)).json();
    expect(detail).toMatchObject({
      limitationExpiresOn: before,
      limitationCountedFrom: { kind: 'due_date', on: c.claim.dueDate },
    });
    const openLinkOf = async (kind: string) => {
      const doc = insertDocument(t, files, c.claimId, kind);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${doc.id}/deliveries`,
        headers: await t.as('mediator1'),
        payload: { channels: ['sms'] },
      });
      expect(res.statusCode, res.body).toBe(201);
      await runDeliveries(senderDeps(t, files, createMailer(t.config)), { now: t.clock.now(), limit: 100 });
      const token = receiptToken(t.crypto, res.json().deliveries[0].id);
      expect(t.smsSent().some((m) => m.text.includes(`/r/${token}`))).toBe(true);
      expect((await t.app.inject({ method: 'GET', url: `/r/${token}` })).statusCode).toBe(302);
    };

    await openLinkOf('mediation_notice');
    expect((await eventsOf(c.claimId)).events.some((e) => e.action === 'limitation.recounted')).toBe(false);
    expect(stored(c.claimId)).toBe(before);

    await openLinkOf('demand_letter');
    const { events, chain } = await eventsOf(c.claimId);
    expect(chain.valid).toBe(true);
    const opened = events.filter((e) => e.action === 'document.opened').at(-1)!;
    expect(events.at(-1)!.action).toBe('limitation.recounted');
    expect(events.at(-1)!.data).toMatchObject({
      interruption: { kind: 'demand_served', on: '2026-11-20', eventSeq: opened.seq },
      expiresOn: '2029-11-20',
    });
    expect((await get(`/api/claims/${c.claimId}`)).json()).toMatchObject({
      limitationExpiresOn: '2029-11-20',
      limitationCountedFrom: { kind: 'demand_served', on: '2026-11-20', eventSeq: opened.seq },
    });
  });

  it('an agreement the court records in its mediation restarts the period from that day', async () => {
    const { claim } = makeClaim(t, { at: 'escalated' });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${claim.id}/transitions`,
      headers: await t.as('clerk1'),
      payload: { action: 'agree', version: claim.version, reason: '诉前调解达成协议' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { events, chain } = await eventsOf(claim.id);
    expect(chain.valid).toBe(true);
    expect(events.slice(-2).map((e) => e.action)).toEqual(['agree', 'limitation.recounted']);
    expect(events.at(-1)!.data).toMatchObject({ interruption: { kind: 'acknowledgement', on: '2026-11-20' } });
    expect(stored(claim.id)).toBe('2029-11-20');
  });
});
