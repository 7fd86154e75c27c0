/**
 * Text messages go through a channel. The default driver is an outbox: one JSON file per message,
 * `{to, text, at}`, under DATA_DIR/outbox/sms, for an SMS gateway's uploader or a person to pick up.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from './clock.js';

export interface SmsMessage {
  to: string;
  text: string;
}

export interface SmsChannel {
  send(message: SmsMessage): Promise<{ id: string }>;
}

export function outboxSms(dir: string, clock: Clock): SmsChannel {
  return {
    async send({ to, text }) {
      if (!/^1[3-9]\d{9}$/.test(to)) throw new Error('An SMS can only go to a mainland mobile number.');
      const at = clock.now().toISOString();
      const id = `${at.replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}`;
      fs.mkdirSync(dir, { recursive: true });
      // Written whole under a temporary name, then renamed: a reader never sees half a message.
      const file = path.join(dir, `${id}.json`);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify({ to, text, at }));
      fs.renameSync(`${file}.tmp`, file);
      return { id };
    },
  };
}

export const smsOutboxDir = (dataDir: string) => path.join(dataDir, 'outbox', 'sms');
