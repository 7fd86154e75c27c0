import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
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
