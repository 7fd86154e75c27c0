import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { MIGRATIONS_DIR } from './open.js';

describe('migration 0010: the claim row keeps the head of its event chain', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('gives the claims that existed before it the head of the chain they have', async () => {
    const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, '0010_claim_chain_head.sql'), 'utf8');
    const backfill = sql.split('--> statement-breakpoint').find((s) => s.includes('UPDATE'));
    const db = t.database.sqlite;
    const heads = () => db.prepare('select id, chain_seq, chain_hash from claims order by id').all();
    const written = heads();
    // As the columns' defaults left them when the migration added them.
    db.exec(`update claims set chain_seq = 0, chain_hash = '${'0'.repeat(64)}'`);
    db.exec(backfill!);
    expect(heads()).toEqual(written);
    expect(written.length).toBeGreaterThan(100);
    const fromEvents = db
      .prepare(
        'select count(*) n from claims c where c.chain_seq <> (select max(seq) from claim_events where claim_id = c.id)',
      )
      .get();
    expect(fromEvents).toEqual({ n: 0 });
  });
});
