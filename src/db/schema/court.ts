import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { id, instant } from './common.js';
import { organisations } from './organisations.js';

export const courtCases = sqliteTable(
  'court_cases',
  {
    id: id(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    courtOrgId: integer()
      .notNull()
      .references(() => organisations.id),
    kind: text().notNull(),
    caseNo: text(),
    filedOn: text(),
    decidedOn: text(),
    outcome: text(),
    createdAt: instant().notNull(),
  },
  (t) => [index('court_cases_claim_idx').on(t.claimId)],
);

/** Listings and restrictions against a debtor for a claim, and their removal. */
export const creditRecords = sqliteTable(
  'credit_records',
  {
    id: id(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    kind: text().notNull(),
    listedOn: text(),
    removedOn: text(),
    createdAt: instant().notNull(),
  },
  (t) => [index('credit_records_claim_idx').on(t.claimId)],
);
