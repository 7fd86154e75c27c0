/** Opaque bearer tokens and API keys: random secrets shown once, stored only as SHA-256 hashes. */
import crypto from 'node:crypto';

export const newToken = (): string => crypto.randomBytes(32).toString('base64url');
export const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

/** `lmp_<prefix>_<secret>`: the prefix finds the row, the hash of the whole key proves it. */
export function newApiKey(): { key: string; prefix: string } {
  const prefix = crypto.randomBytes(6).toString('hex');
  return { key: `lmp_${prefix}_${crypto.randomBytes(24).toString('base64url')}`, prefix };
}

export function apiKeyPrefix(key: string): string | null {
  const m = /^lmp_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/.exec(key);
  return m ? m[1]! : null;
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
