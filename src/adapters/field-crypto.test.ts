import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFieldCrypto, loadDataKey } from './field-crypto.js';

describe('field crypto', () => {
  const fc = createFieldCrypto(crypto.randomBytes(32));

  it('round-trips and never produces the same ciphertext twice', () => {
    const a = fc.encrypt('11010519491231002X');
    expect(a).not.toBe(fc.encrypt('11010519491231002X'));
    expect(fc.decrypt(a)).toBe('11010519491231002X');
  });

  it('detects tampering', () => {
    const [v, iv, tag, body] = fc.encrypt('13800138000').split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => fc.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });

  it('hashes deterministically per purpose and per key', () => {
    expect(fc.hash('phone', '13800138000')).toBe(fc.hash('phone', '13800138000'));
    expect(fc.hash('phone', '13800138000')).not.toBe(fc.hash('id_number', '13800138000'));
    expect(createFieldCrypto(crypto.randomBytes(32)).hash('phone', '13800138000')).not.toBe(
      fc.hash('phone', '13800138000'),
    );
  });

  it('generates the key once into the data folder with mode 0600 and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-key-'));
    const first = loadDataKey(dir, null);
    expect(first).toHaveLength(32);
    expect(fs.statSync(path.join(dir, 'data.key')).mode & 0o777).toBe(0o600);
    expect(loadDataKey(dir, null).equals(first)).toBe(true);
    const fromEnv = crypto.randomBytes(32);
    expect(loadDataKey(dir, fromEnv.toString('base64')).equals(fromEnv)).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });
});
