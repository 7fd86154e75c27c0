import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { id, instant } from './common.js';
import { organisations } from './organisations.js';

/** pending before the court; granted or refused on an application; closed when a mediation case ends (its outcome says how). */
export const COURT_CASE_STATUSES = ['pending', 'granted', 'refused', 'closed'] as const;

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
    /** What the case is (CASE_TYPES in domain/case-numbers.ts): its type code in the case number. */
    kind: text().notNull(),
    /** The case number (案号) once the court gave one, e.g. （2026）闽0502民特123号; unique. */
    caseNo: text(),
    /** The parts of the case number: receiving year and serial, which restarts per court, type and year. */
    year: integer(),
    serial: integer(),
    /** COURT_CASE_STATUSES. */
    status: text({ enum: COURT_CASE_STATUSES }).notNull().default('pending'),
    /** The court's reasons for refusing. */
    reason: text(),
    filedOn: text(),
    decidedOn: text(),
    outcome: text(),
    /** A judgment's award in fen: principal, interest, and the litigation costs the debtor bears. */
    awardedPrincipalFen: integer(),
    awardedInterestFen: integer(),
    costsFen: integer(),
    /** The day the judgment took effect, and the last day of the performance period it fixed. */
    effectiveOn: text(),
    performanceDueOn: text(),
    createdAt: instant().notNull(),
  },
  (t) => [
    index('court_cases_claim_idx').on(t.claimId),
    index('court_cases_queue_idx').on(t.courtOrgId, t.kind, t.status),
    uniqueIndex('court_cases_case_no_idx').on(t.caseNo),
    uniqueIndex('court_cases_serial_idx').on(t.courtOrgId, t.kind, t.year, t.serial),
  ],
);

export type CourtCase = typeof courtCases.$inferSelect;

export const CREDIT_MEASURES = ['account_freeze', 'consumption_restriction', 'dishonest_listing'] as const;
/** Measures that restrict the debtor's credit and must be removed on repair (DOMAIN.md §5.1–5.2). */
export const LISTING_MEASURES: readonly string[] = ['consumption_restriction', 'dishonest_listing'];

/** Listings and restrictions against a debtor for a claim, and their removal. */
export const creditRecords = sqliteTable(
  'credit_records',
  {
    id: id(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    /** CREDIT_MEASURES: an account freeze, a consumption restriction (限高), a dishonest-debtor listing (失信). */
    kind: text({ enum: CREDIT_MEASURES }).notNull(),
    /** The enforcement case that ordered it. */
    courtCaseId: integer().references(() => courtCases.id),
    listedOn: text(),
    /**
     * The last day of a fixed-term listing (2 years, extended to at most 5: DOMAIN.md §5.1 art. 2);
     * null for a measure without a term (a listing for refusing to perform lasts until it ends).
     */
    termEndsOn: text(),
    /** The day the court must have removed it by (3 working days after the trigger, DOMAIN.md §5.1 art. 10). */
    removalDueOn: text(),
    removedOn: text(),
    note: text(),
    createdAt: instant().notNull(),
  },
  (t) => [index('credit_records_claim_idx').on(t.claimId), index('credit_records_term_idx').on(t.termEndsOn)],
);

export type CreditRecord = typeof creditRecords.$inferSelect;

/** A list of filed suits that a creditor hands one court for its e-filing: one archive of every complaint and its evidence. */
export const filingLists = sqliteTable('filing_lists', {
  id: id(),
  creditorOrgId: integer()
    .notNull()
    .references(() => organisations.id),
  courtOrgId: integer()
    .notNull()
    .references(() => organisations.id),
  /** Who made it: the user or API key, by name. */
  createdBy: text().notNull(),
  createdAt: instant().notNull(),
});

export type FilingList = typeof filingLists.$inferSelect;

/** The suits on a list, in the list's order; a suit (its 民初 case) is on one list at most. */
export const filingListClaims = sqliteTable(
  'filing_list_claims',
  {
    listId: integer()
      .notNull()
      .references(() => filingLists.id),
    position: integer().notNull(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    courtCaseId: integer()
      .notNull()
      .references(() => courtCases.id),
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.position] }),
    uniqueIndex('filing_list_claims_case_idx').on(t.courtCaseId),
  ],
);
