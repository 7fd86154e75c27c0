/**
 * Evidence files: bytes go to the encrypted file store (random names, outside any served folder)
 * before the transaction; the rows that point to them are written inside it. A transaction that
 * fails removes the files it would have referenced.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { FileStore } from '../../adapters/file-store.js';
import type { DbOrTx } from '../../db/open.js';
import { attachments } from '../../db/schema/index.js';

/** What a file is evidence for; a payment's file is the receipt the debtor sent with it. */
export type AttachmentOwner = 'objection' | 'hardship_request' | 'payment';

/** A checked upload: accepted type by its bytes, a name that may be kept. */
export interface EvidenceFile {
  fileName: string;
  mime: string;
  bytes: Buffer;
  sha256: string;
}

export interface StoredFile extends Omit<EvidenceFile, 'bytes'> {
  size: number;
  storageKey: string;
}

export interface AttachmentView {
  id: number;
  fileName: string;
  mime: string;
  size: number;
}

/**
 * Store the files, then run `write` with them; if `write` throws, the stored files are removed again.
 * `write` is where the caller's transaction runs.
 */
export function withStoredFiles<T>(store: FileStore, files: EvidenceFile[], write: (stored: StoredFile[]) => T): T {
  const stored: StoredFile[] = [];
  try {
    for (const f of files)
      stored.push({
        fileName: f.fileName,
        mime: f.mime,
        sha256: f.sha256,
        size: f.bytes.length,
        storageKey: store.put(f.bytes),
      });
    return write(stored);
  } catch (err) {
    for (const s of stored) store.remove(s.storageKey);
    throw err;
  }
}

export function insertAttachments(
  tx: DbOrTx,
  ownerKind: AttachmentOwner,
  ownerId: number,
  stored: StoredFile[],
  now: Date,
): void {
  for (const s of stored)
    tx.insert(attachments)
      .values({ ownerKind, ownerId, ...s, createdAt: now })
      .run();
}

/** The attachments of several owners of one kind, by owner id. */
export function attachmentsByOwner(
  tx: DbOrTx,
  ownerKind: AttachmentOwner,
  ownerIds: number[],
): Map<number, AttachmentView[]> {
  const out = new Map<number, AttachmentView[]>();
  if (ownerIds.length === 0) return out;
  const rows = tx
    .select({
      ownerId: attachments.ownerId,
      id: attachments.id,
      fileName: attachments.fileName,
      mime: attachments.mime,
      size: attachments.size,
    })
    .from(attachments)
    .where(and(eq(attachments.ownerKind, ownerKind), inArray(attachments.ownerId, ownerIds)))
    .orderBy(attachments.id)
    .all();
  for (const { ownerId, ...view } of rows) out.set(ownerId, [...(out.get(ownerId) ?? []), view]);
  return out;
}
