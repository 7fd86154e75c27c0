import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Checkpointer, startCheckpointer } from './checkpointer.js';
import { type OpenedDatabase, openDatabase } from './open.js';

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
    checkpointer = startCheckpointer(sqlite, file, { intervalMs: 20, rewindPages: 64, rewindWaitMs: 100 });
    // The connection leaves checkpoints to the thread.
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);

    const dbBytes = () => fs.statSync(file).size;
    // The WAL header counts the times the WAL started over (its checkpoint sequence, bytes 12–15).
    const rewinds = () => {
      const header = Buffer.alloc(32);
      const fd = fs.openSync(`${file}-wal`, 'r');
      try {
        fs.readSync(fd, header, 0, 32, 0);
      } finally {
        fs.closeSync(fd);
      }
      return header.readUInt32BE(12);
    };
    const insert = sqlite.prepare('INSERT INTO scratch (filler) VALUES (?)');
    const filler = 'x'.repeat(1000);
    // About 200 kB in small commits, as session frames come.
    const round = () => {
      for (let commit = 0; commit < 10; commit++)
        sqlite.transaction(() => Array.from({ length: 20 }, () => insert.run(filler)))();
    };
    const before = dbBytes();
    round();
    await expect.poll(dbBytes, { timeout: 10_000 }).toBeGreaterThan(before + 100_000);
    // Two seconds of commits with no pause between them but a turn of the event loop: copying alone
    // would never let the WAL start over; the thread's rewind, holding off writers for its last copy, does.
    const rewound = rewinds();
    const until = Date.now() + 2000;
    let rounds = 0;
    while (Date.now() < until) {
      round();
      rounds++;
      await new Promise(setImmediate);
    }
    expect(rewinds() - rewound).toBeGreaterThanOrEqual(3);
    expect(dbBytes()).toBeGreaterThan(before + 100_000 * rounds);
    expect(sqlite.prepare('SELECT count(*) AS n FROM scratch').get()).toEqual({ n: 200 * (rounds + 1) });

    await checkpointer.stop();
    checkpointer = null;
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
