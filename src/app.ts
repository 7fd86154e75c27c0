/**
 * buildApp: the whole HTTP application from its dependencies. The server and every test build it the
 * same way; every outside effect (database, clock, crypto, mail, SMS, log stream) is passed in.
 */

import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Clock } from './adapters/clock.js';
import { createFieldCrypto } from './adapters/field-crypto.js';
import type { FileStore } from './adapters/file-store.js';
import type { Mailer } from './adapters/mail.js';
import type { PdfRenderer } from './adapters/pdf/render-pool.js';
import type { PdfSigner } from './adapters/pdf-signer.js';
import type { SmsChannel } from './adapters/sms.js';
import type { Config } from './config.js';
import type { DatabaseThreads } from './database-threads.js';
import type { DB } from './db/open.js';
import type { JobLauncher } from './jobs/launcher.js';
import { adminRoutes } from './modules/admin/routes.js';
import { createAdminService } from './modules/admin/service.js';
import { agreementRoutes } from './modules/agreements/routes.js';
import { createAgreementService } from './modules/agreements/service.js';
import { authRoutes } from './modules/auth/routes.js';
import { createAuthService } from './modules/auth/service.js';
import { LiveBatches } from './modules/batches/live.js';
import { batchRoutes } from './modules/batches/routes.js';
import { createBatchService } from './modules/batches/service.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { createCalendarService, warnAboutUnloadedYears } from './modules/calendar/service.js';
import { claimActionRoutes } from './modules/claim-actions/routes.js';
import { createClaimActionService } from './modules/claim-actions/service.js';
import { claimRoutes, lifecycleRoutes } from './modules/claims/routes.js';
import { ClaimSchema } from './modules/claims/schemas.js';
import { createClaimService } from './modules/claims/service.js';
import { ProblemSchema } from './modules/common/schemas.js';
import { createConfirmationService } from './modules/court/confirmation.js';
import { createCourtRecordService } from './modules/court/court-record-service.js';
import { createMediationStatementService } from './modules/court/mediation-statement.js';
import { createRepairCertificates } from './modules/court/repair-certificates.js';
import { courtRoutes } from './modules/court/routes.js';
import { deliveryRoutes } from './modules/deliveries/routes.js';
import { createDeliveryService } from './modules/deliveries/service.js';
import { LiveDocumentJobs } from './modules/documents/live.js';
import { documentRoutes } from './modules/documents/routes.js';
import { createDocumentService } from './modules/documents/service.js';
import { templateRoutes } from './modules/documents/template-routes.js';
import { createTemplateService } from './modules/documents/template-service.js';
import { verifyRoutes } from './modules/documents/verify-routes.js';
import { createFilingArchives } from './modules/filing-lists/archive.js';
import { filingListRoutes } from './modules/filing-lists/routes.js';
import { createFilingListService } from './modules/filing-lists/service.js';
import { healthRoutes } from './modules/health/routes.js';
import { jobRoutes } from './modules/jobs/routes.js';
import { createJobService } from './modules/jobs/service.js';
import { meansRoutes } from './modules/means/routes.js';
import { createMeansService } from './modules/means/service.js';
import { messageRoutes } from './modules/messages/routes.js';
import { createMessageService } from './modules/messages/service.js';
import { createHardshipService } from './modules/objections/hardship.js';
import { objectionRoutes } from './modules/objections/routes.js';
import { createObjectionService } from './modules/objections/service.js';
import { paymentRoutes } from './modules/payments/routes.js';
import { createPaymentService } from './modules/payments/service.js';
import { planRoutes } from './modules/plans/routes.js';
import { createPlanService } from './modules/plans/service.js';
import { createDebtorIdentity } from './modules/portal/identity.js';
import { portalPages } from './modules/portal/pages.js';
import { portalRoutes } from './modules/portal/routes.js';
import { createPortalService } from './modules/portal/service.js';
import { createReferenceData } from './modules/reference/service.js';
import { sessionRoutes } from './modules/sessions/routes.js';
import { createSessionService } from './modules/sessions/service.js';
import { statsRoutes } from './modules/stats/routes.js';
import { createStatsService } from './modules/stats/service.js';
import { STAFF_WEB_DIR, staffPages } from './modules/web/routes.js';
import authPlugin, { sessionCookieFor } from './plugins/auth.js';
import errorHandler from './plugins/error-handler.js';
import liveSockets from './plugins/live-sockets.js';
import openapi from './plugins/openapi.js';
import securityHeaders from './plugins/security-headers.js';
import { installValidators } from './plugins/validation.js';
import wellFormedText from './plugins/well-formed-text.js';
import { APP_VERSION } from './version.js';

