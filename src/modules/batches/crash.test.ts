/**
 * Killing the process at any point of an import leaves nothing anyone sees: the batch's slices are
 * committed but hidden while it is `committing`, and the next start discards them, so the same file
 * then imports whole.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../adapters/clock.js';
import { createFieldCrypto, loadDataKey } from '../../adapters/field-crypto.js';
import { openDatabase } from '../../db/open.js';
import { seedDemo } from '../admin/demo-seed.js';
import { createRng } from '../admin/sample-claims.js';
import { createReferenceData, seedReferenceData } from '../reference/service.js';
import { discardAbandonedBatches } from './import/abandoned-batches.js';
import { claimRow, sampleClaimStream, writeSampleBatch } from './sample-files.js';

const root = path.resolve(import.meta.dirname, '../../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-crash-'));
const batchFile = path.join(dataDir, 'batch.csv');
// Enough rows that each kill lands with slices committed, few enough to import quickly on a busy machine.
const ROWS = 12_000;

const dbFile = path.join(dataDir, 'platform.db');
const read = <T>(query: string): T => {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(query).get() as T;
  } finally {
    db.close();
  }
};
type Counts = { claims: number; debtors: number; events: number; committed: number; errors: number };
/** What anyone can see: the claims of committing batches are hidden (claims/access.ts). */
const HIDDEN = "coalesce(batch_id, 0) in (select id from batches where status = 'committing')";
const visible = () =>
  read<Counts>(`select (select count(*) from claims where not ${HIDDEN}) claims,
    (select count(*) from claim_events where claim_id in (select id from claims where not ${HIDDEN})) events,
    (select count(*) from debtors where id in (select debtor_id from claims where not ${HIDDEN})) debtors,
    (select count(*) from batches where status = 'committed') committed,
    (select count(*) from batch_row_errors where batch_id in (select id from batches where status = 'committed')) errors`);
/** Everything in the database, seen or not. */
const stored = () =>
  read<Counts>(`select (select count(*) from claims) claims, (select count(*) from claim_events) events,
    (select count(*) from debtors) debtors, (select count(*) from batches where status = 'committed') committed,
    (select count(*) from batch_row_errors) errors`);
const statuses = () =>
  read<{ committing: number; failed: number }>(
    "select (select count(*) from batches where status = 'committing') committing, (select count(*) from batches where status = 'failed') failed",
  );

function runImport(
  killAfterRows: number | null,
): Promise<{ code: number | null; signal: string | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', batchFile, '--creditor', 'CRED-A'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const watch = (chunk: Buffer) => {
    output += chunk;
    const rows = [...output.matchAll(/([\d,]+) rows /g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    if (killAfterRows !== null && rows.some((n) => n >= killAfterRows)) child.kill('SIGKILL');
  };
  child.stdout.on('data', watch);
  child.stderr.on('data', watch);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
}

describe('an import killed midway', () => {
  beforeAll(async () => {
    const database = openDatabase(path.join(dataDir, 'platform.db'));
    seedReferenceData(database.db);
    await seedDemo({
      db: database.db,
      clock: fixedClock('2026-11-20T02:00:00Z'),
      crypto: createFieldCrypto(loadDataKey(dataDir, null)),
      reference: createReferenceData(database.db),
    });
    database.close();
    await writeSampleBatch(
      batchFile,
      'csv-utf8',
      (function* () {
        for (const c of sampleClaimStream(createRng(42), ROWS, { asOf: '2026-11-01', prefix: 'KILL' }))
          yield claimRow(c);
      })(),
    );
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('leaves nothing visible at any of several points, discards it on the next start, and the file then imports whole', async () => {
    const before = stored();
    // Early, midway and near the end (the last slices and the flip).
    const points = [1000, 6000, ROWS - 3000];
    for (const [i, point] of points.entries()) {
      const killed = await runImport(point);
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.output).not.toMatch(/状态：已导入/);
      // Its slices are in the database, and nobody sees them.
      expect(stored().claims).toBeGreaterThan(before.claims);
      expect(visible()).toEqual(before);
      // Each start discarded the batch the kill before it left.
      expect(statuses()).toEqual({ committing: 1, failed: i });
    }
    const db = new Database(dbFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    // What a start does: the writer's process is gone, so its batch goes.
    expect(discardAbandonedBatches(dbFile)).toHaveLength(1);
    expect(stored()).toEqual(before);
    expect(statuses()).toEqual({ committing: 0, failed: points.length });

    // Nothing blocks sending the same file again, and it makes exactly one whole batch.
    const again = await runImport(null);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/状态：已导入/);
    const after = stored();
    expect(after).toEqual(visible());
    // One screening event per row, and a limitation recount for each claim that entered mediation.
    const recounted = read<{ n: number }>(
      "select count(*) n from claim_events where action = 'limitation.recounted'",
    ).n;
    expect(recounted).toBeGreaterThan(0);
    expect(after).toMatchObject({
      claims: before.claims + ROWS,
      events: before.events + ROWS + recounted,
      committed: before.committed + 1,
    });
  }, 300_000);
});
