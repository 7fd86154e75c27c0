/**
 * The stage time-limit sweep: claims/s over BENCH_JOBS_CLAIMS claims (default 1,000,000) of which 10%
 * are past their deadline, run as the job runs (its main(): listing, claims in job_items under a lease,
 * time_out and escalate through the lifecycle engine with their chained events, short write slices
 * with a pause as long), against the same writes with bare prepared statements in the same run: per
 * due claim the claim row and its two events, hashed by the same chain function, in one transaction
 * per 1,000 claims. Each runs on its own copy of the same database file. Then the funnel statistics
 * over the swept database (stats.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../src/adapters/clock.js';
import { openDatabase } from '../../src/db/open.js';
import { addDays, shanghaiDate } from '../../src/domain/dates.js';
import { main as stageTimeLimits } from '../../src/jobs/stage-time-limits.js';
import { createReferenceData, seedReferenceData } from '../../src/modules/reference/service.js';
import { type ChainHead, type RawClaim, rawClaimWriter } from './raw-claim-writes.js';
import { measureStats } from './stats.js';

const CLAIMS = Number(process.env.BENCH_JOBS_CLAIMS ?? 1_000_000);
const DUE_SHARE = 0.1;
const NOW = new Date('2026-12-21T02:00:00.000Z');
const SYSTEM = { kind: 'system', id: null, name: 'claims.stage-time-limits' } as const;

/**
 * A database with CLAIMS claims in people's mediation, notified, every tenth one past its deadline,
 * each with the two events of its history (screened into people's mediation, notified).
 */
function build(file: string): void {
  const { sqlite, db, close } = openDatabase(file);
  seedReferenceData(db);
  const at = NOW.getTime() - 40 * 86_400_000;
  const org = sqlite.prepare('insert into organisations (kind, code, name, created_at) values (?, ?, ?, ?)');
  const creditor = org.run('creditor', 'BENCH-C', '基准债权人', at).lastInsertRowid;
  const committee = org.run('mediation_committee', 'BENCH-M', '基准调解委员会', at).lastInsertRowid;
  const court = sqlite
    .prepare('insert into organisations (kind, code, name, court_code, created_at) values (?, ?, ?, ?, ?)')
    .run('court', 'BENCH-CT', '基准法院', '闽0502', at).lastInsertRowid;
  const debtor = sqlite
    .prepare('insert into debtors (name, id_number_enc, id_number_hash, created_at, updated_at) values (?, ?, ?, ?, ?)')
    .run('基准', 'x', 'bench', at, at).lastInsertRowid;
  const insert = sqlite.prepare(
    `insert into claims (creditor_org_id, debtor_id, contract_no, loan_date, due_date, principal_fen, overdue_since,
       stage, status, stage_deadline, mediation_org_id, court_org_id, chain_seq, chain_hash, created_at, updated_at)
     values (?, ?, ?, '2025-01-01', '2025-06-01', 100000, '2025-06-02', 'people_mediation', 'notified', ?, ?, ?, 2, 'h2', ?, ?)`,
  );
  const event = sqlite.prepare(
    `insert into claim_events (claim_id, seq, action, from_stage, from_status, to_stage, to_status, actor_kind, actor_name, at, prev_hash, hash)
     values (?, ?, ?, ?, ?, 'people_mediation', ?, 'system', 'bench', ?, ?, ?)`,
  );
  const past = addDays(shanghaiDate(NOW), -5);
  const future = addDays(shanghaiDate(NOW), 20);
  const perDue = Math.round(1 / DUE_SHARE);
  sqlite.transaction(() => {
    for (let i = 0; i < CLAIMS; i++) {
      const id = insert.run(
        creditor,
        debtor,
        `BJ${i}`,
        i % perDue === 0 ? past : future,
        committee,
        court,
        at,
        at,
      ).lastInsertRowid;
      event.run(id, 1, 'screen_eligible', 'intake', 'screening', 'awaiting_contact', at, 'h0', 'h1');
      event.run(id, 2, 'notify', 'people_mediation', 'awaiting_contact', 'notified', at + 86_400_000, 'h1', 'h2');
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  close();
}

/**
 * The same writes with bare prepared statements: per due claim the claim row, its court's 民诉前调 case
 * under the next number, and two chained events.
 */
function raw(file: string): { claims: number; seconds: number } {
  const { sqlite, db, close } = openDatabase(file);
  const writer = rawClaimWriter(sqlite, createReferenceData(db).calendar(), SYSTEM, NOW);
  const started = performance.now();
  const due = sqlite
    .prepare(
      `select id, stage, status, hold, stage_deadline stageDeadline, version, chain_seq seq, chain_hash hash,
         court_org_id courtOrgId from claims
       where stage_deadline < ? and stage in ('people_mediation', 'court_mediation')
         and status in ('awaiting_contact', 'notified', 'in_session') and hold is null
       order by stage_deadline, id`,
    )
    .all(shanghaiDate(NOW)) as (RawClaim & ChainHead)[];
  const write = sqlite.transaction((slice: typeof due) => {
    for (const c of slice) {
      const failed = writer.step(c, 'time_out', c, 'Mediation time limit');
      const court = writer.openCase(failed.claim, 'pre_litigation_mediation', '闽0502');
      const escalated = writer.step(failed.claim, 'escalate', failed.head, 'Mediation time limit', court);
      writer.save({ ...escalated.claim, version: c.version }, 2, escalated.head);
    }
  });
  for (let i = 0; i < due.length; i += 1000) write(due.slice(i, i + 1000));
  const seconds = (performance.now() - started) / 1000;
  close();
  return { claims: due.length, seconds };
}

async function job(file: string, dataDir: string): Promise<{ claims: number; seconds: number }> {
  const env = { DATA_DIR: dataDir, DATA_KEY: crypto.randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' };
  const started = performance.now();
  const summary = await stageTimeLimits({ env, dbFile: file, clock: fixedClock(NOW) });
  return { claims: summary.done, seconds: (performance.now() - started) / 1000 };
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-bench-jobs-'));
  try {
    const base = path.join(dir, 'base.db');
    const t0 = performance.now();
    build(base);
    console.log(
      `built ${CLAIMS.toLocaleString('en')} claims (10% due) with 2 events each in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const rawFile = path.join(dir, 'raw', 'platform.db');
    const jobFile = path.join(dir, 'job', 'platform.db');
    for (const f of [rawFile, jobFile]) {
      fs.mkdirSync(path.dirname(f));
      fs.copyFileSync(base, f);
    }
    fs.rmSync(base);
    const r = raw(rawFile);
    const j = await job(jobFile, path.dirname(jobFile));
    if (j.claims !== r.claims) throw new Error(`the job did ${j.claims} claims, the raw statements ${r.claims}`);
    const perS = (m: { claims: number; seconds: number }) => Math.round(m.claims / m.seconds).toLocaleString('en');
    console.log('\n| claims | due | raw prepared statements claims/s | job claims/s | ratio (job time / raw time) |');
    console.log('|---|---|---|---|---|');
    console.log(
      `| ${CLAIMS.toLocaleString('en')} | ${r.claims.toLocaleString('en')} | ${perS(r)} | ${perS(j)} | ${(j.seconds / r.seconds).toFixed(2)} |`,
    );
    console.log(
      '\nThe job writes in slices of at most 25 ms with a pause as long after each (so the server is never kept waiting): about half its time is those pauses.',
    );
    // The funnel statistics over the swept claims (their time-outs and escalations are events).
    measureStats(jobFile, CLAIMS);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
