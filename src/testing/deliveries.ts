/** Factories for delivery tests: documents with PDF-like bytes in a file store, the sender's dependencies. */
import crypto from 'node:crypto';
import path from 'node:path';
import { createFileStore, type FileStore } from '../adapters/file-store.js';
import type { Mailer } from '../adapters/mail.js';
import { outboxSms, smsOutboxDir } from '../adapters/sms.js';
import { documents } from '../db/schema/index.js';
import { type SenderDeps, type SenderSettings, senderSettings } from '../modules/deliveries/sender.js';
import type { TestApp } from './test-app.js';

/** A file store of the test's own (its own key), for documents the test creates. */
export const testFiles = (t: TestApp): FileStore =>
  createFileStore(path.join(t.dataDir, 'test-files'), crypto.randomBytes(32));

let seq = 0;

/** A document row whose file holds PDF-like bytes; answers the row's id, number and the bytes. */
export function insertDocument(
  t: TestApp,
  files: FileStore,
  claimId: number,
  kind = 'mediation_notice',
): { id: number; docNo: string; bytes: Buffer } {
  const bytes = Buffer.concat([
    Buffer.from('%PDF-1.7\n% test document\n'),
    crypto.randomBytes(4096),
    Buffer.from('\n%%EOF\n'),
  ]);
  const docNo = `（2026）闽0502测${String(++seq).padStart(4, '0')}-${crypto.randomBytes(3).toString('hex')}号`;
  const issuerOrgId = (
    t.database.sqlite.prepare('select mediation_org_id as id from claims where id = ?').get(claimId) as {
      id: number | null;
    }
  ).id;
  const version = (
    t.database.sqlite
      .prepare('select coalesce(max(version), 0) + 1 as v from documents where claim_id = ? and kind = ?')
      .get(claimId, kind) as { v: number }
  ).v;
  const row = t.db
    .insert(documents)
    .values({
      claimId,
      kind,
      version,
      docNo,
      verifyCode: crypto.randomBytes(8).toString('hex'),
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
      storageKey: files.put(bytes),
      issuerOrgId,
      createdAt: t.clock.now(),
    })
    .returning({ id: documents.id })
    .get();
  return { id: row.id, docNo, bytes };
}

/** What runDeliveries needs, over the test app's database and clock. */
export function senderDeps(
  t: TestApp,
  files: FileStore,
  mailer: Mailer,
  settings: Partial<SenderSettings> = {},
): SenderDeps {
  return {
    db: t.db,
    crypto: t.crypto,
    mailer,
    sms: outboxSms(smsOutboxDir(t.dataDir), t.clock),
    files,
    settings: { ...senderSettings(t.config), ...settings },
  };
}
