/** Batch imports: accepting a file, checking its header, running the import, reporting on it. */
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, countDistinct, desc, eq, gt, isNull, ne, or } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/open.js';
import {
  type Batch,
  batches,
  batchRowErrors,
  claims,
  type Organisation,
  organisations,
  users,
} from '../../db/schema/index.js';
import { mapHeader } from '../../domain/batch-columns.js';
import { csvSafe } from '../../domain/cell-values.js';
import { shanghaiDate } from '../../domain/dates.js';
import { rowIssueZh } from '../../error-catalogue.js';
import { AppError, notFound } from '../../errors.js';
import type { SettlementPolicy } from '../admin/schemas.js';
import { type Principal, staffOrgId } from '../auth/principal.js';
import type { ReferenceData } from '../reference/service.js';
import type { ImportResult, SheetFormat } from './import/protocol.js';
import type { Importer } from './import/run-import.js';
import type { LiveBatches } from './live.js';
import { type OpenedSheet, openImportFile, ReaderError } from './readers/open-import-file.js';
import type { BatchOptions, BatchView, DryRunReport } from './schemas.js';

export interface BatchServiceDeps {
  db: DB;
  importer: Importer;
  clock: Clock;
  config: Config;
  dataKey: Buffer;
  reference: ReferenceData;
  live: LiveBatches;
  onCrash?: (detail: string) => void;
}

/** Who sends a batch: the creditor organisation and the user or API key acting for it. */
export interface Submitter {
  creditorOrgId: number;
  userId: number | null;
  apiKeyId: number | null;
}

/** The submitter a signed-in principal is. */
export function submitterOf(principal: Principal): Submitter {
  return {
    creditorOrgId: staffOrgId(principal),
    userId: principal.kind === 'user' ? principal.userId : null,
    apiKeyId: principal.kind === 'api_key' ? principal.apiKeyId : null,
  };
}

export interface Upload {
  /** A file the service now owns: it is removed when the import ends. */
  file: string;
  fileName: string | null;
  sha256: string;
  format: SheetFormat;
}

export type SubmitOutcome =
  | { kind: 'existing'; batch: BatchView }
  | { kind: 'started'; batch: BatchView }
  | { kind: 'dry_run'; report: DryRunReport };

const DEFAULT_POLICY: SettlementPolicy = {
  maxDiscountPct: 20,
  maxInstalments: 12,
  minFirstPaymentPct: 10,
  litigationAllowed: true,
};
// Rows per message between the workers: large enough to amortise messaging, small enough to stay flat.
const CHUNK_ROWS = 2000;
const DRY_RUN_ERRORS = 1000;

export type BatchService = ReturnType<typeof createBatchService>;

