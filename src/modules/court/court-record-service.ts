/** The clerk's registrations, judgments, enforcement measures and their removals, each in one transaction for a principal. */
import type { Clock } from '../../adapters/clock.js';
import type { DB } from '../../db/open.js';
import { shanghaiDate } from '../../domain/dates.js';
import { AppError } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findCourtCase, findCreditRecord } from '../claims/access.js';
import type { ReferenceData } from '../reference/service.js';
import { courtCaseView } from './confirmation.js';
import {
  creditRecordView,
  recordJudgment,
  recordMeasure,
  recordRemoval,
  registerCase,
  type StepContext,
} from './court-records.js';
import type { JudgmentInput, MeasureInput, RemovalInput } from './schemas.js';

export interface CourtRecordDeps {
  db: DB;
  clock: Clock;
  reference: ReferenceData;
}

export function createCourtRecordService({ db, clock, reference }: CourtRecordDeps) {
  const contextOf = (p: Principal): StepContext => {
    const actor = actorOf(p);
    if (!actor) throw new AppError('forbidden', 'Platform administrators do not act on claims.');
    const now = clock.now();
    return { actor, now, today: shanghaiDate(now), calendar: reference.calendar() };
  };
  return {
    register(p: Principal, caseId: number, caseNo: string | undefined) {
      const ctx = contextOf(p);
      return db.transaction((tx) => {
        const { courtCase, claim } = findCourtCase(tx, p, caseId);
        return courtCaseView(registerCase(tx, courtCase, claim, caseNo, ctx));
      });
    },
    judgment(p: Principal, caseId: number, input: JudgmentInput) {
      const ctx = contextOf(p);
      return db.transaction((tx) => {
        const { courtCase, claim } = findCourtCase(tx, p, caseId);
        return courtCaseView(recordJudgment(tx, courtCase, claim, input, ctx));
      });
    },
    measure(p: Principal, caseId: number, input: MeasureInput) {
      const ctx = contextOf(p);
      return db.transaction((tx) => {
        const { courtCase, claim } = findCourtCase(tx, p, caseId);
        return creditRecordView(recordMeasure(tx, courtCase, claim, input, ctx));
      });
    },
    removal(p: Principal, recordId: number, input: RemovalInput) {
      const ctx = contextOf(p);
      return db.transaction((tx) => {
        const { record, claim } = findCreditRecord(tx, p, recordId);
        return creditRecordView(recordRemoval(tx, record, claim, input, ctx));
      });
    },
  };
}

export type CourtRecordService = ReturnType<typeof createCourtRecordService>;
