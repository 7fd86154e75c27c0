/**
 * The document registry: generating documents from templates (one, or a batch for many claims),
 * storing them, serving them to who may see the claim, and verifying them for anyone.
 *
 * One document is made in three steps. Prepare (one transaction): read the claim, allocate the
 * document number, draw the verification code, issue a portal access code for a mediation notice,
 * fill the template into a document model. Render (a worker thread). Commit: write the encrypted
 * file, then the row and the claim event in one transaction; if that fails the file is removed, so a
 * row never points at a missing file. Generations of one kind for one claim run one after the other.
 */
import crypto from 'node:crypto';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import { and, asc, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { PdfRenderer, PrintFile } from '../../adapters/pdf/render-pool.js';
import type { DB, DbOrTx } from '../../db/open.js';
import {
  claims,
  documentJobItems,
  documentJobs,
  documents,
  type Organisation,
  organisations,
} from '../../db/schema/index.js';
import { chineseDate } from '../../domain/chinese-date.js';
import { shanghaiDate } from '../../domain/dates.js';
import { buildDocumentData } from '../../domain/document-data.js';
import { type DocumentKind, issuerOrgOf, KIND_RULES } from '../../domain/document-kinds.js';
import { docNoPrefix, formatDocNo, MAX_SERIAL, serialOf } from '../../domain/document-number.js';
import type { DocumentModel } from '../../domain/document-text.js';
import type { Actor } from '../../domain/lifecycle.js';
import { AppError, isDatabaseBusy, notFound } from '../../errors.js';
import { actorOf, type Principal, SYSTEM_ACTOR, staffOrgId } from '../auth/principal.js';
import { findClaim, findDocument } from '../claims/access.js';
import { issueAccessCode } from '../claims/access-codes.js';
import { appendClaimEvent } from '../claims/events.js';
import type { ClaimListFilters } from '../claims/schemas.js';
import { gatherFacts } from './gather.js';
import type { LiveDocumentJobs } from './live.js';
import type {
  BatchFilterInput,
  DocumentView,
  FileCheck,
  JobDetail,
  JobItemStatus,
  JobView,
  Verification,
} from './schemas.js';
import { fillTemplate } from './template-engine.js';
import { orgIssues, type TemplateService } from './template-service.js';
import { newVerifyCode, normaliseVerifyCode, VERIFY_CODE_LENGTH, verifyCodeHash } from './verify-code.js';

export interface DocumentServiceDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  files: FileStore;
  /** Base of the verify and portal links printed on documents. */
  publicUrl: string;
  templates: TemplateService;
  pdf: PdfRenderer;
  /** One page of the claims matching the filters within the principal's tenancy (the claims service's list). */
  listClaims: (
    principal: Principal,
    filter: ClaimListFilters,
  ) => { items: { id: number }[]; nextCursor: string | null };
  live: LiveDocumentJobs;
  /** Most claims one batch may cover. */
  batchMaxClaims: number;
  /** Told about a job that failed as a whole (the print file could not be made, or a bug). */
  onJobError?: (jobId: number, err: unknown) => void;
}

export type DocumentService = ReturnType<typeof createDocumentService>;

type DocumentRow = typeof documents.$inferSelect;

/** Who asks: a principal (tenancy and issuer checks apply) or the platform itself. */
interface Requester {
  principal: Principal | null;
  actor: Actor;
}

interface Prepared {
  claimId: number;
  kind: DocumentKind;
  version: number;
  issuer: { id: number; name: string };
  template: { id: number; version: number };
  docNo: string;
  verifyCode: string;
  model: DocumentModel;
  createdAt: Date;
  actor: Actor;
  reserve: () => void;
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const errorText = (err: unknown) =>
  err instanceof AppError ? err.detail : err instanceof Error ? err.message : String(err);
// A verify lookup that finds nothing still compares against a code of the same length.
const NO_CODE = Buffer.alloc(VERIFY_CODE_LENGTH, '#');
// How often job progress is pushed, at most.
const PROGRESS_EVERY_MS = 250;
const STOPPED = 'The server stopped before this claim was done; start a new batch for it.';
// Claims of a batch prepared without yielding, so that requests keep being served during a big batch.
const YIELD_EVERY = 50;
/**
 * A claim of a batch that finds the database busy (another writer holds it, e.g. a batch import
 * committing) waits and is tried again, 2 s, 4 s, … later, rather than failing for a passing reason.
 */
const BUSY_ATTEMPTS = 6;
const BUSY_BACKOFF_MS = 2000;

async function retryWhileBusy<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isDatabaseBusy(err) || attempt === BUSY_ATTEMPTS) throw err;
      await sleep(BUSY_BACKOFF_MS * attempt);
    }
  }
}

