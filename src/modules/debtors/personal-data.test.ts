/**
 * ID numbers and phones never sit in clear in the database files or the logs, and answers mask them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('personal data at rest and in logs', () => {
  let t: TestApp;
  let clear: { idNumber: string; phone: string; name: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    const rows = t.database.sqlite.prepare('select name, id_number_enc, phone_enc from debtors').all() as {
      name: string;
      id_number_enc: string;
      phone_enc: string;
    }[];
    clear = rows.map((r) => ({
      name: r.name,
      idNumber: t.crypto.decrypt(r.id_number_enc),
      phone: t.crypto.decrypt(r.phone_enc),
    }));
    // Exercise the API the way staff do, searches by name included, so the log has real traffic in it.
    for (const who of ['creditor1', 'mediator1', 'clerk1']) {
      const h = await t.as(who);
      await t.app.inject({ method: 'GET', url: '/api/claims?limit=200', headers: h });
      await t.app.inject({ method: 'GET', url: `/api/claims?q=${encodeURIComponent(clear[0]!.name)}`, headers: h });
      await t.app.inject({ method: 'GET', url: '/api/claims/1', headers: h });
      await t.app.inject({ method: 'GET', url: '/api/claims/1/events', headers: h });
    }
    t.database.sqlite.pragma('wal_checkpoint(PASSIVE)');
  });
  afterAll(() => t.close());

  it('seeded debtors have real-looking ID numbers and phones to look for', () => {
    expect(clear.length).toBeGreaterThan(100);
    expect(clear.every((c) => /^\d{17}[\dX]$/.test(c.idNumber) && /^1[3-9]\d{9}$/.test(c.phone))).toBe(true);
  });

  it('no SQLite file (database, WAL, shared memory) holds any of them in clear', () => {
    const files = fs.readdirSync(t.dataDir).filter((f) => f.startsWith('platform.db'));
    expect(files).toContain('platform.db');
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(t.dataDir, f))));
    expect(bytes.length).toBeGreaterThan(100_000);
    const found = clear.flatMap((c) => [c.idNumber, c.phone]).filter((v) => bytes.includes(Buffer.from(v)));
    expect(found).toEqual([]);
  });

  it('the log holds none of them, nor the names searched for', () => {
    const logs = t.logs();
    expect(logs).toMatch(/request completed/);
    const found = clear.flatMap((c) => [c.idNumber, c.phone]).filter((v) => logs.includes(v));
    expect(found).toEqual([]);
    expect(logs).not.toContain(clear[0]!.name);
    expect(logs).not.toContain(encodeURIComponent(clear[0]!.name));
  });

  it('API answers carry them masked only', async () => {
    const body = (await t.app.inject({ method: 'GET', url: '/api/claims?limit=200', headers: await t.as('mediator1') }))
      .body;
    expect(clear.flatMap((c) => [c.idNumber, c.phone]).filter((v) => body.includes(v))).toEqual([]);
  });
});
