/**
 * Session fan-out: 2,000 sockets in 500 rooms on loopback (mediator, colleague, creditor
 * representative, debtor), the debtor of each room sending a chat frame every 100 ms, measured
 * by a client in a separate process (PERF-LIMITS.md §5). The platform (auth, validation, storage
 * before broadcast) is compared with a bare `ws` server broadcasting the same frames in the same
 * run. Budget: p99 under 50 ms with storage on. BENCH_SESSIONS_SECONDS and BENCH_SESSIONS_ROOMS
 * shorten the run.
 *
 * Each server runs in a fresh process of its own (sessions-serve.ts), started with the Node flags
 * of `npm start`: the platform is measured as it is deployed, and neither server inherits the
 * other's heap or the setup's garbage.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTERVAL_MS, ROOMS, SECONDS, type ServedResult } from './sessions-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BUDGET_MS = 50;

/** The Node flags of `npm start` (`node --flag … dist/server.js`). */
function startFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(here, '../../package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`npm start does not run node: ${pkg.scripts.start}`);
  const script = args.findIndex((a) => !a.startsWith('--'));
  return script < 0 ? args : args.slice(0, script);
}

function serve(which: 'bare' | 'platform', dir: string, flags: string[]): Promise<ServedResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...flags, '--import', 'tsx', path.join(here, 'sessions-serve.ts'), which, dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the ${which} server exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as ServedResult);
    });
  });
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-bench-sessions-'));
  try {
    const flags = startFlags();
    console.log(
      `${ROOMS} rooms × 4 sockets, one sender per room every ${INTERVAL_MS} ms for ${SECONDS} s, client in a separate process; servers run with ${flags.join(' ') || 'no Node flags'}, as npm start`,
    );
    const b = await serve('bare', dir, flags);
    const p = await serve('platform', dir, flags);
    console.log(
      '\n| server | sockets | connect | frames in/s | frames out/s | lost | errors | p50 | p99 | max | seconds with p99 ≥ 50 ms (worst) | GC: longest pause, major | server CPU | client CPU |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const [name, r] of [
      ['bare ws broadcast', b],
      ['platform (auth, checks, stored before broadcast)', p],
    ] as const) {
      const slow = r.secondP99s.filter((x) => x >= BUDGET_MS).length;
      console.log(
        `| ${name} | ${r.sockets} | ${r.connectSeconds.toFixed(1)} s | ${Math.round(r.sent / r.sendSeconds).toLocaleString('en')} | ${Math.round(r.received / r.sendSeconds).toLocaleString('en')} | ${r.expected - r.received} | ${r.errors} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${slow} of ${r.secondP99s.length} (${ms(Math.max(...r.secondP99s))}) | ${ms(r.longestGcMs)}, ${r.majorGcs} | ${r.serverCores.toFixed(2)} | ${r.clientCores.toFixed(2)} |`,
      );
    }
    console.log(`\nstored chat frames: ${(p.stored ?? 0).toLocaleString('en')} of ${p.sent.toLocaleString('en')} sent`);
    console.log(
      `p99 ratio platform / bare: ${(p.p99 / b.p99).toFixed(2)}×; p50 ratio ${(p.p50 / b.p50).toFixed(2)}×; delivered ratio ${(p.received / p.sendSeconds / (b.received / b.sendSeconds)).toFixed(2)}`,
    );
    console.log(
      `budget: p99 < ${BUDGET_MS} ms with storage on: ${p.p99 < BUDGET_MS ? 'met' : 'NOT MET'} (${ms(p.p99)})`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
