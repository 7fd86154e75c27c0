/** One measurement of the import benchmark, in its own process; prints a JSON line. */

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fixedClock } from '../../src/adapters/clock.js';
import { createFieldCrypto } from '../../src/adapters/field-crypto.js';
import { DEFAULT_DB_BUSY_TIMEOUT_MS, loadConfig } from '../../src/config.js';
import { openBulkImport } from '../../src/db/bulk-import.js';
import { openDatabase } from '../../src/db/open.js';
import { seedDemo } from '../../src/modules/admin/demo-seed.js';
import { createRng } from '../../src/modules/admin/sample-claims.js';
import { createImporter } from '../../src/modules/batches/import/run-import.js';
import { LiveBatches } from '../../src/modules/batches/live.js';
import { sampleClaimStream } from '../../src/modules/batches/sample-files.js';
import { createBatchService } from '../../src/modules/batches/service.js';
import { spoolCopy } from '../../src/modules/common/spool.js';
import { sealDebtor } from '../../src/modules/debtors/store.js';
import { createReferenceData, seedReferenceData } from '../../src/modules/reference/service.js';

const [mode, file, rowsArg] = process.argv.slice(2) as ['raw' | 'floor' | 'import', string, string];
const rows = Number(rowsArg);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-bench-child-'));
const rssMb = () => process.resourceUsage().maxRSS / 1024;

