/**
 * One agreement per settlement (issue 15 item 3): a plan over four contracts of one debtor, accepted
 * by the creditor, gives one 调解协议书 whichever claim it is asked for; read back with poppler, it lists
 * every contract with its own amount owed, its share, its waiver and its part of each instalment, and
 * the figures add up to the fen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, shanghaiDate } from '../../domain/dates.js';
import { formatYuan, rmbCapitals } from '../../domain/money.js';
import { makeBatch, makeClaim, makeParties } from '../../testing/factories.js';
import { pdfToText } from '../../testing/poppler.js';
import { creditorUser, debtorHeaders } from '../../testing/session-client.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

type Row = Record<string, number | string | null>;

describe('the mediation agreement of a settlement over several contracts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const all = <T>(sql: string, ...args: unknown[]) => t.database.sqlite.prepare(sql).all(...args) as T[];
  const one = <T>(sql: string, ...args: unknown[]) => t.database.sqlite.prepare(sql).get(...args) as T;
  const generate = async (claimId: number, extra: object = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/claims/${claimId}/documents`,
      headers: await t.as('mediator1'),
      payload: { kind: 'mediation_agreement', ...extra },
    });
  /** Fen from a printed amount such as 12,345.67. */
  const fen = (yuan: string) => Math.round(Number(yuan.replaceAll(',', '')) * 100);

  /** Claims of one debtor (four unless said), settled by a plan the debtor proposed and the creditor accepted. */
  async function settleFour(count = 4, opts: { batchId?: number } = {}) {
    const g = makeParties(t, count, opts);
    const owed = all<{ id: number; contract_no: string; owed: number }>(
      `select id, contract_no, max(0, principal_fen + interest_fen + penalty_fen + fees_fen - above_cap_fen) owed
       from claims where id in (${g.claimIds.join(',')}) order by id`,
    );
    const owedFen = owed.reduce((s, c) => s + c.owed, 0);
    // 15% off, in 7 instalments that do not divide evenly: every split has a remainder to place.
    const totalFen = Math.floor(owedFen * 0.85) + 3;
    const each = Math.floor(totalFen / 7);
    const first = addDays(shanghaiDate(t.clock.now()), 7);
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/api/debtor/plans',
      headers: { authorization: debtorHeaders(t, g.debtorId).authorization },
      payload: {
        claimIds: g.claimIds,
        kind: 'instalments',
        totalFen,
        instalments: Array.from({ length: 7 }, (_, i) => ({
          dueDate: addMonths(first, i),
          amountFen: i === 6 ? totalFen - each * 6 : each,
        })),
      },
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const creditor = await t.as(creditorUser(t, g.creditorOrgId));
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/plans/${proposed.json().id}/accept`,
      headers: creditor,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    return { ...g, owed, owedFen, totalFen, settlementId: accepted.json().settlementId as number };
  }

  it('is one document for every claim of the settlement, listing each contract truly, to the fen', async () => {
    const s = await settleFour();
    const [a, b, c, d] = s.claimIds as [number, number, number, number];
    const made = await generate(b);
    expect(made.statusCode, made.body).toBe(201);
    const doc = made.json();
    // Asked for any other claim of the settlement, it is the same document.
    for (const id of [a, c, d, b]) {
      const again = await generate(id);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ id: doc.id, docNo: doc.docNo, verifyCode: doc.verifyCode });
    }
    expect(one<{ n: number }>("select count(*) n from documents where kind = 'mediation_agreement'").n).toBe(1);
    expect(one<Row>('select claim_id, settlement_id from documents where id = ?', doc.id)).toEqual({
      claim_id: b,
      settlement_id: s.settlementId,
    });
    // It is each claim's document, on each claim's chain.
    for (const id of s.claimIds) {
      const list = await t.app.inject({ url: `/api/claims/${id}/documents`, headers: await t.as('mediator1') });
      expect(list.json().map((x: { id: number }) => x.id)).toContain(doc.id);
      const events = (await t.app.inject({ url: `/api/claims/${id}/events`, headers: await t.as('mediator1') })).json();
      expect(events.chain).toEqual({ valid: true });
      expect(events.events.filter((e: { action: string }) => e.action === 'document.generated')).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ documentId: doc.id, claimIds: s.claimIds }) }),
      ]);
    }

    const pdf = await t.app.inject({ url: `/api/documents/${doc.id}/pdf`, headers: await t.as('creditor1') });
    expect(pdf.statusCode).toBe(200);
    const text = pdfToText(pdf.rawPayload, { layout: true });
    const lines = text.split('\n').map((l) => l.trim());
    const yuan = String.raw`([\d,]+\.\d{2})`;
    const plan = all<{ seq: number; amount_fen: number }>(
      'select seq, amount_fen from instalments where settlement_id = ? order by seq',
      s.settlementId,
    );
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('乙方与甲方签订借款合同4份');
    expect(flat).toContain(`${rmbCapitals(s.totalFen)}（¥${formatYuan(s.totalFen)}）；甲方减免`);
    expect(flat).toContain(`甲方减免${rmbCapitals(s.owedFen - s.totalFen)}（¥${formatYuan(s.owedFen - s.totalFen)}）`);
    expect(flat).toContain(`甲方主张欠款合计${rmbCapitals(s.owedFen)}（¥${formatYuan(s.owedFen)}）`);

    const shares: number[] = [];
    const waivers: number[] = [];
    const partsByInstalment = plan.map(() => 0);
    for (const claim of s.owed) {
      // Its line in the table of shares: contract, loan date, owed, share, waiver.
      const row = new RegExp(`^${claim.contract_no}\\s+\\d{4}年\\d+月\\d+日\\s+${yuan}\\s+${yuan}\\s+${yuan}$`);
      const found = lines
        .map((l) => row.exec(l))
        .filter((m) => m !== null)
        .filter((m) => fen(m[1]!) === claim.owed);
      expect(found, `${claim.contract_no} in\n${text}`).toHaveLength(1);
      const [, owedYuan, shareYuan, waiverYuan] = found[0]!;
      expect(fen(owedYuan!)).toBe(claim.owed);
      const share = fen(shareYuan!);
      const waiver = fen(waiverYuan!);
      expect(share + waiver).toBe(claim.owed);
      expect(share).toBeGreaterThan(0);
      shares.push(share);
      waivers.push(waiver);
      // Its line in the table of amounts owed ends with what it owes.
      expect(lines.some((l) => l.startsWith(claim.contract_no) && l.endsWith(formatYuan(claim.owed)))).toBe(true);
      // Its part of each instalment: the parts add up to its share.
      const parts = lines
        .map((l) => new RegExp(`^${claim.contract_no}\\s+第(\\d+)期\\s+\\S+\\s+${yuan}$`).exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ seq: Number(m[1]), fen: fen(m[2]!) }));
      expect(parts.map((p) => p.seq)).toEqual(plan.map((i) => i.seq));
      expect(parts.reduce((n, p) => n + p.fen, 0)).toBe(share);
      for (const p of parts) partsByInstalment[p.seq - 1]! += p.fen;
    }
    expect(shares.reduce((n, x) => n + x, 0)).toBe(s.totalFen);
    expect(waivers.reduce((n, x) => n + x, 0)).toBe(s.owedFen - s.totalFen);
    expect(partsByInstalment).toEqual(plan.map((i) => i.amount_fen));
    expect(lines.map((l) => l.replace(/\s+/g, ' '))).toContain(
      `合计 ${formatYuan(s.owedFen)} ${formatYuan(s.totalFen)} ${formatYuan(s.owedFen - s.totalFen)}`,
    );
    // The shares are those the balance of each claim is kept by.
    for (const [i, id] of s.claimIds.entries()) {
      const answer = await t.app.inject({ url: `/api/claims/${id}/payments`, headers: await t.as('creditor1') });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json().balance.settlement.shareFen).toBe(shares[i]);
    }

    // /verify: genuine, and the PDF unaltered.
    const verified = await t.app.inject({ url: `/verify/${doc.verifyCode}`, headers: { accept: 'application/json' } });
    expect(verified.json()).toMatchObject({ status: 'genuine', kind: 'mediation_agreement', docNo: doc.docNo });
    const check = await t.app.inject({
      method: 'POST',
      url: `/verify/${doc.verifyCode}`,
      headers: { 'content-type': 'application/pdf', accept: 'application/json' },
      payload: pdf.rawPayload,
    });
    expect(check.json()).toMatchObject({ genuine: true, unaltered: true, superseded: false });
  });

  it('is revoked for every claim, and asked again for any claim it is one new agreement', async () => {
    const s = await settleFour();
    const first = (await generate(s.claimIds[0]!)).json();
    const revoked = await t.app.inject({
      method: 'POST',
      url: `/api/documents/${first.id}/revoke`,
      headers: await t.as('mediator1'),
      payload: { reason: '当事人要求更正住址' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    for (const id of s.claimIds) {
      const actions = all<{ action: string }>(
        "select action from claim_events where claim_id = ? and action like 'document.%' order by seq",
        id,
      ).map((e) => e.action);
      expect(actions).toEqual(['document.generated', 'document.revoked']);
    }
    const verified = await t.app.inject({
      url: `/verify/${first.verifyCode}`,
      headers: { accept: 'application/json' },
    });
    expect(verified.json()).toMatchObject({ status: 'revoked', genuine: false });

    const again = await generate(s.claimIds[2]!);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().verifyCode).not.toBe(first.verifyCode);
    for (const id of s.claimIds) {
      const same = await generate(id);
      expect(same.statusCode).toBe(200);
      expect(same.json().id).toBe(again.json().id);
    }
    const old = await t.app.inject({ url: `/verify/${first.verifyCode}`, headers: { accept: 'application/json' } });
    expect(old.json()).toMatchObject({ status: 'revoked', superseded: true });
  });

  it('is refused, with the rule and nothing written, for a claim of the debtor outside the settlement', async () => {
    const s = await settleFour();
    const outside = makeClaim(t, { person: s.person });
    const before = one<{ docs: number; events: number }>(
      'select (select count(*) from documents) docs, (select count(*) from claim_events) events',
    );
    const res = await generate(outside.claimId);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'document_not_allowed' });
    expect(res.json().reason).toMatch(/agreement/);
    expect(
      one<{ docs: number; events: number }>(
        'select (select count(*) from documents) docs, (select count(*) from claim_events) events',
      ),
    ).toEqual(before);
  });

  it('the data migration revokes the per-claim agreements of a settlement over several contracts and keeps the others', async () => {
    const several = await settleFour();
    const single = await settleFour(1);
    // Agreements as the platform made them before: one per claim, tied to no settlement.
    const old = [(await generate(several.claimIds[0]!)).json(), (await generate(single.claimIds[0]!)).json()];
    t.database.sqlite
      .prepare(`update documents set settlement_id = null where id in (${old.map((d) => d.id).join(',')})`)
      .run();
    const sql = fs.readFileSync(
      path.join(import.meta.dirname, '../../../migrations/0028_combined_agreements.sql'),
      'utf8',
    );
    for (const update of sql.split('--> statement-breakpoint').filter((x) => x.includes('UPDATE')))
      t.database.sqlite.exec(update);
    const state = (id: number) =>
      one<{ settlement_id: number | null; revoked: number; revoked_reason: string | null }>(
        'select settlement_id, revoked_at is not null revoked, revoked_reason from documents where id = ?',
        id,
      );
    expect(state(old[0].id)).toMatchObject({ settlement_id: null, revoked: 1 });
    expect(state(old[0].id).revoked_reason).toContain('数据迁移 0028');
    expect(state(old[1].id)).toEqual({ settlement_id: single.settlementId, revoked: 0, revoked_reason: null });
    // The true one is still the claim's agreement; the false one gives way to the combined one.
    const kept = await generate(single.claimIds[0]!);
    expect([kept.statusCode, kept.json().id]).toEqual([200, old[1].id]);
    const combined = await generate(several.claimIds[3]!);
    expect(combined.statusCode).toBe(201);
    expect((await generate(several.claimIds[0]!)).json().id).toBe(combined.json().id);
  });

  it('is made once in a batch over the settlement’s claims, and printed once', async () => {
    const batchId = makeBatch(t);
    const s = await settleFour(4, { batchId });
    const headers = await t.as('mediator1');
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/documents/batch',
      headers,
      payload: { kind: 'mediation_agreement', filter: { batchId } },
    });
    expect(start.statusCode, start.body).toBe(202);
    let job = start.json();
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      job = (await t.app.inject({ url: `/api/documents/jobs/${job.jobId ?? job.id}`, headers })).json();
    }
    expect(job).toMatchObject({ status: 'done', total: 4, done: 1, existing: 3, failed: 0 });
    const ids = new Set(job.items.map((i: { documentId: number }) => i.documentId));
    expect(ids.size).toBe(1);
    expect(job.items.map((i: { claimId: number }) => i.claimId).sort()).toEqual([...s.claimIds].sort());
    const print = await t.app.inject({ url: `/api/documents/jobs/${job.id}/print.pdf`, headers });
    expect(print.statusCode).toBe(200);
    expect(pdfToText(print.rawPayload).split('调解协议书\n').length - 1).toBe(1);
  });
});
