import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../domain/api-key-scopes.js';
import { LENDER_TYPES, ORG_KINDS, USER_ROLES } from '../../domain/roles.js';
import { id, instant } from './common.js';

export const organisations = sqliteTable('organisations', {
  id: id(),
  kind: text({ enum: ORG_KINDS }).notNull(),
  /** Short stable code used by scripts and the import CLI, e.g. `CRED-A`. */
  code: text().notNull().unique(),
  name: text().notNull(),
  /** Unified Social Credit Code (统一社会信用代码). */
  creditCode: text(),
  lenderType: text({ enum: LENDER_TYPES }),
  /** Court code (法院代字) used in case numbers, e.g. 闽0502. */
  courtCode: text(),
  /** The court that supervises a mediation committee and takes its escalated claims. */
  courtId: integer().references((): AnySQLiteColumn => organisations.id),
  /** Creditor's default settlement policy for new batches (JSON). */
  settlementPolicy: text({ mode: 'json' }),
  /** A creditor's account debtors pay into (收款账户): the holder's name, the bank, the account number. */
  payeeName: text(),
  payeeBank: text(),
  payeeAccount: text(),
  createdAt: instant().notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: id(),
    orgId: integer()
      .notNull()
      .references(() => organisations.id),
    username: text().notNull().unique(),
    displayName: text().notNull(),
    role: text({ enum: USER_ROLES }).notNull(),
    passwordHash: text().notNull(),
    disabledAt: instant(),
    /** An admin made this user inside a creditor's organisation: disabled until someone else approves. */
    awaitingApprovalFrom: integer().references((): AnySQLiteColumn => users.id),
    createdAt: instant().notNull(),
  },
  (t) => [index('users_org_idx').on(t.orgId)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: id(),
    orgId: integer()
      .notNull()
      .references(() => organisations.id),
    name: text().notNull(),
    /** The public part of the key, used to find the row; the secret part is only stored hashed. */
    prefix: text().notNull(),
    keyHash: text().notNull(),
    /** What the key may do (domain/api-key-scopes.ts); keys made before scopes existed keep every one. */
    scopes: text({ mode: 'json' })
      .$type<ApiKeyScope[]>()
      .notNull()
      .default(sql`'${sql.raw(JSON.stringify(API_KEY_SCOPES))}'`),
    expiresAt: instant(),
    createdBy: integer().references(() => users.id),
    createdAt: instant().notNull(),
    lastUsedAt: instant(),
    revokedAt: instant(),
  },
  (t) => [uniqueIndex('api_keys_prefix_idx').on(t.prefix), index('api_keys_org_idx').on(t.orgId)],
);

export const authSessions = sqliteTable(
  'auth_sessions',
  {
    id: id(),
    tokenHash: text().notNull(),
    userId: integer().references(() => users.id),
    debtorId: integer(),
    createdAt: instant().notNull(),
    expiresAt: instant().notNull(),
    revokedAt: instant(),
  },
  (t) => [uniqueIndex('auth_sessions_token_idx').on(t.tokenHash)],
);

export type Organisation = typeof organisations.$inferSelect;
export type User = typeof users.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
