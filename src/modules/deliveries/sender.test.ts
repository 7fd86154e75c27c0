/**
 * The sender against a real SMTP server on 127.0.0.1 and the SMS outbox: what is sent, each contact
 * rule on a fixed clock, SMTP faults with retries and backoff, failing for good, and crash recovery.
 */
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileStore } from '../../adapters/file-store.js';
import { type Mailer, smtpMailer } from '../../adapters/mail.js';
import { maskEmail } from '../../domain/email.js';
import { maskPhone } from '../../domain/phone.js';
import { insertDocument, senderDeps, testFiles } from '../../testing/deliveries.js';
import { type MadeClaim, makeClaim } from '../../testing/factories.js';
import { type LoopbackSmtp, leafParts, parseMime, startLoopbackSmtp } from '../../testing/smtp.js';
import { createTestApp, TEST_NOW, type TestApp } from '../../testing/test-app.js';
import { ANSWER_MESSAGES, queueAnswerNotice } from './answer-notice.js';
import { type DeliveryChannel, queueDelivery } from './outbox.js';
import { runDeliveries, type SenderSettings } from './sender.js';

interface DeliveryRow {
  id: number;
  status: string;
  attempts: number;
  due_at: number;
  last_attempt_at: number | null;
  sent_at: number | null;
  failure_reason: string | null;
  token_hash: string | null;
}
interface LogRow {
  outcome: string;
  rule: string | null;
  detail: string | null;
  channel: string;
  at: number;
}

const MINUTE = 60_000;

