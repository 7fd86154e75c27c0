/**
 * Session fan-out: 2,000 sockets in 500 rooms on loopback (mediator, colleague, creditor
 * representative, debtor), the debtor of each room sending a chat frame every 100 ms, measured
 * by a client in a separate process (PERF-LIMITS.md §5). The platform (auth, validation, storage
 * before broadcast) is compared with a bare `ws` server broadcasting the same frames in the same
 * run. Budget: p99 under 50 ms with storage on. BENCH_SESSIONS_SECONDS and BENCH_SESSIONS_ROOMS
 * shorten the run.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { claims, organisations, users } from '../../src/db/schema/index.js';
import { systemClock } from '../../src/adapters/clock.js';
import { createFieldCrypto } from '../../src/adapters/field-crypto.js';
import { createMailer } from '../../src/adapters/mail.js';
import { outboxSms, smsOutboxDir } from '../../src/adapters/sms.js';
import { createFileStore } from '../../src/adapters/file-store.js';
import { buildApp } from '../../src/app.js';
import { createReferenceData, seedReferenceData } from '../../src/modules/reference/service.js';
import { seedDemo } from '../../src/modules/admin/demo-seed.js';
import { createRng, sampleClaims, sampleLoanColumns } from '../../src/modules/admin/sample-claims.js';
import { upsertDebtor } from '../../src/modules/debtors/store.js';
import { newToken, sha256 } from '../../src/modules/auth/tokens.js';
import { addDays, shanghaiDate, shanghaiHourUtc } from '../../src/domain/dates.js';
import type { ClientPlan } from './sessions-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SESSIONS_SECONDS ?? 20);
const ROOMS = Number(process.env.BENCH_SESSIONS_ROOMS ?? 500);
const INTERVAL_MS = 100;
const BUDGET_MS = 50;

interface ClientResult {
  sockets: number;
  connectSeconds: number;
  sent: number;
  received: number;
  expected: number;
  errors: number;
  sendSeconds: number;
  clientCores: number;
  p50: number;
  p99: number;
  max: number;
  secondP99s: number[];
}

/** What the serving process measures of itself over the load. */
interface ServerSide {
  serverCores: number;
  /** The longest garbage-collection pause, and how many were major (mark-compact). */
  longestGcMs: number;
  majorGcs: number;
}

/** Run the load client in its own process (this one serves) and read its JSON line; measure this process's CPU over the load. */
function runClient(dir: string, rooms: string[][]): Promise<ClientResult & ServerSide> {
  const planFile = path.join(dir, `plan-${crypto.randomUUID()}.json`);
  fs.writeFileSync(planFile, JSON.stringify({ rooms, seconds: SECONDS, intervalMs: INTERVAL_MS } satisfies ClientPlan));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'sessions-client.ts'), planFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let cpu = process.cpuUsage();
    let started = 0;
    let serverCores = NaN;
    const gc = { longestGcMs: 0, majorGcs: 0 };
    const gcs = new PerformanceObserver((list) => {
      if (!started || !Number.isNaN(serverCores)) return;
      for (const e of list.getEntries()) {
        gc.longestGcMs = Math.max(gc.longestGcMs, e.duration);
        if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gc.majorGcs++;
      }
    });
    gcs.observe({ entryTypes: ['gc'] });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!started && out.includes('load-start')) {
        cpu = process.cpuUsage();
        started = performance.now();
      }
      if (started && Number.isNaN(serverCores) && out.includes('load-end')) {
        const used = process.cpuUsage(cpu);
        serverCores = (used.user + used.system) / 1e3 / (performance.now() - started);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      gcs.disconnect();
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      resolve({ ...(JSON.parse(out.trim().split('\n').pop()!) as ClientResult), serverCores, ...gc });
    });
  });
}

/** The building block: a bare ws server sending each frame to everyone in its room, the sender included. */
async function bare(dir: string): Promise<ClientResult & ServerSide> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  const rooms = new Map<string, Set<WebSocket>>();
  wss.on('connection', (ws, req) => {
    const room = req.url ?? '/';
    if (!rooms.has(room)) rooms.set(room, new Set());
    rooms.get(room)!.add(ws);
    ws.on('message', (data) => {
      for (const peer of rooms.get(room)!) peer.send(data, { binary: false });
    });
    ws.on('close', () => rooms.get(room)!.delete(ws));
  });
  const { port } = wss.address() as { port: number };
  try {
    return await runClient(dir, Array.from({ length: ROOMS }, (_, r) => Array.from({ length: 4 }, () => `ws://127.0.0.1:${port}/room/${r}`)));
  } finally {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
}

