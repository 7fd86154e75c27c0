/** Test helpers for the debtor portal: signing a debtor in the way a debtor does, and evidence forms. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { smsOutboxDir } from '../adapters/sms.js';
import type { TestApp } from './test-app.js';

/** A 1×1 PNG, the smallest real image; JPEG and PDF heads for the other accepted types. */
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const JPEG_BYTES = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\u0000'),
  Buffer.alloc(32),
]);
export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

/** The last six characters of the ID number of a claim's debtor, read as the debtor knows them. */
export function idSuffixOf(t: TestApp, claimId: number): string {
  const row = t.database.sqlite
    .prepare('select d.id_number_enc as enc from claims c join debtors d on d.id = c.debtor_id where c.id = ?')
    .get(claimId) as { enc: string };
  return t.crypto.decrypt(row.enc).slice(-6);
}

export interface SentSms {
  to: string;
  text: string;
  at: string;
}

/**
 * Run `send` and answer the text messages it wrote to the SMS outbox. Found by file rather than by
 * order: under the fixed test clock, file names do not order messages.
 */
export async function textedBy<T>(t: TestApp, send: () => Promise<T>): Promise<{ result: T; texts: SentSms[] }> {
  const dir = smsOutboxDir(t.dataDir);
  const list = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : []);
  const before = new Set(list());
  const result = await send();
  const texts = list()
    .filter((f) => !before.has(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SentSms);
  return { result, texts };
}

/** The six-digit code in a one-time-code message. */
export function otpOf(texts: SentSms[]): string {
  if (texts.length !== 1) throw new Error(`expected one SMS, got ${texts.length}`);
  const m = /(\d{6})/.exec(texts[0]!.text);
  if (!m) throw new Error(`no one-time code in: ${texts[0]!.text}`);
  return m[1]!;
}

/** Issue an access code for the claim as a staff member (mediator1 by default). */
export async function issueAccessCode(t: TestApp, claimId: number, staff = 'mediator1'): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/claims/${claimId}/access-code`,
    headers: await t.as(staff),
  });
  if (res.statusCode !== 201) throw new Error(`access code for claim ${claimId}: ${res.statusCode} ${res.body}`);
  return (res.json() as { accessCode: string }).accessCode;
}

/** Sign the claim's debtor in through the portal: access code, ID suffix, then the SMS code. */
export async function signInDebtor(
  t: TestApp,
  claimId: number,
  opts: { ip?: string } = {},
): Promise<{ authorization: string }> {
  const remoteAddress = opts.ip ?? `10.9.${claimId % 250}.${crypto.randomInt(1, 250)}`;
  const accessCode = await issueAccessCode(t, claimId);
  const { result: login, texts } = await textedBy(t, () =>
    t.app.inject({
      method: 'POST',
      url: '/api/debtor/login',
      remoteAddress,
      payload: { accessCode, idSuffix: idSuffixOf(t, claimId) },
    }),
  );
  if (login.statusCode !== 200) throw new Error(`debtor login: ${login.statusCode} ${login.body}`);
  const verify = await t.app.inject({
    method: 'POST',
    url: '/api/debtor/verify',
    remoteAddress,
    payload: { challengeId: login.json().challengeId, code: otpOf(texts) },
  });
  if (verify.statusCode !== 200) throw new Error(`debtor verify: ${verify.statusCode} ${verify.body}`);
  return { authorization: `Bearer ${verify.json().token}` };
}

export interface FormFile {
  filename: string;
  content: Buffer;
  type?: string;
  field?: string;
}

/** A multipart/form-data body with any number of fields (repeats allowed) and files, every byte as given. */
export function evidenceForm(fields: [string, string][], files: FormFile[] = []) {
  const boundary = `----lmp${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'files'}"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
    );
    parts.push(f.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