describe('sending deliveries', () => {
  let t: TestApp;
  let smtp: LoopbackSmtp;
  let files: FileStore;
  let mailer: Mailer;

  beforeEach(async () => {
    t = await createTestApp({ seed: false });
    smtp = await startLoopbackSmtp();
    files = testFiles(t);
    mailer = smtpMailer(smtp.url, 'noreply@mediation.local', { timeoutMs: 5000 });
  });
  afterEach(async () => {
    mailer.close();
    await smtp.close();
    await t.close();
  });

  /** Queue a delivery through the outbox, as every module does; answers its id. */
  function queue(
    c: MadeClaim,
    channel: DeliveryChannel,
    opts: { documentId?: number; address?: string; message?: string } = {},
  ): number {
    const address = opts.address ?? (channel === 'email' ? c.email! : c.phone!);
    const key = `test:${crypto.randomUUID()}`;
    t.db.transaction((tx) =>
      queueDelivery(
        tx,
        t.crypto,
        {
          claimId: c.claimId,
          debtorId: c.debtorId,
          channel,
          address,
          addressMasked: channel === 'email' ? maskEmail(address) : maskPhone(address),
          documentId: opts.documentId ?? null,
          message: opts.message ?? null,
          key,
          dueAt: t.clock.now(),
        },
        t.clock.now(),
      ),
    );
    return (t.database.sqlite.prepare('select id from deliveries where idempotency_key = ?').get(key) as { id: number })
      .id;
  }
  const row = (id: number) => t.database.sqlite.prepare('select * from deliveries where id = ?').get(id) as DeliveryRow;
  const log = (id: number) =>
    t.database.sqlite
      .prepare('select outcome, rule, detail, channel, at from contact_log where delivery_id = ? order by id')
      .all(id) as LogRow[];
  const run = (settings: Partial<SenderSettings> = {}) =>
    runDeliveries(senderDeps(t, files, mailer, settings), { now: t.clock.now(), limit: 100 });

  it('mails the document through SMTP: sender, recipient, Chinese subject, Message-ID, receipt link and the PDF byte for byte', async () => {
    const c = makeClaim(t);
    const doc = insertDocument(t, files, c.claimId, 'mediation_notice');
    const id = queue(c, 'email', { documentId: doc.id });

    expect(await run()).toEqual({ processed: 1, sent: 1, retrying: 0, failed: 0, deferred: 0, refused: 0 });

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.from).toBe('noreply@mediation.local');
    expect(mail.to).toEqual([c.email]);
    const message = parseMime(mail.raw);
    expect(message.headers.get('from')).toBe('noreply@mediation.local');
    expect(message.headers.get('to')).toBe(c.email);
    expect(message.headers.get('subject')).toBe(`【泉州市鲤城区金融纠纷人民调解委员会】调解通知书（${doc.docNo}）`);
    expect(message.headers.get('message-id')).toBe(`<delivery-${id}@127.0.0.1>`);

    const [text, pdf, ...rest] = leafParts(message);
    expect(rest).toEqual([]);
    const body = text!.body.toString('utf8');
    expect(body).toContain(`泉州市鲤城区金融纠纷人民调解委员会向您送达《调解通知书》（文书编号：${doc.docNo}）`);
    const link = /http:\/\/127\.0\.0\.1:3000\/r\/([A-Za-z0-9_-]{22})/.exec(body);
    expect(link).not.toBeNull();
    expect(body).not.toMatch(/35050219900101/);
    expect(pdf!.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(pdf!.filename).toBe(`调解通知书-${doc.docNo}.pdf`);
    expect(pdf!.body.equals(doc.bytes)).toBe(true);

    const d = row(id);
    expect(d).toMatchObject({ status: 'sent', attempts: 1, sent_at: Date.parse(TEST_NOW), failure_reason: null });
    // Only the link's hash is stored.
    expect(d.token_hash).toBe(crypto.createHash('sha256').update(link![1]!).digest('hex'));
    expect(JSON.stringify(d)).not.toContain(link![1]!);
    expect(log(id)).toEqual([expect.objectContaining({ outcome: 'sent', rule: null, channel: 'email' })]);

    // A re-run never sends a delivery that was sent.
    t.clock.advance(60 * MINUTE);
    expect((await run()).processed).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('texts the document: one outbox file {to, text, at} with the title, number and link, no name or ID number', async () => {
    const c = makeClaim(t);
    const doc = insertDocument(t, files, c.claimId, 'complaint');
    const id = queue(c, 'sms', { documentId: doc.id });
    await run();

    const sent = t.smsSent();
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0]!).sort()).toEqual(['at', 'text', 'to']);
    expect(sent[0]!.to).toBe(c.phone);
    expect(sent[0]!.at).toBe(TEST_NOW);
    expect(sent[0]!.text).toMatch(
      new RegExp(
        `^【泉州市鲤城区金融纠纷人民调解委员会】您有一份《起诉状》（编号${doc.docNo.replace(/[()（）]/g, '.')}）待查收，请点击 http://127\\.0\\.0\\.1:3000/r/[A-Za-z0-9_-]{22} 查看。$`,
      ),
    );
    expect(sent[0]!.text).not.toContain('测试');
    expect(sent[0]!.text).not.toMatch(/\d{17}[\dX]/);
    expect(row(id).status).toBe('sent');
  });

  it('sends a plain message queued by another module as it is, by SMS and by mail', async () => {
    const c = makeClaim(t);
    const sms = queue(c, 'sms', { message: '您的调解会议定于11月25日上午10时在线举行。' });
    const mail = queue(c, 'email', { message: '您的调解会议定于11月25日上午10时在线举行。' });
    await run();
    expect(t.smsSent().map((m) => m.text)).toEqual(['您的调解会议定于11月25日上午10时在线举行。']);
    const message = parseMime(smtp.received[0]!.raw);
    expect(message.headers.get('subject')).toBe('【泉州市鲤城区金融纠纷人民调解委员会】通知');
    expect(message.body.toString('utf8')).toContain('您的调解会议定于11月25日上午10时在线举行。');
    expect([row(sms).status, row(mail).status]).toEqual(['sent', 'sent']);
  });

  it('quiet hours 22:00-08:00 Shanghai: sends at 21:59 and 08:00, defers at 22:00 and 07:59 until 08:00', async () => {
    const at = async (instant: string) => {
      t.clock.set(instant);
      const c = makeClaim(t);
      const id = queue(c, 'sms', { documentId: insertDocument(t, files, c.claimId).id });
      await run();
      return id;
    };
    const at2159 = await at('2026-11-20T13:59:00Z');
    expect(row(at2159).status).toBe('sent');

    const at2200 = await at('2026-11-20T14:00:00Z');
    const at0759 = await at('2026-11-20T23:59:00Z');
    for (const id of [at2200, at0759]) {
      expect(row(id)).toMatchObject({ status: 'deferred', attempts: 0, due_at: Date.parse('2026-11-21T00:00:00Z') });
      expect(row(id).failure_reason).toMatch(/^quiet_hours: quiet hours 22:00-08:00 Shanghai time/);
      expect(log(id)).toEqual([expect.objectContaining({ outcome: 'deferred', rule: 'quiet_hours' })]);
    }
    expect(t.smsSent()).toHaveLength(1);

    const at0800 = await at('2026-11-21T00:00:00Z');
    expect([at2200, at0759, at0800].map((id) => row(id).status)).toEqual(['sent', 'sent', 'sent']);
    expect(t.smsSent()).toHaveLength(4);
  });

  it('daily cap per debtor and channel: the fourth mail of the day waits until 08:00 the next day; SMS and other debtors are not held back', async () => {
    const c = makeClaim(t);
    const other = makeClaim(t);
    const mails = [1, 2, 3, 4].map(() => queue(c, 'email', { documentId: insertDocument(t, files, c.claimId).id }));
    const sms = queue(c, 'sms', { documentId: insertDocument(t, files, c.claimId).id });
    const otherMail = queue(other, 'email', { documentId: insertDocument(t, files, other.claimId).id });

    expect(await run()).toMatchObject({ processed: 6, sent: 5, deferred: 1 });
    expect(mails.map((id) => row(id).status)).toEqual(['sent', 'sent', 'sent', 'deferred']);
    expect(row(mails[3]!)).toMatchObject({
      due_at: Date.parse('2026-11-21T00:00:00Z'),
      failure_reason: 'frequency_cap: daily cap of 3 email contacts reached',
    });
    expect(log(mails[3]!)).toEqual([expect.objectContaining({ outcome: 'deferred', rule: 'frequency_cap' })]);
    expect([row(sms).status, row(otherMail).status]).toEqual(['sent', 'sent']);

    // Later the same day the cap still holds for a new mail; the next morning it goes.
    t.clock.set('2026-11-20T12:00:00Z');
    const late = queue(c, 'email', { documentId: insertDocument(t, files, c.claimId).id });
    await run();
    expect(row(late).status).toBe('deferred');
    t.clock.set('2026-11-21T00:00:00Z');
    await run();
    expect([row(mails[3]!).status, row(late).status]).toEqual(['sent', 'sent']);
    expect(smtp.received).toHaveLength(6);

    // A configured cap applies.
    t.clock.set('2026-11-22T02:00:00Z');
    const capped = [1, 2].map(() => queue(c, 'email', { documentId: insertDocument(t, files, c.claimId).id }));
    await run({ dailyCaps: { email: 1, sms: 3 } });
    expect(capped.map((id) => row(id).status)).toEqual(['sent', 'deferred']);
  });

  it('refuses to send while the claim is on hold, with the rule in the contact log, and never picks it up again', async () => {
    const c = makeClaim(t);
    const id = queue(c, 'email', { documentId: insertDocument(t, files, c.claimId).id });
    // The hold came after the delivery was queued.
    t.database.sqlite.prepare("update claims set hold = 'objection' where id = ?").run(c.claimId);

    expect(await run()).toMatchObject({ processed: 1, refused: 1 });
    expect(row(id)).toMatchObject({ status: 'refused', attempts: 0 });
    expect(row(id).failure_reason).toMatch(/^claim_on_hold: /);
    expect(log(id)).toEqual([expect.objectContaining({ outcome: 'refused', rule: 'claim_on_hold' })]);
    expect(smtp.received).toHaveLength(0);
    t.clock.advance(24 * 60 * MINUTE);
    expect((await run()).processed).toBe(0);
  });

  it("sends the answer to the debtor's own objection or hardship request while the claim is held, but no notice", async () => {
    const c = makeClaim(t, { hold: 'hardship' });
    const notice = queue(c, 'sms', { message: '请尽快联系调解员。' });
    t.db.transaction((tx) =>
      queueAnswerNotice(
        tx,
        t.crypto,
        { kind: 'objection', id: 1, claimId: c.claimId, debtorId: c.debtorId },
        t.clock.now(),
      ),
    );
    const reply = (
      t.database.sqlite
        .prepare("select id from deliveries where idempotency_key = 'objection:1:answered:sms'")
        .get() as { id: number }
    ).id;

    expect(await run()).toMatchObject({ processed: 2, refused: 1 });
    expect([row(notice).status, row(reply).status]).toEqual(['refused', 'sent']);
    expect(t.smsSent().map((m) => m.text)).toEqual([ANSWER_MESSAGES.objection]);
  });

  it("refuses an address that is not the debtor's own (a third party), and one that is not valid", async () => {
    const c = makeClaim(t);
    const thirdParty = queue(c, 'sms', { documentId: insertDocument(t, files, c.claimId).id, address: '13912345678' });
    const d = makeClaim(t, { email: 'zhang@@example.cn' });
    const invalid = queue(d, 'email', { documentId: insertDocument(t, files, d.claimId).id });

    expect(await run()).toMatchObject({ processed: 2, refused: 2 });
    expect(row(thirdParty).status).toBe('refused');
    expect(log(thirdParty)).toEqual([expect.objectContaining({ outcome: 'refused', rule: 'not_debtor_address' })]);
    expect(row(invalid).status).toBe('refused');
    expect(log(invalid)).toEqual([expect.objectContaining({ outcome: 'refused', rule: 'invalid_address' })]);
    expect(log(invalid)[0]!.detail).not.toContain('zhang@@example.cn');
    expect(t.smsSent()).toEqual([]);
    expect(smtp.received).toEqual([]);
    // The second debtor still has a valid phone: not unreachable.
    expect(t.database.sqlite.prepare('select unreachable_at from debtors where id = ?').get(d.debtorId)).toEqual({
      unreachable_at: null,
    });
  });

  for (const [mode, reason] of [
    ['refuse_rcpt', /550.*mailbox unavailable/],
    ['refuse_data', /554.*message rejected as spam/],
    ['drop', /connection closed|ECONNECTION|socket/i],
  ] as const) {
    it(`an SMTP server that ${mode === 'drop' ? 'drops the connection' : `refuses (${mode})`}: failed with the reason, retried after 1 and 5 minutes, sent once it recovers, no duplicate`, async () => {
      const c = makeClaim(t);
      const id = queue(c, 'email', { documentId: insertDocument(t, files, c.claimId).id });
      smtp.mode = mode;

      expect(await run()).toMatchObject({ processed: 1, retrying: 1 });
      expect(row(id)).toMatchObject({ status: 'retrying', attempts: 1, due_at: Date.parse(TEST_NOW) + MINUTE });
      expect(row(id).failure_reason).toMatch(reason);
      // The address the server quoted is masked in what is kept.
      expect(row(id).failure_reason).not.toContain(c.email!);

      t.clock.advance(30_000);
      expect((await run()).processed).toBe(0);
      t.clock.advance(30_000);
      await run();
      expect(row(id)).toMatchObject({ status: 'retrying', attempts: 2, due_at: t.clock.now().getTime() + 5 * MINUTE });

      smtp.mode = 'accept';
      t.clock.advance(5 * MINUTE);
      await run();
      expect(row(id)).toMatchObject({ status: 'sent', attempts: 3, failure_reason: null });
      t.clock.advance(60 * MINUTE);
      await run();
      expect(smtp.received).toHaveLength(1);
      expect(log(id).map((l) => l.outcome)).toEqual(['failed', 'failed', 'sent']);
      expect(log(id)[0]!.detail).toMatch(/^attempt 1 of 5: .*; next attempt 2026-11-20T02:01:00\.000Z$/);
    });
  }

  it('fails for good after the last attempt; a debtor whom no channel reaches is marked unreachable with a claim event', async () => {
    smtp.mode = 'refuse_rcpt';
    const mailOnly = makeClaim(t, { phone: null });
    const withPhone = makeClaim(t);
    const a = queue(mailOnly, 'email', { documentId: insertDocument(t, files, mailOnly.claimId).id });
    const b = queue(withPhone, 'email', { documentId: insertDocument(t, files, withPhone.claimId).id });

    for (const wait of [0, 1, 5]) {
      t.clock.advance(wait * MINUTE);
      await run({ maxAttempts: 3 });
    }
    for (const id of [a, b]) {
      expect(row(id)).toMatchObject({ status: 'failed', attempts: 3 });
      expect(log(id).at(-1)!.detail).toMatch(/^attempt 3 of 3: .*550.*; no more attempts$/);
    }
    const unreachable = (debtorId: number) =>
      (
        t.database.sqlite.prepare('select unreachable_at from debtors where id = ?').get(debtorId) as {
          unreachable_at: number | null;
        }
      ).unreachable_at;
    expect(unreachable(mailOnly.debtorId)).toBe(t.clock.now().getTime());
    expect(unreachable(withPhone.debtorId)).toBeNull();
    const events = t.database.sqlite
      .prepare("select claim_id, action, data from claim_events where action like 'debtor.%'")
      .all() as { claim_id: number; action: string; data: string }[];
    expect(events).toEqual([
      { claim_id: mailOnly.claimId, action: 'debtor.unreachable', data: expect.stringContaining('failed 3 times') },
    ]);

    // Nothing is picked up again.
    smtp.mode = 'accept';
    t.clock.advance(24 * 60 * MINUTE);
    expect((await run({ maxAttempts: 3 })).processed).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('after a crash mid-send: a delivery left "sending" is sent again once the timeout has passed, never before, and a sent one never', async () => {
    const c = makeClaim(t);
    const sent = queue(c, 'email', { documentId: insertDocument(t, files, c.claimId).id });
    await run();
    const crashed = queue(c, 'sms', { documentId: insertDocument(t, files, c.claimId).id });
    // What a process that stopped between the claim and the settle leaves behind.
    t.database.sqlite
      .prepare("update deliveries set status = 'sending', attempts = 1, last_attempt_at = ? where id = ?")
      .run(t.clock.now().getTime(), crashed);

    t.clock.advance(9 * MINUTE);
    expect((await run()).processed).toBe(0);
    expect(row(crashed).status).toBe('sending');

    t.clock.advance(MINUTE);
    expect(await run()).toMatchObject({ processed: 1, sent: 1 });
    expect(row(crashed)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(log(crashed).map((l) => l.outcome)).toEqual(['interrupted', 'sent']);
    expect(log(crashed)[0]!.detail).toMatch(/^attempt 1 begun 2026-11-20T02:00:00\.000Z did not finish/);
    expect(t.smsSent()).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    expect(row(sent)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a run takes at most `limit` deliveries, oldest due first, and the next run the rest', async () => {
    const c = makeClaim(t);
    const ids = [1, 2, 3].map(() => queue(c, 'sms', { documentId: insertDocument(t, files, c.claimId).id }));
    expect((await runDeliveries(senderDeps(t, files, mailer), { now: t.clock.now(), limit: 2 })).processed).toBe(2);
    expect(ids.map((id) => row(id).status)).toEqual(['sent', 'sent', 'queued']);
    expect((await runDeliveries(senderDeps(t, files, mailer), { now: t.clock.now(), limit: 2 })).processed).toBe(1);
    expect(row(ids[2]!).status).toBe('sent');
  });
});
