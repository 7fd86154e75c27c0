/**
 * Uploads on disk (issue 14 item 8): while a batch is imported its file (and the worksheet exceljs
 * keeps) is a spool file, mode 0600, in which no ID number or phone of the file can be read; a server
 * killed mid-import leaves only those, and its next start removes them. A spool file altered on disk
 * fails its batch with a clear error and nothing of it is written; a dry run leaves no file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multipart } from '../../testing/multipart.js';
import { createTestApp } from '../../testing/test-app.js';
import { createRng } from '../admin/sample-claims.js';
import { SEGMENT_BYTES, spoolCopy } from '../common/spool.js';
import { createImporter } from './import/run-import.js';
import { LiveBatches } from './live.js';
import { claimRow, sampleClaimStream, writeSampleBatch } from './sample-files.js';
import { createBatchService } from './service.js';

const root = path.resolve(import.meta.dirname, '../../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-spool-files-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A batch file of `rows` sample claims; answers it with the ID numbers and phones it holds. */
async function batchFile(name: string, format: 'csv-utf8' | 'xlsx', rows: number, seed: number) {
  const file = path.join(work, name);
  const claims = [...sampleClaimStream(createRng(seed), rows, { asOf: '2026-11-01', prefix: `SP${seed}` })];
  await writeSampleBatch(file, format, claims.map(claimRow));
  return { file, secrets: claims.flatMap((c) => [c.idNumber, c.phone]) };
}

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const poll = setInterval(() => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    }, 50);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<string | null>((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (_code, signal) => resolve(signal));
    child.kill('SIGKILL');
  });

