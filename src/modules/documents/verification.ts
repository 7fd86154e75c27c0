/**
 * The public check of a document: what the document a verification code belongs to is (never whom
 * it concerns), and whether uploaded bytes are exactly its registered PDF.
 */
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DB } from '../../db/open.js';
import { documents, organisations } from '../../db/schema/index.js';
import { chineseDate } from '../../domain/chinese-date.js';
import { shanghaiDate } from '../../domain/dates.js';
import type { RegisteredKind } from '../../domain/document-kinds.js';
import { AppError } from '../../errors.js';
import { kindTitle, sha256 } from './document-view.js';
import type { FileCheck, Signer, Verification } from './schemas.js';
import { normaliseVerifyCode, VERIFY_CODE_LENGTH, verifyCodeHash } from './verify-code.js';

export interface VerificationDeps {
  db: DB;
  crypto: FieldCrypto;
}

// A verify lookup that finds nothing still compares against a code of the same length.
const NO_CODE = Buffer.alloc(VERIFY_CODE_LENGTH, '#');

/** The document a verification code belongs to; one query on both paths, by a keyed hash, then a constant-time comparison. */
export function lookUpCode(deps: VerificationDeps, code: string): { verification: Verification; sha256: string } {
  const normal = normaliseVerifyCode(code);
  const row = deps.db
    .select({
      document: documents,
      issuer: organisations.name,
      // A later one of the kind for the claim, or for the settlement a settlement document states.
      superseded: sql<number>`exists (select 1 from ${documents} as later where later.kind = ${documents.kind} and later.id > ${documents.id} and (later.claim_id = ${documents.claimId} or later.settlement_id = ${documents.settlementId}))`,
    })
    .from(documents)
    .innerJoin(organisations, eq(documents.issuerOrgId, organisations.id))
    .where(eq(documents.verifyHash, verifyCodeHash(deps.crypto, normal)))
    .get();
  const given = Buffer.alloc(VERIFY_CODE_LENGTH, '#');
  given.write(normal.slice(0, VERIFY_CODE_LENGTH), 'latin1');
  const same = crypto.timingSafeEqual(row ? Buffer.from(row.document.verifyCode, 'latin1') : NO_CODE, given);
  if (!row || !same || normal.length !== VERIFY_CODE_LENGTH)
    throw new AppError(
      'not_found',
      'No document has this verification code. Check the code printed at the foot of the document.',
    );
  const d = row.document;
  const issuedOn = shanghaiDate(d.createdAt);
  const revokedOn = d.revokedAt ? shanghaiDate(d.revokedAt) : null;
  return {
    sha256: d.sha256,
    verification: {
      status: revokedOn ? 'revoked' : 'genuine',
      genuine: revokedOn === null,
      revokedOn,
      revokedOnText: revokedOn ? chineseDate(revokedOn) : null,
      kind: d.kind as RegisteredKind,
      title: kindTitle(d.kind),
      docNo: d.docNo,
      issuer: row.issuer,
      issuedOn,
      issuedOnText: chineseDate(issuedOn),
      version: d.version,
      superseded: row.superseded === 1,
      signature: d.signedAt ? { signedAt: d.signedAt.toISOString(), signers: (d.signers ?? []) as Signer[] } : null,
    },
  };
}

/** Whether uploaded bytes are exactly the registered PDF of the code's document. */
export function checkFile(deps: VerificationDeps, code: string, bytes: Buffer): FileCheck {
  const uploadedSha256 = sha256(bytes);
  const { verification, sha256: registered } = lookUpCode(deps, code);
  return {
    ...verification,
    unaltered: crypto.timingSafeEqual(Buffer.from(registered, 'hex'), Buffer.from(uploadedSha256, 'hex')),
    uploadedSha256,
  };
}
