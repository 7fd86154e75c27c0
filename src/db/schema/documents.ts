import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { id, instant } from './common.js';
import { debtors } from './debtors.js';
import { organisations, users } from './organisations.js';
import { settlements } from './settlements.js';

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
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    kind: text().notNull(),
    /**
     * A mediation agreement states one settlement over all its contracts (issue 15 item 3): it is the
     * document of every claim of that settlement, `claimId` being the claim it was first asked for.
     */
    settlementId: integer().references(() => settlements.id),
    templateId: integer().references(() => templates.id),
    templateVersion: integer(),
    /** Regenerating a kind for a claim on request makes a new version; the old one stays as evidence. */
    version: integer().notNull().default(1),
    docNo: text().notNull(),
    verifyCode: text().notNull(),
    /** Keyed hash of the verification code: the public verify page looks documents up by it. */
    verifyHash: text(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    issuerOrgId: integer().references(() => organisations.id),
    /** How and when service was complete: electronic (the debtor opened it) or public notice (deemed). */
    serviceMethod: text(),
    servedAt: instant(),
    publicNoticeOn: text(),
    deemedServedOn: text(),
    /** A revoked document no longer states what is true; /verify answers revoked with the date. */
    revokedAt: instant(),
    revokedReason: text(),
    /**
     * Set when the platform signed the PDF (a mediation agreement both parties confirmed): the file and
     * sha256 above are then the signed one, this the hash of the file as first registered.
     */
    signedAt: instant(),
    unsignedSha256: text(),
    /** Who confirmed before it was signed: [{role, name, method, confirmedAt}], free of personal data. */
    signers: text({ mode: 'json' }),
    createdAt: instant().notNull(),
  },
  (t) => [
    uniqueIndex('documents_doc_no_idx').on(t.docNo),
    uniqueIndex('documents_claim_kind_version_idx').on(t.claimId, t.kind, t.version),
    uniqueIndex('documents_verify_code_idx').on(t.verifyCode),
    uniqueIndex('documents_verify_hash_idx').on(t.verifyHash),
    index('documents_claim_idx').on(t.claimId, t.kind),
    index('documents_settlement_idx').on(t.settlementId, t.kind),
  ],
);

export const deliveries = sqliteTable(
  'deliveries',
  {
    id: id(),
    documentId: integer().references(() => documents.id),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    debtorId: integer()
      .notNull()
      .references(() => debtors.id),
    channel: text().notNull(),
    /** The address sent to, sealed; the masked form is what people see. */
    addressEnc: text(),
    addressMasked: text(),
    /** For a message without a document (a notification, a reminder): its text, free of personal data. */
    message: text(),
    /** `notice` (the platform reaching out) or `reply` (an answer to something the debtor filed, which a hold does not stop). */
    purpose: text().notNull().default('notice'),
    status: text().notNull(),
    attempts: integer().notNull().default(0),
    /** Outbox key: a re-run cannot queue the same delivery twice. */
    idempotencyKey: text().notNull(),
    dueAt: instant().notNull(),
    lastAttemptAt: instant(),
    sentAt: instant(),
    openedAt: instant(),
    failureReason: text(),
    /** SHA-256 of the receipt token in the link sent (`/r/<token>`); the token itself is never stored. */
    tokenHash: text(),
    createdAt: instant().notNull(),
  },
  (t) => [
    uniqueIndex('deliveries_key_idx').on(t.idempotencyKey),
    index('deliveries_due_idx').on(t.status, t.dueAt),
    uniqueIndex('deliveries_token_hash_idx').on(t.tokenHash),
    index('deliveries_document_idx').on(t.documentId),
    index('deliveries_claim_idx').on(t.claimId),
  ],
);

/** Every outbound contact attempt and its outcome, including those a conduct rule blocked. */
export const contactLog = sqliteTable(
  'contact_log',
  {
    id: id(),
    debtorId: integer()
      .notNull()
      .references(() => debtors.id),
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

/** A request to generate one kind of document for many claims, with per-claim results. */
export const documentJobs = sqliteTable('document_jobs', {
  id: id(),
  kind: text().notNull(),
  requestedBy: integer().references(() => users.id),
  orgId: integer().references(() => organisations.id),
  filter: text({ mode: 'json' }),
  status: text().notNull(),
  total: integer().notNull().default(0),
  done: integer().notNull().default(0),
  failed: integer().notNull().default(0),
  /** The job's documents in one PDF for a print centre (encrypted file store key). */
  printStorageKey: text(),
  createdAt: instant().notNull(),
  finishedAt: instant(),
});

export const documentJobItems = sqliteTable(
  'document_job_items',
  {
    id: id(),
    jobId: integer()
      .notNull()
      .references(() => documentJobs.id),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    status: text().notNull(),
    documentId: integer().references(() => documents.id),
    error: text(),
  },
  (t) => [index('document_job_items_job_idx').on(t.jobId)],
);
