/** Entry point: configuration → database → app → listen; clean shutdown on SIGINT/SIGTERM. */
import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { systemClock } from './adapters/clock.js';
import { createFieldCrypto, loadDataKey } from './adapters/field-crypto.js';
import { createFileStore } from './adapters/file-store.js';
import { createMailer } from './adapters/mail.js';
import { fontSetup } from './adapters/pdf/font-files.js';
import { createRenderPool } from './adapters/pdf/render-pool.js';
import { createPdfSigner, signingIdentity } from './adapters/pdf-signer.js';
import { outboxSms, smsOutboxDir } from './adapters/sms.js';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { startDatabaseThreads } from './database-threads.js';
import { openDatabase } from './db/open.js';
import { createJobLauncher } from './jobs/launcher.js';
import { planSchedule } from './jobs/schedule.js';
import { type Scheduler, startScheduler } from './jobs/scheduler.js';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './modules/admin/demo-seed.js';
import { createReferenceData, seedReferenceData } from './modules/reference/service.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // A malformed schedule setting stops the start here, before anything is opened.
  const jobs = planSchedule(config, process.env);
  const dbFile = path.join(config.dataDir, 'platform.db');
  const database = openDatabase(dbFile, { busyTimeoutMs: config.dbBusyTimeoutMs });
  const dataKey = loadDataKey(config.dataDir, config.dataKey);
  const crypto = createFieldCrypto(dataKey);
  const clock = systemClock;
  seedReferenceData(database.db);
  const seeded =
    config.demoSeed &&
    (await seedDemo({ db: database.db, clock, crypto, reference: createReferenceData(database.db) }));

  const mailer = createMailer(config);
  const pdf = createRenderPool({ size: config.documentRenderWorkers, fonts: fontSetup(config.documentExtendedFont) });
  const app = await buildApp({
    config,
    db: database.db,
    ...startDatabaseThreads(database, dbFile, config),
    clock,
    dataKey,
    mailer,
    sms: outboxSms(smsOutboxDir(config.dataDir), clock),
    signer: createPdfSigner(signingIdentity(config), clock),
    files: createFileStore(path.join(config.dataDir, 'files'), dataKey),
    pdf,
    jobs: createJobLauncher({
      planned: jobs,
      dbFile,
      env: process.env,
      onError: (job, err) => app.log.error({ job, err }, 'job failed'),
    }),
  });
  app.addHook('onClose', async () => mailer.close());
  app.addHook('onClose', async () => database.close());

  let scheduler: Scheduler | null = null;
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    // Jobs first: they use the database the app closes.
    await scheduler?.stop();
    await app.close();
    // After the app: closing it lets the documents being rendered finish.
    await pdf.close();
  });

  await app.listen({ host: config.host, port: config.port });
  scheduler = await startScheduler({ config, dbFile, env: process.env, log: app.log, jobs });
  if (seeded) app.log.info('demo data seeded');
  if (config.demoSeed) {
    console.log(`\nDemo logins (demo data only), password "${DEMO_PASSWORD}": ${DEMO_LOGINS.join(', ')}`);
    console.log(`API documentation: ${config.publicUrl}/docs\n`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
