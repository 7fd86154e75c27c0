/**
 * The bulk path of batch imports: prepared statements on a connection of its own. drizzle's insert
 * builder costs about 7× SQLite itself here (PERF-LIMITS.md §2), so the hot loop is plain SQL,
 * portable apart from the SQLite transaction commands kept in this file. An import commits in short
 * slices into the real tables while its batch is `committing` (claims/access.ts hides such claims);
 * one last short transaction flips it, or `discardBatch` removes what it wrote.
 */
import Database from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { claimTallies } from './funnel-tallies.js';
import { type Batch, type Claim, type ClaimEvent, claimEvents, claims, type Debtor } from './schema/index.js';

/** The details a known debtor's row in a batch refreshes. */
export type DebtorDetails = Pick<Debtor, 'name' | 'phoneEnc' | 'phoneHash' | 'addressEnc' | 'emailEnc'>;

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

export interface RowErrorValues {
  rowNo: number;
  column: string | null;
  code: string;
  message: string;
  value: string;
}

/** Open `dbFile` for one import. */
export function openBulkImport(dbFile: string) {
  const db = new Database(dbFile);
  db.pragma('busy_timeout = 30000');
  // Every reference the import writes comes from rows it has just read or written (creditor, batch,
  // mediation organisation, court, mediator, debtor, claim), so the per-row foreign-key lookups
  // would check what is true by construction; they cost ~10% of a row.
  db.pragma('foreign_keys = OFF');
  db.pragma('synchronous = NORMAL');
  // A large page cache keeps the random-key indexes (contract numbers, ID hashes) from thrashing;
  // it is a fixed amount, so memory stays flat however large the batch.
  db.pragma('cache_size = -131072');

  const s = {
    insertBatch:
      db.prepare(`INSERT INTO batches (creditor_org_id, reference, file_name, file_sha256, format, charset, sheet, status, strict, policy, mediation_org_id, created_by_user_id, created_by_api_key_id, importer_pid, heartbeat_at, dry_run, created_at)
      VALUES (@creditorOrgId, @reference, @fileName, @fileSha256, @format, @charset, @sheet, 'committing', @strict, @policy, @mediationOrgId, @createdByUserId, @createdByApiKeyId, @pid, @beat, @dryRun, @createdAt)`),
    heartbeat: db.prepare("UPDATE batches SET heartbeat_at = ? WHERE id = ? AND status = 'committing'"),
    earlierCommitting: db
      .prepare("SELECT 1 FROM batches WHERE creditor_org_id = ? AND status = 'committing' AND id < ? LIMIT 1")
      .pluck(),
    finishBatch:
      db.prepare(`UPDATE batches SET status = @status, total = @total, accepted = @accepted, rejected = @rejected, skipped = @skipped,
      errors_by_code = @errorsByCode, screening = @screening, warnings = @warnings, failure_detail = @failureDetail, finished_at = @finishedAt,
      importer_pid = NULL, heartbeat_at = NULL WHERE id = @id`),
    insertError: db.prepare(
      `INSERT INTO batch_row_errors (batch_id, row_no, "column", code, message, value_masked) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    firstErrors: db.prepare(
      'SELECT row_no AS rowNo, "column", code, message, value_masked AS value FROM batch_row_errors WHERE batch_id = ? ORDER BY row_no, id LIMIT ?',
    ),
    findClaim:
      db.prepare(`SELECT c.id, c.batch_id AS batchId, c.stage, c.status, c.chain_seq AS chainSeq, c.chain_hash AS chainHash,
      d.id_number_hash AS idNumberHash FROM claims c JOIN debtors d ON d.id = c.debtor_id
      WHERE c.creditor_org_id = ? AND c.contract_no = ?`),
    findDebtor: db.prepare('SELECT id FROM debtors WHERE id_number_hash = ?').pluck(),
    insertDebtor:
      db.prepare(`INSERT INTO debtors (name, id_number_enc, id_number_hash, phone_enc, phone_hash, address_enc, email_enc, created_at, updated_at)
      VALUES (@name, @idNumberEnc, @idNumberHash, @phoneEnc, @phoneHash, @addressEnc, @emailEnc, @now, @now)`),
    // Newer contact details replace older ones, a detail the file leaves empty keeps what we had, and
    // they are applied when the batch flips.
    stageDebtorUpdate:
      db.prepare(`INSERT INTO import_debtor_updates (batch_id, debtor_id, name, phone_enc, phone_hash, address_enc, email_enc)
      VALUES (@batchId, @id, @name, @phoneEnc, @phoneHash, @addressEnc, @emailEnc)
      ON CONFLICT (batch_id, debtor_id) DO UPDATE SET name = excluded.name, phone_enc = excluded.phone_enc, phone_hash = excluded.phone_hash,
      address_enc = COALESCE(excluded.address_enc, address_enc), email_enc = COALESCE(excluded.email_enc, email_enc)`),
    applyDebtorUpdates:
      db.prepare(`UPDATE debtors SET name = u.name, phone_enc = u.phone_enc, phone_hash = u.phone_hash,
      address_enc = COALESCE(u.address_enc, debtors.address_enc), email_enc = COALESCE(u.email_enc, debtors.email_enc), updated_at = @now
      FROM import_debtor_updates u WHERE u.batch_id = @batchId AND debtors.id = u.debtor_id`),
    stageCorrection: db.prepare(
      'INSERT INTO import_corrections (batch_id, claim_id, row) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    stagedCorrections: db.prepare('SELECT row FROM import_corrections WHERE batch_id = ? ORDER BY claim_id').pluck(),
    openAssignee: db
      .prepare(`SELECT assignee_id FROM claims WHERE creditor_org_id = ? AND debtor_id = ? AND assignee_id IS NOT NULL AND stage <> 'closed'
      ORDER BY id DESC LIMIT 1`)
      .pluck(),
    insertClaim: db.prepare(insertSql(claims, ['id'])),
    // A claim that needed fixing takes the corrected data and is screened again.
    correctClaim: db.prepare(`${updateSql(claims, KEPT_ON_CORRECTION)}, version = version + 1 WHERE id = @id`),
    insertEvent: db.prepare(insertSql(claimEvents, ['id'])),
    setChainHead: db.prepare('UPDATE claims SET chain_seq = ?, chain_hash = ? WHERE id = ?'),
  };

  // This connection has no tally triggers (db/funnel-tallies.ts): the claims a slice writes or
  // corrects are added to the funnel tallies whole when it commits.
  const tallies = claimTallies(db);
  /** The first and last claim the open slice inserted (consecutive ids), and the claims it corrected. */
  let inserted: { first: number; last: number } | null = null;
  let corrected: number[] = [];
  const addTallies = () => {
    if (inserted) tallies.add(inserted.first, inserted.last);
    for (const id of corrected) tallies.add(id, id);
    inserted = null;
    corrected = [];
  };

  return {
    db,
    statements: s,
    begin: () => {
      inserted = null;
      corrected = [];
      db.exec('BEGIN IMMEDIATE');
    },
    commit: () => {
      addTallies();
      db.exec('COMMIT');
    },
    /** Insert and commit the batch row, so a repeat of the upload finds it while it imports. */
    insertBatch(v: BatchRowValues, createdAt: number, dryRun: boolean): number {
      return Number(
        s.insertBatch.run({
          ...v,
          // A dry run holds neither the file nor the reference: it makes no batch.
          fileSha256: dryRun ? null : v.fileSha256,
          reference: dryRun ? null : v.reference,
          strict: v.strict ? 1 : 0,
          policy: v.policy === null ? null : JSON.stringify(v.policy),
          pid: process.pid,
          // The heartbeat is the machine's time, whatever clock the batch is dated by.
          beat: Date.now(),
          dryRun: dryRun ? 1 : 0,
          createdAt,
        }).lastInsertRowid,
      );
    },
    heartbeat: (id: number) => void s.heartbeat.run(Date.now(), id),
    /** Whether an earlier batch of the creditor is still being written (by a live writer, or until the sweep ends it). */
    earlierCommitting: (creditorOrgId: number, id: number): boolean => s.earlierCommitting.get(creditorOrgId, id) === 1,
    recordErrors(batchId: number, errors: RowErrorValues[]): void {
      for (const e of errors) s.insertError.run(batchId, e.rowNo, e.column, e.code, e.message, e.value);
    },
    firstErrors: (batchId: number, limit: number) => s.firstErrors.all(batchId, limit) as RowErrorValues[],
    /** A known debtor's new details, applied when the batch flips. */
    stageDebtorUpdate: (batchId: number, id: number, d: DebtorDetails): void =>
      void s.stageDebtorUpdate.run({
        name: d.name,
        phoneEnc: d.phoneEnc,
        phoneHash: d.phoneHash,
        addressEnc: d.addressEnc,
        emailEnc: d.emailEnc,
        batchId,
        id,
      }),
    /** Stage a correction of `claimId`; false when this batch already corrects it. */
    stageCorrection: (batchId: number, claimId: number, row: unknown): boolean =>
      s.stageCorrection.run(batchId, claimId, JSON.stringify(row)).changes === 1,
    // Read whole: the corrections write while they are applied, which an open cursor forbids.
    stagedCorrections: (batchId: number) => s.stagedCorrections.all(batchId) as string[],
    applyDebtorUpdates: (batchId: number, now: number): void => void s.applyDebtorUpdates.run({ batchId, now }),
    /** Record the batch's outcome and drop what it staged, in the open transaction. */
    finishBatch(id: number, o: BatchOutcomeValues): void {
      dropStaged(db, id);
      s.finishBatch.run({
        id,
        ...o,
        errorsByCode: JSON.stringify(o.errorsByCode),
        screening: JSON.stringify(o.screening),
        warnings: JSON.stringify(o.warnings),
      });
    },
    /** Insert a claim; answers its id. */
    insertClaim: (v: ClaimParams): number => {
      const id = Number(s.insertClaim.run(v).lastInsertRowid);
      inserted = { first: inserted?.first ?? id, last: id };
      return id;
    },
    /** Correct a claim: its tallies are taken as they stood, and added again as they end when the slice commits. */
    correctClaim: (id: number, v: CorrectionParams): void => {
      tallies.take(id, id);
      s.correctClaim.run({ ...v, id });
      corrected.push(id);
    },
    insertEvent: (v: EventParams): void => void s.insertEvent.run(v),
    /** Record a claim's last event on its row, after its events are inserted. */
    setChainHead: (claimId: number, head: { seq: number; hash: string }): void =>
      void s.setChainHead.run(head.seq, head.hash, claimId),
    close(): void {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    },
  };
}

function dropStaged(db: Database.Database, batchId: number): void {
  db.prepare('DELETE FROM import_debtor_updates WHERE batch_id = ?').run(batchId);
  db.prepare('DELETE FROM import_corrections WHERE batch_id = ?').run(batchId);
}

/** Claims removed per transaction by a discard: well under the import's own slices. */
const DISCARD_CLAIMS = 500;

/** Whether batch `id` is still `committing`: a writer and a discard each check it in every transaction. */
export function stillCommitting(db: Database.Database, id: number): boolean {
  return !!db.prepare("SELECT 1 FROM batches WHERE id = ? AND status = 'committing'").get(id);
}

/**
 * Remove in short transactions what the committing batch `batchId` wrote (its claims, their events,
 * the debtors only it had created, what it staged); the transaction that removes the last of them
 * records the batch `failed` with `outcome`, or drops it whole with its errors when it was a dry
 * run. A batch that is no longer committing (flipped, or discarded by someone else) is left alone.
 * `pause` runs between transactions.
 */
export function discardBatch(
  db: Database.Database,
  batchId: number,
  outcome: BatchOutcomeValues,
  pause: () => void = () => {},
): void {
  const batch = db
    .prepare('SELECT created_at AS createdAt, dry_run AS dryRun FROM batches WHERE id = ?')
    .get(batchId) as { createdAt: number; dryRun: number } | undefined;
  if (!batch) return;
  const some = db.prepare('SELECT id, debtor_id AS debtorId FROM claims WHERE batch_id = ? LIMIT ?');
  const dropEvents = db.prepare('DELETE FROM claim_events WHERE claim_id = ?');
  const dropClaim = db.prepare('DELETE FROM claims WHERE id = ?');
  // A debtor the batch created carries its instant; one another claim has meanwhile taken stays.
  const dropDebtor = db.prepare(
    'DELETE FROM debtors WHERE id = ? AND created_at = ? AND NOT EXISTS (SELECT 1 FROM claims WHERE debtor_id = debtors.id)',
  );
  const close = () => {
    dropStaged(db, batchId);
    // Whatever the connection, the batch's tallies were its claims' alone.
    db.prepare('DELETE FROM funnel_tallies WHERE batch_id = ?').run(batchId);
    if (batch.dryRun) {
      db.prepare('DELETE FROM batch_row_errors WHERE batch_id = ?').run(batchId);
      db.prepare('DELETE FROM batches WHERE id = ?').run(batchId);
      return;
    }
    db.prepare(`UPDATE batches SET status = 'failed', total = @total, accepted = 0, rejected = @rejected, skipped = 0,
      errors_by_code = @errorsByCode, screening = '{}', warnings = @warnings, failure_detail = @failureDetail,
      finished_at = @finishedAt, importer_pid = NULL, heartbeat_at = NULL WHERE id = @id`).run({
      id: batchId,
      total: outcome.total,
      rejected: outcome.rejected,
      errorsByCode: JSON.stringify(outcome.errorsByCode),
      warnings: JSON.stringify(outcome.warnings),
      failureDetail: outcome.failureDetail,
      finishedAt: outcome.finishedAt,
    });
  };
  /** One slice; true when the discard is over. */
  const slice = db.transaction((): boolean => {
    if (!stillCommitting(db, batchId)) return true;
    const rows = some.all(batchId, DISCARD_CLAIMS) as { id: number; debtorId: number }[];
    for (const r of rows) {
      dropEvents.run(r.id);
      dropClaim.run(r.id);
      dropDebtor.run(r.debtorId, batch.createdAt);
    }
    if (rows.length === DISCARD_CLAIMS) return false;
    close();
    return true;
  });
  while (!slice.immediate()) pause();
}
