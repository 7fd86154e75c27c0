/**
 * The platform's PDF signature (PAdES baseline B: an ETSI.CAdES.detached CMS signature over the
 * whole file, added as an incremental update). The key and certificate are a PKCS#12 file: the one
 * configured (SIGNING_P12_FILE), or one generated once into DATA_DIR/signing.p12 (mode 0600) the
 * first time something is signed, as the data key is. The file is read once, when first needed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import signpdfModule from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';

// The package is CommonJS: Node's ESM hands over the module object (its `default` signs), bundlers the signer.
type SignPdf = (typeof signpdfModule)['default'];
const loaded = signpdfModule as unknown as SignPdf | { default: SignPdf };
const signpdf: SignPdf = 'default' in loaded ? loaded.default : loaded;

export interface SignatureInfo {
  /** Why it is signed; the PDF string is written as ASCII, so this must be ASCII. */
  reason: string;
  /** Where the signature can be checked (the verify page). */
  contactInfo: string;
  signingTime: Date;
}

export interface PdfSigner {
  sign(pdf: Buffer, info: SignatureInfo): Promise<Buffer>;
}

export interface SigningIdentity {
  /** The PKCS#12 file (key and certificate). */
  p12File: string;
  passphrase: string;
  /** Generate the file when it is missing (the default identity in DATA_DIR). */
  generate: boolean;
}

/** The identity settings mean: the configured file, or the generated one in the data folder. */
export function signingIdentity(cfg: {
  dataDir: string;
  signingP12File: string | null;
  signingP12Passphrase: string;
}): SigningIdentity {
  return cfg.signingP12File
    ? { p12File: cfg.signingP12File, passphrase: cfg.signingP12Passphrase, generate: false }
    : { p12File: path.join(cfg.dataDir, 'signing.p12'), passphrase: '', generate: true };
}

const CERT_YEARS = 10;

/** A self-signed signing certificate for the platform, with its RSA key, as PKCS#12. */
function generateP12(passphrase: string, now: Date): Buffer {
  // node:crypto makes the key (native, fast); forge writes the certificate, which node:crypto cannot.
  const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial: the leading 01 keeps the high bit clear.
  cert.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + CERT_YEARS * 365 * 86_400_000);
  const name = [
    { name: 'commonName', value: 'Mediation Platform Document Signing' },
    { name: 'organizationName', value: 'Batch Mediation Platform' },
    { name: 'countryName', value: 'CN' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function loadP12(id: SigningIdentity, now: Date): Buffer {
  if (id.generate) {
    fs.mkdirSync(path.dirname(id.p12File), { recursive: true });
    try {
      fs.writeFileSync(id.p12File, generateP12(id.passphrase, now), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return fs.readFileSync(id.p12File);
}

export function createPdfSigner(id: SigningIdentity, clock: { now(): Date }): PdfSigner {
  let signer: P12Signer | null = null;
  return {
    async sign(pdf, info) {
      signer ??= new P12Signer(loadP12(id, clock.now()), { passphrase: id.passphrase });
      const withPlaceholder = plainAddPlaceholder({
        pdfBuffer: pdf,
        reason: info.reason,
        contactInfo: info.contactInfo,
        name: 'Mediation Platform',
        location: 'CN',
        signingTime: info.signingTime,
        subFilter: SUBFILTER_ETSI_CADES_DETACHED,
        // A CMS with a 2048-bit key and one certificate is about 1.5 KB; this leaves room for a chain.
        signatureLength: 8192,
      });
      return signpdf.sign(withPlaceholder, signer, info.signingTime);
    },
  };
}
