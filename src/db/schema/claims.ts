import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { GENESIS_HASH } from '../../domain/event-chain.js';
import { GUARANTEES, LOAN_CLASSES } from '../../domain/five-tier.js';
import { ACTOR_KINDS, HOLD_KINDS, STAGES, STATUSES } from '../../domain/lifecycle.js';
import type { TransitionAssessment } from '../../domain/rate-cap.js';
import { batches } from './batches.js';
import { flag, id, instant } from './common.js';
import { debtors } from './debtors.js';
import { organisations, users } from './organisations.js';

/** `rejected` remains for claims screened before limitation went to the creditor's review (issue 15). */
export const SCREENING_OUTCOMES = ['eligible', 'needs_fix', 'limitation_review', 'rejected', 'flagged'] as const;

export const claims = sqliteTable(
  'claims',
  {
    id: id(),
    creditorOrgId: integer()
      .notNull()
      .references(() => organisations.id),
    debtorId: integer()
      .notNull()
      .references(() => debtors.id),
    batchId: integer().references(() => batches.id),
    contractNo: text().notNull(),
    loanDate: text().notNull(),
    dueDate: text().notNull(),
    principalFen: integer().notNull(),
    interestFen: integer().notNull().default(0),
    penaltyFen: integer().notNull().default(0),
    feesFen: integer().notNull().default(0),
    /** Annual rate in basis points (23.5% → 2350). */
    annualRateBp: integer(),
    /** First day overdue; days overdue are counted from it, so filters need no date arithmetic in SQL. */
    overdueSince: text().notNull(),
    guarantee: text({ enum: GUARANTEES }).notNull().default('none'),
    /** The debtor's contractual consent to electronic service (CPL art. 90), from the batch column 电子送达确认. */
    eServiceConsent: flag().notNull().default(false),
    loanClass: text({ enum: LOAN_CLASSES }),
    riskScore: integer(),
    screening: text({ enum: SCREENING_OUTCOMES }),
    screeningNotes: text({ mode: 'json' }).$type<string[]>(),
    /** Limitation period end (DOMAIN.md §3), recomputed when an interrupting event is logged. */
    limitationExpiresOn: text(),
    /** Interest, penalty and fees above the legal cap: unenforceable, never part of an offer. */
    aboveCapFen: integer().notNull().default(0),
    /**
     * A private loan formed before 2020-08-20: the two parts of 法释〔2020〕17号 art. 31 as screening
     * judged them (old lines to 2020-08-19, 4 × the LPR at filing from 2020-08-20); null otherwise.
     */
    rateTransition: text({ mode: 'json' }).$type<TransitionAssessment>(),
    stage: text({ enum: STAGES }).notNull(),
    status: text({ enum: STATUSES }).notNull(),
    hold: text({ enum: HOLD_KINDS }),
    enforceableTitle: flag().notNull().default(false),
    creditListing: flag().notNull().default(false),
    litigationAllowed: flag().notNull().default(true),
    stageDeadline: text(),
    mediationOrgId: integer().references(() => organisations.id),
    courtOrgId: integer().references(() => organisations.id),
    assigneeId: integer().references(() => users.id),
    /** Optimistic concurrency: every change increments it and is guarded by the value read. */
    version: integer().notNull().default(1),
    /**
     * The head of the claim's event chain (its last event's seq and hash), written with each event:
     * the chain alone cannot show that its last events were deleted.
     */
    chainSeq: integer().notNull().default(0),
    chainHash: text().notNull().default(GENESIS_HASH),
    createdAt: instant().notNull(),
    updatedAt: instant().notNull(),
  },
  // Each index serves a query the code runs; every one costs each imported row. Not indexed: the
  // assignee (caseloads are counted per mediation organisation) and the overdue start (its filter
  // always comes with the tenant's own index).
  (t) => [
    // A creditor's claim by contract number: import dedup, repayment files.
    uniqueIndex('claims_creditor_contract_idx').on(t.creditorOrgId, t.contractNo),
    // The lists of a creditor, a mediation organisation and a court (visibleClaims), by stage.
    index('claims_creditor_stage_idx').on(t.creditorOrgId, t.stage, t.status),
    index('claims_mediation_org_idx').on(t.mediationOrgId, t.stage),
    index('claims_court_org_idx').on(t.courtOrgId, t.stage),
    // A debtor's claims (portal) and their mediator with a creditor (assignment).
    index('claims_debtor_idx').on(t.debtorId),
    // The claims of a batch: the batch filter, and discarding a batch that did not complete.
    index('claims_batch_idx').on(t.batchId),
    // The stage time-limit sweep reads the claims whose deadline has passed.
    index('claims_stage_deadline_idx').on(t.stageDeadline),
  ],
);

/** Append-only evidence: every change to a claim, hash-chained per claim. */
export const claimEvents = sqliteTable(
  'claim_events',
  {
    id: id(),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
    seq: integer().notNull(),
    action: text().notNull(),
    fromStage: text().notNull(),
    fromStatus: text().notNull(),
    fromHold: text(),
    toStage: text().notNull(),
    toStatus: text().notNull(),
    toHold: text(),
    actorKind: text({ enum: ACTOR_KINDS }).notNull(),
    actorId: integer(),
    actorName: text().notNull(),
    reason: text(),
    data: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    at: instant().notNull(),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [uniqueIndex('claim_events_claim_seq_idx').on(t.claimId, t.seq)],
);

export type Claim = typeof claims.$inferSelect;
export type ClaimEvent = typeof claimEvents.$inferSelect;
