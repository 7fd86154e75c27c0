/**
 * The court mediation statement (调解书, DOMAIN.md §4.3): an agreement reached in court pre-litigation
 * mediation, written up by the court as a `民初` paper, is an enforceable title. The case and the
 * claim's `confirm` are written in one transaction.
 */
import type { Clock } from '../../adapters/clock.js';
import type { DB } from '../../db/open.js';
import { courtCases } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { AppError } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findClaim } from '../claims/access.js';
import { applyTransition, versionConflict } from '../claims/apply-transition.js';
import { assignCaseNo } from '../court-cases/case-numbers.js';
import { courtOf } from '../court-cases/court-of.js';
import type { ReferenceData } from '../reference/service.js';
import { courtCaseView } from './confirmation.js';
import type { CourtCaseView } from './schemas.js';

export interface MediationStatementDeps {
  db: DB;
  clock: Clock;
  reference: ReferenceData;
}

const KIND = 'first_instance';

export function createMediationStatementService({ db, clock, reference }: MediationStatementDeps) {
  return {
    /** The clerk issues the statement under the number given, or the court's next 民初 number. */
    issue(p: Principal, claimId: number, version: number, caseNo: string | undefined): CourtCaseView {
      const by = actorOf(p);
      if (!by) throw new AppError('forbidden', 'Platform administrators do not act on claims.');
      const now = clock.now();
      const today = shanghaiDate(now);
      return db.transaction((tx) => {
        const claim = findClaim(tx, p, claimId);
        if (claim.version !== version) throw versionConflict();
        if (claim.stage !== 'court_mediation' || claim.status !== 'agreed')
          throw new AppError(
            'transition_forbidden',
            `A court mediation statement is written for an agreement reached in court mediation; this claim is ${claim.stage}/${claim.status}.`,
            { reason: 'not_allowed_in_state' },
          );
        const court = courtOf(tx, claim);
        const number = assignCaseNo(tx, court, KIND, Number(today.slice(0, 4)), caseNo);
        const statement = tx
          .insert(courtCases)
          .values({
            claimId,
            courtOrgId: court.id,
            kind: KIND,
            status: 'granted',
            outcome: 'mediation_statement',
            filedOn: today,
            decidedOn: today,
            createdAt: now,
            ...number,
          })
          .returning()
          .get();
        applyTransition(tx, { ...claim, courtOrgId: court.id }, 'confirm', by, now, {
          calendar: reference.calendar(),
          reason: `mediation statement ${number.caseNo}`,
          data: { courtCaseId: statement.id, caseNo: number.caseNo },
        });
        return courtCaseView(statement);
      });
    },
  };
}

export type MediationStatementService = ReturnType<typeof createMediationStatementService>;
