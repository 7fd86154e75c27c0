/**
 * Write worker: holds the one transaction a batch commits in. Each valid row becomes a debtor (found
 * by keyed hash or created), a claim placed by the lifecycle engine's screening transition, and the
 * claim's first event; a crash anywhere before COMMIT leaves the database as it was.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type CorrectionParams, openBulkImport } from '../../../db/bulk-import.js';
import { type ChainLink, chainEvent } from '../../../domain/event-chain.js';
import { calendarFrom } from '../../../domain/holiday-calendar.js';
import { type ClaimState, type TransitionEvent, transition } from '../../../domain/lifecycle.js';
import { createTriage } from '../../../domain/triage.js';
import type {
  CoordinatorToWriter,
  ImportResult,
  ParserToWriter,
  RowError,
  StagedRow,
  WriteJob,
  WriterToCoordinator,
} from './protocol.js';

const SYSTEM = { kind: 'system' as const, id: null, name: 'system' };

function run(dbFile: string, job: WriteJob, port: MessagePort, parent: NonNullable<typeof parentPort>): void {
  const scratchFile = path.join(job.scratchDir, `batch-errors-${crypto.randomBytes(8).toString('hex')}.tmp`);
  const bulk = openBulkImport(dbFile, scratchFile);
  const { statements: s } = bulk;
  const calendar = calendarFrom(job.calendarRows);
  const now = new Date(job.now);
  const nowMs = now.getTime();
  const triage = createTriage(job.mediators);

  const counts = { total: 0, accepted: 0, rejected: 0, skipped: 0 };
  let corrected = 0;
  const errorsByCode: Record<string, number> = {};
  const screening: Record<string, number> = {};
  // Errors of one row arrive together, so counting changes of row number counts rejected rows
  // without remembering them all.
  let lastRejectedRow = -1;
  let rowsRead = 0;
  const bytes = { read: 0, total: 0 };
  let finished = false;

  const post = (m: WriterToCoordinator) => parent.postMessage(m);
  const cleanup = () => {
    bulk.close();
    fs.rmSync(scratchFile, { force: true });
  };

  const recordErrors = (errors: RowError[]) => {
    if (!errors.length) return;
    bulk.recordErrors(errors);
    for (const e of errors) {
      errorsByCode[e.code] = (errorsByCode[e.code] ?? 0) + 1;
      if (e.rowNo !== lastRejectedRow) counts.rejected++;
      lastRejectedRow = e.rowNo;
    }
  };

  bulk.begin();
  const batchId = bulk.insertBatch(job.batch, nowMs);
  // Who sent the batch: the user, or the creditor's system through an API key.
  const creditorActor = {
    kind: 'creditor' as const,
    id: job.batch.createdByUserId ?? job.batch.createdByApiKeyId,
    name: `creditor batch ${batchId}`,
  };
  post({ type: 'started', batchId: job.dryRun ? null : batchId });

  /** Insert or refresh the debtor of a row; answers its id. */
  const upsertDebtor = (row: StagedRow): number => {
    const debtorId = s.findDebtor.get(row.debtor.idNumberHash) as number | undefined;
    const debtor = { ...row.debtor, now: nowMs };
    if (debtorId === undefined) return Number(s.insertDebtor.run(debtor).lastInsertRowid);
    s.updateDebtor.run({ ...debtor, id: debtorId });
    return debtorId;
  };

  /** Append lifecycle events to a claim's hash chain, after `last` (null for a new claim). */
  const appendEvents = (
    claimId: number,
    last: ChainLink | null,
    events: { event: TransitionEvent; data: Record<string, unknown> }[],
  ) => {
    for (const { event, data } of events) {
      const chained = chainEvent(last, { ...event, claimId, data, at: now });
      bulk.insertEvent({ ...chained, data: JSON.stringify(data), at: nowMs });
      last = chained;
    }
  };

  /** The claim columns a screened row sets, on a new claim and on a corrected one alike. */
  const claimValues = (row: StagedRow, claim: ClaimState, assigneeId: number | null): CorrectionParams => ({
    ...row.claim,
    screeningNotes: JSON.stringify(row.reasons),
    stage: claim.stage,
    status: claim.status,
    litigationAllowed: job.litigationAllowed ? 1 : 0,
    stageDeadline: claim.stageDeadline,
    mediationOrgId: job.batch.mediationOrgId,
    courtOrgId: job.courtOrgId,
    assigneeId,
    updatedAt: nowMs,
  });

  const screen = (from: ClaimState, row: StagedRow) => {
    const result = transition(from, row.action, SYSTEM, now, { calendar, reason: 'batch screening' });
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

  const accept = (row: StagedRow) => {
    counts.accepted++;
    screening[row.claim.screening] = (screening[row.claim.screening] ?? 0) + 1;
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

  const writeRow = (row: StagedRow): RowError | null => {
    const { contractNo } = row.claim;
    const existing = s.findClaim.get(job.batch.creditorOrgId, contractNo) as
      | { id: number; batchId: number | null; stage: string; status: string; idNumberHash: string }
      | undefined;
    if (existing) {
      if (existing.batchId === batchId)
        return {
          rowNo: row.rowNo,
          column: '合同编号',
          code: 'contract_no_duplicate',
          message: `Contract number ${contractNo} appears more than once in this file; only its first row was imported.`,
          value: contractNo,
        };
      if (existing.idNumberHash !== row.debtor.idNumberHash) {
        return {
          rowNo: row.rowNo,
          column: '合同编号',
          code: 'contract_no_exists',
          message: `You already have a claim with contract number ${contractNo} against a different person; correct the number or the ID number.`,
          value: contractNo,
        };
      }
      if (existing.stage !== 'intake' || existing.status !== 'needs_fix') {
        counts.skipped++;
        return null;
      }
      // The creditor sent the claim back corrected: resubmit it and screen it again.
      const debtorId = upsertDebtor(row);
      const resubmitted = transition({ ...initial, status: 'needs_fix' }, 'resubmit', creditorActor, now, {
        calendar,
        reason: `corrected in batch ${batchId}`,
      });
      if (!resubmitted.ok) throw new Error(`resubmit refused: ${resubmitted.error.detail}`);
      const screened = screen(resubmitted.claim, row);
      const assigneeId = assign(row, debtorId);
      bulk.correctClaim(existing.id, claimValues(row, screened.claim, assigneeId));
      appendEvents(existing.id, s.lastEvent.get(existing.id) as ChainLink, [
        { event: resubmitted.event, data: { batchId, rowNo: row.rowNo } },
        { event: screened.event, data: screeningData(row, assigneeId, screened.event) },
      ]);
      corrected++;
      accept(row);
      return null;
    }

    const debtorId = upsertDebtor(row);
    const assigneeId = assign(row, debtorId);
    const screened = screen(initial, row);
    const claimId = bulk.insertClaim({
      ...claimValues(row, screened.claim, assigneeId),
      contractNo,
      creditorOrgId: job.batch.creditorOrgId,
      debtorId,
      batchId,
      hold: null,
      enforceableTitle: 0,
      creditListing: 0,
      version: 1,
      createdAt: nowMs,
    });
    appendEvents(claimId, null, [{ event: screened.event, data: screeningData(row, assigneeId, screened.event) }]);
    accept(row);
    return null;
  };

  const finish = (outcome: { fatal?: { code: string; detail: string }; warnings?: string[] }) => {
    finished = true;
    counts.total = rowsRead;
    post({
      type: 'progress',
      rowsRead,
      rowsWritten: counts.accepted,
      bytesRead: bytes.total,
      bytesTotal: bytes.total,
      phase: 'committing',
    });
    const strictFailure = job.batch.strict && counts.rejected > 0;
    const failureDetail = outcome.fatal
      ? outcome.fatal.detail
      : strictFailure
        ? `Strict mode: ${counts.rejected} row(s) are invalid, so no claim of this batch was imported. Fix the rows in the error report and upload the file again.`
        : null;
    const result: ImportResult = {
      batchId: job.dryRun ? null : batchId,
      status: failureDetail ? 'failed' : 'committed',
      ...counts,
      accepted: failureDetail ? 0 : counts.accepted,
      skipped: failureDetail ? 0 : counts.skipped,
      errorsByCode: outcome.fatal ? { [outcome.fatal.code]: 1, ...errorsByCode } : errorsByCode,
      screening: failureDetail ? {} : screening,
      warnings: [
        ...(outcome.warnings ?? []),
        ...(corrected
          ? [`${corrected} claim(s) that needed fixing were corrected by this batch and screened again.`]
          : []),
      ],
      failureDetail,
    };
    if (job.dryRun) {
      bulk.rollback();
      result.errors = s.firstErrors.all(job.reportErrors) as RowError[];
    } else {
      if (failureDetail) {
        // Nothing of the batch stays but its record and error report, so the creditor can see why.
        bulk.rollback();
        bulk.begin();
        bulk.insertBatch(job.batch, nowMs, batchId);
        bulk.finishBatch(batchId, { ...result, status: 'failed', finishedAt: Date.now() });
      } else {
        bulk.finishBatch(batchId, { ...result, status: 'committed', finishedAt: Date.now() });
      }
      bulk.commit();
    }
    cleanup();
    post({ type: 'done', result });
  };

  port.on('message', (m: ParserToWriter) => {
    if (finished) return;
    try {
      if (m.type === 'rows') {
        recordErrors(m.errors);
        const late: RowError[] = [];
        for (const row of m.rows) {
          const err = writeRow(row);
          if (err) late.push(err);
        }
        recordErrors(late);
        rowsRead = m.rowsRead;
        bytes.read = m.bytesRead;
        bytes.total = m.bytesTotal;
        port.postMessage({ type: 'ack' });
        post({
          type: 'progress',
          rowsRead,
          rowsWritten: counts.accepted,
          bytesRead: m.bytesRead,
          bytesTotal: m.bytesTotal,
          phase: 'validating',
        });
      } else if (m.type === 'end') {
        rowsRead = m.rowsRead;
        finish({ warnings: m.warnings });
      } else {
        finish({ fatal: { code: m.code, detail: m.detail } });
      }
    } catch (err) {
      finished = true;
      bulk.rollback();
      cleanup();
      post({ type: 'failed', code: 'import_failed', detail: String((err as Error)?.message ?? err) });
    }
  });

  parent.on('message', (m: CoordinatorToWriter) => {
    if (m.type === 'abort' && !finished) {
      finished = true;
      cleanup();
      post({
        type: 'failed',
        code: 'aborted',
        detail: 'The import was stopped before it finished; nothing of it was saved.',
      });
    }
  });
}

const { dbFile, job, port } = workerData as { dbFile: string; job: WriteJob; port: MessagePort };
try {
  run(dbFile, job, port, parentPort!);
} catch (err) {
  parentPort!.postMessage({
    type: 'failed',
    code: 'import_failed',
    detail: String((err as Error)?.message ?? err),
  } satisfies WriterToCoordinator);
}
