import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from './organisations.js';
import { claims } from './claims.js';
import { debtors } from './debtors.js';
import { id, instant } from './common.js';

export const objections = sqliteTable(
  'objections',
  {
    id: id(),
    claimId: integer().notNull().references(() => claims.id),
    debtorId: integer().notNull().references(() => debtors.id),
    category: text().notNull(),
    statement: text().notNull(),
    status: text().notNull(),
    replyDue: text(),
    outcome: text(),
    reasons: text(),
    decidedBy: integer().references(() => users.id),
    decidedAt: instant(),
    createdAt: instant().notNull(),
  },
  (t) => [index('objections_claim_idx').on(t.claimId), index('objections_status_idx').on(t.status)],
);

/** Uploaded evidence, stored outside any served folder under a random key. */
export const attachments = sqliteTable(
  'attachments',
  {
    id: id(),
    ownerKind: text().notNull(),
    ownerId: integer().notNull(),
    fileName: text().notNull(),
    mime: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    createdAt: instant().notNull(),
  },
  (t) => [index('attachments_owner_idx').on(t.ownerKind, t.ownerId)],
);
