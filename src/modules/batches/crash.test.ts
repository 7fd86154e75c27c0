/**
 * Killing the process in the middle of an import leaves the database as it was before the batch:
 * the import is one transaction, and a killed transaction never commits.
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
import { claimRow, sampleClaimStream, writeSampleBatch } from './sample-files.js';

const root = path.resolve(import.meta.dirname, '../../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-crash-'));
const batchFile = path.join(dataDir, 'batch.csv');
// Enough rows that the kill lands mid-transaction, few enough to import quickly on a busy machine.
const ROWS = 20_000;

const counts = () => {
  const db = new Database(path.join(dataDir, 'platform.db'), { readonly: true });
  try {
    return db
      .prepare(
        'select (select count(*) from claims) claims, (select count(*) from debtors) debtors, (select count(*) from batches) batches, (select count(*) from claim_events) events, (select count(*) from batch_row_errors) errors',
      )
      .get();
  } finally {
    db.close();
  }
};

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

  it('leaves the database exactly as it was, and the same file imports cleanly afterwards', async () => {
    const before = counts();
    const killed = await runImport(2000);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.output).not.toMatch(/状态：已导入/);
    expect(counts()).toEqual(before);
    const db = new Database(path.join(dataDir, 'platform.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const again = await runImport(null);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/状态：已导入/);
    expect((counts() as { claims: number }).claims).toBe((before as { claims: number }).claims + ROWS);
  }, 180_000);
});