/** The platform: a database on disk with the demo data and one open claim per room's debtor. */
async function platform(dir: string): Promise<ClientResult & ServerSide & { stored: number }> {
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', PORT: '0' });
  const dbFile = path.join(dir, 'platform.db');
  const database = openDatabase(dbFile);
  const { db, sqlite } = database;
  const dataKey = crypto.randomBytes(32);
  const fieldCrypto = createFieldCrypto(dataKey);
  seedReferenceData(db);
  const reference = createReferenceData(db);
  await seedDemo({ db, clock: systemClock, crypto: fieldCrypto, reference });
  const now = new Date();
  const today = shanghaiDate(now);
  const orgId = (code: string) => db.select({ id: organisations.id }).from(organisations).where(eq(organisations.code, code)).get()!.id;
  const userId = (username: string) => db.select({ id: users.id }).from(users).where(eq(users.username, username)).get()!.id;
  const creditor = orgId('CRED-A');
  const committee = orgId('PMC-QZ');
  const court = orgId('COURT-LC');

  // One open claim for each of ROOMS distinct debtors.
  const roomClaims: number[] = [];
  const debtorIds: number[] = [];
  db.transaction((tx) => {
    const seen = new Set<number>();
    for (const s of sampleClaims(createRng(5), ROOMS * 2, { asOf: today, prefix: 'BENCH', debtorPool: ROOMS * 50 })) {
      if (roomClaims.length === ROOMS) break;
      const debtor = upsertDebtor(tx, fieldCrypto, s, now);
      if (seen.has(debtor.id)) continue;
      seen.add(debtor.id);
      const claim = tx
        .insert(claims)
        .values({
          creditorOrgId: creditor,
          debtorId: debtor.id,
          ...sampleLoanColumns(s, today),
          stage: 'people_mediation',
          status: 'notified',
          mediationOrgId: committee,
          courtOrgId: court,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: claims.id })
        .get();
      roomClaims.push(claim.id);
      debtorIds.push(debtor.id);
    }
  });
  if (roomClaims.length < ROOMS) throw new Error(`only ${roomClaims.length} distinct debtors were generated`);

  const token = (subject: { userId?: number; debtorId?: number }) => {
    const t = newToken();
    sqlite.prepare('INSERT INTO auth_sessions (token_hash, user_id, debtor_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(sha256(t), subject.userId ?? null, subject.debtorId ?? null, now.getTime(), now.getTime() + 86_400_000);
    return t;
  };
  const mediator = token({ userId: userId('mediator1') });
  const colleague = token({ userId: userId('mediator2') });
  const representative = token({ userId: userId('creditor1') });

  const app = await buildApp({
    config,
    db,
    dbFile,
    clock: systemClock,
    dataKey,
    mailer: createMailer(config),
    sms: outboxSms(smsOutboxDir(dir), systemClock),
    files: createFileStore(path.join(dir, 'files'), dataKey),
  });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    // Tomorrow 10:00 Shanghai: in the future and outside quiet hours whenever the bench runs.
    const scheduledAt = shanghaiHourUtc(addDays(today, 1), 10).toISOString();
    const headers = { authorization: `Bearer ${mediator}` };
    const rooms: string[][] = [];
    for (const [i, claimId] of roomClaims.entries()) {
      const created = await app.inject({ method: 'POST', url: '/api/sessions', headers, payload: { claimIds: [claimId], mode: 'online', scheduledAt } });
      if (created.statusCode !== 201) throw new Error(`session not created: ${created.body}`);
      const id = (created.json() as { id: number }).id;
      const started = await app.inject({ method: 'POST', url: `/api/sessions/${id}/start`, headers });
      if (started.statusCode !== 200) throw new Error(`session not started: ${started.body}`);
      // The debtor first: the first socket of a room is its sender.
      rooms.push([token({ debtorId: debtorIds[i]! }), representative, mediator, colleague].map((t) => `ws://127.0.0.1:${port}/ws/sessions/${id}?token=${t}`));
    }
    const result = await runClient(dir, rooms);
    const stored = (sqlite.prepare("SELECT COUNT(*) AS n FROM session_messages WHERE type = 'chat'").get() as { n: number }).n;
    return { ...result, stored };
  } finally {
    await app.close();
    database.close();
  }
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-bench-sessions-'));
  try {
    console.log(`${ROOMS} rooms × 4 sockets, one sender per room every ${INTERVAL_MS} ms for ${SECONDS} s, client in a separate process`);
    const b = await bare(dir);
    const p = await platform(dir);
    console.log('\n| server | sockets | connect | frames in/s | frames out/s | lost | errors | p50 | p99 | max | seconds with p99 ≥ 50 ms (worst) | GC: longest pause, major | server CPU | client CPU |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const [name, r] of [['bare ws broadcast', b], ['platform (auth, checks, stored before broadcast)', p]] as const) {
      const slow = r.secondP99s.filter((x) => x >= BUDGET_MS).length;
      console.log(
        `| ${name} | ${r.sockets} | ${r.connectSeconds.toFixed(1)} s | ${Math.round(r.sent / r.sendSeconds).toLocaleString('en')} | ${Math.round(r.received / r.sendSeconds).toLocaleString('en')} | ${r.expected - r.received} | ${r.errors} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${slow} of ${r.secondP99s.length} (${ms(Math.max(...r.secondP99s))}) | ${ms(r.longestGcMs)}, ${r.majorGcs} | ${r.serverCores.toFixed(2)} | ${r.clientCores.toFixed(2)} |`,
      );
    }
    console.log(`\nstored chat frames: ${p.stored.toLocaleString('en')} of ${p.sent.toLocaleString('en')} sent`);
    console.log(`p99 ratio platform / bare: ${(p.p99 / b.p99).toFixed(2)}×; p50 ratio ${(p.p50 / b.p50).toFixed(2)}×; delivered ratio ${(p.received / p.sendSeconds / (b.received / b.sendSeconds)).toFixed(2)}`);
    console.log(`budget: p99 < ${BUDGET_MS} ms with storage on: ${p.p99 < BUDGET_MS ? 'met' : 'NOT MET'} (${ms(p.p99)})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
