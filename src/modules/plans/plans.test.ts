import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, shanghaiDate } from '../../domain/dates.js';
import { makeParties } from '../../testing/factories.js';
import { evidenceForm, signInDebtor } from '../../testing/portal.js';
import { creditorUser, debtorHeaders } from '../../testing/session-client.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('plans the debtor proposes in the portal', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const one = <T>(sql: string, ...args: unknown[]) => t.database.sqlite.prepare(sql).get(...args) as T;
  const counts = () =>
    one<{ plans: number; events: number; settlements: number }>(
      'select (select count(*) from debtor_plans) plans, (select count(*) from claim_events) events, (select count(*) from settlements) settlements',
    );
  const baseOf = (ids: number[]) =>
    one<{ n: number }>(
      `select sum(max(0, principal_fen + interest_fen + penalty_fen + fees_fen - above_cap_fen)) n from claims where id in (${ids.join(',')})`,
    ).n;

  function party() {
    const g = makeParties(t, 2);
    return { ...g, debtor: { authorization: debtorHeaders(t, g.debtorId).authorization } };
  }

  /** A plan of `n` monthly payments of the total, from a week from now. */
  function plan(claimIds: number[], totalFen: number, n: number) {
    const first = addDays(shanghaiDate(t.clock.now()), 7);
    const each = Math.floor(totalFen / n);
    return {
      claimIds,
      kind: n === 1 ? 'lump_sum' : 'instalments',
      totalFen,
      instalments: Array.from({ length: n }, (_, i) => ({
        dueDate: addMonths(first, i),
        amountFen: i === n - 1 ? totalFen - each * (n - 1) : each,
      })),
    };
  }

  const propose = (headers: Record<string, string>, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/debtor/plans', headers, payload });

  it('offers a plan inside the limits to the creditor, who accepts it without a session: the claims are agreed', async () => {
    const g = party();
    const res = await propose(g.debtor, plan(g.claimIds, baseOf(g.claimIds), 6));
    expect(res.statusCode, res.body).toBe(201);
    const proposed = res.json();
    expect(proposed).toMatchObject({ status: 'offered', needsApproval: false, claimIds: g.claimIds });
    expect(proposed.breaches).toBeUndefined();

    const creditor = await t.as(creditorUser(t, g.creditorOrgId));
    const offered = (await t.app.inject({ url: '/api/plans?status=offered', headers: creditor })).json();
    expect(offered.map((p: { id: number }) => p.id)).toContain(proposed.id);
    const accepted = await t.app.inject({ method: 'POST', url: `/api/plans/${proposed.id}/accept`, headers: creditor });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', settlementId: expect.any(Number) });
    const settlement = one<{ session_id: number | null; total_fen: number; n: number }>(
      'select session_id, total_fen, (select count(*) from instalments where settlement_id = s.id) n from settlements s where id = ?',
      accepted.json().settlementId,
    );
    expect(settlement).toEqual({ session_id: null, total_fen: baseOf(g.claimIds), n: 6 });
    for (const id of g.claimIds) {
      expect(one<{ status: string }>('select status from claims where id = ?', id).status).toBe('agreed');
      const events = await t.app.inject({ url: `/api/claims/${id}/events`, headers: creditor });
      const { events: log, chain } = events.json() as { events: { action: string }[]; chain: { valid: boolean } };
      expect(chain.valid).toBe(true);
      expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['plan.proposed', 'agree']));
    }
    const again = await t.app.inject({ method: 'POST', url: `/api/plans/${proposed.id}/accept`, headers: creditor });
    expect(again.statusCode).toBe(409);
    expect(again.json().reason).toBe('plan_not_offered');
  });

  it('sends a plan outside the limits to the mediator: the creditor cannot simply accept it, the debtor never sees the limits', async () => {
    const g = party();
    const res = await propose(g.debtor, plan(g.claimIds, Math.floor(baseOf(g.claimIds) / 2), 1));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'referred', needsApproval: true });
    expect(res.json().breaches).toBeUndefined();
    const mediator = await t.as('mediator1');
    const referred = (await t.app.inject({ url: '/api/plans?status=referred', headers: mediator })).json();
    const seen = referred.find((p: { id: number }) => p.id === res.json().id);
    expect(seen.breaches).toEqual([expect.objectContaining({ limit: 'maxDiscountPct', allowed: 30 })]);
    const creditor = await t.as(creditorUser(t, g.creditorOrgId));
    const before = counts();
    const accept = await t.app.inject({ method: 'POST', url: `/api/plans/${res.json().id}/accept`, headers: creditor });
    expect(accept.statusCode).toBe(409);
    expect(accept.json().reason).toBe('plan_not_offered');
    expect(counts()).toEqual(before);
    // Another debtor's plans are not there to see.
    const other = party();
    const theirs = (await t.app.inject({ url: '/api/plans', headers: other.debtor })).json();
    expect(theirs.map((p: { id: number }) => p.id)).not.toContain(res.json().id);
  });

  it('refuses a plan that does not add up, one longer than the policy allows, another debtor’s claim or a second plan, storing nothing', async () => {
    const g = party();
    const base = baseOf(g.claimIds);
    const other = party();
    const bad: [object, number, string][] = [
      [{ ...plan(g.claimIds, base, 3), totalFen: base - 1 }, 422, 'instalments_sum'],
      [plan(g.claimIds, base, 40), 422, 'plan_too_long'],
      [plan([...g.claimIds, other.claimIds[0]!], base, 2), 404, 'not_found'],
      [{ ...plan(g.claimIds, base, 2), instalments: [] }, 400, 'validation_failed'],
    ];
    const before = counts();
    for (const [payload, status, code] of bad) {
      const res = await propose({ ...g.debtor, 'accept-language': 'zh-CN' }, payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().reason ?? res.json().code).toBe(code);
    }
    expect(counts()).toEqual(before);
    expect((await propose(g.debtor, plan(g.claimIds, base, 2))).statusCode).toBe(201);
    const second = await propose(g.debtor, plan(g.claimIds, base, 3));
    expect(second.statusCode).toBe(409);
    expect(second.json().reason).toBe('plan_pending');
  });

  it('suggests an affordable plan from the statement of means, and says when there is none to go on', async () => {
    const g = party();
    const url = `/api/debtor/plans/suggestion?claimIds=${g.claimIds.join(',')}`;
    expect((await t.app.inject({ url, headers: g.debtor })).json()).toEqual({
      plan: null,
      reason: 'no_statement_of_means',
      monthlyCapacityFen: null,
    });
    const means = await t.app.inject({
      method: 'POST',
      url: '/api/debtor/means',
      headers: g.debtor,
      payload: { monthlyIncomeFen: 10_000_000, essentialExpensesFen: 400_000, dependants: 0 },
    });
    expect(means.statusCode).toBe(201);
    const s = (await t.app.inject({ url, headers: g.debtor })).json();
    expect(s.monthlyCapacityFen).toBe(4_800_000);
    expect(s.plan.instalments.every((i: { amountFen: number }) => i.amountFen <= 4_800_000)).toBe(true);
    // The suggestion is inside the limits: proposed as it is, it goes straight to the creditor.
    const res = await propose(g.debtor, { claimIds: g.claimIds, ...s.plan });
    expect(res.json().status).toBe('offered');
  });

  it("a hardship relief granted on one of the plan's claims relieves that claim's share alone (issue 15 item 13)", async () => {
    const g = party();
    const [a, b] = g.claimIds as [number, number];
    const form = evidenceForm([
      ['claimIds', String(a)],
      ['reason', 'illness'],
      ['statement', '本人住院治疗，请求减免该笔借款的利息和罚息。'],
    ]);
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/debtor/hardship',
      headers: { ...(await signInDebtor(t, a)), ...form.headers },
      payload: form.payload,
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const granted = await t.app.inject({
      method: 'POST',
      url: `/api/hardship-requests/${asked.json().id}/decision`,
      headers: await t.as('mediator1'),
      payload: { outcome: 'granted', note: '符合救助条件，减免该笔借款的利息和罚息。' },
    });
    expect(granted.statusCode, granted.body).toBe(200);

    const claimOf = (id: number) =>
      one<{ owed: number; relief: number }>(
        'select max(0, principal_fen + interest_fen + penalty_fen + fees_fen - above_cap_fen) owed, max(0, interest_fen + penalty_fen - above_cap_fen) relief from claims where id = ?',
        id,
      );
    const [ca, cb] = [claimOf(a), claimOf(b)];
    expect(ca.relief).toBeGreaterThan(0);
    expect(cb.relief).toBeGreaterThan(0);
    // The relieved total pays the first claim less its interest and penalty and the second in full.
    const total = ca.owed - ca.relief + cb.owed;
    const res = await propose(g.debtor, plan(g.claimIds, total, 1));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'offered', needsApproval: false });
    const creditor = await t.as(creditorUser(t, g.creditorOrgId));
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/plans/${res.json().id}/accept`,
      headers: creditor,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const settlementId = accepted.json().settlementId;
    expect(one<{ hardship: number }>('select hardship from settlements where id = ?', settlementId)).toEqual({
      hardship: 1,
    });
    expect(
      t.database.sqlite
        .prepare('select claim_id, relief_fen from settlement_claims where settlement_id = ? order by claim_id')
        .all(settlementId),
    ).toEqual([
      { claim_id: a, relief_fen: ca.relief },
      { claim_id: b, relief_fen: 0 },
    ]);
    const shareOf = async (id: number) =>
      (await t.app.inject({ url: `/api/claims/${id}/payments`, headers: creditor })).json().balance.settlement;
    expect(await shareOf(a)).toMatchObject({ shareFen: ca.owed - ca.relief, dueFen: ca.owed - ca.relief });
    expect(await shareOf(b)).toMatchObject({ shareFen: cb.owed, dueFen: cb.owed });
  });
});
