/** One measurement of the import benchmark, in its own process; prints a JSON line. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { createFieldCrypto } from '../../src/adapters/field-crypto.js';
import { fixedClock } from '../../src/adapters/clock.js';
import { createReferenceData, seedReferenceData } from '../../src/modules/reference/service.js';
import { seedDemo } from '../../src/modules/admin/demo-seed.js';
import { createBatchService } from '../../src/modules/batches/service.js';
import { LiveBatches } from '../../src/modules/batches/live.js';
import { createRng } from '../../src/modules/admin/sample-claims.js';
import { sampleClaimStream } from '../../src/modules/batches/sample-files.js';

const [mode, file, rowsArg] = process.argv.slice(2) as ['raw' | 'import', string, string];
const rows = Number(rowsArg);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-bench-child-'));
const rssMb = () => process.resourceUsage().maxRSS / 1024;

try {
  if (mode === 'raw') {
    // The building block: the same rows, held in memory before the clock starts, inserted with one
    // prepared statement in one transaction into a table with three indexes (PERF-LIMITS.md §1).
    const data = [...sampleClaimStream(createRng(rows), rows, { asOf: '2026-11-01', prefix: 'BN' })].map((c, i) => [
      i + 1, 1, 1, c.contractNo, c.name, c.idNumber, c.phone, c.address, c.principalFen, c.interestFen, c.penaltyFen,
      c.principalFen + c.interestFen + c.penaltyFen + c.feesFen, c.loanDate, c.dueDate, c.overdueDays, 'screening', c.guarantee, Date.now(), Date.now(), c.email,
    ]);
    const db = new Database(path.join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE claims (id INTEGER PRIMARY KEY, batch_id INT, creditor_id INT, contract_no TEXT, debtor_name TEXT, id_number TEXT, phone TEXT,
      address TEXT, principal INT, interest INT, penalty INT, total INT, loan_date TEXT, due_date TEXT, overdue_days INT, status TEXT, product TEXT,
      created_at INT, updated_at INT, remark TEXT);
      CREATE INDEX c1 ON claims(creditor_id, status); CREATE INDEX c2 ON claims(id_number); CREATE INDEX c3 ON claims(contract_no);`);
    const insert = db.prepare(`INSERT INTO claims VALUES (${Array(20).fill('?').join(',')})`);
    const t0 = performance.now();
    db.transaction((all: unknown[][]) => {
      for (const r of all) insert.run(r);
    })(data);
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    console.log(JSON.stringify({ seconds, rows, maxRssMb: rssMb() }));
  } else {
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', IMPORT_MAX_ROWS: String(rows + 1) });
    const dbFile = path.join(dir, 'platform.db');
    const database = openDatabase(dbFile);
    const clock = fixedClock('2026-11-01T02:00:00Z');
    const dataKey = crypto.randomBytes(32);
    seedReferenceData(database.db);
    const reference = createReferenceData(database.db);
    await seedDemo({ db: database.db, clock, crypto: createFieldCrypto(dataKey), reference });
    const live = new LiveBatches();
    const batches = createBatchService({ db: database.db, dbFile, clock, config, dataKey, reference, live });
    const copy = path.join(dir, 'upload.csv');
    fs.copyFileSync(file, copy);
    const t0 = performance.now();
    const outcome = await batches.submit(
      { creditorOrgId: 4, userId: null, apiKeyId: null },
      { file: copy, fileName: 'bench.csv', sha256: crypto.randomBytes(32).toString('hex'), format: 'csv' },
      { strict: false, dryRun: false, charset: null, sheet: null, mediationOrg: null, reference: null, policy: {} },
    );
    if (outcome.kind !== 'started') throw new Error(`import did not start: ${JSON.stringify(outcome)}`);
    await batches.waitFor(outcome.batch.id);
    const seconds = (performance.now() - t0) / 1000;
    const batch = batches.get(4, outcome.batch.id);
    if (batch.status !== 'committed') throw new Error(`import failed: ${batch.failureDetail}`);
    database.close();
    console.log(JSON.stringify({ seconds, rows, maxRssMb: rssMb(), accepted: batch.accepted }));
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
