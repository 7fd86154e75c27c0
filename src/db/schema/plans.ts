import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { id, instant } from './common.js';
import { debtors } from './debtors.js';
import { organisations, users } from './organisations.js';
import { settlements } from './settlements.js';

/**
 * offered: inside the creditor's limits, waiting for the creditor's answer; referred: outside them,
 * for the mediator to take up; accepted (a settlement was made) or declined by the creditor.
 */
export const DEBTOR_PLAN_STATUSES = ['offered', 'referred', 'accepted', 'declined'] as const;
export type DebtorPlanStatus = (typeof DEBTOR_PLAN_STATUSES)[number];

/** A repayment plan the debtor proposed in the portal, outside any session. */
export const debtorPlans = sqliteTable(
  'debtor_plans',
  {
    id: id(),
    debtorId: integer()
      .notNull()
      .references(() => debtors.id),
    creditorOrgId: integer()
      .notNull()
      .references(() => organisations.id),
    kind: text().notNull(),
    totalFen: integer().notNull(),
    instalments: text({ mode: 'json' }).notNull().$type<{ dueDate: string; amountFen: number }[]>(),
    /** The creditor's limits the plan breaks when proposed (empty when inside them). */
    breaches: text({ mode: 'json' }).notNull().$type<{ limit: string; allowed: number; proposed: number }[]>(),
    note: text(),
    status: text().$type<DebtorPlanStatus>().notNull(),
    settlementId: integer().references(() => settlements.id),
    decidedBy: integer().references(() => users.id),
    decisionReason: text(),
    createdAt: instant().notNull(),
    decidedAt: instant(),
  },
  (t) => [index('debtor_plans_status_idx').on(t.status, t.createdAt)],
);

export const debtorPlanClaims = sqliteTable(
  'debtor_plan_claims',
  {
    planId: integer()
      .notNull()
      .references(() => debtorPlans.id),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
  },
  (t) => [primaryKey({ columns: [t.planId, t.claimId] }), index('debtor_plan_claims_claim_idx').on(t.claimId)],
);
