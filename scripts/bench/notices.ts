/**
 * Notice generation: documents/s for a batch of demand letters (BENCH_NOTICES, default 10,000) through
 * the real pipeline (claims in SQLite, gather, template, rendering threads, encrypted files, registry
 * rows), against the naive rate measured in the same run: bare pdfkit rendering the same letter on
 * one thread with the font file path registered per document (PERF-LIMITS.md §4, mode "path").
 * Budget (issue 21): at least 15× the naive rate. Also times the one-file print of the batch, and
 * reports the peak memory of the batch (it should not grow with the batch: nothing is kept per document).
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { fixedClock } from '../../src/adapters/clock.js';
import { createFieldCrypto } from '../../src/adapters/field-crypto.js';
import { createFileStore } from '../../src/adapters/file-store.js';
import { FULL_FONT_FILES } from '../../src/adapters/pdf/font-files.js';
import { loadFontChain, parseFontFile } from '../../src/adapters/pdf/fonts.js';
import { pdfWriter, renderPdf } from '../../src/adapters/pdf/render.js';
import { createRenderPool } from '../../src/adapters/pdf/render-pool.js';
import { createPdfSigner } from '../../src/adapters/pdf-signer.js';
import { openDatabase } from '../../src/db/open.js';
import { claims, organisations, users } from '../../src/db/schema/index.js';
import { loanColumns } from '../../src/domain/claim-row.js';
import { shanghaiDate } from '../../src/domain/dates.js';
import { KIND_RULES } from '../../src/domain/document-kinds.js';
import { seedDemo } from '../../src/modules/admin/demo-seed.js';
import { createRng, sampleClaims } from '../../src/modules/admin/sample-claims.js';
import type { Principal } from '../../src/modules/auth/principal.js';
import { createClaimService } from '../../src/modules/claims/service.js';
import { upsertDebtor } from '../../src/modules/debtors/store.js';
import { LiveDocumentJobs } from '../../src/modules/documents/live.js';
import { createDocumentService } from '../../src/modules/documents/service.js';
import { createTemplateService } from '../../src/modules/documents/template-service.js';
import { createReferenceData, seedReferenceData } from '../../src/modules/reference/service.js';
import { bareDocument, kindRates, sampleDocument } from './notice-kinds.js';

const COUNT = Number(process.env.BENCH_NOTICES ?? 10_000);
// The naive path renders about five letters a second: a few dozen give a steady rate.
const NAIVE_COUNT = Number(process.env.BENCH_NOTICES_NAIVE ?? 40);
// Letters in the one-file print measured on its own (it runs at tens of letters a second).
const PRINT_COUNT = 1000;
const NOW = '2026-11-20T02:00:00.000Z';

const rate = (n: number, ms: number) => (n / ms) * 1000;

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-bench-notices-'));
  const database = openDatabase(path.join(dir, 'platform.db'));
  const renderer = createRenderPool({ size: 2 });
  try {
    const { db } = database;
    const clock = fixedClock(NOW);
    const fieldCrypto = createFieldCrypto(crypto.randomBytes(32));
    seedReferenceData(db);
    const reference = createReferenceData(db);
    await seedDemo({ db, clock, crypto: fieldCrypto, reference });

    const creditor = db.select().from(organisations).where(eq(organisations.code, 'CRED-A')).get()!;
    const committee = db.select().from(organisations).where(eq(organisations.code, 'PMC-QZ')).get()!;
    const user = db.select().from(users).where(eq(users.username, 'creditor1')).get()!;
    const principal: Principal = {
      kind: 'user',
      role: 'creditor',
      userId: user.id,
      orgId: creditor.id,
      orgKind: 'creditor',
      name: user.displayName,
    };
    const today = shanghaiDate(clock.now());
    const samples = sampleClaims(createRng(COUNT), COUNT, { asOf: today, prefix: 'BENCH' });
    const t0 = performance.now();
    db.transaction((tx) => {
      for (const s of samples) {
        const debtor = upsertDebtor(tx, fieldCrypto, s, clock.now());
        tx.insert(claims)
          .values({
            creditorOrgId: creditor.id,
            debtorId: debtor.id,
            ...loanColumns(s, today),
            stage: 'people_mediation',
            status: 'awaiting_contact',
            mediationOrgId: committee.id,
            courtOrgId: committee.courtId,
            createdAt: clock.now(),
            updatedAt: clock.now(),
          })
          .run();
      }
    });
    console.log(`set up ${COUNT.toLocaleString('en')} claims in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const templates = createTemplateService({ db, clock, fonts: renderer.coverage });
    templates.seedDefaults();
    const claimService = createClaimService({ db, clock, crypto: fieldCrypto, reference });
    const live = new LiveDocumentJobs();
    const documents = createDocumentService({
      db,
      clock,
      crypto: fieldCrypto,
      files: createFileStore(path.join(dir, 'files'), crypto.randomBytes(32)),
      publicUrl: 'http://127.0.0.1:3000',
      templates,
      calendar: () => reference.calendar(),
      pdf: renderer,
      signer: createPdfSigner({ p12File: path.join(dir, 'signing.p12'), passphrase: '', generate: true }, clock),
      listClaims: (p, f) => claimService.list(p, f),
      live,
      batchMaxClaims: COUNT,
      onJobError: (_id, err) => console.error(err),
    });

    // --- the pipeline: one batch of demand letters ---
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
    const start = performance.now();
    let documentsDone = 0;
    const job = documents.startBatch(principal, 'demand_letter', { q: 'BENCH' });
    const finished = await new Promise<{ done: number; failed: number }>((resolve) => {
      live.subscribe(job.id, (e) => {
        if (e.job.pending === 0 && !documentsDone) documentsDone = performance.now();
        if (e.type === 'finished') resolve(e.job);
      });
    });
    const end = performance.now();
    clearInterval(sampler);
    if (finished.done !== COUNT)
      throw new Error(`Expected ${COUNT} documents, got ${finished.done} (failed ${finished.failed}).`);
    const pipelineRate = rate(COUNT, documentsDone - start);
    // The print file is written while the batch runs; what is left after the last document is its end.
    const printTailSeconds = (end - documentsDone) / 1000;
    const printFile = documents.printFile(principal, job.id);

    // --- then the naive baseline: the same letter in bare pdfkit, font paths registered per document,
    // one thread. It runs second because the fonts it reads per document would inflate the pipeline's
    // memory figure.
    const template = templates.effective('demand_letter', creditor.id).checked;
    const letter = sampleDocument('demand_letter', template, samples[0]!);
    bareDocument(letter);
    let t = performance.now();
    for (let i = 0; i < NAIVE_COUNT; i++) bareDocument(letter);
    const naiveRate = rate(NAIVE_COUNT, performance.now() - t);

    // For the breakdown: our layout with the full fonts alone, parsed once (what documents used before
    // the common-character font).
    const full = { regular: [parseFontFile(FULL_FONT_FILES.regular)], bold: [parseFontFile(FULL_FONT_FILES.bold)] };
    renderPdf([letter], full, clock.now());
    t = performance.now();
    for (let i = 0; i < NAIVE_COUNT; i++) renderPdf([letter], full, clock.now());
    const oneFileRate = rate(NAIVE_COUNT, performance.now() - t);

    // The font chain parsed once and reused, one thread, rendering only (no database, no files).
    const fonts = loadFontChain();
    renderPdf([letter], fonts, clock.now());
    t = performance.now();
    for (let i = 0; i < NAIVE_COUNT * 2; i++) renderPdf([letter], fonts, clock.now());
    const reuseRate = rate(NAIVE_COUNT * 2, performance.now() - t);

    // The print file's own cost: letters to different debtors in one file, one thread.
    const printLetters = samples.slice(0, PRINT_COUNT).map((s) => sampleDocument('demand_letter', template, s));
    const writer = pdfWriter(fonts, clock.now(), 'print');
    t = performance.now();
    for (const l of printLetters) writer.add(l);
    writer.finish();
    const printRate = rate(printLetters.length, performance.now() - t);

    console.log('\n| measure | documents/s | ratio to naive |');
    console.log('|---|---|---|');
    console.log(
      `| naive: bare pdfkit, font paths (Regular and Bold) per document, 1 thread (${NAIVE_COUNT} letters) | ${naiveRate.toFixed(1)} | 1.00 |`,
    );
    console.log(
      `| full Source Han Sans alone, parsed once, 1 thread (${NAIVE_COUNT} letters) | ${oneFileRate.toFixed(1)} | ${(oneFileRate / naiveRate).toFixed(2)} |`,
    );
    console.log(
      `| the font chain (common subset first) parsed once, 1 thread, rendering only (${NAIVE_COUNT * 2} letters) | ${reuseRate.toFixed(1)} | ${(reuseRate / naiveRate).toFixed(2)} |`,
    );
    console.log(
      `| pipeline: batch of ${COUNT.toLocaleString('en')} demand letters (gather, template, 2 render threads, files, rows) | ${pipelineRate.toFixed(1)} | ${(pipelineRate / naiveRate).toFixed(2)} |`,
    );
    console.log(
      `| one print file, ${printLetters.length.toLocaleString('en')} letters in one PDF, 1 thread | ${printRate.toFixed(1)} | ${(printRate / naiveRate).toFixed(2)} |`,
    );
    console.log(
      `\nprint file of the batch: ${COUNT.toLocaleString('en')} letters, ${(printFile.bytes.length / 1e6).toFixed(1)} MB in one PDF, written on its own thread while the batch ran; ready ${printTailSeconds.toFixed(1)} s after the last document`,
    );
    console.log(
      `peak RSS of the process (main and rendering threads) during the batch: ${(peakRss / 1e6).toFixed(0)} MB (before: ${(rssBefore / 1e6).toFixed(0)} MB)`,
    );
    kindRates(
      (kind) => templates.effective(kind, KIND_RULES[kind].issuer === 'creditor' ? creditor.id : committee.id).checked,
      samples[0]!,
      fonts,
    );
    console.log(
      `\npipeline / naive: ${(pipelineRate / naiveRate).toFixed(2)}× (budget ≥ 15×); against the full font parsed once: ${(pipelineRate / oneFileRate).toFixed(2)}×`,
    );
  } finally {
    await renderer.close();
    database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
