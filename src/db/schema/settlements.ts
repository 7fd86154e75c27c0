import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { flag, id, instant } from './common.js';
import { debtors } from './debtors.js';
import { users } from './organisations.js';
import { mediationSessions } from './sessions.js';

export const settlements = sqliteTable('settlements', {
  id: id(),
  sessionId: integer().references(() => mediationSessions.id),
  /** The session frame (seq) of the proposal both parties accepted. */
  proposalSeq: integer(),
  debtorId: integer()
    .notNull()
    .references(() => debtors.id),
  kind: text().notNull(),
  totalFen: integer().notNull(),
  hardship: flag().notNull().default(false),
  status: text().notNull(),
  agreedAt: instant(),
  createdAt: instant().notNull(),
});

export const settlementClaims = sqliteTable(
  'settlement_claims',
  {
    settlementId: integer()
      .notNull()
      .references(() => settlements.id),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
  },
  (t) => [primaryKey({ columns: [t.settlementId, t.claimId] })],
);

export const instalments = sqliteTable(
  'instalments',
  {
    id: id(),
    settlementId: integer()
      .notNull()
      .references(() => settlements.id),
    seq: integer().notNull(),
    dueDate: text().notNull(),
    amountFen: integer().notNull(),
    paidFen: integer().notNull().default(0),
    status: text().notNull(),
  },
  (t) => [index('instalments_settlement_idx').on(t.settlementId, t.seq)],
);

export const payments = sqliteTable(
  'payments',
  {
    id: id(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    settlementId: integer().references(() => settlements.id),
    amountFen: integer().notNull(),
    paidOn: text().notNull(),
    reference: text(),
    recordedBy: integer().references(() => users.id),
    createdAt: instant().notNull(),
  },
  (t) => [index('payments_claim_idx').on(t.claimId)],
);
