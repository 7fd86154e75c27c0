/** The real entry point in a child process: starts on an empty data folder, seeds, serves, stops on Ctrl-C. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-server-'));

function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 45_000);
    const poll = setInterval(() => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    }, 50);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

// A child process that builds its modules with tsx: slow to start on a busy machine, so each test has its own time.
describe('server', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts on an empty folder with migrations, demo data and WAL, serves, and shuts down cleanly on SIGINT', async () => {
    const { child, url, output } = await start();
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'ok', database: 'ok' });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mediator1', password: 'demo1234' }),
    });
    const { token } = (await login.json()) as { token: string };
    const page = (await (
      await fetch(`${url}/api/claims?limit=200`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: unknown[] };
    expect(page.items).toHaveLength(200);
    const docs = (await (await fetch(`${url}/docs/json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(docs.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.paths)).toContain('/api/claims/{id}/transitions');
    expect(output()).toContain('admin, creditor1, creditor2, mediator1, mediator2, clerk1');
    expect(fs.existsSync(path.join(dataDir, 'platform.db-wal'))).toBe(true);

    expect(await stop(child)).toBe(0);
    expect(output()).toContain('shutting down');
  }, 90_000);

  it('restarts on the same folder without seeding twice', async () => {
    const { child, url, output } = await start();
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk1', password: 'demo1234' }),
    });
    const { token } = (await login.json()) as { token: string };
    const page = (await (
      await fetch(`${url}/api/claims?limit=200`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: unknown[] };
    expect(page.items).toHaveLength(200);
    expect(output()).not.toContain('demo data seeded');
    expect(await stop(child)).toBe(0);
  }, 90_000);
});
