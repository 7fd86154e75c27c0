/** Factories for delivery tests: documents with PDF-like bytes in a file store, demo claims to send to, the sender's dependencies. */
import crypto from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createFileStore, type FileStore } from '../adapters/file-store.js';
import type { Mailer } from '../adapters/mail.js';
import { outboxSms, smsOutboxDir } from '../adapters/sms.js';
import { claims, debtors, documents, organisations } from '../db/schema/index.js';
import { sealDebtor } from '../modules/debtors/store.js';
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

export interface MadeClaim {
  claimId: number;
  debtorId: number;
  phone: string | null;
  email: string | null;
}

/** The organisation with this code, created when the database has none (an app without demo data). */
function orgId(t: TestApp, code: string, kind: 'creditor' | 'mediation_committee' | 'court', name: string): number {
  const found = t.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.code, code)).get();
  if (found) return found.id;
  return t.db
    .insert(organisations)
    .values({ kind, code, name, ...(kind === 'court' ? { courtCode: '闽0502' } : {}), createdAt: t.clock.now() })
    .returning({ id: organisations.id })
    .get().id;
}

/**
 * A debtor of their own with one claim in people's mediation, under the demo organisations (CRED-A,
 * PMC-QZ, COURT-LC; created if missing), so that demo users see it. Phone and e-mail are given, or made up.
 */
export function makeClaim(
  t: TestApp,
  opts: { phone?: string | null; email?: string | null; hold?: 'objection' | 'hardship' | null } = {},
): MadeClaim {
  const n = ++seq;
  const now = t.clock.now();
  const phone = opts.phone === undefined ? `1390000${String(n).padStart(4, '0')}` : opts.phone;
  const email = opts.email === undefined ? `debtor${n}@example.cn` : opts.email;
  const idNumber = `35050219900101${String(n).padStart(3, '0')}X`;
  const debtor = t.db
    .insert(debtors)
    .values({
      ...sealDebtor(t.crypto, { name: `测试${n}`, idNumber, phone, email, address: null }),
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: debtors.id })
    .get();
  const claim = t.db
    .insert(claims)
    .values({
      creditorOrgId: orgId(t, 'CRED-A', 'creditor', '闽南消费金融有限公司'),
      mediationOrgId: orgId(t, 'PMC-QZ', 'mediation_committee', '泉州市鲤城区金融纠纷人民调解委员会'),
      courtOrgId: orgId(t, 'COURT-LC', 'court', '泉州市鲤城区人民法院'),
      debtorId: debtor.id,
      contractNo: `TEST-${n}-${crypto.randomBytes(3).toString('hex')}`,
      loanDate: '2025-01-10',
      dueDate: '2025-07-10',
      principalFen: 1_200_000,
      overdueSince: '2025-07-11',
      stage: 'people_mediation',
      status: 'notified',
      hold: opts.hold ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: claims.id })
    .get();
  return { claimId: claim.id, debtorId: debtor.id, phone, email };
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
