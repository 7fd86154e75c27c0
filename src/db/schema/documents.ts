import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisations, users } from './organisations.js';
import { claims } from './claims.js';
import { debtors } from './debtors.js';
import { id, instant } from './common.js';

/** Versions of notice templates; an organisation's own version overrides the platform default. */
export const templates = sqliteTable(
  'templates',
  {
    id: id(),
    kind: text().notNull(),
    orgId: integer().references(() => organisations.id),
    version: integer().notNull(),
    body: text().notNull(),
    createdBy: integer().references(() => users.id),
    createdAt: instant().notNull(),
  },
  (t) => [uniqueIndex('templates_kind_org_version_idx').on(t.kind, t.orgId, t.version)],
);

export const documents = sqliteTable(
  'documents',
  {
    id: id(),
    claimId: integer().notNull().references(() => claims.id),
    kind: text().notNull(),
    templateId: integer().references(() => templates.id),
    templateVersion: integer(),
    docNo: text().notNull(),
    verifyCode: text().notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    issuerOrgId: integer().references(() => organisations.id),
    createdAt: instant().notNull(),
  },
  (t) => [
    uniqueIndex('documents_doc_no_idx').on(t.docNo),
    uniqueIndex('documents_verify_code_idx').on(t.verifyCode),
    index('documents_claim_idx').on(t.claimId, t.kind),
  ],
);

export const deliveries = sqliteTable(
  'deliveries',
  {
    id: id(),
    documentId: integer().references(() => documents.id),
    claimId: integer().notNull().references(() => claims.id),
    debtorId: integer().notNull().references(() => debtors.id),
    channel: text().notNull(),
    addressMasked: text(),
    status: text().notNull(),
    attempts: integer().notNull().default(0),
    /** Outbox key: a re-run cannot queue the same delivery twice. */
    idempotencyKey: text().notNull(),
    dueAt: instant().notNull(),
    sentAt: instant(),
    openedAt: instant(),
    failureReason: text(),
    createdAt: instant().notNull(),
  },
  (t) => [uniqueIndex('deliveries_key_idx').on(t.idempotencyKey), index('deliveries_due_idx').on(t.status, t.dueAt)],
);

/** Every outbound contact attempt and its outcome, including those a conduct rule blocked. */
export const contactLog = sqliteTable(
  'contact_log',
  {
    id: id(),
    debtorId: integer().notNull().references(() => debtors.id),
    claimId: integer().references(() => claims.id),
    deliveryId: integer().references(() => deliveries.id),
    channel: text().notNull(),
    outcome: text().notNull(),
    rule: text(),
    detail: text(),
    at: instant().notNull(),
  },
  (t) => [index('contact_log_debtor_idx').on(t.debtorId, t.at)],
);
