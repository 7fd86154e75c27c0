import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { flag, id, instant } from './common.js';
import { apiKeys, organisations, users } from './organisations.js';

export const BATCH_STATUSES = ['receiving', 'validating', 'committing', 'committed', 'failed'] as const;

export const batches = sqliteTable(
  'batches',
  {
    id: id(),
    creditorOrgId: integer()
      .notNull()
      .references(() => organisations.id),
    /** The creditor's own reference for the file; unique per creditor among batches that did not fail. */
    reference: text(),
    fileName: text(),
    fileSha256: text(),
    format: text(),
    status: text({ enum: BATCH_STATUSES }).notNull(),
    strict: flag().notNull().default(false),
    total: integer().notNull().default(0),
    accepted: integer().notNull().default(0),
    rejected: integer().notNull().default(0),
    /** Rows whose claim the creditor already has, from an earlier batch: not imported again. */
    skipped: integer().notNull().default(0),
    /** Screening outcomes of the accepted claims, e.g. {eligible: 950, flagged: 12}. */
    screening: text({ mode: 'json' }).$type<Record<string, number>>(),
    charset: text(),
    sheet: text(),
    errorsByCode: text({ mode: 'json' }).$type<Record<string, number>>(),
    warnings: text({ mode: 'json' }).$type<string[]>(),
    policy: text({ mode: 'json' }),
    mediationOrgId: integer().references(() => organisations.id),
    createdByUserId: integer().references(() => users.id),
    createdByApiKeyId: integer().references(() => apiKeys.id),
    failureDetail: text(),
    /**
     * The process writing a `committing` batch and when it last wrote: the batch's chunks are in the
     * real tables but seen by nobody until it flips the batch, and a batch whose writer is gone (its
     * process ended, or silent for long) is discarded on start and by the importer's sweep.
     */
    importerPid: integer(),
    heartbeatAt: instant(),
    /** A dry run writes like an import and is discarded at its end; it is never listed. */
    dryRun: flag().notNull().default(false),
    createdAt: instant().notNull(),
    finishedAt: instant(),
  },
  // A failed batch holds neither its file nor its reference: the creditor sends them again.
  (t) => [
    uniqueIndex('batches_creditor_sha_idx').on(t.creditorOrgId, t.fileSha256).where(sql`status <> 'failed'`),
    uniqueIndex('batches_creditor_reference_idx').on(t.creditorOrgId, t.reference).where(sql`status <> 'failed'`),
    index('batches_creditor_idx').on(t.creditorOrgId, t.id),
  ],
);

/** One line of a batch's error report: a rejected row, the column and why. */
export const batchRowErrors = sqliteTable(
  'batch_row_errors',
  {
    id: id(),
    batchId: integer()
      .notNull()
      .references(() => batches.id),
    rowNo: integer().notNull(),
    column: text(),
    code: text().notNull(),
    message: text().notNull(),
    /** The original value with personal data masked. */
    valueMasked: text(),
  },
  (t) => [index('batch_row_errors_batch_idx').on(t.batchId, t.rowNo)],
);

/**
 * A known debtor's contact details from a committing batch: applied when the batch flips, so a batch
 * that never completes changes no one's details. The last row of the batch wins, as on a direct update.
 */
export const importDebtorUpdates = sqliteTable(
  'import_debtor_updates',
  {
    batchId: integer()
      .notNull()
      .references(() => batches.id),
    debtorId: integer().notNull(),
    name: text().notNull(),
    phoneEnc: text(),
    phoneHash: text(),
    addressEnc: text(),
    emailEnc: text(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.debtorId] })],
);

/** A claim the creditor sent back corrected in a committing batch: the row, applied when the batch flips. */
export const importCorrections = sqliteTable(
  'import_corrections',
  {
    batchId: integer()
      .notNull()
      .references(() => batches.id),
    claimId: integer().notNull(),
    /** The staged row (protocol.ts StagedRow) as JSON. */
    row: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.claimId] })],
);

export type Batch = typeof batches.$inferSelect;
