/**
 * Access codes printed on mediation notices. A debtor signs in to the portal with one and the last
 * six characters of their ID number. Codes are stored only as keyed hashes; issuing a new one for a
 * claim revokes the old, so a lost notice stops working.
 */
import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import { accessCodes } from '../../db/schema/index.js';

// No 0/O, 1/I/L: the code is read off paper and typed on a phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 8;

/** Upper-case, without spaces or dashes: what people type is compared in this form. */
export const normaliseAccessCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

export const accessCodeHash = (fieldCrypto: FieldCrypto, code: string) =>
  fieldCrypto.hash('access_code', normaliseAccessCode(code));

/** A fresh code for the claim, e.g. `K7M4-Q9TX`; earlier codes of the claim stop working. */
export function issueAccessCode(tx: DbOrTx, fieldCrypto: FieldCrypto, claimId: number, now: Date): string {
  const bytes = crypto.randomBytes(LENGTH);
  const raw = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
  tx.update(accessCodes)
    .set({ revokedAt: now })
    .where(and(eq(accessCodes.claimId, claimId), isNull(accessCodes.revokedAt)))
    .run();
  tx.insert(accessCodes)
    .values({ claimId, codeHash: accessCodeHash(fieldCrypto, raw), createdAt: now })
    .run();
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}
