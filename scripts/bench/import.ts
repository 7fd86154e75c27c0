/**
 * Batch import: rows/s and peak RSS for 100,000 and 1,000,000-row CSV files, against inserting the
 * same rows with raw better-sqlite3 prepared statements in one transaction (PERF-LIMITS.md §1 method).
 * A third figure, the import's floor, inserts what the import writes per row (debtor, claim, first
 * event) into the platform's own schema, prepared and sealed in advance: the part no code change
 * to the import can remove. Each measurement runs in a child process of its own so that peak RSS
 * is its own.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/modules/admin/sample-claims.js';
import { claimRow, sampleClaimStream, writeSampleBatch } from '../../src/modules/batches/sample-files.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_IMPORT_SIZES ?? '100000,1000000').split(',').map(Number);
export const BENCH_AS_OF = '2026-11-01';

interface Measure {
  seconds: number;
  rows: number;
  maxRssMb: number;
  accepted?: number;
  /** The small writer beside the import: its writes, their p99 and longest wait, and those that timed out (503). */
  writes?: { count: number; p99Ms: number; maxMs: number; busy: number };
}

function child(mode: 'raw' | 'floor' | 'import', file: string, rows: number): Measure {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'import-child.ts'), mode, file, String(rows)],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-bench-import-'));
  const results: { rows: number; raw: Measure; floor: Measure; imp: Measure }[] = [];
  try {
    for (const rows of SIZES) {
      const file = path.join(dir, `batch-${rows}.csv`);
      const t0 = Date.now();
      await writeSampleBatch(
        file,
        'csv-utf8',
        (function* () {
          for (const c of sampleClaimStream(createRng(rows), rows, { asOf: BENCH_AS_OF, prefix: 'BN' }))
            yield claimRow(c);
        })(),
      );
      console.log(
        `generated ${rows.toLocaleString('en')} rows (${(fs.statSync(file).size / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      const raw = child('raw', file, rows);
      const floor = child('floor', file, rows);
      const imp = child('import', file, rows);
      results.push({ rows, raw, floor, imp });
      fs.rmSync(file);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const perS = (rows: number, m: Measure) => Math.round(rows / m.seconds).toLocaleString('en');
  console.log(
    '\n| rows | raw insert rows/s | floor rows/s (ratio to raw) | import rows/s | ratio (import time / raw time) | import / floor | import peak RSS | raw peak RSS |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { rows, raw, floor, imp } of results) {
    console.log(
      `| ${rows.toLocaleString('en')} | ${perS(rows, raw)} | ${perS(rows, floor)} (${(floor.seconds / raw.seconds).toFixed(2)}) | ${perS(rows, imp)} | ${(imp.seconds / raw.seconds).toFixed(2)} | ${(imp.seconds / floor.seconds).toFixed(2)} | ${imp.maxRssMb.toFixed(0)} MB | ${raw.maxRssMb.toFixed(0)} MB |`,
    );
  }
  const [small, large] = results;
  if (small && large)
    console.log(
      `\npeak RSS ${large.rows.toLocaleString('en')} / ${small.rows.toLocaleString('en')}: ${(large.imp.maxRssMb / small.imp.maxRssMb).toFixed(2)}× (budget ≤ 1.5×)`,
    );
  const worst = (f: (r: (typeof results)[number]) => number) => Math.max(...results.map(f));
  const verdict = (ok: boolean) => (ok ? 'within budget' : 'OVER BUDGET');
  const floorRaw = worst((r) => r.floor.seconds / r.raw.seconds);
  const impFloor = worst((r) => r.imp.seconds / r.floor.seconds);
  console.log(
    `floor / raw ${floorRaw.toFixed(2)} at worst (budget ≤ 3: ${verdict(floorRaw <= 3)}); import / floor ${impFloor.toFixed(2)} at worst (budget ≤ 1.5: ${verdict(impFloor <= 1.5)}); import / raw ${worst((r) => r.imp.seconds / r.raw.seconds).toFixed(2)} at worst.`,
  );
  console.log('\n| rows | writes beside the import (one every 50 ms) | p99 wait | longest wait | timed out (503) |');
  console.log('|---|---|---|---|---|');
  for (const { rows, imp } of results) {
    const w = imp.writes!;
    console.log(
      `| ${rows.toLocaleString('en')} | ${w.count} | ${w.p99Ms.toFixed(1)} ms | ${w.maxMs.toFixed(1)} ms | ${w.busy} |`,
    );
  }
  const longest = worst((r) => r.imp.writes!.maxMs);
  const timedOut = results.reduce((n, r) => n + r.imp.writes!.busy, 0);
  console.log(
    `other writers: longest wait ${longest.toFixed(1)} ms (budget ≤ 250 ms: ${verdict(longest <= 250)}), ${timedOut} timed out (budget 0: ${verdict(timedOut === 0)}).`,
  );
}
