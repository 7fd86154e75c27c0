/**
 * Plans the debtor proposes in the portal, outside any session. One inside the creditor's limits is
 * offered to the creditor at once, who may accept it (a settlement, the claims agreed) or decline
 * it; one outside them is referred to the mediator, who takes it up in a session. The debtor's
 * statement of means suggests an affordable plan inside the limits, without showing the limits.
 */
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB, DbOrTx } from '../../db/open.js';
import {
  type Claim,
  claims,
  type DebtorPlanStatus,
  debtorPlanClaims,
  debtorPlans,
  organisations,
} from '../../db/schema/index.js';
import { suggestPlan } from '../../domain/affordable-plan.js';
import { addDays, shanghaiDate } from '../../domain/dates.js';
import { checkPlan, limitBreaches, type OfferBasis } from '../../domain/settlement-terms.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findClaims, visibleClaims } from '../claims/access.js';
import { appendClaimFact } from '../claims/events.js';
import { latestMeans } from '../means/service.js';
import type { ReferenceData } from '../reference/service.js';
import { notOpenReason, offerBasisFor } from '../sessions/offer-basis.js';
import { recordSettlement } from '../sessions/record-settlement.js';
import { SUGGESTED_FIRST_PAYMENT_DAYS } from '../sessions/suggestion.js';
import type { DebtorPlanView, PlanInput } from './schemas.js';

export interface PlanDeps {
  db: DB;
  clock: Clock;
  reference: ReferenceData;
  hardshipMaxInstalments: number;
}

type PlanRow = typeof debtorPlans.$inferSelect;

const refuse = (reason: string, detail: string) => new AppError('unprocessable', detail, { reason });
const conflict = (reason: string, detail: string) => new AppError('duplicate', detail, { reason });
const settled = (reason: string, detail: string) => new AppError('transition_forbidden', detail, { reason });
const userIdOf = (p: Principal) => (p.kind === 'user' ? p.userId : null);

/** The plans with a claim the principal may see, as a condition on `debtor_plans`. */
const visiblePlans = (p: Principal): SQL =>
  sql`${debtorPlans.id} in (select ${debtorPlanClaims.planId} from ${debtorPlanClaims} inner join ${claims} on ${debtorPlanClaims.claimId} = ${claims.id} where ${visibleClaims(p)})`;

