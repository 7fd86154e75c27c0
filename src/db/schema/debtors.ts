import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { id, instant } from './common.js';

/**
 * A natural person who owes. Identity number, phone, address and email are encrypted (AES-256-GCM);
 * the keyed hashes find and deduplicate debtors without decrypting.
 */
export const debtors = sqliteTable(
  'debtors',
  {
    id: id(),
    name: text().notNull(),
    idNumberEnc: text().notNull(),
    idNumberHash: text().notNull(),
    phoneEnc: text(),
    phoneHash: text(),
    addressEnc: text(),
    emailEnc: text(),
    /** Set when no channel reaches the debtor; court documents may then be served by public notice. */
    unreachableAt: instant(),
    createdAt: instant().notNull(),
    updatedAt: instant().notNull(),
  },
  // The ID-number hash finds and deduplicates a debtor; nothing looks a debtor up by phone, and the
  // name is searched by part (LIKE '%…%'), which no index serves.
  (t) => [uniqueIndex('debtors_id_number_hash_idx').on(t.idNumberHash)],
);

export type Debtor = typeof debtors.$inferSelect;