export function createDocumentService(deps: DocumentServiceDeps) {
  const { db, clock, files, pdf: renderer, templates, live } = deps;
  const fieldCrypto = deps.crypto;
  const verifyUrlOf = (code: string) => `${deps.publicUrl}/verify/${code}`;

  // Highest serial handed out per number prefix in this process: a number prepared for a document
  // still rendering is not in the table yet, and must not be handed out twice.
  const reserved = new Map<string, number>();
  // Generations of one kind for one claim, one after the other (`claimId:kind` → the last one queued).
  const queued = new Map<string, Promise<void>>();
  const runningJobs = new Map<number, Promise<void>>();
  let closing = false;

  function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (queued.get(key) ?? Promise.resolve()).then(work);
    const settled = run.then(
      () => {},
      () => {},
    );
    queued.set(key, settled);
    void settled.then(() => {
      if (queued.get(key) === settled) queued.delete(key);
    });
    return run;
  }

  function view(row: DocumentRow, issuerName: string): DocumentView {
    return {
      id: row.id,
      claimId: row.claimId,
      kind: row.kind as DocumentKind,
      title: KIND_RULES[row.kind as DocumentKind]?.title ?? row.kind,
      version: row.version,
      docNo: row.docNo,
      verifyCode: row.verifyCode,
      verifyUrl: verifyUrlOf(row.verifyCode),
      sha256: row.sha256,
      templateId: row.templateId,
      templateVersion: row.templateVersion,
      issuer: { id: row.issuerOrgId!, name: issuerName },
      createdAt: row.createdAt.toISOString(),
      servedAt: row.servedAt?.toISOString() ?? null,
      serviceMethod: row.serviceMethod,
    };
  }

  const latestOfKind = (tx: DbOrTx, claimId: number, kind: DocumentKind) =>
    tx
      .select({ document: documents, issuer: organisations.name })
      .from(documents)
      .innerJoin(organisations, eq(documents.issuerOrgId, organisations.id))
      .where(and(eq(documents.claimId, claimId), eq(documents.kind, kind)))
      .orderBy(desc(documents.version))
      .limit(1)
      .get();

  /** The next document number of the issuer for the kind this year; kept only if `reserve` is called. */
  function allocateDocNo(tx: DbOrTx, issuer: Organisation, kind: DocumentKind, issuedOn: string) {
    const prefix = docNoPrefix(issuer.courtCode ?? issuer.code, kind, Number(issuedOn.slice(0, 4)));
    // Serials follow the prefix as zero-padded digits, and ':' sorts right after '9'.
    const last = tx
      .select({ docNo: documents.docNo })
      .from(documents)
      .where(and(gte(documents.docNo, prefix), lt(documents.docNo, `${prefix}:`)))
      .orderBy(desc(documents.docNo))
      .limit(1)
      .get();
    const serial = Math.max(serialOf(last?.docNo ?? '', prefix), reserved.get(prefix) ?? 0) + 1;
    if (serial > MAX_SERIAL)
      throw new AppError('unavailable', `The document numbers ${prefix}… of this year are used up.`);
    return { docNo: formatDocNo(prefix, serial), reserve: () => reserved.set(prefix, serial) };
  }

  /** Prepare step (call inside a transaction): the existing document, or everything needed to render a new one. */
  function prepare(
    tx: DbOrTx,
    who: Requester,
    claimId: number,
    kind: DocumentKind,
    newVersion: boolean,
  ): { existing: DocumentView } | { prepared: Prepared } {
    const claim = who.principal
      ? findClaim(tx, who.principal, claimId)
      : tx.select().from(claims).where(eq(claims.id, claimId)).get();
    if (!claim) throw notFound(`Claim ${claimId}`);
    const existing = latestOfKind(tx, claimId, kind);
    if (existing && !newVersion) return { existing: view(existing.document, existing.issuer) };

    const rules = KIND_RULES[kind];
    const issuerId = issuerOrgOf(kind, claim);
    if (issuerId === null) {
      throw new AppError(
        'unprocessable',
        `Claim ${claimId}: no mediation organisation is assigned, and a ${rules.title} is issued by the mediating organisation.`,
        { reason: 'missing_data' },
      );
    }
    if (who.principal && who.principal.kind !== 'debtor' && who.principal.orgId !== issuerId) {
      const by = rules.issuer === 'creditor' ? "the claim's creditor" : 'the organisation mediating the claim';
      throw new AppError('forbidden', `A ${rules.title} is issued by ${by}, not by your organisation.`, {
        reason: 'not_issuer',
      });
    }
    const issuer = tx.select().from(organisations).where(eq(organisations.id, issuerId)).get()!;
    const facts = gatherFacts(tx, fieldCrypto, claim, kind, issuer);
    const template = templates.effective(kind, issuer.id);

    const createdAt = clock.now();
    const issuedOn = shanghaiDate(createdAt);
    const { docNo, reserve } = allocateDocNo(tx, issuer, kind, issuedOn);
    const verifyCode = newVerifyCode();
    const verifyUrl = verifyUrlOf(verifyCode);
    // A new notice carries a new access code; the one on an earlier notice stops working.
    const accessCode = rules.sections.includes('portal') ? issueAccessCode(tx, fieldCrypto, claim.id, createdAt) : null;
    const version = (existing?.document.version ?? 0) + 1;
    const data = buildDocumentData(kind, facts, {
      docNo,
      verifyCode,
      verifyUrl,
      issuedOn,
      version,
      portal: accessCode ? { url: `${deps.publicUrl}/portal/?code=${accessCode}`, accessCode } : null,
    });
    const filled = fillTemplate(template.checked, data);
    if (!filled.ok && filled.reason === 'missing_data') {
      throw new AppError(
        'unprocessable',
        `Claim ${claimId}: the ${rules.title} template needs ${filled.missing.map((m) => `${m.label} (${m.path})`).join(', ')}, which the claim does not have.`,
        {
          reason: 'missing_data',
          fields: filled.missing.map((m) => ({
            field: `/claim/${m.path.replaceAll('.', '/')}`,
            message: `${m.label} is missing`,
          })),
        },
      );
    }
    if (!filled.ok)
      throw new AppError(
        'unprocessable',
        `The ${rules.title} template (version ${template.version}) produced a malformed document: ${filled.problems.join('; ')}.`,
        { reason: 'structure' },
      );
    return {
      prepared: {
        claimId,
        kind,
        version,
        issuer: { id: issuer.id, name: issuer.name },
        template: { id: template.id, version: template.version },
        docNo,
        verifyCode,
        model: {
          title: rules.title,
          docNo,
          verifyCode,
          verifyUrl,
          seal: rules.seal ? issuer.name : null,
          blocks: filled.blocks,
        },
        createdAt,
        actor: who.actor,
        reserve,
      },
    };
  }

  /** Commit step: the file first, then the row, the claim event (and `also`) in one transaction; the file goes if that fails. */
  function commit(p: Prepared, pdf: Buffer, also?: (tx: DbOrTx, row: DocumentRow) => void): DocumentView {
    const storageKey = files.put(pdf);
    try {
      const row = db.transaction((tx) => {
        const claim = tx.select().from(claims).where(eq(claims.id, p.claimId)).get()!;
        const row = tx
          .insert(documents)
          .values({
            claimId: p.claimId,
            kind: p.kind,
            templateId: p.template.id,
            templateVersion: p.template.version,
            version: p.version,
            docNo: p.docNo,
            verifyCode: p.verifyCode,
            verifyHash: verifyCodeHash(fieldCrypto, p.verifyCode),
            sha256: sha256(pdf),
            storageKey,
            issuerOrgId: p.issuer.id,
            createdAt: p.createdAt,
          })
          .returning()
          .get();
        const position = { stage: claim.stage, status: claim.status, hold: claim.hold };
        appendClaimEvent(tx, {
          claimId: p.claimId,
          action: 'document.generated',
          from: position,
          to: position,
          actor: p.actor,
          data: {
            documentId: row.id,
            kind: p.kind,
            docNo: p.docNo,
            version: p.version,
            sha256: row.sha256,
            templateId: p.template.id,
            templateVersion: p.template.version,
          },
          at: p.createdAt,
        });
        also?.(tx, row);
        return row;
      });
      return view(row, p.issuer.name);
    } catch (err) {
      files.remove(storageKey);
      throw err;
    }
  }

  /** Prepare, render and commit one document (or find the existing one), after any other generation of the same kind for the claim. */
  function produce(
    who: Requester,
    claimId: number,
    kind: DocumentKind,
    newVersion: boolean,
    also?: (tx: DbOrTx, row: DocumentRow) => void,
  ) {
    return serialised(
      `${claimId}:${kind}`,
      async (): Promise<{ created: boolean; document: DocumentView; model: DocumentModel | null }> => {
        const r = db.transaction((tx) => prepare(tx, who, claimId, kind, newVersion));
        if ('existing' in r) return { created: false, document: r.existing, model: null };
        r.prepared.reserve();
        const pdf = await renderer.render([r.prepared.model], r.prepared.createdAt);
        return { created: true, document: commit(r.prepared, pdf, also), model: r.prepared.model };
      },
    );
  }

  const staffRequester = (principal: Principal): Requester => {
    const actor = actorOf(principal);
    if (!actor || principal.kind === 'debtor')
      throw new AppError(
        'forbidden',
        'Documents are generated by the creditor, the mediating organisation or the court.',
      );
    return { principal, actor };
  };

  // --- batch jobs ---

  function jobCounts(jobId: number): Record<JobItemStatus, number> {
    const rows = db
      .select({ status: documentJobItems.status, n: count() })
      .from(documentJobItems)
      .where(eq(documentJobItems.jobId, jobId))
      .groupBy(documentJobItems.status)
      .all();
    const counts: Record<JobItemStatus, number> = { pending: 0, done: 0, existing: 0, failed: 0 };
    for (const r of rows) counts[r.status as JobItemStatus] = r.n;
    return counts;
  }

  function jobView(job: typeof documentJobs.$inferSelect): JobView {
    const c = jobCounts(job.id);
    return {
      id: job.id,
      kind: job.kind as DocumentKind,
      status: job.status as JobView['status'],
      total: job.total,
      done: c.done,
      existing: c.existing,
      failed: c.failed,
      pending: c.pending,
      filter: job.filter,
      printFile: job.printStorageKey ? `/api/documents/jobs/${job.id}/print.pdf` : null,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
    };
  }

  function findJob(principal: Principal, id: number) {
    const job = db
      .select()
      .from(documentJobs)
      .where(and(eq(documentJobs.id, id), eq(documentJobs.orgId, staffOrgId(principal))))
      .get();
    if (!job) throw notFound(`Document job ${id}`);
    return job;
  }

  const setItem = (
    tx: DbOrTx,
    itemId: number,
    status: JobItemStatus,
    documentId: number | null,
    error: string | null,
  ) => tx.update(documentJobItems).set({ status, documentId, error }).where(eq(documentJobItems.id, itemId)).run();

  /** A job that cannot go on: its claims not yet done fail with the reason, the job is marked interrupted. */
  function interruptJob(tx: DbOrTx, jobId: number, reason: string): void {
    tx.update(documentJobItems)
      .set({ status: 'failed', error: reason })
      .where(and(eq(documentJobItems.jobId, jobId), eq(documentJobItems.status, 'pending')))
      .run();
    tx.update(documentJobs)
      .set({ status: 'interrupted', finishedAt: clock.now() })
      .where(eq(documentJobs.id, jobId))
      .run();
  }

  async function runJob(jobId: number, who: Requester, kind: DocumentKind, createdAt: Date): Promise<void> {
    const items = db
      .select({ id: documentJobItems.id, claimId: documentJobItems.claimId })
      .from(documentJobItems)
      .where(eq(documentJobItems.jobId, jobId))
      .orderBy(asc(documentJobItems.id))
      .all();
    const inFlight = new Set<Promise<void>>();
    let lastPush = 0;
    const push = (type: 'progress' | 'finished', force = false) => {
      const now = performance.now();
      if (type === 'progress' && !force && now - lastPush < PROGRESS_EVERY_MS) return;
      lastPush = now;
      live.emit({ type, job: jobView(db.select().from(documentJobs).where(eq(documentJobs.id, jobId)).get()!) });
    };

    // The print file takes the documents in claim order as they are made. Claims finish a little out
    // of order (as many as are rendering at once), so those ahead of their turn wait here.
    // Opened with the first document made (a holder, so that closures may set it).
    const print: { file: PrintFile | null } = { file: null };
    const waiting = new Map<number, DocumentModel | null>();
    let nextToPrint = 0;
    const settled = (i: number, model: DocumentModel | null) => {
      waiting.set(i, model);
      for (; waiting.has(nextToPrint); nextToPrint++) {
        const m = waiting.get(nextToPrint);
        waiting.delete(nextToPrint);
        if (!m) continue;
        print.file ??= renderer.openPrint(createdAt);
        print.file.add(m);
      }
    };

    for (const [i, item] of items.entries()) {
      if (closing) break;
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
      const task = retryWhileBusy(() =>
        produce(who, item.claimId, kind, false, (tx, row) => setItem(tx, item.id, 'done', row.id, null)),
      )
        .then((r) => {
          if (!r.model) setItem(db, item.id, 'existing', r.document.id, null);
          settled(i, r.model);
        })
        // A claim that cannot have the document fails alone, with the reason; the batch goes on.
        .catch((err: unknown) => {
          setItem(db, item.id, 'failed', null, errorText(err));
          settled(i, null);
        })
        .finally(() => {
          inFlight.delete(task);
          push('progress');
        });
      inFlight.add(task);
      // Enough work queued to keep every rendering thread busy while the next claims are prepared.
      if (inFlight.size >= renderer.size * 2) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    // Every claim is done; the print file is finished next.
    push('progress', true);
    if (closing) {
      print.file?.abort();
      interruptJob(db, jobId, STOPPED);
      return;
    }

    let printStorageKey: string | null = null;
    if (print.file) {
      try {
        printStorageKey = files.put(await print.file.finish());
      } catch (err) {
        deps.onJobError?.(jobId, err);
      }
    }
    const c = jobCounts(jobId);
    db.update(documentJobs)
      .set({ status: 'done', done: c.done + c.existing, failed: c.failed, printStorageKey, finishedAt: clock.now() })
      .where(eq(documentJobs.id, jobId))
      .run();
    push('finished');
  }

  /** The document a verification code belongs to; one query on both paths, by a keyed hash, then a constant-time comparison. */
  function lookUpCode(code: string): { verification: Verification; sha256: string } {
    const normal = normaliseVerifyCode(code);
    const row = db
      .select({
        document: documents,
        issuer: organisations.name,
        latest: sql<number>`(select max(later.version) from ${documents} as later where later.claim_id = ${documents.claimId} and later.kind = ${documents.kind})`,
      })
      .from(documents)
      .innerJoin(organisations, eq(documents.issuerOrgId, organisations.id))
      .where(eq(documents.verifyHash, verifyCodeHash(fieldCrypto, normal)))
      .get();
    const given = Buffer.alloc(VERIFY_CODE_LENGTH, '#');
    given.write(normal.slice(0, VERIFY_CODE_LENGTH), 'latin1');
    const same = crypto.timingSafeEqual(row ? Buffer.from(row.document.verifyCode, 'latin1') : NO_CODE, given);
    if (!row || !same || normal.length !== VERIFY_CODE_LENGTH)
      throw new AppError(
        'not_found',
        'No document has this verification code. Check the code printed at the foot of the document.',
      );
    const d = row.document;
    const issuedOn = shanghaiDate(d.createdAt);
    return {
      sha256: d.sha256,
      verification: {
        genuine: true,
        kind: d.kind as DocumentKind,
        title: KIND_RULES[d.kind as DocumentKind]?.title ?? d.kind,
        docNo: d.docNo,
        issuer: row.issuer,
        issuedOn,
        issuedOnText: chineseDate(issuedOn),
        version: d.version,
        superseded: row.latest > d.version,
      },
    };
  }

  return {
    live,

    /** Generate a document of `kind` for a claim the principal may see; the existing one unless `newVersion`. */
    async generate(
      principal: Principal,
      claimId: number,
      kind: DocumentKind,
      opts: { newVersion?: boolean } = {},
    ): Promise<{ created: boolean; document: DocumentView }> {
      const { created, document } = await produce(staffRequester(principal), claimId, kind, opts.newVersion ?? false);
      return { created, document };
    },

    /** Generate as the platform (no tenancy or issuer check), e.g. the mediation agreement once both parties accepted. */
    async generateAsSystem(
      claimId: number,
      kind: DocumentKind,
      opts: { newVersion?: boolean } = {},
    ): Promise<DocumentView> {
      return (await produce({ principal: null, actor: SYSTEM_ACTOR }, claimId, kind, opts.newVersion ?? false))
        .document;
    },

    /** The documents of a claim the principal may see (a debtor: their own claims), all versions. */
    listForClaim(principal: Principal, claimId: number): DocumentView[] {
      findClaim(db, principal, claimId);
      return db
        .select({ document: documents, issuer: organisations.name })
        .from(documents)
        .innerJoin(organisations, eq(documents.issuerOrgId, organisations.id))
        .where(eq(documents.claimId, claimId))
        .orderBy(asc(documents.id))
        .all()
        .map((r) => view(r.document, r.issuer));
    },

    /** A document's PDF, for who may see its claim; the bytes are checked against the registered hash. */
    pdf(principal: Principal, documentId: number): { fileName: string; bytes: Buffer; document: DocumentView } {
      const found = findDocument(db, principal, documentId).document;
      const issuer = db
        .select({ name: organisations.name })
        .from(organisations)
        .where(eq(organisations.id, found.issuerOrgId!))
        .get()!;
      const bytes = files.get(found.storageKey);
      if (sha256(bytes) !== found.sha256)
        throw new AppError(
          'internal',
          `The stored file of document ${found.docNo} does not match its registered hash.`,
        );
      const document = view(found, issuer.name);
      return { fileName: `${document.title}-${document.docNo}.pdf`, bytes, document };
    },

    /** Public check of a verification code: what the document is, never whom it concerns. Unknown → 404. */
    verify(code: string): Verification {
      return lookUpCode(code).verification;
    },

    /** Whether uploaded bytes are exactly the registered PDF of the code's document. */
    verifyFile(code: string, bytes: Buffer): FileCheck {
      const uploadedSha256 = sha256(bytes);
      const { verification, sha256: registered } = lookUpCode(code);
      return {
        ...verification,
        unaltered: crypto.timingSafeEqual(Buffer.from(registered, 'hex'), Buffer.from(uploadedSha256, 'hex')),
        uploadedSha256,
      };
    },

    /**
     * Start generating `kind` for every claim matching the filters within the principal's tenancy:
     * answers the job at once; the documents are made in the background, each claim on its own.
     */
    startBatch(principal: Principal, kind: DocumentKind, filter: BatchFilterInput): JobView {
      const who = staffRequester(principal);
      if (principal.kind === 'debtor' || !orgIssues(principal.orgKind, kind)) {
        throw new AppError('forbidden', `Your organisation does not issue ${KIND_RULES[kind].title}.`, {
          reason: 'not_issuer',
        });
      }
      const claimIds: number[] = [];
      for (let after: string | undefined; ; ) {
        const page = deps.listClaims(principal, { ...filter, limit: 200, ...(after ? { after } : {}) });
        claimIds.push(...page.items.map((c) => c.id));
        if (claimIds.length > deps.batchMaxClaims) {
          throw new AppError(
            'unprocessable',
            `The filter matches more than ${deps.batchMaxClaims} claims; narrow it (for example by batchId or stage) and send several batches.`,
            { reason: 'too_many_claims' },
          );
        }
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      if (claimIds.length === 0)
        throw new AppError('unprocessable', 'No claim you may see matches the filter.', { reason: 'no_claims' });
      const createdAt = clock.now();
      const job = db.transaction((tx) => {
        const job = tx
          .insert(documentJobs)
          .values({
            kind,
            requestedBy: principal.kind === 'user' ? principal.userId : null,
            orgId: principal.orgId,
            filter,
            status: 'running',
            total: claimIds.length,
            createdAt,
          })
          .returning()
          .get();
        for (let i = 0; i < claimIds.length; i += 500) {
          tx.insert(documentJobItems)
            .values(claimIds.slice(i, i + 500).map((claimId) => ({ jobId: job.id, claimId, status: 'pending' })))
            .run();
        }
        return job;
      });
      const run = runJob(job.id, who, kind, createdAt)
        .catch((err: unknown) => {
          interruptJob(db, job.id, `The job stopped on an error: ${errorText(err)}`);
          deps.onJobError?.(job.id, err);
        })
        .finally(() => runningJobs.delete(job.id));
      runningJobs.set(job.id, run);
      return jobView(job);
    },

    /** A job of the principal's organisation: progress and per-claim results (optionally only those in one status). */
    job(principal: Principal, id: number, status?: JobItemStatus): JobDetail {
      const job = findJob(principal, id);
      const items = db
        .select({
          claimId: documentJobItems.claimId,
          status: documentJobItems.status,
          documentId: documentJobItems.documentId,
          docNo: documents.docNo,
          error: documentJobItems.error,
        })
        .from(documentJobItems)
        .leftJoin(documents, eq(documentJobItems.documentId, documents.id))
        .where(and(eq(documentJobItems.jobId, id), status ? eq(documentJobItems.status, status) : undefined))
        .orderBy(asc(documentJobItems.id))
        .all();
      return { ...jobView(job), items: items.map((i) => ({ ...i, status: i.status as JobItemStatus })) };
    },

    /** The job's progress, for the progress socket. */
    jobSummary(principal: Principal, id: number): JobView {
      return jobView(findJob(principal, id));
    },

    /** The job's documents in one PDF, for a print centre. */
    printFile(principal: Principal, id: number): { fileName: string; bytes: Buffer } {
      const job = findJob(principal, id);
      if (job.status === 'running') {
        const c = jobCounts(id);
        throw new AppError(
          'unprocessable',
          `The print file is made when the job ends; ${c.done + c.existing + c.failed} of ${job.total} claims are done.`,
          { reason: 'job_running' },
        );
      }
      if (!job.printStorageKey)
        throw new AppError('not_found', `Job ${id} generated no document, so it has no print file.`);
      return {
        fileName: `print-job-${id}-${KIND_RULES[job.kind as DocumentKind]?.title ?? job.kind}.pdf`,
        bytes: files.get(job.printStorageKey),
      };
    },

    /** Jobs a previous process left running cannot go on (their requester is gone): mark them interrupted. */
    markInterruptedJobs(): void {
      db.transaction((tx) => {
        const stale = tx
          .select({ id: documentJobs.id })
          .from(documentJobs)
          .where(eq(documentJobs.status, 'running'))
          .all();
        for (const { id } of stale) interruptJob(tx, id, STOPPED);
      });
    },

    /** Stop taking claims of running jobs, let the documents in progress finish, and mark the jobs interrupted. */
    async close(): Promise<void> {
      closing = true;
      await Promise.all(runningJobs.values());
    },
  };
}
