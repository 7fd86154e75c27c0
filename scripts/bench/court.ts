/**
 * Batch court operations (issue 16 item 10): a batch escalation and a batch filing of BENCH_COURT_CLAIMS
 * claims (default 10,000) through POST /api/claims/actions' job — each claim in its own transaction
 * with its item, through the lifecycle engine, its court case and its chained event — against the same
 * transitions and court cases with bare prepared statements in the same run, each on its own copy of
 * the same database file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixedClock } from '../../src/adapters/clock.js';
import { createFieldCrypto } from '../../src/adapters/field-crypto.js';
import { openDatabase } from '../../src/db/open.js';
import type { Principal } from '../../src/modules/auth/principal.js';
import { createClaimActionService } from '../../src/modules/claim-actions/service.js';
import { createClaimService } from '../../src/modules/claims/service.js';
import { createConfirmationService } from '../../src/modules/court/confirmation.js';
import { createCourtRecordService } from '../../src/modules/court/court-record-service.js';
import { createReferenceData, seedReferenceData } from '../../src/modules/reference/service.js';
import { type ChainHead, type RawClaim, rawClaimWriter } from './raw-claim-writes.js';

const CLAIMS = Number(process.env.BENCH_COURT_CLAIMS ?? 10_000);
const NOW = new Date('2026-12-21T02:00:00.000Z');
const COURT_CODE = '闽0502';
// One key for the build and the run: the claims list reads the debtor's masked ID number.
const FIELDS = createFieldCrypto(crypto.randomBytes(32));

/** CLAIMS claims whose people's mediation failed (to escalate) and CLAIMS whose court mediation failed (to file). */
function build(file: string): { creditorOrgId: number; userId: number } {
  const { sqlite, db, close } = openDatabase(file);
  seedReferenceData(db);
  const at = NOW.getTime() - 40 * 86_400_000;
  const org = sqlite.prepare('insert into organisations (kind, code, name, created_at) values (?, ?, ?, ?)');
  const creditor = Number(org.run('creditor', 'BENCH-C', '基准债权人', at).lastInsertRowid);
  const committee = org.run('mediation_committee', 'BENCH-M', '基准调解委员会', at).lastInsertRowid;
  const court = sqlite
    .prepare('insert into organisations (kind, code, name, court_code, created_at) values (?, ?, ?, ?, ?)')
    .run('court', 'BENCH-CT', '基准法院', COURT_CODE, at).lastInsertRowid;
  const user = Number(
    sqlite
      .prepare(
        "insert into users (org_id, username, display_name, role, password_hash, created_at) values (?, 'bench', '基准', 'creditor', 'x', ?)",
      )
      .run(creditor, at).lastInsertRowid,
  );
  const debtor = sqlite
    .prepare('insert into debtors (name, id_number_enc, id_number_hash, created_at, updated_at) values (?, ?, ?, ?, ?)')
    .run('基准', FIELDS.encrypt('350502199001011234'), 'bench', at, at).lastInsertRowid;
  const insert = sqlite.prepare(
    `insert into claims (creditor_org_id, debtor_id, contract_no, loan_date, due_date, principal_fen, overdue_since,
       stage, status, mediation_org_id, court_org_id, created_at, updated_at)
     values (?, ?, ?, '2025-01-01', '2025-06-01', 100000, '2025-06-02', ?, 'failed', ?, ?, ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < CLAIMS; i++) {
      insert.run(creditor, debtor, `BE${i}`, 'people_mediation', committee, court, at, at);
      insert.run(creditor, debtor, `BF${i}`, 'court_mediation', committee, court, at, at);
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  close();
  return { creditorOrgId: creditor, userId: user };
}

type Measure = { claims: number; seconds: number };

/** Both operations with bare prepared statements, one transaction per 1,000 claims. */
function raw(file: string): { escalate: Measure; file: Measure } {
  const { sqlite, db, close } = openDatabase(file);
  const actor = { kind: 'creditor', id: 1, name: 'bench' } as const;
  const writer = rawClaimWriter(sqlite, createReferenceData(db).calendar(), actor, NOW);
  const select = sqlite.prepare(
    `select id, stage, status, hold, stage_deadline stageDeadline, version, chain_seq seq, chain_hash hash,
       court_org_id courtOrgId from claims where stage = ? and status = 'failed' order by id`,
  );
  const measure = (stage: string, action: string, kind: 'pre_litigation_mediation' | 'first_instance') => {
    const started = performance.now();
    const rows = select.all(stage) as (RawClaim & ChainHead)[];
    const write = sqlite.transaction((slice: typeof rows) => {
      for (const c of slice) {
        const court = writer.openCase(c, kind, kind === 'pre_litigation_mediation' ? COURT_CODE : null);
        const moved = writer.step(c, action, c, 'bench', court);
        writer.save({ ...moved.claim, version: c.version }, 1, moved.head);
      }
    });
    for (let i = 0; i < rows.length; i += 1000) write(rows.slice(i, i + 1000));
    return { claims: rows.length, seconds: (performance.now() - started) / 1000 };
  };
  const result = {
    escalate: measure('people_mediation', 'escalate', 'pre_litigation_mediation'),
    file: measure('court_mediation', 'file_suit', 'first_instance'),
  };
  close();
  return result;
}

/** Both operations as the batch job runs them, each over every claim of its stage by filter. */
async function job(
  file: string,
  creditor: { creditorOrgId: number; userId: number },
): Promise<{ escalate: Measure; file: Measure }> {
  const { db, close } = openDatabase(file);
  const clock = fixedClock(NOW);
  const reference = createReferenceData(db);
  const claims = createClaimService({ db, clock, crypto: FIELDS, reference });
  const actions = createClaimActionService({
    db,
    clock,
    claims,
    confirmations: createConfirmationService({ db, clock, reference }),
    records: createCourtRecordService({ db, clock, reference }),
    listClaims: (p, f) => claims.list(p, f),
  });
  const principal: Principal = {
    kind: 'user',
    role: 'creditor',
    userId: creditor.userId,
    orgId: creditor.creditorOrgId,
    orgKind: 'creditor',
    name: 'bench',
  };
  const measure = async (stage: 'people_mediation' | 'court_mediation', action: 'escalate' | 'file_suit') => {
    const started = performance.now();
    const { job } = actions.start(principal, {
      action,
      filter: { stage, status: 'failed' },
      clientKey: `bench-${action}`,
    });
    let now = job;
    while (now.status === 'running') {
      await sleep(20);
      now = actions.summary(principal, job.id);
    }
    if (now.done !== CLAIMS) throw new Error(`${action}: ${now.done} of ${CLAIMS} done, ${now.refused} refused`);
    return { claims: now.done, seconds: (performance.now() - started) / 1000 };
  };
  const result = {
    escalate: await measure('people_mediation', 'escalate'),
    file: await measure('court_mediation', 'file_suit'),
  };
  await actions.close();
  close();
  return result;
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-bench-court-'));
  try {
    const base = path.join(dir, 'base.db');
    const creditor = build(base);
    const rawFile = path.join(dir, 'raw.db');
    const jobFile = path.join(dir, 'job.db');
    fs.copyFileSync(base, rawFile);
    fs.copyFileSync(base, jobFile);
    fs.rmSync(base);
    const r = raw(rawFile);
    const j = await job(jobFile, creditor);
    const perS = (m: Measure) => Math.round(m.claims / m.seconds).toLocaleString('en');
    console.log(
      '\n| operation | claims | raw prepared statements claims/s | batch job claims/s | ratio (job time / raw time) |',
    );
    console.log('|---|---|---|---|---|');
    for (const [name, label] of [
      ['escalate', 'batch escalation (民诉前调 case numbered)'],
      ['file', 'batch filing (民初 case opened)'],
    ] as const)
      console.log(
        `| ${label} | ${CLAIMS.toLocaleString('en')} | ${perS(r[name])} | ${perS(j[name])} | ${(j[name].seconds / r[name].seconds).toFixed(2)} |`,
      );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
