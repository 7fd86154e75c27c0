/** A document row as the API shows it, and the hash and links every document carries. */
import crypto from 'node:crypto';
import type { documents } from '../../db/schema/index.js';
import { documentTitle, isRegisteredKind, type RegisteredKind } from '../../domain/document-kinds.js';
import type { DocumentView } from './schemas.js';

export type DocumentRow = typeof documents.$inferSelect;

export const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** The public page that checks a verification code. */
export const verifyUrlOf = (publicUrl: string, code: string) => `${publicUrl}/verify/${code}`;

/** The title of a kind; a kind no longer in the rules keeps its name. */
export const kindTitle = (kind: string) => (isRegisteredKind(kind) ? documentTitle(kind) : kind);

export function documentView(row: DocumentRow, issuerName: string, publicUrl: string): DocumentView {
  return {
    id: row.id,
    claimId: row.claimId,
    kind: row.kind as RegisteredKind,
    title: kindTitle(row.kind),
    version: row.version,
    docNo: row.docNo,
    verifyCode: row.verifyCode,
    verifyUrl: verifyUrlOf(publicUrl, row.verifyCode),
    sha256: row.sha256,
    templateId: row.templateId,
    templateVersion: row.templateVersion,
    issuer: { id: row.issuerOrgId!, name: issuerName },
    createdAt: row.createdAt.toISOString(),
    servedAt: row.servedAt?.toISOString() ?? null,
    serviceMethod: row.serviceMethod,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedReason: row.revokedReason,
  };
}
