import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeParties } from '../../testing/factories.js';
import { evidenceForm, type FormFile, PDF_BYTES, PNG_BYTES, signInDebtor } from '../../testing/portal.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { ANSWER_MESSAGES } from '../deliveries/answer-notice.js';
import { hardshipCoveredClaims } from './hardship.js';

describe('hardship requests and statistics', () => {
  let t: TestApp;
  /** Debtors with at least two open claims in mediation, as [claimId, claimId]. */
  let pairs: [number, number][];
  const sql = () => t.database.sqlite;
  const one = <T>(query: string, ...args: unknown[]) =>
    sql()
      .prepare(query)
      .get(...args) as T;
  const all = <T>(query: string, ...args: unknown[]) =>
    sql()
      .prepare(query)
      .all(...args) as T[];
  const holdOf = (id: number) => one<{ hold: string | null }>('select hold from claims where id = ?', id).hold;
  const lastActions = (claimId: number, n: number) =>
    all<{ action: string; actor_kind: string }>(
      'select action, actor_kind from claim_events where claim_id = ? order by seq desc limit ?',
      claimId,
      n,
    ).reverse();
  const state = () =>
    one<object>(
      'select (select count(*) from hardship_requests) requests, (select count(*) from hardship_claims) links, (select count(*) from attachments) attachments, (select count(*) from claim_events) events, (select sum(version) from claims) versions',
    );
  const request = (headers: Record<string, string>, fields: [string, string][], files: FormFile[] = []) => {
    const form = evidenceForm(fields, files);
    return t.app.inject({
      method: 'POST',
      url: '/api/debtor/hardship',
      headers: { ...headers, ...form.headers },
      payload: form.payload,
    });
  };
  const form = (claimIds: number[], reason = 'illness'): [string, string][] => [
    ...claimIds.map((id): [string, string] => ['claimIds', String(id)]),
    ['reason', reason],
    ['statement', '本人今年确诊重病，住院治疗，暂时无法工作，请求减免利息并延长还款期限。'],
  ];
  const decide = async (id: number, body: Record<string, unknown>, who = 'mediator1') =>
    t.app.inject({
      method: 'POST',
      url: `/api/hardship-requests/${id}/decision`,
      headers: await t.as(who),
      payload: body,
    });

  beforeAll(async () => {
    t = await createTestApp();
    // Debtors who each owe two open claims in mediation.
    pairs = Array.from({ length: 6 }, () => makeParties(t, 2).claimIds as [number, number]);
  });
  afterAll(() => t.close());

  it('records the request against the claims and holds each for review', async () => {
    const [a, b] = pairs[0]!;
    const headers = await signInDebtor(t, a);
    const res = await request(headers, form([a, b]), [{ filename: '诊断证明.pdf', content: PDF_BYTES }]);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'pending', reason: 'illness', plan: null, decisionNote: null });
    expect(body.claims.map((c: { id: number }) => c.id)).toEqual([a, b]);
    expect(body.attachments).toHaveLength(1);
    for (const id of [a, b]) {
      expect(holdOf(id)).toBe('hardship');
      expect(lastActions(id, 2)).toEqual([
        { action: 'hardship_requested', actor_kind: 'debtor' },
        { action: 'place_hold', actor_kind: 'debtor' },
      ]);
    }
    const mine = await t.app.inject({ method: 'GET', url: '/api/debtor/hardship', headers });
    expect(mine.json().map((r: { id: number }) => r.id)).toEqual([body.id]);
  });

  it('refuses bad requests with a clear error, changing nothing', async () => {
    const [a, b] = pairs[1]!;
    const [other] = pairs[2]!;
    const headers = await signInDebtor(t, a);
    expect((await request(headers, form([a]))).statusCode).toBe(201);
    const before = state();
    const cases: { fields: [string, string][]; files?: FormFile[]; status: number; reason?: string }[] = [
      { fields: form([a, b]), status: 409, reason: 'hardship_pending' },
      { fields: form([b, other]), status: 404 },
      { fields: form([b], 'bankrupt_by_choice'), status: 400 },
      {
        fields: [
          ['reason', 'illness'],
          ['statement', '说明'],
        ],
        status: 400,
      },
      {
        fields: [
          ['claimIds', 'abc'],
          ['reason', 'illness'],
          ['statement', '说明'],
        ],
        status: 400,
      },
      { fields: form([b]), files: [{ filename: 'x.jpg', content: PNG_BYTES }], status: 415, reason: 'type_mismatch' },
      {
        fields: form([b]),
        files: [{ filename: '../x.png', content: PNG_BYTES }],
        status: 400,
        reason: 'bad_file_name',
      },
    ];
    for (const c of cases) {
      const res = await request(headers, c.fields, c.files);
      expect(res.statusCode, res.body).toBe(c.status);
      if (c.reason) expect(res.json().reason).toBe(c.reason);
      expect(state()).toEqual(before);
    }
    expect(holdOf(b)).toBeNull();
    // Ids may also come comma-separated; a repeated id counts once.
    const listed = await request(headers, [
      ['claimIds', `${b}, ${b}`],
      ['reason', 'unemployment'],
      ['statement', '失业'],
    ]);
    expect(listed.statusCode).toBe(201);
    expect(listed.json().claims.map((c: { id: number }) => c.id)).toEqual([b]);
  });

  it("lets the mediator see the request with the debtor's statement of means, and grant a hardship plan", async () => {
    const [a, b] = pairs[3]!;
    const headers = await signInDebtor(t, a);
    const means = await t.app.inject({
      method: 'POST',
      url: '/api/debtor/means',
      headers,
      payload: { monthlyIncomeFen: 300_000, essentialExpensesFen: 250_000, dependants: 2 },
    });
    expect(means.statusCode).toBe(201);
    const id = (await request(headers, form([a, b], 'unemployment'))).json().id as number;

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/hardship-requests?status=pending',
      headers: await t.as('mediator1'),
    });
    expect(list.statusCode).toBe(200);
    const seen = (
      list.json() as { id: number; debtor: { name: string }; means: { disposableFen: number } | null }[]
    ).find((r) => r.id === id)!;
    expect(seen.means).toMatchObject({
      monthlyIncomeFen: 300_000,
      essentialExpensesFen: 250_000,
      dependants: 2,
      disposableFen: 50_000,
    });
    expect(seen.debtor.name.length).toBeGreaterThan(0);

    expect((await decide(id, { outcome: 'granted' })).statusCode).toBe(400);
    expect((await decide(id, { outcome: 'maybe', note: 'x' })).statusCode).toBe(400);
    expect(hardshipCoveredClaims(t.db, [a, b])).toEqual(new Set());

    const res = await decide(id, {
      outcome: 'granted',
      note: '符合特殊群体救助条件，同意减免利息和罚息，分期延长至 36 期。',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'granted',
      plan: { waiveInterest: true, waivePenalty: true, maxInstalments: 36 },
    });
    for (const claimId of [a, b]) {
      expect(holdOf(claimId)).toBeNull();
      expect(lastActions(claimId, 2)).toEqual([
        { action: 'hardship_granted', actor_kind: 'mediator' },
        { action: 'release_hold', actor_kind: 'mediator' },
      ]);
    }
    expect(hardshipCoveredClaims(t.db, [a, b])).toEqual(new Set([a, b]));
    expect(
      one<{ message: string }>(
        'select message from deliveries where idempotency_key = ?',
        `hardship:${id}:answered:sms`,
      ).message,
    ).toBe(ANSWER_MESSAGES.hardship);
    const mine = await t.app.inject({ method: 'GET', url: '/api/debtor/hardship', headers });
    expect(mine.json()[0]).toMatchObject({ id, status: 'granted', plan: { maxInstalments: 36 } });

    const again = await decide(id, { outcome: 'refused', note: '改变主意' });
    expect(again.statusCode).toBe(409);
    expect(again.json().reason).toBe('hardship_decided');
  });

  it('keeps hardship evidence from creditors', async () => {
    const [a] = pairs[4]!;
    const headers = await signInDebtor(t, a);
    const res = await request(headers, form([a]), [{ filename: 'proof.png', content: PNG_BYTES }]);
    const fileId = res.json().attachments[0].id as number;
    const get = async (h: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: `/api/attachments/${fileId}`, headers: h });
    expect((await get(headers)).statusCode).toBe(200);
    expect((await get(await t.as('mediator1'))).rawPayload.equals(PNG_BYTES)).toBe(true);
    expect((await get(await t.as('creditor1'))).statusCode).toBe(404);
    expect((await get(await t.as('creditor2'))).statusCode).toBe(404);
    expect((await get(await signInDebtor(t, pairs[5]![0]))).statusCode).toBe(404);
  });

  it('hands the hold between an objection and a pending hardship request', async () => {
    const [a] = pairs[5]!;
    const headers = await signInDebtor(t, a);
    const hardshipId = (await request(headers, form([a]))).json().id as number;
    expect(holdOf(a)).toBe('hardship');

    const objection = evidenceForm([
      ['category', 'amount_disputed'],
      ['statement', '金额有误'],
    ]);
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/debtor/claims/${a}/objections`,
      headers: { ...headers, ...objection.headers },
      payload: objection.payload,
    });
    expect(filed.statusCode).toBe(201);
    expect(holdOf(a)).toBe('objection');
    expect(lastActions(a, 3)).toEqual([
      { action: 'objection_filed', actor_kind: 'debtor' },
      { action: 'release_hold', actor_kind: 'system' },
      { action: 'place_hold', actor_kind: 'debtor' },
    ]);

    const answer = await t.app.inject({
      method: 'POST',
      url: `/api/objections/${filed.json().id}/decision`,
      headers: await t.as('mediator1'),
      payload: { outcome: 'rejected', reasons: '异议不成立' },
    });
    expect(answer.statusCode).toBe(200);
    expect(holdOf(a)).toBe('hardship');
    expect(lastActions(a, 2)).toEqual([
      { action: 'release_hold', actor_kind: 'mediator' },
      { action: 'place_hold', actor_kind: 'system' },
    ]);

    expect(
      (await decide(hardshipId, { outcome: 'refused', note: '收入足以按期还款，不符合救助条件。' })).statusCode,
    ).toBe(200);
    expect(holdOf(a)).toBeNull();
  });

  it('counts granted and refused requests and objections by outcome, per tenant', async () => {
    const stats = async (who: string) =>
      (await t.app.inject({ method: 'GET', url: '/api/objections/stats', headers: await t.as(who) })).json();
    const mediator = await stats('mediator1');
    expect(mediator.hardship).toEqual({
      pending: one<{ n: number }>("select count(*) n from hardship_requests where status = 'pending'").n,
      granted: 1,
      refused: 1,
    });
    expect(mediator.objections).toMatchObject({ open: 0, rejected: 1, upheld: 0, partially_upheld: 0 });
    const a = await stats('creditor1');
    const b = await stats('creditor2');
    expect(a.hardship.granted + b.hardship.granted).toBeGreaterThanOrEqual(1);
    expect(a.objections.rejected + b.objections.rejected).toBe(1);
  });
});
