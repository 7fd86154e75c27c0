/**
 * Field-level encryption of personal data (AES-256-GCM) and keyed hashes (HMAC-SHA256) for lookup
 * and deduplication without decrypting. Both keys derive from one data key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Deterministic keyed hash of a normalised value; `purpose` separates e.g. ID numbers from phones. */
  hash(purpose: string, value: string): string;
}

const VERSION = 'v1';

export function createFieldCrypto(dataKey: Buffer): FieldCrypto {
  if (dataKey.length !== 32) throw new Error('The data key must be 32 bytes.');
  const encKey = Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), 'field-encryption', 32));
  const macKey = Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), 'lookup-hash', 32));
  // IVs come from a pool refilled 512 at a time: one random read per IV costs about as much as the
  // encryption itself when a batch seals hundreds of thousands of values.
  let pool = Buffer.alloc(0);
  let offset = 0;
  const nextIv = () => {
    if (offset + 12 > pool.length) {
      pool = crypto.randomBytes(12 * 512);
      offset = 0;
    }
    offset += 12;
    return pool.subarray(offset - 12, offset);
  };
  return {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      // GCM is a stream mode: final() only computes the tag and adds no bytes to the body.
      const body = cipher.update(plain, 'utf8');
      cipher.final();
      return `${VERSION}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not a sealed value.');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    hash(purpose, value) {
      return crypto.createHmac('sha256', macKey).update(`${purpose}\u0000${value}`).digest('hex');
    },
  };
}

/**
 * The data key from DATA_KEY, or from `<dataDir>/data.key`, generated there once with mode 0600.
 * Losing this file makes the stored personal data unreadable: back it up apart from the database.
 */
export function loadDataKey(dataDir: string, fromEnv: string | null): Buffer {
  if (fromEnv) return Buffer.from(fromEnv, 'base64');
  const file = path.join(dataDir, 'data.key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
  return key;
}
