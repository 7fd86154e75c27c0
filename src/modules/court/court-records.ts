/**
 * What the court records on its cases after mediation (DOMAIN.md §3–5, issue 16 items 4–5): the
 * registration of a filed suit or an enforcement application under its `民初` / `执` number, the
 * judgment (award, effect, performance period, and so the 2-year window to apply for enforcement),
 * and each enforcement measure as a credit record. Plain functions inside the caller's transaction:
 * the court's service calls them for a principal, the demo seed with its own actors.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import {
  type Claim,
  type CourtCase,
  type CreditRecord,
  courtCases,
  creditRecords,
  LISTING_MEASURES,
  organisations,
} from '../../db/schema/index.js';
import type { CaseKind } from '../../domain/case-numbers.js';
import { addYears, compareDates, isValidIsoDate } from '../../domain/dates.js';
import { enforcementApplicationDeadline, performanceDeadline } from '../../domain/deadlines.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import type { Actor } from '../../domain/lifecycle.js';
import { JUDGMENT_PERFORMANCE_DAYS, LISTING_TERM_YEARS } from '../../domain/rule-defaults.js';
import { AppError } from '../../errors.js';
import { applyTransition } from '../claims/apply-transition.js';
import { appendClaimFact } from '../claims/events.js';
import { assignCaseNo } from '../court-cases/case-numbers.js';
import type { JudgmentInput, MeasureInput, RemovalInput } from './schemas.js';

export interface StepContext {
  actor: Actor;
  now: Date;
  today: string;
  calendar: HolidayCalendar;
}

const MEASURABLE = ['applied', 'measures'];

/** A credit record as the API answers it. */
export const creditRecordView = (r: CreditRecord) => ({
  id: r.id,
  kind: r.kind,
  courtCaseId: r.courtCaseId,
  listedOn: r.listedOn,
  termEndsOn: r.termEndsOn,
  removalDueOn: r.removalDueOn,
  removedOn: r.removedOn,
  note: r.note,
});

/** The day a court step happened: a real calendar day, not after today. */
function expectPastDay(on: string, step: string, ctx: StepContext): void {
  if (!isValidIsoDate(on))
    throw new AppError('validation_failed', `${on} is not a calendar day.`, {
      fields: [{ field: '/body/on', message: 'must be a real date YYYY-MM-DD' }],
    });
  if (compareDates(on, ctx.today) > 0)
    throw new AppError('unprocessable', `A ${step} cannot be dated after today (${ctx.today}).`, {
      fields: [{ field: '/body/on', message: 'must not be after today' }],
    });
}

const outOfOrder = (detail: string, reason: string) => new AppError('transition_forbidden', detail, { reason });

function expectCase(c: CourtCase, kinds: readonly CaseKind[], numbered: boolean): void {
  if (!kinds.includes(c.kind as CaseKind))
    throw outOfOrder(
      `Court case ${c.id} is a ${c.kind} case; this step needs a ${kinds.join(' or ')} case.`,
      'wrong_case',
    );
  if (c.status !== 'pending') throw outOfOrder(`Court case ${c.id} was already ${c.status}.`, 'case_decided');
  if (numbered && !c.caseNo)
    throw outOfOrder(
      `Court case ${c.id} has no case number yet: register it (POST /api/court-cases/${c.id}/register) first.`,
      'case_not_registered',
    );
}

/** The clerk registers (立案) a filed suit or an enforcement application under its number. */
export function registerCase(
  tx: DbOrTx,
  c: CourtCase,
  claim: Claim,
  caseNo: string | undefined,
  ctx: StepContext,
): CourtCase {
  expectCase(c, ['first_instance', 'enforcement', 'resumed_enforcement'], false);
  if (c.caseNo) throw outOfOrder(`Court case ${c.id} is already registered as ${c.caseNo}.`, 'case_registered');
  const court = tx.select().from(organisations).where(eq(organisations.id, c.courtOrgId)).get()!;
  const number = assignCaseNo(tx, court, c.kind as CaseKind, Number(ctx.today.slice(0, 4)), caseNo);
  const row = tx.update(courtCases).set(number).where(eq(courtCases.id, c.id)).returning().get()!;
  appendClaimFact(tx, claim, 'court_case.registered', ctx.actor, ctx.now, { courtCaseId: c.id, caseNo: row.caseNo });
  return row;
}

