/**
 * The rows of a batch as the write worker writes them, in its slices: each valid row becomes a debtor
 * (found by keyed hash or created), a claim placed by the lifecycle engine's screening transition,
 * and the claim's first event, all hidden while the batch is `committing`. What would change rows
 * others see (a known debtor's details, a claim the creditor sent back corrected, resubmitted and
 * screened again) is staged and applied by `applyStaged` in the transaction that flips the batch.
 */
import type { BulkImport, CorrectionParams } from '../../../db/bulk-import.js';
import { shanghaiDate } from '../../../domain/dates.js';
import { type ChainLink, chainEvent, EMPTY_CHAIN } from '../../../domain/event-chain.js';
import type { HolidayCalendar } from '../../../domain/holiday-calendar.js';
import { type ClaimState, positionOf, type TransitionEvent, transition } from '../../../domain/lifecycle.js';
import { computeLimitation, type Interruption } from '../../../domain/limitation.js';
import { policyTimerDays } from '../../../domain/mediation-limits.js';
import { createTriage } from '../../../domain/triage.js';
import { LIMITATION_RECOUNTED } from '../../claims/limitation-recount.js';
import type { RowError, StagedRow, WriteJob } from './protocol.js';

const SYSTEM = { kind: 'system' as const, id: null, name: 'system' };

/** What the rows written so far came to. */
export interface Tally {
  accepted: number;
  /** Rows whose claim the creditor already had. */
  skipped: number;
  /** Claims that needed fixing, corrected by this batch. */
  corrected: number;
  /** Accepted rows by screening outcome. */
  screening: Record<string, number>;
}