const listing = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe('spool files', () => {
  it('while imports run, the upload and the kept worksheet are 0600 and hold no ID number or phone in the clear; after kill -9 the restart removes them', async () => {
    const dataDir = path.join(work, 'server');
    const uploads = path.join(dataDir, 'uploads');
    const csv = await batchFile('big.csv', 'csv-utf8', 20_000, 1);
    const xlsx = await batchFile('sheet.xlsx', 'xlsx', 5000, 2);
    const { child, url } = await startServer(dataDir);
    try {
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'creditor1', password: 'demo1234' }),
      });
      const { token } = (await login.json()) as { token: string };
      const send = async (file: string) => {
        const form = new FormData();
        form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
        const res = await fetch(`${url}/api/batches`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: form,
        });
        expect(res.status, await res.clone().text()).toBe(202);
      };
      await send(xlsx.file);
      await send(csv.file);

      // Look at every spool file as it appears (one may go between the listing and the read) until an
      // upload and the worksheet exceljs keeps until the end of the zip have been seen.
      const seen = new Set<string>();
      // The first hundred claims of each file: a search of all 25,000 in every look would take minutes.
      const secrets = [...csv.secrets.slice(0, 200), ...xlsx.secrets.slice(0, 200)].map((x) => Buffer.from(x));
      const deadline = Date.now() + 60_000;
      while (!(seen.has('upload') && seen.has('sheet')) && Date.now() < deadline) {
        for (const name of listing(uploads)) {
          const file = path.join(uploads, name);
          let mode: number;
          let bytes: Buffer;
          try {
            mode = fs.statSync(file).mode & 0o777;
            bytes = fs.readFileSync(file);
          } catch {
            continue; // its import ended meanwhile
          }
          expect(mode, name).toBe(0o600);
          expect(bytes.subarray(0, 8).toString('latin1')).toBe('LMPSPOOL');
          for (const secret of secrets) expect(bytes.includes(secret), `${name} holds ${secret}`).toBe(false);
          if (bytes.length > 100_000) seen.add(path.extname(name).slice(1));
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      expect([...seen].sort()).toEqual(['sheet', 'upload']);
      expect(await killed(child)).toBe('SIGKILL');
    } finally {
      if (child.exitCode === null && child.signalCode === null) await killed(child);
    }
    // The kill left them, sealed; the next start removes every one.
    expect(listing(uploads).length).toBeGreaterThanOrEqual(1);
    const again = await startServer(dataDir);
    try {
      expect(listing(uploads)).toEqual([]);
    } finally {
      await killed(again.child);
    }
  }, 240_000);

  it('a spool segment altered on disk fails its batch with a clear error and writes nothing; altered at the start, the upload is a 422', async () => {
    const dataKey = crypto.randomBytes(32);
    const t = await createTestApp({ env: { DATA_KEY: dataKey.toString('base64') } });
    const importer = createImporter(path.join(t.dataDir, 'platform.db'));
    try {
      const batches = createBatchService({
        db: t.db,
        importer,
        clock: t.clock,
        config: t.config,
        dataKey,
        reference: t.reference,
        live: new LiveBatches(),
      });
      const claims = () => t.database.sqlite.prepare('select count(*) n from claims').get() as { n: number };
      const before = claims();
      const { file: source } = await batchFile('altered.csv', 'csv-utf8', 6000, 3);
      const creditor = t.database.sqlite.prepare("select id from organisations where code = 'CRED-A'").get() as {
        id: number;
      };
      const submitter = { creditorOrgId: creditor.id, userId: null, apiKeyId: null };
      const options = {
        strict: false,
        dryRun: false,
        charset: null,
        sheet: null,
        mediationOrg: null,
        reference: null,
        policy: {},
      };
      const alter = async (at: number) => {
        const { file, sha256 } = await spoolCopy(source, batches.spool);
        const fd = fs.openSync(file, 'r+');
        const byte = Buffer.alloc(1);
        fs.readSync(fd, byte, 0, 1, at);
        byte[0]! ^= 0x20;
        fs.writeSync(fd, byte, 0, 1, at);
        fs.closeSync(fd);
        return { file, fileName: 'altered.csv', sha256, format: 'csv' as const };
      };

      // A segment well past what the header check reads: the import starts, then meets it.
      const size = fs.statSync(source).size;
      expect(size).toBeGreaterThan(12 * SEGMENT_BYTES);
      const late = await alter(40 + 10 * (SEGMENT_BYTES + 16) + 100);
      const outcome = await batches.submit(submitter, late, options);
      expect(outcome.kind).toBe('started');
      if (outcome.kind !== 'started') return;
      await batches.waitFor(outcome.batch.id);
      const batch = batches.get(submitter.creditorOrgId, outcome.batch.id);
      expect(batch.status).toBe('failed');
      expect(batch.failureDetail).toMatch(/failed its integrity check \(segment 10 was altered\).*Send the file again/);
      expect(claims()).toEqual(before);
      expect(
        t.database.sqlite.prepare('select count(*) n from claims where batch_id = ?').get(outcome.batch.id),
      ).toEqual({ n: 0 });
      expect(fs.existsSync(late.file)).toBe(false);

      // Altered in the first segment: the check before the import refuses it.
      const early = await alter(40 + 10);
      const refused = await batches.submit(submitter, early, options).catch((err: unknown) => err);
      expect(refused).toMatchObject({ code: 'unprocessable', reason: 'upload_damaged' });
      expect((refused as Error).message).toMatch(/segment 0 was altered/);
      expect(claims()).toEqual(before);
      expect(listing(batches.spool.dir)).toEqual([]);
    } finally {
      await importer.close();
      await t.close();
    }
  }, 120_000);

  it('a dry run of a CSV and of an XLSX file leaves no upload and no kept worksheet behind', async () => {
    const t = await createTestApp();
    try {
      const headers = await t.as('creditor1');
      const uploads = path.join(t.dataDir, 'uploads');
      for (const [name, format] of [
        ['dry.csv', 'csv-utf8'],
        ['dry.xlsx', 'xlsx'],
      ] as const) {
        const { file } = await batchFile(name, format, 300, 4);
        const form = multipart({ dryRun: 'true' }, { filename: name, content: fs.readFileSync(file) });
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/batches',
          headers: { ...headers, ...form.headers },
          payload: form.payload,
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ status: 'committed' });
        expect(listing(uploads)).toEqual([]);
      }
    } finally {
      await t.close();
    }
  }, 120_000);
});
