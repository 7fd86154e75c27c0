import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { id, instant } from './common.js';
import { debtors } from './debtors.js';
import { users } from './organisations.js';

export const objections = sqliteTable(
  'objections',
  {
    id: id(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    debtorId: integer()
      .notNull()
      .references(() => debtors.id),
    category: text().notNull(),
    statement: text().notNull(),
    status: text().notNull(),
    replyDue: text(),
    outcome: text(),
    reasons: text(),
    /** Amounts after a (partly) upheld objection, in fen. */
    newAmounts: text({ mode: 'json' }).$type<{
      principalFen?: number;
      interestFen?: number;
      penaltyFen?: number;
      feesFen?: number;
    }>(),
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

/** A debtor's request for relief (特殊群体救助), held for a mediator's review. */
export const hardshipRequests = sqliteTable(
  'hardship_requests',
  {
    id: id(),
    debtorId: integer()
      .notNull()
      .references(() => debtors.id),
    reason: text().notNull(),
    statement: text().notNull(),
    status: text().notNull(),
    decisionNote: text(),
    decidedBy: integer().references(() => users.id),
    decidedAt: instant(),
    createdAt: instant().notNull(),
  },
  (t) => [index('hardship_requests_debtor_idx').on(t.debtorId), index('hardship_requests_status_idx').on(t.status)],
);

export const hardshipClaims = sqliteTable(
  'hardship_claims',
  {
    requestId: integer()
      .notNull()
      .references(() => hardshipRequests.id),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.claimId] })],
);

/** The debtor's statement of means: what an affordable plan is computed from. */
export const meansStatements = sqliteTable(
  'means_statements',
  {
    id: id(),
    debtorId: integer()
      .notNull()
      .references(() => debtors.id),
    monthlyIncomeFen: integer().notNull(),
    essentialExpensesFen: integer().notNull(),
    dependants: integer().notNull(),
    createdAt: instant().notNull(),
  },
  (t) => [index('means_statements_debtor_idx').on(t.debtorId, t.createdAt)],
);

/** Codes printed on mediation notices; a debtor signs in with one and the ID-number suffix. Stored hashed. */
export const accessCodes = sqliteTable(
  'access_codes',
  {
    id: id(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    codeHash: text().notNull(),
    failures: integer().notNull().default(0),
    lockedUntil: instant(),
    createdAt: instant().notNull(),
    revokedAt: instant(),
  },
  (t) => [uniqueIndex('access_codes_hash_idx').on(t.codeHash), index('access_codes_claim_idx').on(t.claimId)],
);

/** One-time codes sent by SMS to finish a debtor's sign-in. */
export const debtorChallenges = sqliteTable(
  'debtor_challenges',
  {
    id: id(),
    debtorId: integer()
      .notNull()
      .references(() => debtors.id),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    /** Random public id the client holds; the code itself is stored hashed. */
    publicId: text().notNull(),
    codeHash: text().notNull(),
    attempts: integer().notNull().default(0),
    expiresAt: instant().notNull(),
    usedAt: instant(),
    createdAt: instant().notNull(),
  },
  (t) => [uniqueIndex('debtor_challenges_public_idx').on(t.publicId)],
);
