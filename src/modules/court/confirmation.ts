/**
 * Judicial confirmation (司法确认, DOMAIN.md §4.1 art. 33, §4.2): the parties' application within the
 * window the agreement opened goes to the court's queue as a pending `民特` case; the clerk grants it
 * (a ruling number, and the agreement becomes an enforceable title) or refuses it with reasons. The
 * claim moves only through the lifecycle engine, each step with its case in one transaction.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { type Claim, type CourtCase, claims, courtCases, organisations } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import type { Actor } from '../../domain/lifecycle.js';
import { AppError } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findClaim, findCourtCase, visibleClaims } from '../claims/access.js';
import { applyTransition, versionConflict } from '../claims/apply-transition.js';
import { assignCaseNo } from '../court-cases/case-numbers.js';
import { courtOf } from '../court-cases/court-of.js';
import { followMoneyReceived } from '../payments/record.js';
import type { ReferenceData } from '../reference/service.js';
import type { StepContext } from './court-records.js';
import type { CourtCaseView } from './schemas.js';

export interface ConfirmationDeps {
  db: DB;
  clock: Clock;
  reference: ReferenceData;
}

const KIND = 'judicial_confirmation';

export function courtCaseView(c: CourtCase): CourtCaseView {
  return {
    id: c.id,
    claimId: c.claimId,
    courtOrgId: c.courtOrgId,
    kind: c.kind as CourtCaseView['kind'],
    caseNo: c.caseNo,
    status: c.status,
    reason: c.reason,
    outcome: c.outcome,
    filedOn: c.filedOn,
    decidedOn: c.decidedOn,
    judgment:
      c.kind === 'first_instance' && c.outcome === 'judged'
        ? {
            awardedPrincipalFen: c.awardedPrincipalFen,
            awardedInterestFen: c.awardedInterestFen,
            costsFen: c.costsFen,
            effectiveOn: c.effectiveOn,
            performanceDueOn: c.performanceDueOn,
          }
        : null,
  };
}

/** The application, inside the caller's transaction: a pending 民特 case before the claim's court. */
export function applyForConfirmation(tx: DbOrTx, found: Claim, ctx: StepContext): CourtCase {
  const courtOrgId = courtOf(tx, found).id;
  const claim = { ...found, courtOrgId };
  const courtCase = tx
    .insert(courtCases)
    .values({ claimId: claim.id, courtOrgId, kind: KIND, status: 'pending', filedOn: ctx.today, createdAt: ctx.now })
    .returning()
    .get();
  applyTransition(tx, claim, 'apply_confirmation', ctx.actor, ctx.now, {
    calendar: ctx.calendar,
    reason: null,
    data: { courtCaseId: courtCase.id, courtOrgId },
  });
  return courtCase;
}

/**
 * The grant, inside the caller's transaction: the ruling's number, the enforceable title, and what
 * the money received meanwhile now means for the claim.
 */
export function grantConfirmation(
  tx: DbOrTx,
  courtCase: CourtCase,
  claim: Claim,
  caseNo: string | undefined,
  ctx: StepContext,
): CourtCase {
  const court = tx.select().from(organisations).where(eq(organisations.id, courtCase.courtOrgId)).get()!;
  const number = assignCaseNo(tx, court, KIND, Number(ctx.today.slice(0, 4)), caseNo);
  const updated = tx
    .update(courtCases)
    .set({ ...number, status: 'granted', decidedOn: ctx.today, outcome: 'confirmed' })
    .where(eq(courtCases.id, courtCase.id))
    .returning()
    .get()!;
  const confirmed = applyTransition(tx, claim, 'confirm', ctx.actor, ctx.now, {
    calendar: ctx.calendar,
    reason: `ruling ${number.caseNo}`,
    data: { courtCaseId: courtCase.id, caseNo: number.caseNo },
  });
  followMoneyReceived({ now: ctx.now, calendar: ctx.calendar }, tx, confirmed);
  return updated;
}

export function createConfirmationService({ db, clock, reference }: ConfirmationDeps) {
  const stepContext = (by: Actor, now: Date): StepContext => ({
    actor: by,
    now,
    today: shanghaiDate(now),
    calendar: reference.calendar(),
  });
  const opts = (reason: string | null, data: Record<string, unknown>) => ({
    calendar: reference.calendar(),
    reason,
    data,
  });
  const actor = (p: Principal) => {
    const a = actorOf(p);
    if (!a) throw new AppError('forbidden', 'Platform administrators do not act on claims.');
    return a;
  };

  /** The pending application of `caseId` before the principal's court, or 404 / 409. */
  function pendingCase(tx: DbOrTx, p: Principal, caseId: number) {
    const found = findCourtCase(tx, p, caseId);
    if (found.courtCase.kind !== KIND) throw new AppError('not_found', `Court case ${caseId} is not a confirmation.`);
    if (found.courtCase.status !== 'pending')
      throw new AppError('transition_forbidden', `Court case ${caseId} was already ${found.courtCase.status}.`, {
        reason: 'case_decided',
      });
    return found;
  }

  return {
    /** The parties' joint application, recorded by the mediator or the creditor: to the court's queue. */
    apply(p: Principal, claimId: number, version: number): CourtCaseView {
      const by = actor(p);
      const now = clock.now();
      return db.transaction((tx) => {
        const found = findClaim(tx, p, claimId);
        if (found.version !== version) throw versionConflict();
        return courtCaseView(applyForConfirmation(tx, found, stepContext(by, now)));
      });
    },

    /** The clerk grants: the ruling's number (given, or the court's next 民特 number). */
    grant(p: Principal, caseId: number, caseNo: string | undefined): CourtCaseView {
      const by = actor(p);
      const now = clock.now();
      return db.transaction((tx) => {
        const { courtCase, claim } = pendingCase(tx, p, caseId);
        return courtCaseView(grantConfirmation(tx, courtCase, claim, caseNo, stepContext(by, now)));
      });
    },

    /** The clerk refuses, with the reasons the parties read: they may mediate anew or sue. */
    refuse(p: Principal, caseId: number, reason: string): CourtCaseView {
      const by = actor(p);
      const now = clock.now();
      return db.transaction((tx) => {
        const { claim } = pendingCase(tx, p, caseId);
        const updated = tx
          .update(courtCases)
          .set({ status: 'refused', reason, decidedOn: shanghaiDate(now), outcome: 'refused' })
          .where(eq(courtCases.id, caseId))
          .returning()
          .get()!;
        applyTransition(tx, claim, 'refuse_confirmation', by, now, opts(reason, { courtCaseId: caseId }));
        return courtCaseView(updated);
      });
    },

    /** The court's confirmations to decide, oldest application first. */
    queue(p: Principal): CourtCaseView[] {
      return db
        .select({ courtCase: courtCases })
        .from(courtCases)
        .innerJoin(claims, eq(courtCases.claimId, claims.id))
        .where(and(eq(courtCases.kind, KIND), eq(courtCases.status, 'pending'), visibleClaims(p)))
        .orderBy(asc(courtCases.filedOn), asc(courtCases.id))
        .all()
        .map((r) => courtCaseView(r.courtCase));
    },
  };
}

export type ConfirmationService = ReturnType<typeof createConfirmationService>;