/** The threads (checkpointer, frame store, importer) work on the database file beside `db`; the app stops them. */
export interface AppDeps extends DatabaseThreads {
  config: Config;
  db: DB;
  clock: Clock;
  /** Key of the personal-data encryption (see loadDataKey). */
  dataKey: Buffer;
  mailer: Mailer;
  sms: SmsChannel;
  /** The platform's PDF signature (PAdES) for confirmed agreements. */
  signer: PdfSigner;
  /** Encrypted storage for generated documents and uploaded evidence. */
  files: FileStore;
  /** Renders documents and session records off the event loop; its owner closes it after the app. */
  pdf: PdfRenderer;
  /** Starts a job now in a worker thread (the admin's "run now"); the app stops its runs on close. */
  jobs: JobLauncher;
  /** Where log lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  logStream?: NodeJS.WritableStream;
}

/** Log options: no query strings (they can hold names), no headers, no bodies. */
function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, clock, frameStore } = deps;
  const crypto = createFieldCrypto(deps.dataKey);
  const reference = createReferenceData(db);
  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onClose', () => deps.checkpointer.stop());
  frameStore.onFailure((err) =>
    app.log.error({ err }, 'frame store thread failed; storing frames on the main connection'),
  );

  installValidators(app);
  app.addSchema(ProblemSchema);
  app.addSchema(ClaimSchema);

  await app.register(errorHandler, { bodyLimit: config.bodyLimitBytes });
  await app.register(wellFormedText);
  await app.register(securityHeaders, { publicUrl: config.publicUrl });
  // Per-address limits on the public routes that say so in `config.rateLimit` (keyed by request.ip, so TRUST_PROXY counts).
  await app.register(rateLimit, { global: false });
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: config.importMaxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(openapi, { version: APP_VERSION, publicUrl: config.publicUrl });

  const auth = createAuthService({ db, clock, ...config });
  const sessionCookie = sessionCookieFor(config.publicUrl);
  await app.register(authPlugin, { auth, cookie: sessionCookie, publicUrl: config.publicUrl });
  await app.register(liveSockets, { auth, cookieName: sessionCookie.name });

  // The API documentation is public; its routes come from a library, so mark them here.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), access: 'public' } as typeof route.config;
    });
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });

  const calendar = createCalendarService({ db, reference });
  await app.register(healthRoutes, {
    version: APP_VERSION,
    checkDatabase: () => db.get<{ ok: number }>(sql`select 1 as ok`)?.ok === 1,
    calendarYears: () => calendar.loadedYears().map((y) => y.year),
    fonts: deps.pdf.fonts,
  });
  await app.register(calendarRoutes, { calendar });
  app.addHook('onReady', async () => warnAboutUnloadedYears(calendar, app.log));
  await app.register(authRoutes, { auth, cookie: sessionCookie });
  await app.register(adminRoutes, { admin: createAdminService({ db, clock }) });
  app.addHook('onClose', () => deps.jobs.close());
  await app.register(jobRoutes, { jobs: createJobService({ db, clock, launcher: deps.jobs }) });
  await app.register(messageRoutes, { messages: createMessageService({ db }) });
  const claimService = createClaimService({
    db,
    clock,
    crypto,
    reference,
    // Bound late: the certificates need the documents, which are built below.
    afterStep: (claimId, action) => certificates.afterStep(claimId, action),
  });
  await app.register(claimRoutes, { claims: claimService });
  const batches = createBatchService({
    db,
    importer: deps.importer,
    clock,
    config,
    dataKey: deps.dataKey,
    reference,
    live: new LiveBatches(),
    onCrash: (detail) => app.log.error({ detail }, 'import worker crashed'),
  });
  // Nothing of ours can be running yet: spool files left by an import that a crash cut short go now.
  batches.removeLeftovers();
  app.addHook('onClose', () => {
    batches.close();
    return deps.importer.close();
  });
  await app.register(batchRoutes, {
    batches,
    maxFileBytes: config.importMaxBytes,
    maxJsonBytes: config.importJsonMaxBytes,
  });
  await app.register(lifecycleRoutes);
  await app.register(statsRoutes, { stats: createStatsService({ db, clock, findBatch: batches.get }) });
  // Legal documents: templates (the defaults in templates/ are checked and seeded now), PDFs rendered
  // on worker threads, the registry and the public verify page.
  const templates = createTemplateService({ db, clock, fonts: deps.pdf.coverage });
  templates.seedDefaults();
  const documents = createDocumentService({
    db,
    clock,
    crypto,
    files: deps.files,
    publicUrl: config.publicUrl,
    templates,
    calendar: () => reference.calendar(),
    pdf: deps.pdf,
    signer: deps.signer,
    listClaims: (principal, filter) => claimService.list(principal, filter),
    live: new LiveDocumentJobs(),
    batchMaxClaims: config.documentBatchMaxClaims,
    onJobError: (jobId, err) => app.log.error({ jobId, err }, 'document job failed'),
  });
  documents.markInterruptedJobs();
  app.addHook('onClose', () => documents.close());
  const certificates = createRepairCertificates({
    db,
    clock,
    reference,
    documents,
    onError: (claimId, err) => app.log.error({ claimId, err }, 'credit repair certificate failed'),
  });
  app.addHook('onReady', async () => certificates.sweep());
  await app.register(documentRoutes, { documents });
  await app.register(templateRoutes, { templates, pdf: deps.pdf, clock });
  await app.register(verifyRoutes, { documents });
  // The debtor portal and its staff side: objections, hardship requests, statements of means.
  const objections = createObjectionService({
    db,
    clock,
    crypto,
    files: deps.files,
    reference,
    replyDays: config.objectionReplyDays,
  });
  const hardship = createHardshipService({
    db,
    clock,
    crypto,
    files: deps.files,
    reference,
    maxInstalments: config.hardshipMaxInstalments,
  });
  await app.register(portalRoutes, {
    identity: createDebtorIdentity({ db, clock, crypto, sms: deps.sms, auth, config }),
    portal: createPortalService({ db, clock, reference, objections, documents }),
    objections,
    hardship,
    uploads: { maxBytes: config.attachmentMaxBytes, maxFiles: config.attachmentMaxFiles },
    cookie: sessionCookie,
  });
  await app.register(objectionRoutes, { objections, hardship });
  await app.register(paymentRoutes, {
    payments: createPaymentService({
      db,
      clock,
      reference,
      files: deps.files,
      importMaxFieldBytes: config.importMaxFieldBytes,
      importMaxRows: config.importMaxRows,
      dataKey: deps.dataKey,
    }),
    spool: batches.spool,
    maxFileBytes: config.importMaxBytes,
    receipts: { maxBytes: config.attachmentMaxBytes, maxFiles: config.attachmentMaxFiles },
  });
  const confirmations = createConfirmationService({ db, clock, reference });
  const courtRecords = createCourtRecordService({ db, clock, reference });
  const claimActions = createClaimActionService({
    db,
    clock,
    claims: claimService,
    confirmations,
    records: courtRecords,
    listClaims: (principal, filter) => claimService.list(principal, filter),
    onItemError: (jobId, claimId, err) => app.log.error({ jobId, claimId, err }, 'claim action failed'),
  });
  claimActions.markInterrupted();
  // Before the database closes (onClose): the jobs' last claim and their status are writes.
  app.addHook('preClose', () => claimActions.close());
  // After the batch jobs, whose certifications it follows; before the database closes.
  app.addHook('preClose', () => certificates.close());
  await app.register(claimActionRoutes, { actions: claimActions });
  await app.register(courtRoutes, {
    confirmations,
    statements: createMediationStatementService({ db, clock, reference }),
    records: courtRecords,
  });
  await app.register(filingListRoutes, {
    lists: createFilingListService({ db, clock }),
    archives: createFilingArchives({ db, clock, pdf: deps.pdf, documents, publicUrl: config.publicUrl }),
  });
  await app.register(meansRoutes, { means: createMeansService({ db, clock, reference }) });
  await app.register(planRoutes, {
    plans: createPlanService({ db, clock, reference, hardshipMaxInstalments: config.hardshipMaxInstalments }),
  });
  await app.register(portalPages);
  await app.register(staffPages, { dir: STAFF_WEB_DIR });
  // Sending is the scheduler's job (src/jobs), started by the server: buildApp runs no timers.
  await app.register(deliveryRoutes, {
    deliveries: createDeliveryService({ db, clock, crypto, reference, publicUrl: config.publicUrl }),
  });

  // Live mediation sessions: the rooms close with the app (clients resume with hello and lastSeq).
  const sessions = createSessionService({
    db,
    clock,
    crypto,
    reference,
    publicUrl: config.publicUrl,
    hardshipMaxInstalments: config.hardshipMaxInstalments,
    frameStore,
    pdf: deps.pdf,
    socket: {
      heartbeatMs: config.sessionHeartbeatSeconds * 1000,
      maxBufferedBytes: config.sessionSendBufferBytes,
      framesPerSecond: config.sessionFramesPerSecond,
      chatMaxBytes: config.sessionChatMaxBytes,
      maxQueuedFrames: config.sessionQueueMaxFrames,
    },
    documents,
    onError: (err, what) => app.log.error({ err }, what),
  });
  app.addHook('preClose', async () => sessions.close());
  // Last, once the hooks above have stopped any import: its write lock is what the store's last batch may wait for.
  app.addHook('onClose', () => frameStore.close());
  await app.register(sessionRoutes, { sessions });
  const agreements = createAgreementService(
    { db, clock, crypto, sms: deps.sms, documents, publicUrl: config.publicUrl, config },
    (settlementId, err) => app.log.error({ settlementId, err }, 'signing a confirmed agreement failed'),
  );
  app.addHook('onReady', async () => agreements.sweep());
  await app.register(agreementRoutes, { agreements });

  return app;
}
