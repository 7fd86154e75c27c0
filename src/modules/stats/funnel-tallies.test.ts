/**
 * The funnel tallies never drift from the claims: after the demo seed, batch imports (new claims,
 * corrections of claims that needed fixing, a discarded committing batch), many lifecycle steps by
 * every kind of actor over days, payments recorded, confirmed, changed and removed, claims moved to
 * another mediation organisation or court, and events removed or rewritten by hand, the table holds
 * exactly what a fresh GROUP BY over the claims, events and payments gives (the view funnel_tallies_fresh).
 */

import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discardBatch } from '../../db/bulk-import.js';
import { type Claim, claims, users } from '../../db/schema/index.js';
import { MS_PER_DAY } from '../../domain/dates.js';
import { ACTOR_KINDS, availableActions } from '../../domain/lifecycle.js';
import { multipart } from '../../testing/multipart.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng } from '../admin/sample-claims.js';
import type { Principal } from '../auth/principal.js';
import { SAMPLE_HEADER, sampleClaimStream } from '../batches/sample-files.js';
import type { BatchView } from '../batches/schemas.js';
import { countedClaims } from '../claims/access.js';
import { applyTransition } from '../claims/apply-transition.js';

const COLUMNS = 'creditor_org_id, batch_id, mediation_org_id, court_org_id, created_day, kind, stage, detail, n, total';

