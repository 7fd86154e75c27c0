/**
 * Deliveries through the API: queueing a document to the debtor's own addresses, refusals (hold,
 * invalid address, no address at all), listing, the receipt link and service by public notice.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore, type FileStore } from '../../adapters/file-store.js';
import { createMailer, smtpMailer } from '../../adapters/mail.js';
import { insertDocument, senderDeps } from '../../testing/deliveries.js';
import { makeClaim } from '../../testing/factories.js';
import { leafParts, parseMime, startLoopbackSmtp } from '../../testing/smtp.js';
import { createTestApp, TEST_NOW, type TestApp } from '../../testing/test-app.js';
import { markDeemedServed } from './deemed-service.js';
import { receiptToken } from './receipts.js';
import { runDeliveries } from './sender.js';

describe('deliveries API', () => {
  let t: TestApp;
  let files: FileStore;
  const sql = () => t.database.sqlite;
  const count = (table: string, where = '1 = 1', ...args: unknown[]) =>
    (
      sql()
        .prepare(`select count(*) as n from ${table} where ${where}`)
        .get(...args) as { n: number }
    ).n;
  const post = async (who: string, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: await t.as(who), payload });
  const get = async (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: await t.as(who) });
  const send = () => runDeliveries(senderDeps(t, files, createMailer(t.config)), { now: t.clock.now(), limit: 100 });

  beforeAll(async () => {
    // A known data key, so that the test reads the app's own file store (documents the app generates).
    const key = crypto.randomBytes(32).toString('base64');
    t = await createTestApp({ env: { DATA_KEY: key } });
    files = createFileStore(path.join(t.dataDir, 'files'), Buffer.from(key, 'base64'));
  });
  afterAll(() => t.close());

  it("queues the document to the debtor's own phone and e-mail, masked in the answer; asking again queues nothing twice", async () => {
    const c = makeClaim(t);
    const doc = insertDocument(t, files, c.claimId);
    const res = await post('mediator1', `/api/documents/${doc.id}/deliveries`, {});
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.created).toBe(true);
    expect(body.refused).toEqual([]);
    expect(
      body.deliveries.map(
        (d: { channel: string; addressMasked: string; status: string; documentId: number; dueAt: string }) => [
          d.channel,
          d.addressMasked,
          d.status,
          d.documentId,
          d.dueAt,
        ],
      ),
    ).toEqual([
      ['email', `d***@example.cn`, 'queued', doc.id, TEST_NOW],
      ['sms', `${c.phone!.slice(0, 3)}****${c.phone!.slice(-4)}`, 'queued', doc.id, TEST_NOW],
    ]);
    expect(res.body).not.toContain(c.phone!);
    expect(res.body).not.toContain(c.email!);
    // The address is sealed in the outbox row.
    const stored = sql()
      .prepare('select address_enc from deliveries where document_id = ? order by id')
      .all(doc.id) as { address_enc: string }[];
    expect(stored.map((r) => t.crypto.decrypt(r.address_enc))).toEqual([c.email, c.phone]);

    const again = await post('mediator1', `/api/documents/${doc.id}/deliveries`, { channels: ['sms'] });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, deliveries: [{ id: body.deliveries[1].id, channel: 'sms' }] });
    expect(count('deliveries', 'document_id = ?', doc.id)).toBe(2);

    const list = await get('creditor1', `/api/documents/${doc.id}/deliveries`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((d: { id: number }) => d.id)).toEqual(
      body.deliveries.map((d: { id: number }) => d.id),
    );
    expect(Object.keys(list.json().items[0]).sort()).toEqual([
      'addressMasked',
      'attempts',
      'channel',
      'claimId',
      'createdAt',
      'documentId',
      'dueAt',
      'id',
      'lastAttemptAt',
      'openedAt',
      'reason',
      'sentAt',
      'status',
    ]);
    const byClaim = await get('clerk1', `/api/claims/${c.claimId}/deliveries`);
    expect(byClaim.json().items).toHaveLength(2);
  });

  it('end to end: a notice the documents module generates is mailed over SMTP with its PDF, byte for byte as served at /pdf', async () => {
    const { id: claimId, email } = sql()
      .prepare(
        "select c.id, d.email_enc as email from claims c join debtors d on d.id = c.debtor_id where c.stage = 'people_mediation' and c.hold is null and d.email_enc is not null order by c.id limit 1",
      )
      .get() as { id: number; email: string };
    const created = await post('mediator1', `/api/claims/${claimId}/documents`, { kind: 'mediation_notice' });
    expect(created.statusCode).toBe(201);
    const { id, docNo } = created.json();
    expect((await post('mediator1', `/api/documents/${id}/deliveries`, { channels: ['email'] })).statusCode).toBe(201);

    const smtp = await startLoopbackSmtp();
    const mailer = smtpMailer(smtp.url, 'noreply@mediation.local');
    try {
      await runDeliveries(senderDeps(t, files, mailer), { now: t.clock.now(), limit: 100 });
    } finally {
      mailer.close();
      await smtp.close();
    }
    const mail = smtp.received.find((m) => m.to[0] === t.crypto.decrypt(email))!;
    const message = parseMime(mail.raw);
    expect(message.headers.get('subject')).toBe(`【泉州市鲤城区金融纠纷人民调解委员会】调解通知书（${docNo}）`);
    const attachment = leafParts(message).find((p) => p.filename === `调解通知书-${docNo}.pdf`)!;
    const pdf = await get('mediator1', `/api/documents/${id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(attachment.body.equals(pdf.rawPayload)).toBe(true);
    expect(attachment.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get('mediator1', `/api/documents/${id}/deliveries`)).json().items).toEqual([
      expect.objectContaining({ channel: 'email', status: 'sent', attempts: 1 }),
    ]);
  }, 60_000);

  it("another tenant's document is not found, and nothing is queued", async () => {
    const c = makeClaim(t);
    const doc = insertDocument(t, files, c.claimId);
    for (const res of [
      await post('creditor2', `/api/documents/${doc.id}/deliveries`, {}),
      await get('creditor2', `/api/documents/${doc.id}/deliveries`),
      await get('creditor2', `/api/claims/${c.claimId}/deliveries`),
      await post('mediator1', '/api/documents/999999/deliveries', {}),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    expect(count('deliveries', 'document_id = ?', doc.id)).toBe(0);
  });

  it('rejects an unknown channel or field', async () => {
    const c = makeClaim(t);
    const doc = insertDocument(t, files, c.claimId);
    for (const payload of [{ channels: ['fax'] }, { channels: [] }, { channels: ['sms'], to: '13900000000' }]) {
      const res = await post('mediator1', `/api/documents/${doc.id}/deliveries`, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect(count('deliveries', 'document_id = ?', doc.id)).toBe(0);
  });

  it('never while the claim is on hold: 422 naming the rule, written to the contact log, nothing queued', async () => {
    const c = makeClaim(t, { hold: 'objection' });
    const doc = insertDocument(t, files, c.claimId);
    const res = await post('mediator1', `/api/documents/${doc.id}/deliveries`, {});
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unprocessable', reason: 'claim_on_hold' });
    expect(res.json().detail).toContain('on hold (objection)');
    expect(count('deliveries', 'claim_id = ?', c.claimId)).toBe(0);
    expect(
      sql().prepare('select channel, outcome, rule from contact_log where claim_id = ? order by id').all(c.claimId),
    ).toEqual([
      { channel: 'email', outcome: 'refused', rule: 'claim_on_hold' },
      { channel: 'sms', outcome: 'refused', rule: 'claim_on_hold' },
    ]);
  });

  it('an invalid e-mail address on file is refused clearly and logged; the phone still gets the document', async () => {
    const c = makeClaim(t, { email: 'wang.example.cn' });
    const doc = insertDocument(t, files, c.claimId);
    const res = await post('mediator1', `/api/documents/${doc.id}/deliveries`, { channels: ['email'] });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unprocessable', reason: 'invalid_address' });
    expect(res.json().detail).toMatch(
      /e-mail address on file \(\*+\) is not a valid address; correct the debtor's record/,
    );
    expect(res.body).not.toContain('wang.example.cn');
    expect(count('deliveries', 'claim_id = ?', c.claimId)).toBe(0);
    expect(sql().prepare('select channel, outcome, rule from contact_log where claim_id = ?').all(c.claimId)).toEqual([
      { channel: 'email', outcome: 'refused', rule: 'invalid_address' },
    ]);

    const both = await post('mediator1', `/api/documents/${doc.id}/deliveries`, {});
    expect(both.statusCode).toBe(201);
    expect(both.json().deliveries.map((d: { channel: string }) => d.channel)).toEqual(['sms']);
    expect(both.json().refused).toEqual([
      { channel: 'email', rule: 'invalid_address', detail: expect.stringContaining('not a valid address') },
    ]);
  });

  it('a debtor with no valid phone or e-mail is marked unreachable, with a claim event', async () => {
    const c = makeClaim(t, { phone: null, email: 'nobody' });
    const doc = insertDocument(t, files, c.claimId, 'complaint');
    const res = await post('mediator1', `/api/documents/${doc.id}/deliveries`, {});
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ reason: 'debtor_unreachable' });
    expect(res.json().detail).toContain('public notice');
    expect(sql().prepare('select unreachable_at from debtors where id = ?').get(c.debtorId)).toEqual({
      unreachable_at: Date.parse(TEST_NOW),
    });
    const events = (await get('mediator1', `/api/claims/${c.claimId}/events`)).json();
    expect(events.chain.valid).toBe(true);
    const added = events.events.slice(c.events);
    expect(added.map((e: { action: string; actor: { name: string } }) => [e.action, e.actor.name])).toEqual([
      ['debtor.unreachable', '陈调解员'],
    ]);
  });

  it('the link in a notice records the electronic service receipt once and leads to the portal; the token is not logged', async () => {
    const c = makeClaim(t, { eServiceConsent: true });
    const doc = insertDocument(t, files, c.claimId);
    const queued = (await post('mediator1', `/api/documents/${doc.id}/deliveries`, { channels: ['sms'] })).json();
    await send();
    const text = t.smsSent().find((m) => m.to === c.phone)!.text;
    const token = /\/r\/([A-Za-z0-9_-]{22})/.exec(text)![1]!;

    t.clock.advance(3_600_000);
    const open = await t.app.inject({ method: 'GET', url: `/r/${token}` });
    expect(open.statusCode).toBe(302);
    expect(open.headers.location).toBe('http://127.0.0.1:3000/portal/');
    const openedAt = t.clock.now().getTime();
    expect(sql().prepare('select status, opened_at from deliveries where id = ?').get(queued.deliveries[0].id)).toEqual(
      { status: 'opened', opened_at: openedAt },
    );
    expect(sql().prepare('select served_at, service_method from documents where id = ?').get(doc.id)).toEqual({
      served_at: openedAt,
      service_method: 'electronic',
    });
    const events = (await get('mediator1', `/api/claims/${c.claimId}/events`)).json();
    expect(events.chain.valid).toBe(true);
    expect(events.events.slice(c.events)).toEqual([
      expect.objectContaining({
        action: 'document.opened',
        actor: { kind: 'debtor', id: c.debtorId, name: expect.any(String) },
        data: expect.objectContaining({
          channel: 'sms',
          documentId: doc.id,
          docNo: doc.docNo,
          electronicService: true,
          openedAt: new Date(openedAt).toISOString(),
        }),
      }),
    ]);
    const listed = (await get('mediator1', `/api/documents/${doc.id}/deliveries`)).json();
    expect(listed.items[0]).toMatchObject({ status: 'opened', openedAt: new Date(openedAt).toISOString() });

    // Opening again leads to the portal and records nothing more.
    t.clock.advance(60_000);
    expect((await t.app.inject({ method: 'GET', url: `/r/${token}` })).statusCode).toBe(302);
    expect(count('claim_events', "claim_id = ? and action = 'document.opened'", c.claimId)).toBe(1);
    expect(sql().prepare('select served_at from documents where id = ?').get(doc.id)).toEqual({ served_at: openedAt });
    expect(t.logs()).not.toContain(token);
  });

  it('a served notice moves a claim waiting for contact to notified through the lifecycle; a sent one does not', async () => {
    const c = makeClaim(t, { at: 'awaiting_contact', eServiceConsent: true });
    const doc = insertDocument(t, files, c.claimId);
    const queued = (await post('mediator1', `/api/documents/${doc.id}/deliveries`, { channels: ['sms'] })).json();
    await send();
    const status = () => sql().prepare('select status from claims where id = ?').get(c.claimId);
    expect(status()).toEqual({ status: 'awaiting_contact' });
    const token = receiptToken(t.crypto, queued.deliveries[0].id);
    expect((await t.app.inject({ method: 'GET', url: `/r/${token}` })).statusCode).toBe(302);
    expect(status()).toEqual({ status: 'notified' });
    const events = (await get('mediator1', `/api/claims/${c.claimId}/events`)).json();
    expect(events.chain.valid).toBe(true);
    expect(events.events.slice(c.events).map((e: { action: string }) => e.action)).toEqual([
      'document.opened',
      'notify',
    ]);
    expect(events.events.at(-1)).toMatchObject({
      from: { status: 'awaiting_contact' },
      to: { status: 'notified' },
      data: expect.objectContaining({ documentId: doc.id }),
    });
  });

  it('an unknown link gets a plain Chinese page, not an error trace', async () => {
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'nonsense', '%E4%BD%A0%E5%A5%BD']) {
      const res = await t.app.inject({ method: 'GET', url: `/r/${token}` });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('链接无效');
      expect(res.body).not.toMatch(/Error|at .*\.ts/);
    }
  });

  describe('service by public notice', () => {
    const notice = (id: number, publishedOn: string, who = 'clerk1') =>
      post(who, `/api/documents/${id}/public-notice`, { publishedOn });
    const unreachableClaim = async () => {
      const c = makeClaim(t, { phone: null, email: null });
      const probe = insertDocument(t, files, c.claimId, 'demand_letter');
      expect((await post('mediator1', `/api/documents/${probe.id}/deliveries`, {})).json().reason).toBe(
        'debtor_unreachable',
      );
      return c;
    };

    it('records publication for a court document of an unreachable debtor: deemed served 30 days later, moved past the National Day holidays', async () => {
      const c = await unreachableClaim();
      const doc = insertDocument(t, files, c.claimId, 'complaint');
      const res = await notice(doc.id, '2026-09-01');
      expect(res.statusCode).toBe(200);
      // 2026-10-01 is the 30th day, a holiday until 10-07: the period ends on the next working day.
      expect(res.json()).toEqual({
        id: doc.id,
        claimId: c.claimId,
        kind: 'complaint',
        docNo: doc.docNo,
        serviceMethod: null,
        servedAt: null,
        publicNoticeOn: '2026-09-01',
        deemedServedOn: '2026-10-08',
      });
      const events = (await get('clerk1', `/api/claims/${c.claimId}/events`)).json().events;
      expect(events.at(-1)).toMatchObject({
        action: 'document.public_notice',
        actor: { kind: 'court' },
        data: { publishedOn: '2026-09-01', deemedServedOn: '2026-10-08', documentId: doc.id },
      });

      // Recorded once only.
      const again = await notice(doc.id, '2026-09-02');
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('duplicate');

      // Served when the period has run out: not on its last day, at midnight after it.
      expect(markDeemedServed(t, { now: new Date('2026-10-08T15:59:59Z') })).toBe(0);
      expect(markDeemedServed(t, { now: new Date('2026-10-08T16:00:00Z') })).toBeGreaterThanOrEqual(1);
      expect(sql().prepare('select served_at, service_method from documents where id = ?').get(doc.id)).toEqual({
        served_at: Date.parse('2026-10-08T16:00:00Z'),
        service_method: 'public_notice',
      });
      const served = (await get('clerk1', `/api/claims/${c.claimId}/events`)).json();
      expect(served.chain.valid).toBe(true);
      expect(served.events.at(-1)).toMatchObject({
        action: 'document.served',
        actor: { kind: 'system' },
        data: { method: 'public_notice', deemedServedOn: '2026-10-08' },
      });
      expect(markDeemedServed(t, { now: new Date('2026-10-20T00:00:00Z') })).toBe(0);
    });

    it('an ordinary 30-day period ends on day 30 when that is a working day', async () => {
      const c = await unreachableClaim();
      const doc = insertDocument(t, files, c.claimId, 'enforcement_application');
      expect((await notice(doc.id, '2026-11-02')).json()).toMatchObject({ deemedServedOn: '2026-12-02' });
    });

    it('is refused when the debtor is reachable, the document is not a court document, the date is wrong, or the caller is not a court', async () => {
      const reachable = makeClaim(t);
      const complaint = insertDocument(t, files, reachable.claimId, 'complaint');
      const res = await notice(complaint.id, '2026-11-02');
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'unprocessable', reason: 'debtor_reachable' });

      const c = await unreachableClaim();
      const letter = insertDocument(t, files, c.claimId, 'mediation_notice');
      const notCourt = await notice(letter.id, '2026-11-02');
      expect(notCourt.statusCode).toBe(422);
      expect(notCourt.json()).toMatchObject({ reason: 'not_court_document' });

      const doc = insertDocument(t, files, c.claimId, 'judicial_confirmation_application');
      for (const [date, field] of [
        ['2026-11-21', 'must not be after today'],
        ['2026-02-30', 'must be a real date YYYY-MM-DD'],
      ] as const) {
        const bad = await notice(doc.id, date);
        expect(bad.statusCode).toBe(400);
        expect(bad.json().fields).toEqual([{ field: '/body/publishedOn', message: field }]);
      }
      expect((await notice(doc.id, '1.11.2026')).statusCode).toBe(400);
      expect((await notice(doc.id, '2026-11-02', 'mediator1')).statusCode).toBe(403);
      expect(
        sql()
          .prepare('select public_notice_on from documents where id in (?, ?, ?)')
          .all(complaint.id, letter.id, doc.id),
      ).toEqual([{ public_notice_on: null }, { public_notice_on: null }, { public_notice_on: null }]);
    });
  });

  it('an SMS link serves a notice only with the consent to electronic service (CPL art. 90): without it the opening is recorded and nothing is served', async () => {
    const c = makeClaim(t, { at: 'awaiting_contact', email: null });
    const doc = insertDocument(t, files, c.claimId, 'demand_letter');
    const queued = (await post('mediator1', `/api/documents/${doc.id}/deliveries`, {})).json();
    expect(queued.deliveries.map((d: { channel: string }) => d.channel)).toEqual(['sms']);
    await send();
    const token = receiptToken(t.crypto, queued.deliveries[0].id);
    expect(t.smsSent().some((m) => m.to === c.phone && m.text.includes(`/r/${token}`))).toBe(true);
    const before = sql().prepare('select status, limitation_expires_on from claims where id = ?').get(c.claimId);
    expect((await t.app.inject({ method: 'GET', url: `/r/${token}` })).statusCode).toBe(302);
    expect(sql().prepare('select status from deliveries where id = ?').get(queued.deliveries[0].id)).toEqual({
      status: 'opened',
    });
    expect(sql().prepare('select served_at, service_method from documents where id = ?').get(doc.id)).toEqual({
      served_at: null,
      service_method: null,
    });
    expect(sql().prepare('select status, limitation_expires_on from claims where id = ?').get(c.claimId)).toEqual(
      before,
    );
    const events = (await get('mediator1', `/api/claims/${c.claimId}/events`)).json();
    expect(events.events.slice(c.events)).toEqual([
      expect.objectContaining({
        action: 'document.opened',
        data: expect.objectContaining({
          channel: 'sms',
          electronicService: false,
          notServed: expect.stringContaining('art. 90'),
        }),
      }),
    ]);

    // The same notice to a debtor who consented: the receipt is the proof of service.
    const ok = makeClaim(t, { at: 'awaiting_contact', email: null, eServiceConsent: true });
    const served = insertDocument(t, files, ok.claimId, 'demand_letter');
    const q = (await post('mediator1', `/api/documents/${served.id}/deliveries`, {})).json();
    await send();
    t.clock.advance(60_000);
    expect(
      (await t.app.inject({ method: 'GET', url: `/r/${receiptToken(t.crypto, q.deliveries[0].id)}` })).statusCode,
    ).toBe(302);
    expect(sql().prepare('select service_method from documents where id = ?').get(served.id)).toEqual({
      service_method: 'electronic',
    });
    const after = (await get('mediator1', `/api/claims/${ok.claimId}/events`)).json();
    expect(after.events.slice(ok.events).map((e: { action: string }) => e.action)).toEqual([
      'document.opened',
      'limitation.recounted',
      'notify',
    ]);
    expect(sql().prepare('select status from claims where id = ?').get(ok.claimId)).toEqual({ status: 'notified' });
  });
});
