/**
 * Write worker: holds the one transaction a batch commits in. Each valid row becomes a debtor (found
 * by keyed hash or created), a claim placed by the lifecycle engine's screening transition, and the
 * claim's first event; a crash anywhere before COMMIT leaves the database as it was.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openBulkImport } from '../../../db/bulk-import.js';
import { transition, type ClaimState } from '../../../domain/lifecycle.js';
import { calendarFrom } from '../../../domain/holiday-calendar.js';
import { GENESIS_HASH, eventHash, type ChainedEvent } from '../../../domain/event-chain.js';
import { createTriage } from '../../../domain/triage.js';
import type { CoordinatorToWriter, ImportResult, ParserToWriter, RowError, StagedRow, WriteJob, WriterToCoordinator } from './protocol.js';

const SYSTEM = { kind: 'system' as const, id: null, name: 'system' };

function run(job: WriteJob, port: MessagePort, parent: NonNullable<typeof parentPort>): void {
  const scratchFile = path.join(job.scratchDir, `batch-errors-${crypto.randomBytes(8).toString('hex')}.tmp`);
  const bulk = openBulkImport(job.dbFile, scratchFile);
  const { statements: s } = bulk;
  const calendar = calendarFrom(job.calendarRows);
  const now = new Date(job.now);
  const nowMs = now.getTime();
  const triage = createTriage(job.mediators);

  const counts = { total: 0, accepted: 0, rejected: 0, skipped: 0 };
  const errorsByCode: Record<string, number> = {};
  const screening: Record<string, number> = {};
  const rejectedRows = new Set<number>();
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
      rejectedRows.add(e.rowNo);
    }
  };

  bulk.begin();
  const batchId = bulk.insertBatch(job.batch, nowMs);
  post({ type: 'started', batchId: job.dryRun ? null : batchId });

  const writeRow = (row: StagedRow): RowError | null => {
    const existing = s.findClaim.get(job.batch.creditorOrgId, row.contractNo) as { batchId: number | null; idNumberHash: string } | undefined;
    if (existing) {
      if (existing.batchId === batchId) return { rowNo: row.rowNo, column: '合同编号', code: 'contract_no_duplicate', message: `Contract number ${row.contractNo} appears more than once in this file; only its first row was imported.`, value: row.contractNo };
      if (existing.idNumberHash === row.idNumberHash) {
        counts.skipped++;
        return null;
      }
      return { rowNo: row.rowNo, column: '合同编号', code: 'contract_no_exists', message: `You already have a claim with contract number ${row.contractNo} against a different person; correct the number or the ID number.`, value: row.contractNo };
    }

    let debtorId = s.findDebtor.get(row.idNumberHash) as number | undefined;
    const debtor = { name: row.name, idNumberEnc: row.idNumberEnc, idNumberHash: row.idNumberHash, phoneEnc: row.phoneEnc, phoneHash: row.phoneHash, addressEnc: row.addressEnc, emailEnc: row.emailEnc, now: nowMs };
    if (debtorId === undefined) debtorId = Number(s.insertDebtor.run(debtor).lastInsertRowid);
    else s.updateDebtor.run({ ...debtor, id: debtorId });

    // The debtor's open claims with this creditor, this batch's earlier rows included, name the mediator.
    const assigneeId =
      row.action === 'screen_eligible' ? triage.assign((s.openAssignee.get(job.batch.creditorOrgId, debtorId) as number | undefined) ?? null) : null;

    const initial: ClaimState = { stage: 'intake', status: 'screening', hold: null, enforceableTitle: false, creditListing: false, litigationAllowed: job.litigationAllowed, stageDeadline: null };
    const result = transition(initial, row.action, SYSTEM, now, { calendar, reason: 'batch screening' });
    if (!result.ok) throw new Error(`screening transition refused: ${result.error.detail}`);
    const claim = result.claim;

    const claimId = Number(
      s.insertClaim.run({
        contractNo: row.contractNo,
        loanDate: row.loanDate,
        dueDate: row.dueDate,
        principalFen: row.principalFen,
        interestFen: row.interestFen,
        penaltyFen: row.penaltyFen,
        feesFen: row.feesFen,
        annualRateBp: row.annualRateBp,
        overdueSince: row.overdueSince,
        guarantee: row.guarantee,
        loanClass: row.loanClass,
        riskScore: row.riskScore,
        screening: row.screening,
        limitationExpiresOn: row.limitationExpiresOn,
        aboveCapFen: row.aboveCapFen,
        creditorOrgId: job.batch.creditorOrgId,
        debtorId,
        batchId,
        screeningNotes: JSON.stringify(row.reasons),
        stage: claim.stage,
        status: claim.status,
        litigationAllowed: job.litigationAllowed ? 1 : 0,
        stageDeadline: claim.stageDeadline,
        mediationOrgId: job.batch.mediationOrgId,
        courtOrgId: job.courtOrgId,
        assigneeId,
        now: nowMs,
      }).lastInsertRowid,
    );
    const { event } = result;
    const chained: ChainedEvent = {
      claimId,
      seq: 1,
      action: event.action,
      fromStage: event.from.stage,
      fromStatus: event.from.status,
      fromHold: event.from.hold,
      toStage: event.to.stage,
      toStatus: event.to.status,
      toHold: event.to.hold,
      actorKind: SYSTEM.kind,
      actorId: null,
      actorName: SYSTEM.name,
      reason: event.reason,
      data: { batchId, rowNo: row.rowNo, screening: row.screening, reasons: row.reasons, aboveCapFen: row.aboveCapFen, assigneeId, deadline: event.deadline },
      at: now,
    };
    s.insertEvent.run({ ...chained, data: JSON.stringify(chained.data), at: nowMs, prevHash: GENESIS_HASH, hash: eventHash(GENESIS_HASH, chained) });
    counts.accepted++;
    screening[row.screening] = (screening[row.screening] ?? 0) + 1;
    return null;
  };

  const finish = (outcome: { fatal?: { code: string; detail: string }; warnings?: string[] }) => {
    finished = true;
    counts.total = rowsRead;
    counts.rejected = rejectedRows.size;
    post({ type: 'progress', rowsRead, rowsWritten: counts.accepted, bytesRead: bytes.total, bytesTotal: bytes.total, phase: 'committing' });
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
      warnings: outcome.warnings ?? [],
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
        post({ type: 'progress', rowsRead, rowsWritten: counts.accepted, bytesRead: m.bytesRead, bytesTotal: m.bytesTotal, phase: 'validating' });
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
      post({ type: 'failed', code: 'aborted', detail: 'The import was stopped before it finished; nothing of it was saved.' });
    }
  });
}

const { job, port } = workerData as { job: WriteJob; port: MessagePort };
try {
  run(job, port, parentPort!);
} catch (err) {
  parentPort!.postMessage({ type: 'failed', code: 'import_failed', detail: String((err as Error)?.message ?? err) } satisfies WriterToCoordinator);
}