describe('funnel tallies', () => {
  let t: TestApp;
  const sql = () => t.database.sqlite;
  const rows = (from: string) =>
    sql().prepare(`select ${COLUMNS} from ${from} where n <> 0 or total <> 0 order by ${COLUMNS}`).all();
  const expectNoDrift = () => {
    const kept = rows('funnel_tallies');
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(rows('funnel_tallies_fresh'));
  };

  const importAndWait = async (
    lines: string[],
    name: string,
    fields: Record<string, string> = {},
  ): Promise<BatchView> => {
    const body = multipart(fields, {
      filename: name,
      content: Buffer.from(`${[SAMPLE_HEADER.join(','), ...lines].join('\r\n')}\r\n`),
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { ...(await t.as('creditor1')), ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    for (let i = 0; i < 600; i++) {
      const got = await t.app.inject({ url: `/api/batches/${res.json().id}`, headers: await t.as('creditor1') });
      const b = got.json() as BatchView;
      if (got.statusCode === 200 && !b.progress) return b;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the batch did not finish');
  };

  /** Each principal's funnel counts what countedClaims lets it count: a committing batch's claims for none. */
  const expectCountedAsClaims = async () => {
    for (const username of ['creditor1', 'creditor2', 'mediator1', 'clerk1', 'admin']) {
      const u = t.db.select().from(users).where(eq(users.username, username)).get()!;
      const p: Principal = {
        kind: 'user',
        role: u.role,
        userId: u.id,
        orgId: u.orgId,
        orgKind: 'platform',
        name: username,
      };
      const [counted] = t.db.select({ n: count() }).from(claims).where(countedClaims(p)).all();
      // A new sign-in: the clock has moved past the cached ones.
      const headers = { authorization: `Bearer ${await t.login(username)}` };
      const res = await t.app.inject({ url: '/api/stats/funnel', headers });
      expect(res.statusCode, res.body).toBe(200);
      expect([username, res.json().claims]).toEqual([username, counted!.n]);
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('match the claims after the demo seed', () => {
    expectNoDrift();
  });

  it('match after a batch, and after its claims that needed fixing come back corrected', async () => {
    const drawn = [...sampleClaimStream(createRng(17), 40, { asOf: '2026-11-01', prefix: 'TALLY' })];
    const line = (c: (typeof drawn)[number], i: number, corrected: boolean) =>
      [
        c.contractNo,
        c.name,
        c.idNumber,
        c.phone,
        c.address,
        '',
        c.loanDate,
        c.dueDate,
        corrected ? '4800.00' : '5000.00',
        '100',
        '0',
        '0',
        // Every third row lacks its rate and needs fixing.
        i % 3 === 0 && !corrected ? '' : '12%',
        '',
        '无',
      ].join(',');
    const first = await importAndWait(
      drawn.map((c, i) => line(c, i, false)),
      'tally-1.csv',
    );
    expect(first.screening.needs_fix).toBe(14);
    expectNoDrift();
    const second = await importAndWait(
      drawn.filter((_, i) => i % 3 === 0).map((c, i) => line(c, i * 3, true)),
      'tally-2.csv',
    );
    expect(second.warnings.join(' ')).toMatch(/corrected/);
    expectNoDrift();
    // A strict batch with a bad last row writes its good rows, then takes them all away.
    const strict = [...sampleClaimStream(createRng(18), 10, { asOf: '2026-11-01', prefix: 'STRICT' })];
    const failed = await importAndWait(
      [
        ...strict.map((c, i) => line(c, 1 + i * 3, false)),
        line({ ...strict[0]!, contractNo: 'BAD', dueDate: '1999-01-01' }, 1, false),
      ],
      'tally-strict.csv',
      { strict: 'true' },
    );
    expect(failed.status).toBe('failed');
    expectNoDrift();
  });

  it('match after many lifecycle steps over days', () => {
    const rng = createRng(4242);
    const calendar = t.reference.calendar();
    let steps = 0;
    for (let round = 0; round < 12; round++) {
      t.clock.advance(Math.floor(rng() * 5 * MS_PER_DAY));
      for (const claim of t.db.select().from(claims).all() as Claim[]) {
        const kind = ACTOR_KINDS[Math.floor(rng() * 4)]!;
        const actions = availableActions(claim, kind).filter((a) => a !== 'withdraw' || rng() < 0.05);
        const action = actions[Math.floor(rng() * actions.length)];
        if (!action || rng() < 0.3) continue;
        try {
          t.db.transaction((tx) =>
            applyTransition(tx, claim, action, { kind, id: null, name: kind }, t.clock.now(), {
              calendar,
              holdKind: 'objection',
              dueOn: '2027-06-30',
            }),
          );
          steps++;
        } catch {
          // A step whose record the lifecycle refuses here (no court, say) writes nothing.
        }
      }
    }
    expect(steps).toBeGreaterThan(500);
    expect(sql().prepare("select count(*) n from claim_events where action = 'agree'").get()).not.toEqual({ n: 0 });
    expect(sql().prepare("select count(*) n from claim_events where action = 'breach'").get()).not.toEqual({ n: 0 });
    expectNoDrift();
  });

  it('match after payments are recorded, confirmed, changed and removed', () => {
    const ids = sql().prepare('select id, creditor_org_id org from claims order by id limit 30').all() as {
      id: number;
      org: number;
    }[];
    const insert = sql().prepare(
      "insert into payments (claim_id, creditor_org_id, amount_fen, overpaid_fen, paid_on, status, source, created_at) values (?, ?, ?, ?, '2026-11-19', ?, 'creditor', 0)",
    );
    for (const [i, c] of ids.entries())
      insert.run(c.id, c.org, 1000 + i, i % 4 === 0 ? 100 : 0, i % 2 ? 'confirmed' : 'reported');
    expectNoDrift();
    sql().prepare("update payments set status = 'confirmed' where id % 3 = 0").run();
    sql().prepare('update payments set amount_fen = amount_fen + 7 where id % 5 = 0').run();
    sql().prepare(`update payments set claim_id = ${ids[0]!.id} where id % 7 = 0`).run();
    sql().prepare('delete from payments where id % 4 = 0').run();
    expectNoDrift();
  });

  it('match after claims move to another mediation organisation or court, or lose one', () => {
    const other = sql()
      .prepare(
        "insert into organisations (kind, code, name, created_at) values ('mediation_committee', 'TALLY-M', '另一调解委员会', 0)",
      )
      .run().lastInsertRowid;
    sql().prepare(`update claims set mediation_org_id = ${other} where id % 5 = 0`).run();
    sql().prepare('update claims set court_org_id = null where id % 7 = 0').run();
    sql().prepare('update claims set created_at = created_at - 3 * 86400000 where id % 11 = 0').run();
    expectNoDrift();
  });

  it('match after a committing batch is discarded, and after events are removed or rewritten by hand', async () => {
    const creditor = (sql().prepare("select id from organisations where code = 'CRED-A'").get() as { id: number }).id;
    const batchId = Number(
      sql()
        .prepare("insert into batches (creditor_org_id, status, created_at) values (?, 'committing', 0)")
        .run(creditor).lastInsertRowid,
    );
    const debtor = (sql().prepare('select debtor_id id from claims limit 1').get() as { id: number }).id;
    for (let i = 0; i < 3; i++) {
      const claimId = sql()
        .prepare(
          `insert into claims (creditor_org_id, debtor_id, batch_id, contract_no, loan_date, due_date, principal_fen, overdue_since, stage, status, created_at, updated_at)
           values (?, ?, ?, ?, '2024-01-01', '2025-01-01', 100000, '2025-01-02', 'people_mediation', 'awaiting_contact', 0, 0)`,
        )
        .run(creditor, debtor, batchId, `DISCARD-${i}`).lastInsertRowid;
      sql()
        .prepare(
          "insert into claim_events (claim_id, seq, action, from_stage, from_status, to_stage, to_status, actor_kind, actor_name, at, prev_hash, hash) values (?, 1, 'screen_eligible', 'intake', 'screening', 'people_mediation', 'awaiting_contact', 'system', 'system', 86400000, 'p', 'h')",
        )
        .run(claimId);
    }
    expectNoDrift();
    await expectCountedAsClaims();
    discardBatch(sql(), batchId, {
      total: 3,
      accepted: 0,
      rejected: 0,
      skipped: 0,
      failureDetail: 'test',
      status: 'failed',
      errorsByCode: {},
      screening: {},
      warnings: [],
      finishedAt: 0,
    });
    expect(sql().prepare('select count(*) n from claims where batch_id = ?').get(batchId)).toEqual({ n: 0 });
    expectNoDrift();
    // Events are append-only; should one be removed or rewritten all the same, the tallies follow.
    sql().pragma('foreign_keys = OFF');
    sql()
      .prepare(
        'delete from claim_events where id in (select min(id) from claim_events where from_stage <> to_stage group by claim_id limit 20)',
      )
      .run();
    sql().prepare('update claim_events set at = at + 3600000 where id % 13 = 0').run();
    sql()
      .prepare(
        'update claim_events set claim_id = claim_id + 1, seq = seq + 1000 where id % 17 = 0 and claim_id + 1 in (select id from claims)',
      )
      .run();
    sql().pragma('foreign_keys = ON');
    expectNoDrift();
  });
});
