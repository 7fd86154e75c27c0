/**
 * One server of the sessions benchmark (sessions.ts), in a fresh process of its own: `bare` or
 * `platform`, then the data folder. It serves, runs the load client in a third process, and prints
 * one JSON line: the client's figures and its own over the load (CPU, GC pauses, frames stored).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { type WebSocket, WebSocketServer } from 'ws';
import { systemClock } from '../../src/adapters/clock.js';
import { createFieldCrypto } from '../../src/adapters/field-crypto.js';
import { createFileStore } from '../../src/adapters/file-store.js';
import { createMailer } from '../../src/adapters/mail.js';
import { createRenderPool } from '../../src/adapters/pdf/render-pool.js';
import { createPdfSigner, signingIdentity } from '../../src/adapters/pdf-signer.js';
import { outboxSms, smsOutboxDir } from '../../src/adapters/sms.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startDatabaseThreads } from '../../src/database-threads.js';
import { openDatabase } from '../../src/db/open.js';
import { claims, organisations, users } from '../../src/db/schema/index.js';
import { loanColumns } from '../../src/domain/claim-row.js';
import { addDays, shanghaiDate, shanghaiHourUtc } from '../../src/domain/dates.js';
import { createJobLauncher } from '../../src/jobs/launcher.js';
import { seedDemo } from '../../src/modules/admin/demo-seed.js';
import { createRng, sampleClaims } from '../../src/modules/admin/sample-claims.js';
import { newToken, sha256 } from '../../src/modules/auth/tokens.js';
import { upsertDebtor } from '../../src/modules/debtors/store.js';
import { createReferenceData, seedReferenceData } from '../../src/modules/reference/service.js';
import { type ClientPlan, type ClientResult, INTERVAL_MS, ROOMS, SECONDS, type ServedResult } from './sessions-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Run the load client in its own process (this one serves) and read its JSON line; measure this process's CPU over the load. */
function runClient(dir: string, rooms: string[][]): Promise<ServedResult> {
  const planFile = path.join(dir, `plan-${crypto.randomUUID()}.json`);
  fs.writeFileSync(planFile, JSON.stringify({ rooms, seconds: SECONDS, intervalMs: INTERVAL_MS } satisfies ClientPlan));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'sessions-client.ts'), planFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let cpu = process.cpuUsage();
    let started = 0;
    let serverCores = NaN;
    const gc = { longestGcMs: 0, majorGcs: 0 };
    const gcs = new PerformanceObserver((list) => {
      if (!started || !Number.isNaN(serverCores)) return;
      for (const e of list.getEntries()) {
        gc.longestGcMs = Math.max(gc.longestGcMs, e.duration);
        if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR)
          gc.majorGcs++;
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
async function bare(dir: string): Promise<ServedResult> {
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
    return await runClient(
      dir,
      Array.from({ length: ROOMS }, (_, r) => Array.from({ length: 4 }, () => `ws://127.0.0.1:${port}/room/${r}`)),
    );
  } finally {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
}

/** The platform: a database on disk with the demo data and one open claim per room's debtor. */
async function platform(dir: string): Promise<ServedResult> {
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
  const orgId = (code: string) =>
    db.select({ id: organisations.id }).from(organisations).where(eq(organisations.code, code)).get()!.id;
  const userId = (username: string) =>
    db.select({ id: users.id }).from(users).where(eq(users.username, username)).get()!.id;
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
          ...loanColumns(s, today),
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
    sqlite
      .prepare(
        'INSERT INTO auth_sessions (token_hash, user_id, debtor_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(sha256(t), subject.userId ?? null, subject.debtorId ?? null, now.getTime(), now.getTime() + 86_400_000);
    return t;
  };
  const mediator = token({ userId: userId('mediator1') });
  const colleague = token({ userId: userId('mediator2') });
  const representative = token({ userId: userId('creditor1') });

  const pdf = createRenderPool({ size: config.documentRenderWorkers });
  const app = await buildApp({
    config,
    db,
    ...startDatabaseThreads(database, dbFile, config),
    clock: systemClock,
    dataKey,
    mailer: createMailer(config),
    sms: outboxSms(smsOutboxDir(dir), systemClock),
    signer: createPdfSigner(signingIdentity(config), systemClock),
    files: createFileStore(path.join(dir, 'files'), dataKey),
    pdf,
    jobs: createJobLauncher({ planned: [], dbFile, env: {}, onError: () => {} }),
  });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    // Tomorrow 10:00 Shanghai: in the future and outside quiet hours whenever the bench runs.
    const scheduledAt = shanghaiHourUtc(addDays(today, 1), 10).toISOString();
    const headers = { authorization: `Bearer ${mediator}` };
    const rooms: string[][] = [];
    for (const [i, claimId] of roomClaims.entries()) {
      const created = await app.inject({
        method: 'POST',
        url: '/api/sessions',
        headers,
        payload: { claimIds: [claimId], mode: 'online', scheduledAt },
      });
      if (created.statusCode !== 201) throw new Error(`session not created: ${created.body}`);
      const id = (created.json() as { id: number }).id;
      const started = await app.inject({ method: 'POST', url: `/api/sessions/${id}/start`, headers });
      if (started.statusCode !== 200) throw new Error(`session not started: ${started.body}`);
      // The debtor first: the first socket of a room is its sender.
      rooms.push(
        [token({ debtorId: debtorIds[i]! }), representative, mediator, colleague].map(
          (t) => `ws://127.0.0.1:${port}/ws/sessions/${id}?token=${t}`,
        ),
      );
    }
    const result = await runClient(dir, rooms);
    const stored = (
      sqlite.prepare("SELECT COUNT(*) AS n FROM session_messages WHERE type = 'chat'").get() as { n: number }
    ).n;
    return { ...result, stored };
  } finally {
    await app.close();
    await pdf.close();
    database.close();
  }
}

const [which, dir] = process.argv.slice(2);
if (which !== 'bare' && which !== 'platform') throw new Error('usage: sessions-serve.ts bare|platform <dir>');
console.log(JSON.stringify(await (which === 'bare' ? bare(dir!) : platform(dir!))));
