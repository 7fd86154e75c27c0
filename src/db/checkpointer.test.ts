import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from './open.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';

describe('checkpoints on their own thread', () => {
  let dir: string;
  let database: OpenedDatabase;
  let checkpointer: Checkpointer | null = null;

  afterEach(async () => {
    await checkpointer?.stop();
    database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies the WAL into the database file beside the connection and keeps the WAL from growing', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-checkpoint-'));
    const file = path.join(dir, 'platform.db');
    database = openDatabase(file);
    const { sqlite } = database;
    sqlite.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, filler TEXT NOT NULL)');
    checkpointer = startCheckpointer(sqlite, file, { intervalMs: 20, rewindPages: 64, busyTimeoutMs: 1000 });
    // The connection leaves checkpoints to the thread.
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);

    const dbBytes = () => fs.statSync(file).size;
    const walBytes = () => fs.statSync(`${file}-wal`).size;
    const insert = sqlite.prepare('INSERT INTO scratch (filler) VALUES (?)');
    const filler = 'x'.repeat(1000);
    // About 200 kB in small commits, as session frames come.
    const round = () => {
      for (let commit = 0; commit < 10; commit++) sqlite.transaction(() => Array.from({ length: 20 }, () => insert.run(filler)))();
    };
    const before = dbBytes();
    round();
    await expect.poll(dbBytes, { timeout: 10_000 }).toBeGreaterThan(before + 100_000);
    // 40 MB more through the WAL while the thread copies, with no pause between commits but a turn of the event loop.
    for (let i = 0; i < 200; i++) {
      round();
      await new Promise(setImmediate);
    }
    await expect.poll(dbBytes, { timeout: 5000 }).toBeGreaterThan(before + 30_000_000);
    // Without rewinds the WAL would hold everything (about 60 MB of pages); with them it starts over after each round of the thread.
    expect(walBytes()).toBeLessThan(30_000_000);
    expect(sqlite.prepare('SELECT count(*) AS n FROM scratch').get()).toEqual({ n: 40_200 });

    await checkpointer.stop();
    checkpointer = null;
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