/** The judgment on a registered suit: for the creditor (an award and a performance period) or dismissed. */
export function recordJudgment(tx: DbOrTx, c: CourtCase, claim: Claim, input: JudgmentInput, ctx: StepContext) {
  expectCase(c, ['first_instance'], true);
  if (compareDates(input.effectiveOn, ctx.today) > 0)
    throw new AppError('unprocessable', `The judgment cannot take effect after today (${ctx.today}).`, {
      fields: [{ field: '/body/effectiveOn', message: 'a day on or before today' }],
    });
  const reason = input.reason ?? null;
  if (input.outcome === 'dismissed') {
    const row = tx
      .update(courtCases)
      .set({ status: 'refused', outcome: 'dismissed', reason, decidedOn: ctx.today, effectiveOn: input.effectiveOn })
      .where(eq(courtCases.id, c.id))
      .returning()
      .get()!;
    applyTransition(tx, claim, 'dismiss', ctx.actor, ctx.now, {
      calendar: ctx.calendar,
      reason: `judgment ${c.caseNo}: dismissed`,
      data: { courtCaseId: c.id, caseNo: c.caseNo },
    });
    return row;
  }
  const performanceDueOn = performanceDeadline(
    ctx.calendar,
    input.effectiveOn,
    input.performanceDays ?? JUDGMENT_PERFORMANCE_DAYS,
  );
  const row = tx
    .update(courtCases)
    .set({
      status: 'granted',
      outcome: 'judged',
      reason,
      decidedOn: ctx.today,
      effectiveOn: input.effectiveOn,
      performanceDueOn,
      awardedPrincipalFen: input.awardedPrincipalFen,
      awardedInterestFen: input.awardedInterestFen,
      costsFen: input.costsFen,
    })
    .where(eq(courtCases.id, c.id))
    .returning()
    .get()!;
  applyTransition(tx, claim, 'judge', ctx.actor, ctx.now, {
    calendar: ctx.calendar,
    reason: `judgment ${c.caseNo}`,
    dueOn: enforcementApplicationDeadline(ctx.calendar, performanceDueOn),
    data: { courtCaseId: c.id, caseNo: c.caseNo, performanceDueOn },
  });
  return row;
}

/** An enforcement measure with its date: the first moves the claim to `measures`, a listing lists the debtor. */
export function recordMeasure(tx: DbOrTx, c: CourtCase, claim: Claim, input: MeasureInput, ctx: StepContext) {
  expectCase(c, ['enforcement', 'resumed_enforcement'], true);
  if (claim.stage !== 'enforcement' || !MEASURABLE.includes(claim.status))
    throw outOfOrder(
      `Measures are recorded while enforcement is applied or under way; this claim is ${claim.stage}/${claim.status}.`,
      'not_allowed_in_state',
    );
  expectPastDay(input.on, 'measure', ctx);
  const listing = input.kind === 'dishonest_listing';
  if (input.termYears !== undefined && !listing)
    throw new AppError('unprocessable', 'Only a dishonest-debtor listing has a term (DOMAIN.md §5.1 art. 2).', {
      fields: [{ field: '/body/termYears', message: 'only with kind dishonest_listing' }],
    });
  const termYears = input.termYears === undefined ? LISTING_TERM_YEARS : input.termYears;
  const record = tx
    .insert(creditRecords)
    .values({
      claimId: claim.id,
      courtCaseId: c.id,
      kind: input.kind,
      listedOn: input.on,
      termEndsOn: listing && termYears !== null ? addYears(input.on, termYears) : null,
      note: input.note ?? null,
      createdAt: ctx.now,
    })
    .returning()
    .get();
  const opts = { calendar: ctx.calendar, data: { creditRecordId: record.id, measure: input.kind, caseNo: c.caseNo } };
  let moved = claim;
  if (moved.status === 'applied')
    moved = applyTransition(tx, moved, 'take_measures', ctx.actor, ctx.now, { ...opts, reason: input.kind });
  if (LISTING_MEASURES.includes(input.kind) && !moved.creditListing)
    moved = applyTransition(tx, moved, 'list_debtor', ctx.actor, ctx.now, { ...opts, reason: input.kind });
  // A further measure that moves nothing is still a fact on the claim's chain.
  if (moved === claim) appendClaimFact(tx, claim, 'measure.recorded', ctx.actor, ctx.now, opts.data, input.kind);
  return record;
}

/**
 * The court's removal of a listing or restriction, on the day it was really removed (DOMAIN.md §5:
 * within 3 working days of approved repair or the term's end). Only a removal that is due can be
 * recorded; a removal later than its deadline says so on the claim's chain.
 */
export function recordRemoval(tx: DbOrTx, r: CreditRecord, claim: Claim, input: RemovalInput, ctx: StepContext) {
  if (r.removedOn) throw outOfOrder(`Credit record ${r.id} was already removed on ${r.removedOn}.`, 'already_removed');
  if (!r.removalDueOn)
    throw outOfOrder(
      `The removal of credit record ${r.id} is not due yet: it comes with approved credit repair (approve_repair) or the end of a listing's term.`,
      'removal_not_due',
    );
  expectPastDay(input.on, 'removal', ctx);
  if (r.listedOn && compareDates(input.on, r.listedOn) < 0)
    throw new AppError('unprocessable', `A removal cannot be dated before the listing (${r.listedOn}).`, {
      fields: [{ field: '/body/on', message: 'must not be before the listing day' }],
    });
  const removed = tx
    .update(creditRecords)
    .set({ removedOn: input.on, ...(input.note ? { note: input.note } : {}) })
    .where(eq(creditRecords.id, r.id))
    .returning()
    .get()!;
  const late = compareDates(input.on, r.removalDueOn) > 0;
  const data = { creditRecordId: r.id, measure: r.kind, removedOn: input.on, removalDueOn: r.removalDueOn, late };
  appendClaimFact(tx, claim, 'credit_record.removed', ctx.actor, ctx.now, data, input.note ?? null);
  return removed;
}