try {
  if (mode === 'raw') {
    // The building block: the same rows, held in memory before the clock starts, inserted with one
    // prepared statement in one transaction into a table with three indexes (PERF-LIMITS.md §1).
    const data = [...sampleClaimStream(createRng(rows), rows, { asOf: '2026-11-01', prefix: 'BN' })].map((c, i) => [
      i + 1,
      1,
      1,
      c.contractNo,
      c.name,
      c.idNumber,
      c.phone,
      c.address,
      c.principalFen,
      c.interestFen,
      c.penaltyFen,
      c.principalFen + c.interestFen + c.penaltyFen + c.feesFen,
      c.loanDate,
      c.dueDate,
      c.overdueDays,
      'screening',
      c.guarantee,
      Date.now(),
      Date.now(),
      c.email,
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
  } else if (mode === 'floor') {
    // The import's own floor: the rows it writes for each claim (its debtor, the claim, the claim's
    // first event), sealed and hashed before the clock starts, inserted into the platform's schema
    // and indexes with the import's own prepared statements in one transaction.
    const { database, dbFile } = await platformDatabase();
    database.close();
    const fieldCrypto = createFieldCrypto(crypto.randomBytes(32));
    const seen = new Map<string, number>();
    const data = [...sampleClaimStream(createRng(rows), rows, { asOf: '2026-11-01', prefix: 'BN' })].map((c, i) => {
      const debtor = { ...sealDebtor(fieldCrypto, c), now: Date.now() };
      const debtorNo = seen.get(debtor.idNumberHash) ?? seen.size;
      const isNew = !seen.has(debtor.idNumberHash);
      seen.set(debtor.idNumberHash, debtorNo);
      const claim = {
        creditorOrgId: 4,
        batchId: 0,
        contractNo: c.contractNo,
        loanDate: c.loanDate,
        dueDate: c.dueDate,
        principalFen: c.principalFen,
        interestFen: c.interestFen,
        penaltyFen: c.penaltyFen,
        feesFen: c.feesFen,
        annualRateBp: c.annualRateBp,
        overdueSince: c.dueDate,
        guarantee: c.guarantee,
        eServiceConsent: 0,
        loanClass: 'substandard',
        riskScore: 50,
        screening: 'eligible',
        screeningNotes: '[]',
        rateTransition: null,
        limitationExpiresOn: '2029-01-01',
        aboveCapFen: 0,
        stage: 'people_mediation',
        status: 'awaiting_contact',
        litigationAllowed: 1,
        stageDeadline: '2026-12-01',
        mediationOrgId: 1,
        courtOrgId: null,
        assigneeId: null,
        hold: null,
        enforceableTitle: 0,
        creditListing: 0,
        version: 1,
        chainSeq: 0,
        chainHash: '0'.repeat(64),
        createdAt: Date.now(),
        updatedAt: Date.now(),
      };
      const event = {
        seq: 1,
        action: 'screen_eligible',
        fromStage: 'intake',
        fromStatus: 'screening',
        fromHold: null,
        toStage: 'people_mediation',
        toStatus: 'awaiting_contact',
        toHold: null,
        actorKind: 'system',
        actorId: null,
        actorName: 'system',
        reason: 'batch screening',
        at: Date.now(),
        prevHash: '0'.repeat(64),
        hash: crypto.randomBytes(32).toString('hex'),
        data: JSON.stringify({
          batchId: 0,
          rowNo: i + 2,
          screening: 'eligible',
          reasons: [],
          aboveCapFen: 0,
          assigneeId: null,
          deadline: { timer: 'people_mediation', dueOn: '2026-12-01' },
        }),
      };
      return { debtor: isNew ? debtor : null, debtorNo, claim, event };
    });
    const bulk = openBulkImport(dbFile);
    const { statements: s } = bulk;
    const debtorIds: number[] = [];
    const t0 = performance.now();
    const batchId = bulk.insertBatch(
      {
        creditorOrgId: 4,
        reference: null,
        fileName: 'floor.csv',
        fileSha256: null,
        format: 'csv',
        charset: null,
        sheet: null,
        strict: false,
        policy: null,
        mediationOrgId: 1,
        createdByUserId: null,
        createdByApiKeyId: null,
      },
      Date.now(),
      false,
    );
    bulk.begin();
    for (const r of data) {
      if (r.debtor) debtorIds[r.debtorNo] = Number(s.insertDebtor.run(r.debtor).lastInsertRowid);
      const claimId = bulk.insertClaim({ ...r.claim, batchId, debtorId: debtorIds[r.debtorNo]! });
      bulk.insertEvent({ ...r.event, claimId });
      bulk.setChainHead(claimId, r.event);
    }
    bulk.commit();
    const seconds = (performance.now() - t0) / 1000;
    bulk.close();
    console.log(JSON.stringify({ seconds, rows, maxRssMb: rssMb() }));
  } else {
    const { database, dbFile, clock, dataKey, reference } = await platformDatabase();
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', IMPORT_MAX_ROWS: String(rows + 1) });
    const live = new LiveBatches();
    const importer = createImporter(dbFile);
    const batches = createBatchService({ db: database.db, importer, clock, config, dataKey, reference, live });
    // The upload as the route leaves it: a spool file sealed with the data key (spooling is not timed).
    const { file: copy } = await spoolCopy(file, batches.spool);
    const writer = startSmallWriter(dbFile);
    const t0 = performance.now();
    const outcome = await batches.submit(
      { creditorOrgId: 4, userId: null, apiKeyId: null },
      { file: copy, fileName: 'bench.csv', sha256: crypto.randomBytes(32).toString('hex'), format: 'csv' },
      { strict: false, dryRun: false, charset: null, sheet: null, mediationOrg: null, reference: null, policy: {} },
    );
    if (outcome.kind !== 'started') throw new Error(`import did not start: ${JSON.stringify(outcome)}`);
    await batches.waitFor(outcome.batch.id);
    const seconds = (performance.now() - t0) / 1000;
    const writes = writer.stop();
    const batch = batches.get(4, outcome.batch.id);
    if (batch.status !== 'committed') throw new Error(`import failed: ${batch.failureDetail}`);
    database.close();
    console.log(JSON.stringify({ seconds, rows, maxRssMb: rssMb(), accepted: batch.accepted, writes }));
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A platform database with the demo organisations and users, as the import finds it. */
async function platformDatabase() {
  const dbFile = path.join(dir, 'platform.db');
  const database = openDatabase(dbFile);
  const clock = fixedClock('2026-11-01T02:00:00Z');
  const dataKey = crypto.randomBytes(32);
  seedReferenceData(database.db);
  const reference = createReferenceData(database.db);
  await seedDemo({ db: database.db, clock, crypto: createFieldCrypto(dataKey), reference });
  return { database, dbFile, clock, dataKey, reference };
}

/**
 * Another writer while the import runs (issue 20 item 2): one small transaction every 50 ms on a
 * connection of its own with the app's busy timeout; a write that times out is what the app answers 503.
 */
function startSmallWriter(dbFile: string) {
  const db = new Database(dbFile);
  db.pragma(`busy_timeout = ${DEFAULT_DB_BUSY_TIMEOUT_MS}`);
  db.exec('CREATE TABLE IF NOT EXISTS bench_writes (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO bench_writes (at) VALUES (?)');
  const write = db.transaction(() => insert.run(Date.now()));
  const waits: number[] = [];
  let busy = 0;
  const timer = setInterval(() => {
    const t0 = performance.now();
    try {
      write.immediate();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      busy++;
    }
    waits.push(performance.now() - t0);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      db.close();
      waits.sort((a, b) => a - b);
      const p99 = waits[Math.min(waits.length - 1, Math.floor(waits.length * 0.99))] ?? 0;
      return { count: waits.length, p99Ms: p99, maxMs: waits[waits.length - 1] ?? 0, busy };
    },
  };
}
