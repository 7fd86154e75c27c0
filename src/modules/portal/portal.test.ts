import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClaim } from '../../testing/factories.js';
import { evidenceForm, signInDebtor } from '../../testing/portal.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { WEB_DIR } from './pages.js';

describe('debtor portal: claims, means and pages', () => {
  let t: TestApp;
  const sql = () => t.database.sqlite;
  const one = <T>(query: string, ...args: unknown[]) =>
    sql()
      .prepare(query)
      .get(...args) as T;
  const all = <T>(query: string, ...args: unknown[]) =>
    sql()
      .prepare(query)
      .all(...args) as T[];
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
  /** An open claim in people's mediation with a part above the rate cap, and its debtor's second claim still in intake. */
  let claimId: number;
  let intakeId: number;
  let headers: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    claimId = one<{ id: number }>(
      "select id from claims where stage = 'people_mediation' and status = 'notified' and above_cap_fen > 0 and stage_deadline is not null order by id limit 1",
    ).id;
    intakeId = one<{ id: number }>("select id from claims where stage = 'intake' order by id limit 1").id;
    sql()
      .prepare('update claims set debtor_id = (select debtor_id from claims where id = ?) where id = ?')
      .run(claimId, intakeId);
    headers = await signInDebtor(t, claimId);
  });
  afterAll(() => t.close());

  it("lists the debtor's own claims once served, never another debtor's", async () => {
    const res = await get('/api/debtor/claims', headers);
    expect(res.statusCode).toBe(200);
    const ids = res.json().map((c: { id: number }) => c.id);
    const debtorId = one<{ debtor_id: number }>('select debtor_id from claims where id = ?', claimId).debtor_id;
    expect(ids).toEqual(
      all<{ id: number }>("select id from claims where debtor_id = ? and stage <> 'intake' order by id", debtorId).map(
        (r) => r.id,
      ),
    );
    expect(ids).toContain(claimId);
    expect(ids).not.toContain(intakeId);
    expect((await get(`/api/debtor/claims/${intakeId}`, headers)).statusCode).toBe(404);
    const form = evidenceForm([
      ['category', 'other'],
      ['statement', '这笔借款还在审查中'],
    ]);
    const objection = await t.app.inject({
      method: 'POST',
      url: `/api/debtor/claims/${intakeId}/objections`,
      headers: { ...headers, ...form.headers },
      payload: form.payload,
    });
    expect(objection.statusCode).toBe(404);
  });

  it('shows a claim in full: amounts with the part above the cap marked, creditor, stage and next deadline, no personal data', async () => {
    const res = await get(`/api/debtor/claims/${claimId}`, headers);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    const row = one<Record<string, number | string>>(
      'select c.*, o.name creditor from claims c join organisations o on o.id = c.creditor_org_id where c.id = ?',
      claimId,
    );
    const total = Number(row.principal_fen) + Number(row.interest_fen) + Number(row.penalty_fen) + Number(row.fees_fen);
    expect(c).toMatchObject({
      id: claimId,
      contractNo: row.contract_no,
      creditorName: row.creditor,
      stage: 'people_mediation',
      status: 'notified',
      hold: null,
      amounts: {
        principalFen: row.principal_fen,
        totalFen: total,
        aboveCapFen: row.above_cap_fen,
        enforceableFen: total - Number(row.above_cap_fen),
      },
      nextDeadline: { date: row.stage_deadline, kind: 'stage' },
      canObject: true,
      objections: [],
      sessions: [],
      settlements: [],
      payments: [],
    });
    expect(c.amounts.aboveCapFen).toBeGreaterThan(0);
    expect(c.rate).toMatchObject({ annualRateBp: row.annual_rate_bp, aboveCap: true });
    expect(c.rate.capBp).toBeLessThan(Number(row.annual_rate_bp));
    const debtor = one<{ id_number_enc: string; phone_enc: string; name: string }>(
      'select d.* from debtors d join claims c on c.debtor_id = d.id where c.id = ?',
      claimId,
    );
    expect(res.body).not.toContain(t.crypto.decrypt(debtor.id_number_enc).slice(-6));
    expect(res.body).not.toContain(`${t.crypto.decrypt(debtor.phone_enc).slice(-4)}"`);
  });

  it("shows the claim's sessions, instalment schedule and payments, and the next instalment as the deadline", async () => {
    const debtorId = one<{ debtor_id: number }>('select debtor_id from claims where id = ?', claimId).debtor_id;
    const ids = one<{ mediator: number; creditor: number }>(
      "select (select id from users where username = 'mediator1') mediator, creditor_org_id creditor from claims where id = ?",
      claimId,
    );
    const now = Date.parse('2026-11-20T02:00:00Z');
    const session = sql()
      .prepare(
        "insert into sessions (mediator_id, creditor_org_id, debtor_id, mode, status, scheduled_at, created_at) values (?, ?, ?, 'online', 'scheduled', ?, ?)",
      )
      .run(ids.mediator, ids.creditor, debtorId, now + 86_400_000, now);
    sql()
      .prepare('insert into session_claims (session_id, claim_id) values (?, ?)')
      .run(session.lastInsertRowid, claimId);
    const settlement = sql()
      .prepare(
        "insert into settlements (debtor_id, kind, total_fen, hardship, status, created_at) values (?, 'instalments', 300000, 1, 'performing', ?)",
      )
      .run(debtorId, now);
    sql()
      .prepare('insert into settlement_claims (settlement_id, claim_id) values (?, ?)')
      .run(settlement.lastInsertRowid, claimId);
    const inst = sql().prepare(
      'insert into instalments (settlement_id, seq, due_date, amount_fen, paid_fen, status) values (?, ?, ?, ?, ?, ?)',
    );
    inst.run(settlement.lastInsertRowid, 1, '2026-11-10', 100000, 100000, 'paid');
    inst.run(settlement.lastInsertRowid, 2, '2026-11-25', 100000, 0, 'due');
    inst.run(settlement.lastInsertRowid, 3, '2026-12-25', 100000, 0, 'due');
    sql()
      .prepare(
        "insert into payments (claim_id, settlement_id, amount_fen, paid_on, created_at) values (?, ?, 100000, '2026-11-09', ?)",
      )
      .run(claimId, settlement.lastInsertRowid, now);

    const c = (await get(`/api/debtor/claims/${claimId}`, headers)).json();
    expect(c.sessions).toEqual([
      {
        id: Number(session.lastInsertRowid),
        mode: 'online',
        status: 'scheduled',
        scheduledAt: '2026-11-21T02:00:00.000Z',
        startedAt: null,
        endedAt: null,
      },
    ]);
    expect(c.settlements[0]).toMatchObject({ totalFen: 300000, hardship: true, status: 'performing' });
    expect(c.settlements[0].instalments.map((i: { dueDate: string }) => i.dueDate)).toEqual([
      '2026-11-10',
      '2026-11-25',
      '2026-12-25',
    ]);
    expect(c.payments).toEqual([{ amountFen: 100000, paidOn: '2026-11-09', status: 'confirmed' }]);
    expect(c.nextDeadline).toEqual({ date: '2026-11-25', kind: 'instalment' });
    const listed = (await get('/api/debtor/claims', headers)).json().find((x: { id: number }) => x.id === claimId);
    expect(listed.nextDeadline).toEqual({ date: '2026-11-25', kind: 'instalment' });
  });

  it('shows the debtor the court cases with their numbers, the measures on them, and what is paid and owed', async () => {
    const { claim } = makeClaim(t, { at: 'listed' });
    const debtor = await signInDebtor(t, claim.id);
    const res = await get(`/api/debtor/claims/${claim.id}`, debtor);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    const cases = new Map(c.courtCases.map((k: { kind: string }) => [k.kind, k]));
    expect(cases.get('first_instance')).toMatchObject({
      caseNo: expect.stringMatching(/^（2026）闽0502民初\d+号$/),
      outcome: 'judged',
      judgment: { performanceDueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
    expect(cases.get('enforcement')).toMatchObject({ caseNo: expect.stringMatching(/^（2026）闽0502执\d+号$/) });
    // Staff fields stay out of the debtor's answer.
    for (const k of c.courtCases) expect(Object.keys(k)).not.toContain('courtOrgId');
    expect(c.creditRecords).toContainEqual(
      expect.objectContaining({ kind: 'dishonest_listing', listedOn: expect.any(String), removedOn: null }),
    );
    expect(c.balance.paidFen).toBe(0);
    expect(c.balance.owedFen).toBeGreaterThan(0);
    expect(c.balance.owedFen).toBeLessThanOrEqual(
      claim.principalFen + claim.interestFen + claim.penaltyFen + claim.feesFen,
    );
  });

  it("lists the claim's documents, which the debtor downloads, and no one else's", async () => {
    const generated = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${claimId}/documents`,
      headers: await t.as('mediator1'),
      payload: { kind: 'mediation_notice' },
    });
    expect([200, 201]).toContain(generated.statusCode);
    const doc = generated.json() as { id: number; docNo: string; title: string };
    const c = (await get(`/api/debtor/claims/${claimId}`, headers)).json();
    expect(c.documents).toContainEqual(
      expect.objectContaining({ id: doc.id, docNo: doc.docNo, title: doc.title, kind: 'mediation_notice' }),
    );
    const pdf = await get(`/api/documents/${doc.id}/pdf`, headers);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const other = one<{ id: number }>(
      "select id from claims where debtor_id <> (select debtor_id from claims where id = ?) and stage = 'people_mediation' order by id desc limit 1",
      claimId,
    ).id;
    expect((await get(`/api/documents/${doc.id}/pdf`, await signInDebtor(t, other))).statusCode).toBe(404);
  });

  it('keeps debtors out of staff routes and staff out of debtor routes', async () => {
    const other = one<{ id: number }>(
      "select id from claims where debtor_id <> (select debtor_id from claims where id = ?) and stage = 'people_mediation' limit 1",
      claimId,
    ).id;
    expect((await get(`/api/debtor/claims/${other}`, headers)).statusCode).toBe(404);
    for (const url of [
      '/api/claims',
      `/api/claims/${claimId}`,
      '/api/objections',
      '/api/hardship-requests',
      `/api/claims/${claimId}/means`,
    ]) {
      expect((await get(url, headers)).statusCode, url).toBe(403);
    }
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/claims/${claimId}/access-code`, headers })).statusCode,
    ).toBe(403);
    expect((await get('/api/debtor/claims', await t.as('mediator1'))).statusCode).toBe(403);
  });

  it("the portal token opens the debtor's own session socket, not another debtor's", async () => {
    const [mine, theirs] = all<{ id: number }>(
      "select min(id) id from claims where stage = 'people_mediation' and status in ('awaiting_contact', 'notified') and hold is null and debtor_id <> (select debtor_id from claims where id = ?) group by debtor_id order by id limit 2",
      claimId,
    ).map((r) => r.id);
    const token = (await signInDebtor(t, mine!)).authorization.slice('Bearer '.length);
    const session = async (id: number) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/sessions',
        headers: await t.as('mediator1'),
        payload: { claimIds: [id], mode: 'online', scheduledAt: '2026-11-21T02:00:00.000Z' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };
    const socket = await t.app.injectWS(`/ws/sessions/${await session(mine!)}?token=${token}`);
    expect(socket.readyState).toBe(socket.OPEN);
    socket.terminate();
    await expect(t.app.injectWS(`/ws/sessions/${await session(theirs!)}?token=${token}`)).rejects.toThrow();
  });

  describe('statement of means', () => {
    const post = (body: unknown) =>
      t.app.inject({ method: 'POST', url: '/api/debtor/means', headers, payload: body as object });
    const stored = () => one<{ n: number }>('select count(*) n from means_statements').n;

    it('is entered by the debtor and seen by the mediator and the court', async () => {
      expect((await get('/api/debtor/means', headers)).json()).toEqual({ statement: null });
      const res = await post({ monthlyIncomeFen: 450_000, essentialExpensesFen: 520_000, dependants: 3 });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        monthlyIncomeFen: 450_000,
        essentialExpensesFen: 520_000,
        dependants: 3,
        disposableFen: 0,
      });
      expect((await post({ monthlyIncomeFen: 600_000, essentialExpensesFen: 400_000, dependants: 1 })).statusCode).toBe(
        201,
      );
      expect((await get('/api/debtor/means', headers)).json().statement).toMatchObject({
        monthlyIncomeFen: 600_000,
        disposableFen: 200_000,
      });
      for (const who of ['mediator1', 'clerk1']) {
        const seen = await get(`/api/claims/${claimId}/means`, await t.as(who));
        expect(seen.statusCode).toBe(200);
        expect(seen.json().statement).toMatchObject({
          monthlyIncomeFen: 600_000,
          essentialExpensesFen: 400_000,
          dependants: 1,
        });
      }
      expect((await get(`/api/claims/${claimId}/means`, await t.as('creditor1'))).statusCode).toBe(403);
    });

    it('refuses bad figures, storing nothing', async () => {
      const before = stored();
      for (const body of [
        { monthlyIncomeFen: -1, essentialExpensesFen: 0, dependants: 0 },
        { monthlyIncomeFen: '5000', essentialExpensesFen: 0, dependants: 0 },
        { monthlyIncomeFen: 100.5, essentialExpensesFen: 0, dependants: 0 },
        { monthlyIncomeFen: 100, essentialExpensesFen: 0 },
        { monthlyIncomeFen: 100, essentialExpensesFen: 0, dependants: 0, idNumber: 'x' },
      ]) {
        const res = await post(body);
        expect(res.statusCode).toBe(400);
        expect(res.json().fields.length).toBeGreaterThan(0);
      }
      expect(stored()).toBe(before);
    });
  });

  it('describes the portal and objection routes in the OpenAPI document', async () => {
    const docs = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, unknown>;
    };
    for (const p of [
      '/api/debtor/login',
      '/api/debtor/verify',
      '/api/debtor/claims/{id}',
      '/api/debtor/claims/{id}/objections',
      '/api/debtor/hardship',
      '/api/objections/{id}/decision',
      '/api/hardship-requests/{id}/decision',
    ]) {
      expect(Object.keys(docs.paths), p).toContain(p);
    }
  });

  describe('pages', () => {
    it('serve the portal with content types, a strict policy and no referrer', async () => {
      for (const [url, type] of [
        ['/portal/', 'text/html'],
        ['/portal/app.js', 'text/javascript'],
        ['/portal/app.css', 'text/css'],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url: `${url}?code=ABCD-EFGH` });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
        expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
      const redirect = await t.app.inject({ method: 'GET', url: '/portal?code=ABCD-EFGH' });
      expect(redirect.statusCode).toBe(302);
      expect(redirect.headers.location).toBe('/portal/?code=ABCD-EFGH');
      expect(t.logs()).not.toContain('ABCD-EFGH');
    });

    it('hold no inline script or style, nothing from another origin, and no HTML built from data', () => {
      const html = fs.readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8');
      const js = fs.readFileSync(path.join(WEB_DIR, 'app.js'), 'utf8');
      const css = fs.readFileSync(path.join(WEB_DIR, 'app.css'), 'utf8');
      expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script src="/portal/app.js" defer>']);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/\sstyle\s*=/i);
      expect(html).not.toContain('<style');
      for (const text of [html, js, css]) expect(text).not.toMatch(/https?:\/\//);
      expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
      expect(html).toContain('lang="zh-CN"');
      expect(html).toContain('name="viewport"');
    });
  });
});
