/**
 * Outbound mail through nodemailer: to SMTP_URL when it is set, otherwise as .eml files in an outbox
 * folder (DATA_DIR/outbox/mail), so a fresh install sends nothing anywhere and every message can be read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  headers?: Record<string, string>;
}

export interface MailResult {
  messageId: string;
  /** Where an outbox driver wrote the message, for operators. */
  file?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<MailResult>;
  close(): void;
}

/** Mail to an SMTP server: `smtp://user:pass@host:port` (or smtps://). */
export function smtpMailer(url: string, from: string, opts: { timeoutMs?: number } = {}): Mailer {
  const timeout = opts.timeoutMs ?? 15_000;
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: u.hostname,
    port: Number(u.port) || (secure ? 465 : 587),
    secure,
    // One connection reused for a run of notices: a new one per message pays the greeting (servers
    // delay it on purpose, smtp-server by 100 ms) and the TLS handshake every time.
    pool: true,
    maxConnections: 1,
    maxMessages: 500,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // A loopback or private relay may use a self-signed certificate; ?tls=insecure says so explicitly.
    tls: u.searchParams.get('tls') === 'insecure' ? { rejectUnauthorized: false } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(m) {
      const info = await transport.sendMail({ from, ...m });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

/** Mail written as .eml files, one per message. */
export function outboxMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(m) {
      const info = await transport.sendMail({ from, ...m });
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(
        dir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`,
      );
      fs.writeFileSync(file, info.message as Buffer);
      return { messageId: info.messageId, file };
    },
    close: () => transport.close(),
  };
}

export function createMailer(config: { smtpUrl: string | null; mailFrom: string; dataDir: string }): Mailer {
  return config.smtpUrl
    ? smtpMailer(config.smtpUrl, config.mailFrom)
    : outboxMailer(path.join(config.dataDir, 'outbox', 'mail'), config.mailFrom);
}
