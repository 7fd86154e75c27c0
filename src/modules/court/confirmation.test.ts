import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

type Row = Record<string, number | string | null>;

describe('judicial confirmation', () => {
  let t: TestApp;
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  /** Everything a refused step must leave as it was. */
  const state = () =>
    one(
      `select (select count(*) from court_cases) cases, (select count(*) from claim_events) events,
              (select sum(version) from claims) versions, (select count(*) from claims where court_org_id is null) unassigned`,
    );
  const position = (id: number) => one('select stage, status, enforceable_title title from claims where id = ?', id);
  const post = async (url: string, payload: object, who: string) =>
    t.app.inject({ method: 'POST', url, headers: await t.as(who), payload });
  const apply = (claimId: number, version: number, who = 'mediator1') =>
    post(`/api/claims/${claimId}/confirmation`, { version }, who);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('opens a 30-day window at agree, counted per CPL art. 85, as the claim deadline', () => {
    const { claim } = makeClaim(t, { at: 'agreed' });
    const agreed = one("select at from claim_events where claim_id = ? and action = 'agree'", claim.id);
    expect(claim.stageDeadline).not.toBeNull();
    const days = (Date.parse(claim.stageDeadline!) - Number(agreed.at)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(29);
    expect(days).toBeLessThan(34);
  });

  it("puts the application in the court's queue, and the clerk's grant gives a 民特 number and an enforceable title", async () => {
    const { claim } = makeClaim(t, { at: 'agreed' });
    const applied = await apply(claim.id, claim.version);
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json()).toMatchObject({ kind: 'judicial_confirmation', status: 'pending', caseNo: null });
    expect(position(claim.id)).toMatchObject({ status: 'confirmation_applied', title: 0 });
    const queue = await t.app.inject({ url: '/api/court/confirmations', headers: await t.as('clerk1') });
    expect(queue.json().map((c: { id: number }) => c.id)).toContain(applied.json().id);

    const granted = await post(`/api/court-cases/${applied.json().id}/grant`, {}, 'clerk1');
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json()).toMatchObject({
      status: 'granted',
      caseNo: expect.stringMatching(/^（2026）闽0502民特\d+号$/),
    });
    expect(position(claim.id)).toMatchObject({ status: 'confirmed', title: 1 });
    const last = one('select action, data from claim_events where claim_id = ? order by seq desc limit 1', claim.id);
    expect(last.action).toBe('confirm');
    expect(JSON.parse(String(last.data))).toMatchObject({ caseNo: granted.json().caseNo });

    // The claim's detail answer lists the case with its number, for the creditor as for the court.
    for (const who of ['creditor1', 'clerk1']) {
      const detail = await t.app.inject({ url: `/api/claims/${claim.id}`, headers: await t.as(who) });
      expect(detail.json().courtCases).toEqual([granted.json()]);
    }

    // The next grant of the same court and year takes the next serial.
    const next = makeClaim(t, { at: 'agreed' }).claim;
    const nextCase = (await apply(next.id, next.version)).json().id;
    const serial = (caseNo: string) => Number(/民特(\d+)号/.exec(caseNo)![1]);
    const nextNo = (await post(`/api/court-cases/${nextCase}/grant`, {}, 'clerk1')).json().caseNo;
    expect(serial(nextNo)).toBe(serial(granted.json().caseNo) + 1);
  });

  it('takes a number the clerk typed, refusing a malformed, foreign or duplicate one with 422 and changing nothing', async () => {
    const first = makeClaim(t, { at: 'agreed' }).claim;
    const firstCase = (await apply(first.id, first.version)).json().id;
    const typed = await post(`/api/court-cases/${firstCase}/grant`, { caseNo: '(2026)闽0502民特900号' }, 'clerk1');
    expect(typed.statusCode, typed.body).toBe(200);
    expect(typed.json().caseNo).toBe('（2026）闽0502民特900号');

    const other = makeClaim(t, { at: 'agreed' }).claim;
    const otherCase = (await apply(other.id, other.version)).json().id;
    const before = state();
    for (const [caseNo, reason] of [
      ['2026闽0502民特901号', 'case_no_format'],
      ['（2026）粤0703民特901号', 'case_no_court'],
      ['（2026）闽0502民初901号', 'case_no_type'],
      ['（2026）闽0502民特900号', 'case_no_taken'],
    ] as const) {
      const res = await post(`/api/court-cases/${otherCase}/grant`, { caseNo }, 'clerk1');
      expect(res.statusCode, caseNo).toBe(422);
      expect(res.json().reason).toBe(reason);
    }
    expect(state()).toEqual(before);
    expect(position(other.id)).toMatchObject({ status: 'confirmation_applied' });
  });

  it('refuses with reasons: the mediation failed, and a decided case cannot be decided again', async () => {
    const { claim } = makeClaim(t, { at: 'agreed' });
    const caseId = (await apply(claim.id, claim.version)).json().id;
    const refused = await post(`/api/court-cases/${caseId}/refuse`, { reason: '协议内容违反法律规定' }, 'clerk1');
    expect(refused.json()).toMatchObject({ status: 'refused', reason: '协议内容违反法律规定' });
    expect(position(claim.id)).toMatchObject({ status: 'failed', title: 0 });
    const before = state();
    const again = await post(`/api/court-cases/${caseId}/grant`, {}, 'clerk1');
    expect(again.statusCode).toBe(409);
    expect(again.json().reason).toBe('case_decided');
    expect(state()).toEqual(before);
  });

  it('refuses an application after the 30-day window with 409 naming art. 33, and changes nothing', async () => {
    // The agreement was reached 40 days ago.
    const now = t.clock.now();
    t.clock.set(new Date(now.getTime() - 40 * 86_400_000));
    const { claim } = makeClaim(t, { at: 'agreed' });
    t.clock.set(now);
    const before = state();
    const late = await apply(claim.id, claim.version);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'transition_forbidden', reason: 'window_closed' });
    expect(late.json().detail).toContain("People's Mediation Law art. 33");
    expect(late.json().detail).toContain(claim.stageDeadline);
    expect(state()).toEqual(before);
    expect(position(claim.id)).toMatchObject({ status: 'agreed' });
  });

  it('refuses to apply, grant or refuse through the generic transitions route, which writes no court case', async () => {
    const { claim } = makeClaim(t, { at: 'agreed' });
    const transition = (action: string, version: number, who: string) =>
      post(`/api/claims/${claim.id}/transitions`, { action, version }, who);
    const before = state();
    const applied = await transition('apply_confirmation', claim.version, 'mediator1');
    expect(applied.statusCode).toBe(409);
    expect(applied.json()).toMatchObject({ code: 'transition_forbidden', reason: 'needs_own_route' });
    expect(applied.json().detail).toContain('POST /api/claims/:id/confirmation');
    expect(state()).toEqual(before);

    const filed = await apply(claim.id, claim.version);
    const version = Number(one('select version from claims where id = ?', claim.id).version);
    const mid = state();
    for (const [action, route] of [
      ['confirm', 'POST /api/court-cases/:id/grant'],
      ['refuse_confirmation', 'POST /api/court-cases/:id/refuse'],
    ] as const) {
      const res = await transition(action, version, 'clerk1');
      expect(res.statusCode, action).toBe(409);
      expect(res.json().detail).toContain(route);
    }
    expect(state()).toEqual(mid);
    expect(position(claim.id)).toMatchObject({ status: 'confirmation_applied', title: 0 });
    expect(filed.json().status).toBe('pending');
  });

  it('refuses actions out of order and other tenants, changing nothing', async () => {
    const notified = makeClaim(t, { at: 'notified' }).claim;
    const other = makeClaim(t, { at: 'agreed', creditor: 'CRED-B' }).claim;
    const before = state();
    const early = await apply(notified.id, notified.version);
    expect(early.statusCode).toBe(409);
    expect(early.json().reason).toBe('not_allowed_in_state');
    expect((await apply(other.id, other.version, 'creditor1')).statusCode).toBe(404);
    expect((await apply(notified.id, notified.version, 'clerk1')).statusCode).toBe(403);
    expect((await post('/api/court-cases/999999/grant', {}, 'clerk1')).statusCode).toBe(404);
    expect(state()).toEqual(before);
  });
});