export function createBatchService(deps: BatchServiceDeps) {
  const { db, clock, config, live } = deps;
  const scratchDir = path.join(config.dataDir, 'tmp');
  const uploadDir = path.join(config.dataDir, 'uploads');

  const creditorOf = (submitter: Submitter): Organisation => {
    const org = db.select().from(organisations).where(eq(organisations.id, submitter.creditorOrgId)).get();
    if (org?.kind !== 'creditor') throw new AppError('forbidden', 'Only creditors import batches.');
    return org;
  };

  function view(b: Batch): BatchView {
    return {
      id: b.id,
      status: b.status,
      reference: b.reference,
      fileName: b.fileName,
      format: b.format,
      charset: b.charset,
      strict: b.strict,
      total: b.total,
      accepted: b.accepted,
      rejected: b.rejected,
      skipped: b.skipped,
      errorsByCode: b.errorsByCode ?? {},
      screening: b.screening ?? {},
      warnings: b.warnings ?? [],
      failureDetail: b.failureDetail,
      mediationOrgId: b.mediationOrgId,
      progress: null,
      createdAt: b.createdAt.toISOString(),
      finishedAt: b.finishedAt?.toISOString() ?? null,
    };
  }

  function liveView(id: number): BatchView | null {
    const b = live.get(id);
    if (!b) return null;
    return {
      id,
      status: b.status,
      reference: b.reference,
      fileName: b.fileName,
      format: b.format,
      charset: b.charset,
      strict: b.strict,
      total: b.progress.rowsRead,
      accepted: b.progress.rowsWritten,
      rejected: 0,
      skipped: 0,
      errorsByCode: {},
      screening: {},
      warnings: [],
      failureDetail: null,
      mediationOrgId: b.mediationOrgId,
      progress: b.progress,
      createdAt: b.createdAt.toISOString(),
      finishedAt: null,
    };
  }

  /** The same file or the same reference already sent by this creditor, running or done. */
  function findExisting(creditorOrgId: number, sha256: string, reference: string | null): BatchView | null {
    const running = live
      .all()
      .find(
        (b) =>
          b.creditorOrgId === creditorOrgId &&
          (b.fileSha256 === sha256 || (reference !== null && b.reference === reference)),
      );
    if (running) return liveView(running.id);
    const row = db
      .select()
      .from(batches)
      .where(
        and(
          eq(batches.creditorOrgId, creditorOrgId),
          or(eq(batches.fileSha256, sha256), reference === null ? undefined : eq(batches.reference, reference)),
        ),
      )
      .get();
    return row ? view(row) : null;
  }

  function mediationOrgFor(requested: string | null): Organisation {
    const committees = db.select().from(organisations).where(eq(organisations.kind, 'mediation_committee')).all();
    if (requested === null) {
      if (committees.length === 1) return committees[0]!;
      throw new AppError(
        'validation_failed',
        'Name the mediation organisation for the batch (mediationOrg: its id or code).',
        {
          fields: [
            { field: '/body/mediationOrg', message: 'is required when more than one mediation organisation exists' },
          ],
        },
      );
    }
    const org = db
      .select()
      .from(organisations)
      .where(/^\d+$/.test(requested) ? eq(organisations.id, Number(requested)) : eq(organisations.code, requested))
      .get();
    if (!org || (org.kind !== 'mediation_committee' && org.kind !== 'court')) {
      throw new AppError(
        'unprocessable',
        `"${requested}" is not a mediation organisation; see GET /api/organisations.`,
        { fields: [{ field: '/body/mediationOrg', message: 'is not a mediation organisation' }] },
      );
    }
    return org;
  }

  /** Mediators of the organisation with their open caseload (debtors with open claims), for balanced assignment. */
  function mediatorsOf(orgId: number) {
    const open = db
      .select({ id: claims.assigneeId, n: countDistinct(claims.debtorId) })
      .from(claims)
      .where(and(eq(claims.mediationOrgId, orgId), ne(claims.stage, 'closed')))
      .groupBy(claims.assigneeId)
      .all();
    const load = new Map(open.map((r) => [r.id, r.n]));
    return db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.role, 'mediator'), isNull(users.disabledAt)))
      .orderBy(asc(users.id))
      .all()
      .map((u) => ({ id: u.id, openCaseload: load.get(u.id) ?? 0 }));
  }

  /** Refuse a file whose header lacks a required column, or that has no data row, before any row is read. */
  async function checkHeader(upload: Upload, options: BatchOptions): Promise<void> {
    let sheet: OpenedSheet;
    try {
      sheet = await openImportFile(upload.file, {
        format: upload.format,
        charset: options.charset,
        sheet: options.sheet,
        maxFieldBytes: config.importMaxFieldBytes,
      });
    } catch (err) {
      if (err instanceof ReaderError) throw new AppError('unprocessable', err.detail, { reason: err.code });
      throw err;
    }
    try {
      const mapping = mapHeader(sheet.header);
      if (!mapping.ok)
        throw new AppError('unprocessable', mapping.detail, {
          reason: mapping.code,
          fields: mapping.missing.map((c) => ({ field: `/file/header/${c}`, message: 'required column is missing' })),
        });
      const first = await sheet.rows[Symbol.asyncIterator]()
        .next()
        .catch((err: unknown) => {
          if (err instanceof ReaderError) throw new AppError('unprocessable', err.detail, { reason: err.code });
          throw err;
        });
      if (first.done)
        throw new AppError('unprocessable', 'The file has a header but no data rows.', { reason: 'no_rows' });
    } finally {
      await sheet.close();
    }
  }

  return {
    live,
    /** Where uploads are stored while they are imported. */
    uploadDir,

    /** Take an uploaded batch: an existing batch for a repeat, a dry-run report, or a started import. */
    async submit(submitter: Submitter, upload: Upload, options: BatchOptions): Promise<SubmitOutcome> {
      let handedOver = false;
      try {
        const creditor = creditorOf(submitter);
        const existing = findExisting(creditor.id, upload.sha256, options.reference);
        if (existing) return { kind: 'existing', batch: existing };
        const mediation = mediationOrgFor(options.mediationOrg);
        await checkHeader(upload, options);

        const policy = {
          ...DEFAULT_POLICY,
          ...(creditor.settlementPolicy as Partial<SettlementPolicy> | null),
          ...options.policy,
        };
        const now = clock.now();
        const batch = {
          creditorOrgId: creditor.id,
          reference: options.reference,
          fileName: upload.fileName,
          fileSha256: upload.sha256,
          format: upload.format,
          charset: options.charset,
          sheet: options.sheet,
          strict: options.strict,
          policy,
          mediationOrgId: mediation.id,
          createdByUserId: submitter.userId,
          createdByApiKeyId: submitter.apiKeyId,
        };
        fs.mkdirSync(scratchDir, { recursive: true });
        let batchId: number | null = null;
        const handle = deps.importer.start(
          {
            file: upload.file,
            format: upload.format,
            charset: options.charset,
            sheet: options.sheet,
            maxFieldBytes: config.importMaxFieldBytes,
            maxRows: config.importMaxRows,
            asOf: shanghaiDate(now),
            dataKey: deps.dataKey.toString('base64'),
            lenderType: creditor.lenderType ?? 'private',
            lprRows: deps.reference.lprRows(),
            chunkSize: CHUNK_ROWS,
          },
          {
            batch,
            courtOrgId: mediation.kind === 'court' ? mediation.id : mediation.courtId,
            litigationAllowed: policy.litigationAllowed,
            mediators: mediatorsOf(mediation.id),
            dryRun: options.dryRun,
            calendarRows: [...deps.reference.calendarRows()],
            now: now.toISOString(),
            scratchDir,
            reportErrors: DRY_RUN_ERRORS,
          },
          (p) => batchId !== null && live.progress(batchId, p),
          deps.onCrash,
        );
        handedOver = true;
        const cleanup = (result: ImportResult) => {
          fs.rmSync(upload.file, { force: true });
          return result;
        };
        const done = handle.done.then(cleanup);

        if (options.dryRun) return { kind: 'dry_run', report: toReport(await done) };

        batchId = await handle.started;
        if (batchId === null) {
          const result = await done;
          throw new AppError('unprocessable', result.failureDetail ?? 'The import could not start.');
        }
        live.add({
          ...batch,
          id: batchId,
          createdAt: now,
          status: 'validating',
          progress: { phase: 'validating', rowsRead: 0, rowsWritten: 0, bytesRead: 0, bytesTotal: 0 },
        });
        const id = batchId;
        void done.then((result) => live.finish(id, result));
        return { kind: 'started', batch: liveView(id)! };
      } finally {
        if (!handedOver) fs.rmSync(upload.file, { force: true });
      }
    },

    /** Wait for an import to finish (the CLI and tests use it). */
    async waitFor(batchId: number): Promise<void> {
      if (!live.get(batchId)) return;
      await new Promise<void>((resolve) => {
        const off = live.subscribe(batchId, (e) => {
          if (e.type === 'finished') {
            off();
            resolve();
          }
        });
      });
    },

    /** A batch of this creditor, running or finished; another creditor's is not found. */
    get(creditor: number, id: number): BatchView {
      const running = live.get(id);
      if (running) {
        if (running.creditorOrgId !== creditor) throw notFound(`Batch ${id}`);
        return liveView(id)!;
      }
      const row = db
        .select()
        .from(batches)
        .where(and(eq(batches.id, id), eq(batches.creditorOrgId, creditor)))
        .get();
      if (!row) throw notFound(`Batch ${id}`);
      return view(row);
    },

    list(creditor: number): BatchView[] {
      const done = db
        .select()
        .from(batches)
        .where(eq(batches.creditorOrgId, creditor))
        .orderBy(desc(batches.id))
        .limit(100)
        .all()
        .map(view);
      const inProgress = live
        .all()
        .filter((b) => b.creditorOrgId === creditor)
        .map((b) => liveView(b.id)!);
      return [...inProgress, ...done];
    },

    /** The error report as CSV text chunks, UTF-8 with BOM so that Excel on Chinese Windows opens it right. */
    errorsCsv(creditor: number, id: number): AsyncGenerator<string> {
      const batch = this.get(creditor, id);
      if (batch.progress)
        throw new AppError(
          'unprocessable',
          'The batch is still being imported; its error report is ready when it finishes.',
        );
      return (async function* () {
        yield '\ufeff行号 row,列 column,错误代码 code,说明 message,原值 value\r\n';
        let after = 0;
        for (;;) {
          const page = db
            .select()
            .from(batchRowErrors)
            .where(and(eq(batchRowErrors.batchId, id), gt(batchRowErrors.id, after)))
            .orderBy(asc(batchRowErrors.id))
            .limit(5000)
            .all();
          if (!page.length) return;
          yield `${page.map((e) => [String(e.rowNo), e.column ?? '', e.code, rowIssueZh(e.code, e.message), e.valueMasked ?? ''].map(csvField).join(',')).join('\r\n')}\r\n`;
          after = page[page.length - 1]!.id;
        }
      })();
    },

    /**
     * Remove scratch and upload files that imports cut short by a crash left behind. Only files a day
     * old go: an import from the command line may be running beside the server.
     */
    removeLeftovers(): void {
      const cutoff = clock.now().getTime() - 24 * 3_600_000;
      for (const dir of [scratchDir, uploadDir]) {
        if (!fs.existsSync(dir)) continue;
        for (const name of fs.readdirSync(dir)) {
          const file = path.join(dir, name);
          if (fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
        }
      }
    },
  };
}

/** One CSV field: formula-looking text neutralised, quoted when it must be. */
export function csvField(value: string): string {
  const safe = csvSafe(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function toReport(r: ImportResult): DryRunReport {
  return {
    dryRun: true,
    status: r.status,
    total: r.total,
    accepted: r.accepted,
    rejected: r.rejected,
    skipped: r.skipped,
    errorsByCode: r.errorsByCode,
    screening: r.screening,
    warnings: r.warnings,
    failureDetail: r.failureDetail,
    errors: r.errors ?? [],
  };
}