export function createPlanService({ db, clock, reference, hardshipMaxInstalments }: PlanDeps) {
  const today = () => shanghaiDate(clock.now());

  /** The claims a plan may cover: the debtor's own, one creditor's, each open for mediation. */
  function planClaims(tx: DbOrTx, p: Principal, ids: readonly number[]): { list: Claim[]; basis: OfferBasis } {
    const list = findClaims(tx, p, ids);
    if (new Set(list.map((c) => c.creditorOrgId)).size > 1)
      throw refuse('mixed_parties', 'A plan covers the claims of one creditor; propose one plan per creditor.');
    const closed = list.map(notOpenReason).filter((r): r is string => r !== null);
    if (closed.length) throw refuse('claim_not_open', `No plan can be proposed now: ${closed.join('; ')}.`);
    return { list, basis: offerBasisFor(tx, list, hardshipMaxInstalments) };
  }

  function view(tx: DbOrTx, p: Principal, row: PlanRow): DebtorPlanView {
    const ids = tx
      .select({ id: debtorPlanClaims.claimId })
      .from(debtorPlanClaims)
      .where(eq(debtorPlanClaims.planId, row.id))
      .all()
      .map((r) => r.id)
      .sort((a, b) => a - b);
    const creditor = tx
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, row.creditorOrgId))
      .get()!;
    return {
      id: row.id,
      status: row.status,
      claimIds: ids,
      creditor,
      kind: row.kind as DebtorPlanView['kind'],
      totalFen: row.totalFen,
      instalments: row.instalments,
      note: row.note,
      needsApproval: row.breaches.length > 0,
      // The creditor's limits are the staff's to see, never the debtor's.
      ...(p.role === 'debtor' ? {} : { breaches: row.breaches }),
      settlementId: row.settlementId,
      decisionReason: row.decisionReason,
      createdAt: row.createdAt.toISOString(),
      decidedAt: row.decidedAt?.toISOString() ?? null,
    };
  }

  function findPlan(tx: DbOrTx, p: Principal, id: number): PlanRow {
    const row = tx
      .select()
      .from(debtorPlans)
      .where(and(eq(debtorPlans.id, id), visiblePlans(p)))
      .get();
    if (!row) throw notFound(`Plan ${id}`);
    return row;
  }

  /** An open plan for any of these claims blocks another until it is answered. */
  function pendingFor(tx: DbOrTx, ids: readonly number[]) {
    return tx
      .select({ id: debtorPlans.id })
      .from(debtorPlans)
      .innerJoin(debtorPlanClaims, eq(debtorPlanClaims.planId, debtorPlans.id))
      .where(and(inArray(debtorPlanClaims.claimId, [...ids]), inArray(debtorPlans.status, ['offered', 'referred'])))
      .get();
  }

  return {
    propose(p: Principal, input: PlanInput): DebtorPlanView {
      const now = clock.now();
      return db.transaction((tx) => {
        const { list, basis } = planClaims(tx, p, input.claimIds);
        const problem = checkPlan(input, { today: today(), enforceableFen: basis.enforceableFen });
        if (problem) throw refuse(problem.code, problem.detail);
        const longest = Math.max(basis.limits.maxInstalments, hardshipMaxInstalments);
        if (input.instalments.length > longest)
          throw refuse(
            'plan_too_long',
            `A plan has at most ${longest} payments; this one has ${input.instalments.length}.`,
          );
        const pending = pendingFor(tx, input.claimIds);
        if (pending)
          throw conflict('plan_pending', `Plan ${pending.id} for these claims is still waiting for an answer.`);
        const breaches = limitBreaches(input, basis);
        const status: DebtorPlanStatus = breaches.length ? 'referred' : 'offered';
        const row = tx
          .insert(debtorPlans)
          .values({
            debtorId: list[0]!.debtorId,
            creditorOrgId: list[0]!.creditorOrgId,
            kind: input.kind,
            totalFen: input.totalFen,
            instalments: input.instalments,
            breaches,
            note: input.note ?? null,
            status,
            createdAt: now,
          })
          .returning()
          .get();
        tx.insert(debtorPlanClaims)
          .values(list.map((c) => ({ planId: row.id, claimId: c.id })))
          .run();
        for (const claim of list)
          appendClaimFact(tx, claim, 'plan.proposed', actorOf(p)!, now, {
            planId: row.id,
            kind: input.kind,
            totalFen: input.totalFen,
            payments: input.instalments.length,
            status,
          });
        return view(tx, p, row);
      });
    },

    /** An affordable plan inside the limits from the debtor's latest statement of means. */
    suggest(p: Principal, claimIds: number[]) {
      const { basis, list } = planClaims(db, p, claimIds);
      const means = latestMeans(db, list[0]!.debtorId);
      if (!means) return { plan: null, reason: 'no_statement_of_means', monthlyCapacityFen: null };
      const s = suggestPlan({ basis, means, firstDueDate: addDays(today(), SUGGESTED_FIRST_PAYMENT_DAYS) });
      return s.ok
        ? { plan: s.plan, reason: null, monthlyCapacityFen: s.monthlyCapacityFen }
        : { plan: null, reason: s.reason, monthlyCapacityFen: s.monthlyCapacityFen };
    },

    list(p: Principal, status?: DebtorPlanStatus): DebtorPlanView[] {
      const rows = db
        .select()
        .from(debtorPlans)
        .where(and(visiblePlans(p), status ? eq(debtorPlans.status, status) : undefined))
        .orderBy(desc(debtorPlans.createdAt), desc(debtorPlans.id))
        .limit(500)
        .all();
      return rows.map((r) => view(db, p, r));
    },

    /** The creditor takes a plan offered to it: the settlement is made and the claims are agreed. */
    accept(p: Principal, id: number): DebtorPlanView {
      const now = clock.now();
      return db.transaction((tx) => {
        const row = findPlan(tx, p, id);
        if (row.status !== 'offered')
          throw settled(
            'plan_not_offered',
            row.status === 'referred'
              ? `Plan ${id} is outside your limits and went to the mediator.`
              : `Plan ${id} was ${row.status} already.`,
          );
        const ids = tx
          .select({ id: debtorPlanClaims.claimId })
          .from(debtorPlanClaims)
          .where(eq(debtorPlanClaims.planId, id))
          .all()
          .map((r) => r.id);
        const { list, basis } = planClaims(tx, p, ids);
        const plan = { kind: row.kind as DebtorPlanView['kind'], totalFen: row.totalFen, instalments: row.instalments };
        const problem = checkPlan(plan, { today: today(), enforceableFen: basis.enforceableFen });
        if (problem) throw refuse(problem.code, `${problem.detail} Ask the debtor for a new plan.`);
        const settlementId = recordSettlement(
          tx,
          {
            debtorId: row.debtorId,
            claims: list,
            plan,
            hardship: basis.hardship,
            reliefFen: basis.reliefFen,
            sessionId: null,
            proposalSeq: null,
            reason: `The creditor accepted the plan the debtor proposed (plan ${id})`,
            data: { planId: id, acceptedBy: actorOf(p) },
          },
          { now, calendar: reference.calendar() },
        );
        const decided = tx
          .update(debtorPlans)
          .set({ status: 'accepted', settlementId, decidedBy: userIdOf(p), decidedAt: now })
          .where(eq(debtorPlans.id, id))
          .returning()
          .get();
        return view(tx, p, decided);
      });
    },

    decline(p: Principal, id: number, reason: string): DebtorPlanView {
      const now = clock.now();
      return db.transaction((tx) => {
        const row = findPlan(tx, p, id);
        if (row.status !== 'offered' && row.status !== 'referred')
          throw settled('plan_not_offered', `Plan ${id} was ${row.status} already.`);
        const decided = tx
          .update(debtorPlans)
          .set({ status: 'declined', decisionReason: reason, decidedBy: userIdOf(p), decidedAt: now })
          .where(eq(debtorPlans.id, id))
          .returning()
          .get();
        return view(tx, p, decided);
      });
    },
  };
}

export type PlanService = ReturnType<typeof createPlanService>;
