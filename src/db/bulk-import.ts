/**
 * The bulk path of batch imports: prepared statements on a connection of its own. drizzle's insert
 * builder costs about 7× SQLite itself here (PERF-LIMITS.md §2), so the hot loop is plain SQL,
 * portable apart from the SQLite transaction commands kept in this file.
 */
import Database from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { type Batch, type Claim, type ClaimEvent, claimEvents, claims } from './schema/index.js';

/** The batch row an import starts with. */
export type BatchRowValues = Pick<
  Batch,
  | 'creditorOrgId'
  | 'reference'
  | 'fileName'
  | 'fileSha256'
  | 'format'
  | 'charset'
  | 'sheet'
  | 'strict'
  | 'policy'
  | 'mediationOrgId'
  | 'createdByUserId'
  | 'createdByApiKeyId'
>;

/** What a finished import records on its batch row. */
export type BatchOutcomeValues = Pick<Batch, 'total' | 'accepted' | 'rejected' | 'skipped' | 'failureDetail'> & {
  status: 'committed' | 'failed';
  errorsByCode: Record<string, number>;
  screening: Record<string, number>;
  warnings: string[];
  finishedAt: number;
};

/** A row of `T` as a statement binds it: every column by its key, JSON as text, flags as 0/1, instants as epoch ms. */
type BoundRow<T> = { [K in keyof T]: string | number | null };

/** A claim row as the import inserts it. */
export type ClaimParams = BoundRow<Omit<Claim, 'id'>>;
/** What a correction leaves as it was: who owes the claim to whom, from which batch, and its history. */
const KEPT_ON_CORRECTION = [
  'id',
  'creditorOrgId',
  'debtorId',
  'batchId',
  'contractNo',
  'hold',
  'enforceableTitle',
  'creditListing',
  'version',
  'chainSeq',
  'chainHash',
  'createdAt',
] as const satisfies readonly (keyof Claim)[];
/** The columns a correction sets. */
export type CorrectionParams = BoundRow<Omit<Claim, (typeof KEPT_ON_CORRECTION)[number]>>;
export type EventParams = BoundRow<Omit<ClaimEvent, 'id'>>;

/** The column keys of `table` but `except`, and the columns' names. */
function columnsOf(table: SQLiteTable, except: readonly string[]) {
  const keys = Object.keys(getTableColumns(table)).filter((k) => !except.includes(k));
  return { keys, names: keys.map((k) => `"${toSnakeCase(k)}"`) };
}

/** UPDATE of every column but `except`, bound by key. */
function updateSql(table: SQLiteTable, except: readonly string[]): string {
  const { keys, names } = columnsOf(table, except);
  return `UPDATE "${getTableName(table)}" SET ${keys.map((k, i) => `${names[i]} = @${k}`).join(', ')}`;
}

/** INSERT of every column but `except`, bound by key: the statement follows the schema. */
function insertSql(table: SQLiteTable, except: readonly string[]): string {
  const { keys, names } = columnsOf(table, except);
  return `INSERT INTO "${getTableName(table)}" (${names.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`;
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
      db.prepare(`SELECT c.id, c.batch_id AS batchId, c.stage, c.status, c.chain_seq AS chainSeq, c.chain_hash AS chainHash,
      d.id_number_hash AS idNumberHash FROM claims c JOIN debtors d ON d.id = c.debtor_id
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
    insertClaim: db.prepare(insertSql(claims, ['id'])),
    // A claim that needed fixing takes the corrected data and is screened again.
    correctClaim: db.prepare(`${updateSql(claims, KEPT_ON_CORRECTION)}, version = version + 1 WHERE id = @id`),
    insertEvent: db.prepare(insertSql(claimEvents, ['id'])),
    setChainHead: db.prepare('UPDATE claims SET chain_seq = ?, chain_hash = ? WHERE id = ?'),
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
    /** Insert a claim; answers its id. */
    insertClaim: (v: ClaimParams): number => Number(s.insertClaim.run(v).lastInsertRowid),
    correctClaim: (id: number, v: CorrectionParams): void => void s.correctClaim.run({ ...v, id }),
    insertEvent: (v: EventParams): void => void s.insertEvent.run(v),
    /** Record a claim's last event on its row, after its events are inserted. */
    setChainHead: (claimId: number, head: { seq: number; hash: string }): void =>
      void s.setChainHead.run(head.seq, head.hash, claimId),
    close(): void {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
      scratch.close();
    },
  };
}
