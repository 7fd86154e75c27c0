/**
 * Files the platform keeps (generated documents, uploaded evidence) live under DATA_DIR/files, outside
 * any served folder, under random names, encrypted with AES-256-GCM: they hold personal data.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface FileStore {
  /** Store bytes; answers the key to find them again. */
  put(data: Buffer): string;
  get(key: string): Buffer;
  remove(key: string): void;
}

const KEY_PATTERN = /^[0-9a-f]{2}\/[0-9a-f]{32}$/;

export function createFileStore(dir: string, dataKey: Buffer): FileStore {
  const key = Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), 'file-encryption', 32));
  const fileOf = (k: string) => {
    if (!KEY_PATTERN.test(k)) throw new Error('Not a file key.');
    return path.join(dir, k);
  };
  return {
    put(data) {
      const name = crypto.randomBytes(16).toString('hex');
      const k = `${name.slice(0, 2)}/${name}`;
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(data), cipher.final()]);
      const file = fileOf(k);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, Buffer.concat([iv, cipher.getAuthTag(), body]), { mode: 0o600 });
      return k;
    },
    get(k) {
      const raw = fs.readFileSync(fileOf(k));
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    },
    remove(k) {
      fs.rmSync(fileOf(k), { force: true });
    },
  };
}
