/**
 * The bulk path of batch imports: prepared statements on a connection of its own. drizzle's insert
 * builder costs about 7× SQLite itself here (PERF-LIMITS.md §2), so the hot loop is plain SQL,
 * portable apart from the SQLite transaction commands kept in this file.
 */
import Database from 'better-sqlite3';

export interface BatchRowValues {
  creditorOrgId: number;
  reference: string | null;
  fileName: string | null;
  fileSha256: string | null;
  format: string;
  charset: string | null;
  sheet: string | null;
  strict: boolean;
  policy: unknown;
  mediationOrgId: number;
  createdByUserId: number | null;
  createdByApiKeyId: number | null;
}

export interface BatchOutcomeValues {
  status: 'committed' | 'failed';
  total: number;
  accepted: number;
  rejected: number;
  skipped: number;
  errorsByCode: Record<string, number>;
  screening: Record<string, number>;
  warnings: string[];
  failureDetail: string | null;
  finishedAt: number;
}

export type BulkImport = ReturnType<typeof openBulkImport>;

/** Open `dbFile` for one import; `scratchFile` collects row errors outside the import transaction. */
export function openBulkImport(dbFile: string, scratchFile: string) {
  const db = new Database(dbFile);
  db.pragma('busy_timeout = 30000');
  // Every reference the import writes comes from rows it has just read or written in the same
  // transaction (creditor, batch, mediation organisation, court, mediator, debtor, claim), so the
  // per-row foreign-key lookups would check what is true by construction; they cost ~10% of a row.
  db.pragma('foreign_keys = OFF');
  db.pragma('synchronous = NORMAL');
  // A large page cache keeps the random-key indexes (contract numbers, ID hashes) from thrashing;
  // it is a fixed amount, so memory stays flat however large the batch.
  db.pragma('cache_size = -131072');

  // Row errors go to a scratch database on a second connection, so they survive a rollback of the
  // import (strict mode, dry runs) and never sit in memory. It must not be ATTACHed to the import
  // connection: the import transaction would lock it against the scratch connection.
  const scratch = new Database(scratchFile);
  scratch.pragma('journal_mode = OFF');
  scratch.pragma('synchronous = OFF');
  scratch.exec('CREATE TABLE IF NOT EXISTS errors (row_no INTEGER, col TEXT, code TEXT, message TEXT, value TEXT)');

  const s = {
    insertBatch:
      db.prepare(`INSERT INTO batches (id, creditor_org_id, reference, file_name, file_sha256, format, charset, sheet, status, strict, policy, mediation_org_id, created_by_user_id, created_by_api_key_id, created_at)
      VALUES (@id, @creditorOrgId, @reference, @fileName, @fileSha256, @format, @charset, @sheet, 'committing', @strict, @policy, @mediationOrgId, @createdByUserId, @createdByApiKeyId, @createdAt)`),
    finishBatch:
      db.prepare(`UPDATE batches SET status = @status, total = @total, accepted = @accepted, rejected = @rejected, skipped = @skipped,
      errors_by_code = @errorsByCode, screening = @screening, warnings = @warnings, failure_detail = @failureDetail, finished_at = @finishedAt WHERE id = @id`),
    insertError: db.prepare(
      `INSERT INTO batch_row_errors (batch_id, row_no, "column", code, message, value_masked) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    findClaim:
      db.prepare(`SELECT c.id, c.batch_id AS batchId, c.stage, c.status, d.id_number_hash AS idNumberHash FROM claims c JOIN debtors d ON d.id = c.debtor_id
      WHERE c.creditor_org_id = ? AND c.contract_no = ?`),
    findDebtor: db.prepare('SELECT id FROM debtors WHERE id_number_hash = ?').pluck(),
    insertDebtor:
      db.prepare(`INSERT INTO debtors (name, id_number_enc, id_number_hash, phone_enc, phone_hash, address_enc, email_enc, created_at, updated_at)
      VALUES (@name, @idNumberEnc, @idNumberHash, @phoneEnc, @phoneHash, @addressEnc, @emailEnc, @now, @now)`),
    // Newer contact details replace older ones; a detail the file leaves empty keeps what we had.
    updateDebtor: db.prepare(`UPDATE debtors SET name = @name, phone_enc = @phoneEnc, phone_hash = @phoneHash,
      address_enc = COALESCE(@addressEnc, address_enc), email_enc = COALESCE(@emailEnc, email_enc), updated_at = @now WHERE id = @id`),
    openAssignee: db
      .prepare(`SELECT assignee_id FROM claims WHERE creditor_org_id = ? AND debtor_id = ? AND assignee_id IS NOT NULL AND stage <> 'closed'
      ORDER BY id DESC LIMIT 1`)
      .pluck(),
    insertClaim:
      db.prepare(`INSERT INTO claims (creditor_org_id, debtor_id, batch_id, contract_no, loan_date, due_date, principal_fen, interest_fen, penalty_fen, fees_fen,
      annual_rate_bp, overdue_since, guarantee, loan_class, risk_score, screening, screening_notes, limitation_expires_on, above_cap_fen, stage, status, hold,
      enforceable_title, credit_listing, litigation_allowed, stage_deadline, mediation_org_id, court_org_id, assignee_id, version, created_at, updated_at)
      VALUES (@creditorOrgId, @debtorId, @batchId, @contractNo, @loanDate, @dueDate, @principalFen, @interestFen, @penaltyFen, @feesFen,
      @annualRateBp, @overdueSince, @guarantee, @loanClass, @riskScore, @screening, @screeningNotes, @limitationExpiresOn, @aboveCapFen, @stage, @status, NULL,
      0, 0, @litigationAllowed, @stageDeadline, @mediationOrgId, @courtOrgId, @assigneeId, 1, @now, @now)`),
    // A claim that needed fixing takes the corrected data and is screened again.
    correctClaim:
      db.prepare(`UPDATE claims SET loan_date = @loanDate, due_date = @dueDate, principal_fen = @principalFen, interest_fen = @interestFen,
      penalty_fen = @penaltyFen, fees_fen = @feesFen, annual_rate_bp = @annualRateBp, overdue_since = @overdueSince, guarantee = @guarantee,
      loan_class = @loanClass, risk_score = @riskScore, screening = @screening, screening_notes = @screeningNotes, limitation_expires_on = @limitationExpiresOn,
      above_cap_fen = @aboveCapFen, stage = @stage, status = @status, litigation_allowed = @litigationAllowed, stage_deadline = @stageDeadline,
      mediation_org_id = @mediationOrgId, court_org_id = @courtOrgId, assignee_id = @assigneeId, version = version + 1, updated_at = @now WHERE id = @id`),
    lastEvent: db.prepare('SELECT seq, hash FROM claim_events WHERE claim_id = ? ORDER BY seq DESC LIMIT 1'),
    insertEvent:
      db.prepare(`INSERT INTO claim_events (claim_id, seq, action, from_stage, from_status, from_hold, to_stage, to_status, to_hold, actor_kind, actor_id, actor_name, reason, data, at, prev_hash, hash)
      VALUES (@claimId, @seq, @action, @fromStage, @fromStatus, @fromHold, @toStage, @toStatus, @toHold, @actorKind, @actorId, @actorName, @reason, @data, @at, @prevHash, @hash)`),
    scratchError: scratch.prepare('INSERT INTO errors (row_no, col, code, message, value) VALUES (?, ?, ?, ?, ?)'),
    firstErrors: scratch.prepare(
      'SELECT row_no AS rowNo, col AS "column", code, message, value FROM errors ORDER BY row_no LIMIT ?',
    ),
    allErrors: scratch.prepare('SELECT row_no, col, code, message, value FROM errors ORDER BY row_no').raw(),
  };

  return {
    db,
    statements: s,
    begin: () => db.exec('BEGIN IMMEDIATE'),
    commit: () => db.exec('COMMIT'),
    rollback: () => {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    /** Row errors are written in their own small transactions on the scratch connection. */
    recordErrors: scratch.transaction(
      (errors: { rowNo: number; column: string | null; code: string; message: string; value: string }[]) => {
        for (const e of errors) s.scratchError.run(e.rowNo, e.column, e.code, e.message, e.value);
      },
    ),
    /** Insert the batch row; `id` re-creates a batch under the id already announced after a rollback. */
    insertBatch(v: BatchRowValues, createdAt: number, id: number | null = null): number {
      return Number(
        s.insertBatch.run({
          ...v,
          id,
          strict: v.strict ? 1 : 0,
          policy: v.policy === null ? null : JSON.stringify(v.policy),
          createdAt,
        }).lastInsertRowid,
      );
    },
    /** Copy the row errors into the batch's report and record its outcome, in the open transaction. */
    finishBatch(id: number, o: BatchOutcomeValues): void {
      for (const e of s.allErrors.iterate() as IterableIterator<unknown[]>) s.insertError.run(id, ...e);
      s.finishBatch.run({
        id,
        ...o,
        errorsByCode: JSON.stringify(o.errorsByCode),
        screening: JSON.stringify(o.screening),
        warnings: JSON.stringify(o.warnings),
      });
    },
    close(): void {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
      scratch.close();
    },
  };
}
