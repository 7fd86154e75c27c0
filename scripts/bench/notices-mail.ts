/**
 * Notice mail: messages/s that the delivery sender hands to an SMTP server on 127.0.0.1 (each a
 * document mail with a ~108 KB PDF attached, the size PERF-LIMITS.md measured for a letter), against
 * bare nodemailer sending the same message over the same kind of connection, in the same run.
 * The sender's extra work per message: the contact rules and the claim/settle transactions, reading
 * and decrypting the stored PDF, the contact-log rows.
 */
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import { smtpMailer } from '../../src/adapters/mail.js';
import { maskEmail } from '../../src/domain/email.js';
import { queueDelivery } from '../../src/modules/deliveries/outbox.js';
import { runDeliveries } from '../../src/modules/deliveries/sender.js';
import { renderMail } from '../../src/modules/deliveries/templates.js';
import { insertDocument, senderDeps, testFiles } from '../../src/testing/deliveries.js';
import { makeClaim } from '../../src/testing/factories.js';
import { startLoopbackSmtp } from '../../src/testing/smtp.js';
import { createTestApp } from '../../src/testing/test-app.js';

const COUNT = Number(process.env.BENCH_MAIL_COUNT ?? 500);
const PDF_BYTES = 108 * 1024;
const FROM = 'noreply@mediation.local';

export async function run(): Promise<void> {
  const smtp = await startLoopbackSmtp();
  smtp.keep = false;
  const t = await createTestApp({ seed: false, env: { LOG_LEVEL: 'silent' } });
  const files = testFiles(t);
  const mailer = smtpMailer(smtp.url, FROM);
  const pdf = crypto.randomBytes(PDF_BYTES);
  try {
    // One debtor, one claim and one document per message, queued as the API does.
    const queue = (n: number) => {
      for (let i = 0; i < n; i++) {
        const c = makeClaim(t);
        const doc = insertDocument(t, files, c.claimId);
        t.db.transaction((tx) =>
          queueDelivery(
            tx,
            t.crypto,
            {
              claimId: c.claimId,
              debtorId: c.debtorId,
              channel: 'email',
              address: c.email!,
              addressMasked: maskEmail(c.email!),
              documentId: doc.id,
              key: `doc:${doc.id}:email`,
              dueAt: t.clock.now(),
            },
            t.clock.now(),
          ),
        );
      }
    };
    const platform = async (n: number) => {
      queue(n);
      const t0 = performance.now();
      const summary = await runDeliveries(senderDeps(t, files, mailer), { now: t.clock.now(), limit: n });
      const seconds = (performance.now() - t0) / 1000;
      if (summary.sent !== n) throw new Error(`expected ${n} sent, got ${JSON.stringify(summary)}`);
      return seconds;
    };

    // The same message as the sender builds, sent with nodemailer directly, one connection per message.
    const url = new URL(smtp.url);
    const bare = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port),
      secure: false,
      pool: true,
      maxConnections: 1,
      maxMessages: 500,
    });
    const message = renderMail('document', {
      title: '调解通知书',
      docNo: '（2026）闽0502测0001号',
      issuer: '泉州市鲤城区金融纠纷人民调解委员会',
      debtorName: '测试',
      link: 'http://127.0.0.1:3000/r/AAAAAAAAAAAAAAAAAAAAAA',
    });
    const nodemailerOnly = async (n: number) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        await bare.sendMail({
          from: FROM,
          to: `debtor${i}@example.cn`,
          subject: message.subject,
          text: message.text,
          attachments: [
            { filename: '调解通知书-（2026）闽0502测0001号.pdf', content: pdf, contentType: 'application/pdf' },
          ],
        });
      }
      return (performance.now() - t0) / 1000;
    };

    // Warm up both paths (JIT, connections, page cache), then measure bare, platform, bare.
    await nodemailerOnly(20);
    await platform(20);
    const bare1 = await nodemailerOnly(COUNT);
    const mine = await platform(COUNT);
    const bare2 = await nodemailerOnly(COUNT);
    bare.close();
    const bareRate = COUNT / ((bare1 + bare2) / 2);
    const rate = COUNT / mine;
    console.log(`\n| path | messages | seconds | messages/s |`);
    console.log('|---|---|---|---|');
    console.log(
      `| bare nodemailer (mean of the runs before and after) | ${COUNT} | ${((bare1 + bare2) / 2).toFixed(2)} | ${bareRate.toFixed(1)} |`,
    );
    console.log(
      `| runDeliveries (rules, outbox, contact log, PDF from the encrypted store) | ${COUNT} | ${mine.toFixed(2)} | ${rate.toFixed(1)} |`,
    );
    console.log(
      `\nratio runDeliveries / bare nodemailer: ${(rate / bareRate).toFixed(2)} (messages ${smtp.count.toLocaleString('en')} received by the loopback server)`,
    );
  } finally {
    mailer.close();
    await t.close();
    await smtp.close();
  }
}
