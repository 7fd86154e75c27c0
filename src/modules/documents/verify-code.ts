/**
 * Verification codes printed on documents: 10 random characters of Crockford's base32 (50 bits), so
 * guessing one is hopeless. The verify page finds a document by a keyed hash of the code, so the
 * lookup's timing says nothing about how close a guess came.
 */
import crypto from 'node:crypto';
import type { FieldCrypto } from '../../adapters/field-crypto.js';

// Crockford's base32: no I, L, O or U, which are read wrongly off paper.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VERIFY_CODE_LENGTH = 10;

export function newVerifyCode(): string {
  // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
  return Array.from(crypto.randomBytes(VERIFY_CODE_LENGTH), (b) => ALPHABET[b & 31]).join('');
}

/** What people type, in the printed form: upper case, no spaces or dashes, O read as 0 and I, L as 1. */
export function normaliseVerifyCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export const verifyCodeHash = (fieldCrypto: FieldCrypto, code: string) =>
  fieldCrypto.hash('verify_code', normaliseVerifyCode(code));
