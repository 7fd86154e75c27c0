/** Document numbers: one series per issuer, kind and year, without gaps or repeats. */
import { and, desc, gte, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { documents, type Organisation } from '../../db/schema/index.js';
import type { RegisteredKind } from '../../domain/document-kinds.js';
import { docNoPrefix, formatDocNo, MAX_SERIAL, serialOf } from '../../domain/document-number.js';
import { AppError } from '../../errors.js';

export type DocNoAllocator = ReturnType<typeof createDocNoAllocator>;

export function createDocNoAllocator() {
  // Highest serial handed out per number prefix in this process: a number prepared for a document
  // still rendering is not in the table yet, and must not be handed out twice.
  const reserved = new Map<string, number>();

  /** The next document number of the issuer for the kind this year; kept only if `reserve` is called. */
  return function allocateDocNo(tx: DbOrTx, issuer: Organisation, kind: RegisteredKind, issuedOn: string) {
    const prefix = docNoPrefix(issuer.courtCode ?? issuer.code, kind, Number(issuedOn.slice(0, 4)));
    // Serials follow the prefix as zero-padded digits, and ':' sorts right after '9'.
    const last = tx
      .select({ docNo: documents.docNo })
      .from(documents)
      .where(and(gte(documents.docNo, prefix), lt(documents.docNo, `${prefix}:`)))
      .orderBy(desc(documents.docNo))
      .limit(1)
      .get();
    const serial = Math.max(serialOf(last?.docNo ?? '', prefix), reserved.get(prefix) ?? 0) + 1;
    if (serial > MAX_SERIAL)
      throw new AppError('unavailable', `The document numbers ${prefix}… of this year are used up.`);
    return { docNo: formatDocNo(prefix, serial), reserve: () => reserved.set(prefix, serial) };
  };
}
