import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, describe, expect, it } from 'vitest';
import { pdfSignatures } from '../testing/poppler.js';
import { fixedClock } from './clock.js';
import { createPdfSigner, signingIdentity } from './pdf-signer.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-signer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function onePagePdf(): Promise<Buffer> {
  const doc = new PDFDocument({ info: { CreationDate: new Date('2026-11-20T02:00:00Z') } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  doc.text('Mediation agreement');
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

const info = {
  reason: 'Confirmed by both parties',
  contactInfo: 'https://mediation.example.cn/verify/ABCDE12345',
  signingTime: new Date('2026-11-20T02:00:00Z'),
};

describe('the platform PDF signer', () => {
  it('generates its key into the data folder once and signs a PDF that poppler finds valid and whole', async () => {
    const clock = fixedClock('2026-11-20T02:00:00.000Z');
    const id = signingIdentity({ dataDir: dir, signingP12File: null, signingP12Passphrase: '' });
    const pdf = await onePagePdf();
    const signed = await createPdfSigner(id, clock).sign(pdf, info);
    expect(fs.statSync(path.join(dir, 'signing.p12')).mode & 0o777).toBe(0o600);
    // The signature is an incremental update: the registered bytes come first, unchanged.
    expect(Buffer.compare(signed.subarray(0, pdf.length - 1), pdf.subarray(0, pdf.length - 1))).toBe(0);
    const [sig] = pdfSignatures(signed);
    expect(sig).toMatchObject({
      'Signature Type': 'ETSI.CAdES.detached',
      'Signing Hash Algorithm': 'SHA-256',
      'Total document signed': 'yes',
      'Signature Validation': 'Signature is Valid.',
      'Signer Certificate Common Name': 'Mediation Platform Document Signing',
    });

    // A second signer (the next start) uses the same certificate; a changed byte breaks the signature.
    const again = await createPdfSigner(id, clock).sign(pdf, info);
    expect(pdfSignatures(again)[0]!['Signer full Distinguished Name']).toBe(sig!['Signer full Distinguished Name']);
    const tampered = Buffer.from(signed);
    // The creation date in the document information, inside the signed range: 2026 becomes 2027.
    const at = tampered.indexOf('(D:2026');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(pdf.length);
    tampered.write('(D:2027', at, 'latin1');
    const broken = pdfSignatures(tampered)[0];
    expect(broken?.['Signature Validation']).not.toBe('Signature is Valid.');
  });
});