/** The writer of `batchId`'s rows; `writeRow` answers the error of a row it refuses, or null. */
export function createClaimWriter(
  bulk: BulkImport,
  job: WriteJob,
  batchId: number,
  { now, calendar }: { now: Date; calendar: HolidayCalendar },
) {
  const { statements: s } = bulk;
  const nowMs = now.getTime();
  const triage = createTriage(job.mediators);
  const tally: Tally = { accepted: 0, skipped: 0, corrected: 0, screening: {} };
  // Who sent the batch: the user, or the creditor's system through an API key.
  const creditorActor = {
    kind: 'creditor' as const,
    id: job.batch.createdByUserId ?? job.batch.createdByApiKeyId,
    name: `creditor batch ${batchId}`,
  };

  /** Insert the debtor of a row, or stage the refresh of a known one; answers its id. */
  const upsertDebtor = (row: StagedRow): number => {
    const debtorId = s.findDebtor.get(row.debtor.idNumberHash) as number | undefined;
    if (debtorId === undefined) return Number(s.insertDebtor.run({ ...row.debtor, now: nowMs }).lastInsertRowid);
    bulk.stageDebtorUpdate(batchId, debtorId, row.debtor);
    return debtorId;
  };

  /** Append lifecycle events to a claim's hash chain after its head `last`, and move the head. */
  const appendEvents = (
    claimId: number,
    last: ChainLink,
    events: { event: TransitionEvent; data: Record<string, unknown> }[],
  ) => {
    for (const { event, data } of events) {
      const chained = chainEvent(last, { ...event, claimId, data, at: now });
      bulk.insertEvent({ ...chained, data: JSON.stringify(data), at: nowMs });
      last = chained;
    }
    bulk.setChainHead(claimId, last);
  };

  /** The claim columns a screened row sets, on a new claim and on a corrected one alike. */
  const claimValues = (row: StagedRow, claim: ClaimState, assigneeId: number | null): CorrectionParams => ({
    ...row.claim,
    eServiceConsent: row.claim.eServiceConsent ? 1 : 0,
    screeningNotes: JSON.stringify(row.reasons),
    rateTransition: row.claim.rateTransition ? JSON.stringify(row.claim.rateTransition) : null,
    stage: claim.stage,
    status: claim.status,
    litigationAllowed: job.litigationAllowed ? 1 : 0,
    stageDeadline: claim.stageDeadline,
    mediationOrgId: job.batch.mediationOrgId,
    courtOrgId: job.courtOrgId,
    assigneeId,
    updatedAt: nowMs,
  });

  const timerDays = policyTimerDays(job.batch.policy);
  const screen = (from: ClaimState, row: StagedRow) => {
    const result = transition(from, row.action, SYSTEM, now, { calendar, reason: 'batch screening', timerDays });
    if (!result.ok) throw new Error(`screening transition refused: ${result.error.detail}`);
    return result;
  };

  // The debtor's open claims with this creditor, this batch's earlier rows included, name the mediator.
  const assign = (row: StagedRow, debtorId: number) =>
    row.action === 'screen_eligible'
      ? triage.assign((s.openAssignee.get(job.batch.creditorOrgId, debtorId) as number | undefined) ?? null)
      : null;

  const screeningData = (row: StagedRow, assigneeId: number | null, event: TransitionEvent) => ({
    batchId,
    rowNo: row.rowNo,
    screening: row.claim.screening,
    reasons: row.reasons,
    aboveCapFen: row.claim.aboveCapFen,
    assigneeId,
    deadline: event.deadline,
  });

  /**
   * A claim screened into people's mediation is an application for mediation, which interrupts the
   * limitation period from that day (SPC limitation provisions art. 12; DOMAIN.md §3): its period is
   * counted again from the import, as recountLimitation does for the other interrupting events, with
   * the recount on the chain right after the screening event (`screenedSeq`). Null for other outcomes.
   */
  const mediationRecount = (row: StagedRow, screened: ClaimState, screenedSeq: number) => {
    if (screened.stage !== 'people_mediation') return null;
    const interruption: Interruption = { kind: 'mediation_application', on: shanghaiDate(now), eventSeq: screenedSeq };
    const { expiresOn, countedFrom, defenceWaivedBy } = computeLimitation(
      { dueDate: row.claim.dueDate, interruptions: [interruption] },
      calendar,
    );
    const position = positionOf(screened);
    const event: TransitionEvent = {
      action: LIMITATION_RECOUNTED,
      from: position,
      to: position,
      actor: SYSTEM,
      reason: null,
      at: now.toISOString(),
      deadline: null,
    };
    const data = {
      interruption,
      previousExpiresOn: row.claim.limitationExpiresOn,
      expiresOn,
      countedFrom,
      defenceWaived: defenceWaivedBy !== null,
    };
    return { expiresOn, event: { event, data } };
  };

  const accept = (row: StagedRow) => {
    tally.accepted++;
    tally.screening[row.claim.screening] = (tally.screening[row.claim.screening] ?? 0) + 1;
  };

  const initial: ClaimState = {
    stage: 'intake',
    status: 'screening',
    hold: null,
    enforceableTitle: false,
    creditListing: false,
    litigationAllowed: job.litigationAllowed,
    stageDeadline: null,
  };

  type Existing = {
    id: number;
    batchId: number | null;
    stage: string;
    status: string;
    chainSeq: number;
    chainHash: string;
    idNumberHash: string;
  };
  const findExisting = (contractNo: string) =>
    s.findClaim.get(job.batch.creditorOrgId, contractNo) as Existing | undefined;
  const needsFix = (c: Existing) => c.stage === 'intake' && c.status === 'needs_fix';
  const duplicate = (row: StagedRow): RowError => ({
    rowNo: row.rowNo,
    column: '合同编号',
    code: 'contract_no_duplicate',
    message: `Contract number ${row.claim.contractNo} appears more than once in this file; only its first row was imported.`,
    value: row.claim.contractNo,
  });

  /** The creditor sent the claim back corrected: resubmit it and screen it again. */
  const correct = (existing: Existing, row: StagedRow) => {
    const debtorId = s.findDebtor.get(row.debtor.idNumberHash) as number;
    const resubmitted = transition({ ...initial, status: 'needs_fix' }, 'resubmit', creditorActor, now, {
      calendar,
      reason: `corrected in batch ${batchId}`,
    });
    if (!resubmitted.ok) throw new Error(`resubmit refused: ${resubmitted.error.detail}`);
    const screened = screen(resubmitted.claim, row);
    const assigneeId = assign(row, debtorId);
    const recount = mediationRecount(row, screened.claim, existing.chainSeq + 2);
    bulk.correctClaim(existing.id, {
      ...claimValues(row, screened.claim, assigneeId),
      ...(recount ? { limitationExpiresOn: recount.expiresOn } : {}),
    });
    appendEvents(existing.id, { seq: existing.chainSeq, hash: existing.chainHash }, [
      { event: resubmitted.event, data: { batchId, rowNo: row.rowNo } },
      { event: screened.event, data: screeningData(row, assigneeId, screened.event) },
      ...(recount ? [recount.event] : []),
    ]);
    tally.corrected++;
    accept(row);
  };

  /** In the flipping transaction: the corrections and debtor details the batch staged. */
  const applyStaged = () => {
    for (const json of bulk.stagedCorrections(batchId)) {
      const row = JSON.parse(json) as StagedRow;
      const existing = findExisting(row.claim.contractNo);
      // Someone moved the claim while the batch imported: it no longer waits for this correction.
      if (existing && needsFix(existing)) correct(existing, row);
      else tally.skipped++;
    }
    bulk.applyDebtorUpdates(batchId, nowMs);
  };

  const writeRow = (row: StagedRow): RowError | null => {
    const { contractNo } = row.claim;
    const existing = findExisting(contractNo);
    if (existing) {
      if (existing.batchId === batchId) return duplicate(row);
      if (existing.idNumberHash !== row.debtor.idNumberHash) {
        return {
          rowNo: row.rowNo,
          column: '合同编号',
          code: 'contract_no_exists',
          message: `You already have a claim with contract number ${contractNo} against a different person; correct the number or the ID number.`,
          value: contractNo,
        };
      }
      if (!needsFix(existing)) {
        tally.skipped++;
        return null;
      }
      if (!bulk.stageCorrection(batchId, existing.id, row)) return duplicate(row);
      upsertDebtor(row);
      return null;
    }

    const debtorId = upsertDebtor(row);
    const assigneeId = assign(row, debtorId);
    const screened = screen(initial, row);
    const recount = mediationRecount(row, screened.claim, EMPTY_CHAIN.seq + 1);
    const claimId = bulk.insertClaim({
      ...claimValues(row, screened.claim, assigneeId),
      ...(recount ? { limitationExpiresOn: recount.expiresOn } : {}),
      contractNo,
      creditorOrgId: job.batch.creditorOrgId,
      debtorId,
      batchId,
      hold: null,
      enforceableTitle: 0,
      creditListing: 0,
      version: 1,
      chainSeq: EMPTY_CHAIN.seq,
      chainHash: EMPTY_CHAIN.hash,
      createdAt: nowMs,
    });
    appendEvents(claimId, EMPTY_CHAIN, [
      { event: screened.event, data: screeningData(row, assigneeId, screened.event) },
      ...(recount ? [recount.event] : []),
    ]);
    accept(row);
    return null;
  };

  return { tally, writeRow, applyStaged };
}
