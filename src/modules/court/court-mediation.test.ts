/**
 * Court pre-litigation mediation (issue 16 item 3): a claim that enters it is registered as a 民诉前调
 * case under the court's next number, the case closes when the mediation agrees or fails, and an
 * agreement there becomes an enforceable title through the court's mediation statement (民初 调解书).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

type Row = Record<string, number | string | null>;

describe('court pre-litigation mediation', () => {
  let t: TestApp;
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  const all = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).all(...args) as Row[];
  const casesOf = (claimId: number) =>
    all('select kind, case_no, status, outcome from court_cases where claim_id = ? order by id', claimId);
  const state = () =>
    one(
      'select (select count(*) from court_cases) cases, (select count(*) from claim_events) events, (select sum(version) from claims) versions',
    );
  const post = async (url: string, payload: object, who: string) =>
    t.app.inject({ method: 'POST', url, headers: await t.as(who), payload });
  const move = async (claimId: number, action: string, who: string) => {
    const version = Number(one('select version from claims where id = ?', claimId).version);
    const res = await post(`/api/claims/${claimId}/transitions`, { action, version }, who);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  };
  const serial = (caseNo: unknown) => Number(/民诉前调(\d+)号$/.exec(String(caseNo))![1]);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('registers a 民诉前调 case with the next number on escalation, shown in the event and the detail', async () => {
    const first = makeClaim(t, { at: 'failed' }).claim;
    const second = makeClaim(t, { at: 'failed' }).claim;
    await move(first.id, 'escalate', 'creditor1');
    await move(second.id, 'escalate', 'creditor1');
    const [a] = casesOf(first.id);
    const [b] = casesOf(second.id);
    expect(a).toMatchObject({ kind: 'pre_litigation_mediation', status: 'pending' });
    expect(a!.case_no).toMatch(/^（2026）闽0502民诉前调\d+号$/);
    expect(serial(b!.case_no)).toBe(serial(a!.case_no) + 1);
    const event = one("select data from claim_events where claim_id = ? and action = 'escalate'", first.id);
    expect(JSON.parse(String(event.data))).toMatchObject({
      caseNo: a!.case_no,
      deadline: { timer: 'court_mediation' },
    });
    const detail = await t.app.inject({ url: `/api/claims/${first.id}`, headers: await t.as('creditor1') });
    expect(detail.json().courtCases).toEqual([
      expect.objectContaining({ kind: 'pre_litigation_mediation', caseNo: a!.case_no, status: 'pending' }),
    ]);
  });

  it('closes the case as failed when the court mediation fails', async () => {
    const { claim } = makeClaim(t, { at: 'escalated' });
    expect(casesOf(claim.id)).toEqual([expect.objectContaining({ status: 'pending' })]);
    await move(claim.id, 'fail', 'clerk1');
    expect(casesOf(claim.id)).toEqual([expect.objectContaining({ status: 'closed', outcome: 'failed' })]);
  });

  it('turns an agreement into an enforceable title by the court mediation statement, with a 民初 number', async () => {
    const { claim } = makeClaim(t, { at: 'escalated' });
    await move(claim.id, 'notify', 'clerk1');
    await move(claim.id, 'open_session', 'clerk1');
    const agreed = await move(claim.id, 'agree', 'clerk1');
    expect(casesOf(claim.id)).toEqual([expect.objectContaining({ status: 'closed', outcome: 'agreed' })]);

    const before = state();
    const generic = await post(
      `/api/claims/${claim.id}/transitions`,
      { action: 'confirm', version: agreed.version },
      'clerk1',
    );
    expect(generic.statusCode).toBe(409);
    expect(generic.json()).toMatchObject({ reason: 'needs_own_route' });
    expect(generic.json().detail).toContain('POST /api/claims/:id/mediation-statement');
    for (const [who, status] of [
      ['creditor1', 403],
      ['mediator1', 403],
    ] as const) {
      const res = await post(`/api/claims/${claim.id}/mediation-statement`, { version: agreed.version }, who);
      expect(res.statusCode, who).toBe(status);
    }
    const stale = await post(`/api/claims/${claim.id}/mediation-statement`, { version: agreed.version - 1 }, 'clerk1');
    expect(stale.statusCode).toBe(409);
    const malformed = await post(
      `/api/claims/${claim.id}/mediation-statement`,
      { version: agreed.version, caseNo: '（2026）闽0502民特77号' },
      'clerk1',
    );
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().reason).toBe('case_no_type');
    expect(state()).toEqual(before);

    const issued = await post(
      `/api/claims/${claim.id}/mediation-statement`,
      { version: agreed.version, caseNo: '(2026)闽0502民初4321号' },
      'clerk1',
    );
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json()).toMatchObject({
      kind: 'first_instance',
      caseNo: '（2026）闽0502民初4321号',
      status: 'granted',
    });
    expect(one('select status, enforceable_title title from claims where id = ?', claim.id)).toEqual({
      status: 'confirmed',
      title: 1,
    });
    const again = await post(`/api/claims/${claim.id}/mediation-statement`, { version: agreed.version + 1 }, 'clerk1');
    expect(again.statusCode).toBe(409);
    expect(again.json().reason).toBe('not_allowed_in_state');
  });

  it('refuses to escalate a claim no court takes, with 422 naming the fix, and changes nothing', async () => {
    const { claim } = makeClaim(t, { at: 'failed' });
    t.database.sqlite
      .prepare('update claims set court_org_id = null, mediation_org_id = null where id = ?')
      .run(claim.id);
    const before = state();
    const res = await post(
      `/api/claims/${claim.id}/transitions`,
      { action: 'escalate', version: claim.version },
      'creditor1',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ reason: 'no_court' });
    expect(state()).toEqual(before);
    expect(one('select stage from claims where id = ?', claim.id).stage).toBe('people_mediation');
  });
});
