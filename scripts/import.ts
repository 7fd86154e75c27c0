/**
 * Import a batch file from the command line, with a progress bar:
 *   npm run import -- <file> --creditor <org code or id> [--strict] [--dry-run] [--charset gbk]
 *                    [--sheet 名称] [--mediation-org <code or id>] [--reference <ref>]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq, or } from 'drizzle-orm';
import { systemClock } from '../src/adapters/clock.js';
import { loadDataKey } from '../src/adapters/field-crypto.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open.js';
import { organisations } from '../src/db/schema/index.js';
import { BATCH_STATUSES_ZH, ERROR_TITLES_ZH } from '../src/error-catalogue.js';
import { AppError } from '../src/errors.js';
import { createImporter } from '../src/modules/batches/import/run-import.js';
import { LiveBatches } from '../src/modules/batches/live.js';
import type { BatchOptions, BatchView, DryRunReport } from '../src/modules/batches/schemas.js';
import { createBatchService } from '../src/modules/batches/service.js';
import { detectFormat } from '../src/modules/batches/upload.js';
import { spoolCopy } from '../src/modules/common/spool.js';
import { createReferenceData, seedReferenceData } from '../src/modules/reference/service.js';
import { importSummary } from './import-summary.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    creditor: { type: 'string' },
    strict: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    charset: { type: 'string' },
    sheet: { type: 'string' },
    'mediation-org': { type: 'string' },
    reference: { type: 'string' },
  },
});
const source = positionals[0];
if (!source || !values.creditor) {
  console.error(
    'Usage: npm run import -- <file> --creditor <org code or id> [--strict] [--dry-run] [--charset utf-8|gbk|gb18030] [--sheet name] [--mediation-org code] [--reference ref]',
  );
  process.exit(2);
}

const config = loadConfig(process.env);
const dbFile = path.join(config.dataDir, 'platform.db');
const database = openDatabase(dbFile);
seedReferenceData(database.db);
const creditor = database.db
  .select()
  .from(organisations)
  .where(
    or(
      eq(organisations.code, values.creditor),
      /^\d+$/.test(values.creditor) ? eq(organisations.id, Number(values.creditor)) : undefined,
    ),
  )
  .get();
if (creditor?.kind !== 'creditor') {
  console.error(`没有编号为“${values.creditor}”的债权人机构。`);
  process.exit(2);
}

const live = new LiveBatches();
const batches = createBatchService({
  db: database.db,
  importer: createImporter(dbFile),
  clock: systemClock,
  config,
  dataKey: loadDataKey(config.dataDir, config.dataKey),
  reference: createReferenceData(database.db),
  live,
});

// The service removes what it imports, so it gets a copy of the file: a spool file, sealed as uploads are.
const { file: copy, sha256, head } = await spoolCopy(source, batches.spool);
const options: BatchOptions = {
  strict: values.strict,
  dryRun: values['dry-run'],
  charset: (values.charset as BatchOptions['charset']) ?? null,
  sheet: values.sheet ?? null,
  mediationOrg: values['mediation-org'] ?? null,
  reference: values.reference ?? null,
  policy: {},
};

const started = Date.now();
function bar(rows: number, bytesRead: number, bytesTotal: number): void {
  const share = bytesTotal ? Math.min(1, bytesRead / bytesTotal) : 0;
  const width = 30;
  const filled = Math.round(share * width);
  const rate = Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000));
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en')} rows  ${rate.toLocaleString('en')} rows/s `,
  );
}

function summary(b: BatchView | DryRunReport): void {
  process.stderr.write('\n');
  console.log(importSummary(b, (Date.now() - started) / 1000));
}

try {
  const outcome = await batches.submit(
    { creditorOrgId: creditor.id, userId: null, apiKeyId: null },
    { file: copy, fileName: path.basename(source), sha256, format: detectFormat(head, source) },
    options,
  );
  if (outcome.kind === 'dry_run') summary(outcome.report);
  else if (outcome.kind === 'existing')
    console.log(
      `该文件或批次编号已于批次 ${outcome.batch.id}（${BATCH_STATUSES_ZH[outcome.batch.status] ?? outcome.batch.status}）导入过，本次未导入。`,
    );
  else {
    const id = outcome.batch.id;
    const off = live.subscribe(
      id,
      (e) => e.type === 'progress' && bar(e.progress.rowsRead, e.progress.bytesRead, e.progress.bytesTotal),
    );
    await batches.waitFor(id);
    off();
    const view = batches.get(creditor.id, id);
    summary(view);
    if (view.status === 'failed') process.exitCode = 1;
  }
} catch (err) {
  console.error(err instanceof AppError ? `${ERROR_TITLES_ZH[err.code]}（${err.code}）：${err.detail}` : err);
  process.exitCode = 1;
} finally {
  database.close();
}
