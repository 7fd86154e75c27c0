/**
 * `npm run backup` while the app writes, then `npm run restore` into a new data folder: the restored
 * database passes `PRAGMA integrity_check` and every claim's evidence chain verifies.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaimEvents } from '../modules/claims/events.js';
import { makeClaim } from '../testing/factories.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { openDatabase } from './open.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const script = (name: string, arg: string, dataDir: string) =>
  run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', `${name}.ts`), arg], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATA_KEY: '' },
  });

describe('backup and restore', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-backup-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a backup taken during writes restores to a sound database whose every chain verifies', async () => {
    const file = path.join(dir, 'backup.db');
    let writing = true;
    let written = 0;
    const writes = (async () => {
      while (writing) {
        makeClaim(t);
        written++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const backup = await script('backup', file, t.dataDir);
    writing = false;
    await writes;
    expect(written).toBeGreaterThan(0);
    expect(backup.stdout).toContain('完整性检查通过');
    expect(backup.stdout).toContain(path.join(t.dataDir, 'data.key'));
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');

    const again = await script('backup', file, t.dataDir).catch((err: { stderr: string }) => err.stderr);
    expect(again).toContain('已存在');

    const restoredDir = path.join(dir, 'restored');
    const restore = await script('restore', file, restoredDir);
    expect(restore.stdout).toContain('已用');
    const restored = openDatabase(path.join(restoredDir, 'platform.db'));
    try {
      expect(restored.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = restored.sqlite.prepare('select id from claims').pluck().all() as number[];
      expect(ids.length).toBeGreaterThan(100);
      const broken = ids.filter((id) => !readClaimEvents(restored.db, id).chain.valid);
      expect(broken).toEqual([]);
    } finally {
      restored.close();
    }
  });

  it('refuses to restore a file that is not a sound database, leaving the database as it was', async () => {
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database at all');
    const target = path.join(dir, 'kept');
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'platform.db'), 'the current database');
    const err = await script('restore', junk, target).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain('恢复失败');
    expect(fs.readFileSync(path.join(target, 'platform.db'), 'utf8')).toBe('the current database');
  });
});
