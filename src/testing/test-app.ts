/**
 * Build the real app for a test as the server builds it: a fresh SQLite file in a temporary folder
 * with the committed migrations and the threads beside it, a fixed clock, and optionally the demo
 * data. Close it when the test ends: the folder goes with it.
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { fixedClock } from '../adapters/clock.js';
import { createFieldCrypto, type FieldCrypto } from '../adapters/field-crypto.js';
import { createFileStore } from '../adapters/file-store.js';
import { createMailer, type Mailer } from '../adapters/mail.js';
import { fontSetup } from '../adapters/pdf/font-files.js';
import { createRenderPool } from '../adapters/pdf/render-pool.js';
import { createPdfSigner, signingIdentity } from '../adapters/pdf-signer.js';
import { outboxSms, smsOutboxDir } from '../adapters/sms.js';
import { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { startDatabaseThreads } from '../database-threads.js';
import { type OpenedDatabase, openDatabase } from '../db/open.js';
import { createJobLauncher } from '../jobs/launcher.js';
import { planSchedule } from '../jobs/schedule.js';
import { DEMO_PASSWORD, seedDemo } from '../modules/admin/demo-seed.js';
import { createReferenceData, type ReferenceData, seedReferenceData } from '../modules/reference/service.js';

export const TEST_NOW = '2026-11-20T02:00:00.000Z';

export interface TestApp {
  app: FastifyInstance;
  database: OpenedDatabase;
  db: OpenedDatabase['db'];
  clock: ReturnType<typeof fixedClock>;
  crypto: FieldCrypto;
  reference: ReferenceData;
  config: Config;
  /** Text messages the SMS outbox driver wrote, oldest first. */
  smsSent(): { to: string; text: string; at: string }[];
  /** Everything the app logged, as text. */
  logs(): string;
  /** Sign in a demo user and answer the bearer token. */
  login(username: string, password?: string): Promise<string>;
  /** Headers carrying a demo user's token. */
  as(username: string): Promise<{ authorization: string }>;
  dataDir: string;
  close(): Promise<void>;
  /** Stop the app as a server stops and start a new one on the same folder, database and data key. */
  restart(): Promise<TestApp>;
}

export interface TestAppOptions {
  /** Seed the demo data (default true). */
  seed?: boolean;
  env?: Record<string, string>;
  /** A mailer of the test's own; by default mail goes to the outbox folder. */
  mailer?: Mailer;
  /** The folder of an app that stopped (restart): its database is reopened, not seeded. */
  dataDir?: string;
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  // Every test app has a folder of its own for the database and scratch files.
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-test-'));
  const env = { LOG_LEVEL: 'info', DATA_DIR: dataDir, ...opts.env };
  const config = loadConfig(env);
  const dbFile = path.join(dataDir, 'platform.db');
  const database = openDatabase(dbFile, { busyTimeoutMs: config.dbBusyTimeoutMs });
  const clock = fixedClock(TEST_NOW);
  // DATA_KEY in `env` fixes the key, for tests whose worker threads open the same data themselves.
  const dataKey = config.dataKey ? Buffer.from(config.dataKey, 'base64') : crypto.randomBytes(32);
  const fieldCrypto = createFieldCrypto(dataKey);
  seedReferenceData(database.db);
  const reference = createReferenceData(database.db);
  if (opts.seed !== false && !opts.dataDir) await seedDemo({ db: database.db, clock, crypto: fieldCrypto, reference });

  const logStream = new PassThrough();
  const chunks: Buffer[] = [];
  logStream.on('data', (c: Buffer) => chunks.push(c));
  const mailer = opts.mailer ?? createMailer(config);
  const pdf = createRenderPool({ size: config.documentRenderWorkers, fonts: fontSetup(config.documentExtendedFont) });
  const app = await buildApp({
    config,
    db: database.db,
    ...startDatabaseThreads(database, dbFile, config),
    clock,
    dataKey,
    logStream,
    mailer,
    sms: outboxSms(smsOutboxDir(dataDir), clock),
    // As the server's: the key is generated into the test's folder the first time something is signed.
    signer: createPdfSigner(signingIdentity(config), clock),
    files: createFileStore(path.join(dataDir, 'files'), dataKey),
    pdf,
    // Jobs an admin starts open the same database and data key; they log nothing.
    jobs: createJobLauncher({
      planned: planSchedule(config, {}),
      dbFile,
      env: { ...env, LOG_LEVEL: 'silent', DATA_KEY: dataKey.toString('base64') },
      onError: (job, err) => logStream.write(`${JSON.stringify({ job, err: String(err) })}\n`),
    }),
  });
  await app.ready();

  const stop = async () => {
    await app.close();
    await pdf.close();
    database.close();
  };
  const tokens = new Map<string, string>();
  const login = async (username: string, password = DEMO_PASSWORD) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    return (res.json() as { token: string }).token;
  };
  return {
    app,
    database,
    db: database.db,
    clock,
    crypto: fieldCrypto,
    reference,
    config,
    dataDir,
    logs: () => Buffer.concat(chunks).toString('utf8'),
    smsSent: () => {
      const dir = smsOutboxDir(dataDir);
      if (!fs.existsSync(dir)) return [];
      return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    },
    login,
    async as(username) {
      if (!tokens.has(username)) tokens.set(username, await login(username));
      return { authorization: `Bearer ${tokens.get(username)}` };
    },
    async close() {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      return createTestApp({ ...opts, dataDir, env: { ...opts.env, DATA_KEY: dataKey.toString('base64') } });
    },
  };
}
