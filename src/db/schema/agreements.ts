import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { id, instant } from './common.js';
import { debtors } from './debtors.js';
import { users } from './organisations.js';
import { settlements } from './settlements.js';

export const AGREEMENT_SIGNER_ROLES = ['debtor', 'creditor'] as const;
export type AgreementSignerRole = (typeof AGREEMENT_SIGNER_ROLES)[number];

/**
 * A one-time code sent to a party to confirm a settlement's agreement (the debtor by SMS, the
 * creditor representative with their password): kept as a keyed hash, bound to the text's hash.
 */
export const agreementChallenges = sqliteTable(
  'agreement_challenges',
  {
    id: id(),
    /** Random public id the client holds. */
    publicId: text().notNull(),
    settlementId: integer()
      .notNull()
      .references(() => settlements.id),
    role: text({ enum: AGREEMENT_SIGNER_ROLES }).notNull(),
    userId: integer().references(() => users.id),
    debtorId: integer().references(() => debtors.id),
    codeHash: text().notNull(),
    /** SHA-256 of the agreement's documents when the code was sent: the text the code confirms. */
    textSha256: text().notNull(),
    attempts: integer().notNull().default(0),
    expiresAt: instant().notNull(),
    usedAt: instant(),
    createdAt: instant().notNull(),
  },
  (t) => [
    uniqueIndex('agreement_challenges_public_idx').on(t.publicId),
    index('agreement_challenges_settlement_idx').on(t.settlementId, t.role),
  ],
);

/** A party's confirmation of the agreement's text; once both parties confirmed, the platform signs it. */
export const agreementConfirmations = sqliteTable(
  'agreement_confirmations',
  {
    id: id(),
    settlementId: integer()
      .notNull()
      .references(() => settlements.id),
    role: text({ enum: AGREEMENT_SIGNER_ROLES }).notNull(),
    userId: integer().references(() => users.id),
    debtorId: integer().references(() => debtors.id),
    /** The name shown on /verify: the debtor's masked, the representative's as signed in. */
    shownName: text().notNull(),
    /** `sms_code` (the debtor) or `password_code` (staff: their password and a code). */
    method: text().notNull(),
    textSha256: text().notNull(),
    challengeId: integer()
      .notNull()
      .references(() => agreementChallenges.id),
    confirmedAt: instant().notNull(),
  },
  (t) => [uniqueIndex('agreement_confirmations_role_idx').on(t.settlementId, t.role)],
);
