import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { flag, id, instant } from './common.js';
import { debtors } from './debtors.js';
import { apiKeys, organisations, users } from './organisations.js';
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
    /** Interest and penalty a granted hardship relief waived on this claim when it was agreed (0 if none covered it). */
    reliefFen: integer().notNull().default(0),
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
  // The breach sweep reads unpaid instalments by due date (issue 17's job calls breachAfterGrace).
  (t) => [
    index('instalments_settlement_idx').on(t.settlementId, t.seq),
    index('instalments_status_due_idx').on(t.status, t.dueDate),
  ],
);

export const PAYMENT_STATUSES = ['confirmed', 'reported', 'disputed'] as const;
export const PAYMENT_SOURCES = ['creditor', 'import', 'debtor'] as const;

/** A repayment file a creditor imported: its counts; the rejected rows are in payment_import_errors. */
export const paymentImports = sqliteTable('payment_imports', {
  id: id(),
  creditorOrgId: integer()
    .notNull()
    .references(() => organisations.id),
  fileName: text(),
  fileSha256: text().notNull(),
  total: integer().notNull().default(0),
  recorded: integer().notNull().default(0),
  duplicates: integer().notNull().default(0),
  rejected: integer().notNull().default(0),
  overpaid: integer().notNull().default(0),
  createdBy: integer().references(() => users.id),
  createdAt: instant().notNull(),
});

/** One rejected row of a repayment file. */
export const paymentImportErrors = sqliteTable(
  'payment_import_errors',
  {
    id: id(),
    importId: integer()
      .notNull()
      .references(() => paymentImports.id),
    rowNo: integer().notNull(),
    column: text(),
    code: text().notNull(),
    message: text().notNull(),
    valueMasked: text(),
  },
  (t) => [index('payment_import_errors_import_idx').on(t.importId, t.rowNo)],
);

/**
 * Money received on a claim. A creditor's record is confirmed at once; a debtor's "I paid" waits as
 * `reported` until the creditor confirms (then it is allocated) or disputes it. Allocation per Civil
 * Code art. 561 is kept in the columns below; what exceeded the amount owed is `overpaidFen`.
 */
export const payments = sqliteTable(
  'payments',
  {
    id: id(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    settlementId: integer().references(() => settlements.id),
    // Always set; nullable only because SQLite cannot add a NOT NULL column to an existing table.
    creditorOrgId: integer().references(() => organisations.id),
    amountFen: integer().notNull(),
    paidOn: text().notNull(),
    /** The creditor's (or debtor's) reference for the payment: unique per creditor, so a resend is idempotent. */
    reference: text(),
    channel: text(),
    status: text({ enum: PAYMENT_STATUSES }).notNull().default('confirmed'),
    source: text({ enum: PAYMENT_SOURCES }).notNull().default('creditor'),
    costsFen: integer().notNull().default(0),
    interestFen: integer().notNull().default(0),
    principalFen: integer().notNull().default(0),
    overpaidFen: integer().notNull().default(0),
    /** The instalments this payment covered: [{instalmentId, fen}]. */
    instalmentParts: text({ mode: 'json' }).$type<{ instalmentId: number; fen: number }[]>(),
    /** The debtor's own words with a reported payment (the bank, the transaction number). */
    note: text(),
    disputeReason: text(),
    importId: integer().references(() => paymentImports.id),
    recordedBy: integer().references(() => users.id),
    recordedByApiKey: integer().references(() => apiKeys.id),
    decidedAt: instant(),
    createdAt: instant().notNull(),
  },
  (t) => [
    index('payments_claim_idx').on(t.claimId),
    uniqueIndex('payments_creditor_reference_idx').on(t.creditorOrgId, t.reference),
    index('payments_creditor_status_idx').on(t.creditorOrgId, t.status),
  ],
);

export type Payment = typeof payments.$inferSelect;
export type Settlement = typeof settlements.$inferSelect;
export type Instalment = typeof instalments.$inferSelect;
