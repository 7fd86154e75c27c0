/**
 * Litigation, enforcement and credit repair as court records (issue 16 items 4–6): a filed suit is
 * registered under its 民初 number and judged with an award; the judgment's performance period fixes
 * the 2-year window to apply for enforcement; the 执 case records each measure as a credit record;
 * approving repair starts the 3-working-day removal deadline and certifying it records the removals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/dates.js';
import { addWorkingDays } from '../../domain/holiday-calendar.js';
import { makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

type Row = Record<string, number | string | null>;

describe('court records after mediation', () => {
  let t: TestApp;
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  const state = () =>
    one(
      `select (select count(*) from court_cases) cases, (select count(*) from credit_records) records,
              (select count(*) from claim_events) events, (select sum(version) from claims) versions,
              (select group_concat(coalesce(case_no, '-')) from court_cases) numbers`,
    );
  const caseOf = (claimId: number, kind: string) =>
    one('select * from court_cases where claim_id = ? and kind = ? order by id desc limit 1', claimId, kind);
  const claimRow = (id: number) =>
    one('select stage, status, stage_deadline, credit_listing, version from claims where id = ?', id);
  const post = async (url: string, payload: object, who = 'clerk1') =>
    t.app.inject({ method: 'POST', url, headers: await t.as(who), payload });
  const move = async (claimId: number, action: string, who: string) => {
    const res = await post(`/api/claims/${claimId}/transitions`, { action, version: claimRow(claimId).version }, who);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  };
  const award = {
    outcome: 'judged',
    effectiveOn: '2026-11-02',
    awardedPrincipalFen: 800000,
    awardedInterestFen: 45000,
    costsFen: 5000,
  };

  const daysAgo = (n: number) => addDays(shanghaiDate(t.clock.now()), -n);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('registers a filed suit under its 民初 number, then records the judgment and the enforcement window', async () => {
    const { claim } = makeClaim(t, { at: 'filed' });
    const suit = caseOf(claim.id, 'first_instance');
    expect(suit).toMatchObject({ status: 'pending', case_no: null });

    const before = state();
    const early = await post(`/api/court-cases/${suit.id}/judgment`, award);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ reason: 'case_not_registered' });
    const generic = await post(`/api/claims/${claim.id}/transitions`, { action: 'judge', version: claim.version });
    expect(generic.json()).toMatchObject({ reason: 'needs_own_route' });
    expect(state()).toEqual(before);

    const registered = await post(`/api/court-cases/${suit.id}/register`, {});
    expect(registered.statusCode, registered.body).toBe(200);
    expect(registered.json().caseNo).toMatch(/^（2026）闽0502民初\d+号$/);
    const twice = await post(`/api/court-cases/${suit.id}/register`, {});
    expect(twice.json()).toMatchObject({ reason: 'case_registered' });

    const judged = await post(`/api/court-cases/${suit.id}/judgment`, award);
    expect(judged.statusCode, judged.body).toBe(200);
    // Effective 2026-11-02; ten days to perform end 2026-11-12; two years later, 2028-11-12, a Sunday: the 13th.
    expect(judged.json()).toMatchObject({
      status: 'granted',
      outcome: 'judged',
      judgment: { awardedPrincipalFen: 800000, costsFen: 5000, performanceDueOn: '2026-11-12' },
    });
    expect(claimRow(claim.id)).toMatchObject({ status: 'judged', stage_deadline: '2028-11-13' });
    const again = await post(`/api/court-cases/${suit.id}/judgment`, award);
    expect(again.json()).toMatchObject({ reason: 'case_decided' });
  });

  it('refuses a judgment dated in the future or for another tenant, changing nothing', async () => {
    const { claim } = makeClaim(t, { at: 'filed' });
    const suit = caseOf(claim.id, 'first_instance');
    await post(`/api/court-cases/${suit.id}/register`, {});
    const before = state();
    const future = await post(`/api/court-cases/${suit.id}/judgment`, { ...award, effectiveOn: '2030-01-01' });
    expect(future.statusCode).toBe(422);
    const bad = await post(`/api/court-cases/${suit.id}/judgment`, { ...award, awardedPrincipalFen: -1 });
    expect(bad.statusCode).toBe(400);
    expect((await post(`/api/court-cases/${suit.id}/judgment`, award, 'creditor1')).statusCode).toBe(403);
    expect((await post('/api/court-cases/999999/judgment', award)).statusCode).toBe(404);
    expect(state()).toEqual(before);
  });

  it('refuses an enforcement application after the 2-year window, naming CPL art. 250', async () => {
    const { claim } = makeClaim(t, { at: 'judged' });
    // The window closed yesterday.
    t.database.sqlite.prepare('update claims set stage_deadline = ? where id = ?').run(daysAgo(1), claim.id);
    const before = state();
    const late = await post(
      `/api/claims/${claim.id}/transitions`,
      { action: 'apply_enforcement', version: claimRow(claim.id).version },
      'creditor1',
    );
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ reason: 'window_closed' });
    expect(late.json().detail).toContain('art. 250');
    expect(late.json().detail).toContain(daysAgo(1));
    expect(state()).toEqual(before);
  });

  it('records enforcement measures as credit records, then credit repair removes the listings with their deadline', async () => {
    const { claim } = makeClaim(t, { at: 'judged' });
    expect(caseOf(claim.id, 'first_instance')).toMatchObject({ status: 'granted', outcome: 'judged' });
    await move(claim.id, 'apply_enforcement', 'creditor1');
    const enforcement = caseOf(claim.id, 'enforcement');
    expect(enforcement).toMatchObject({ status: 'pending', case_no: null });
    const measure = (payload: object) => post(`/api/court-cases/${enforcement.id}/measures`, payload);
    const before = state();
    expect((await measure({ kind: 'account_freeze', on: daysAgo(3) })).json()).toMatchObject({
      reason: 'case_not_registered',
    });
    expect(state()).toEqual(before);
    await post(`/api/court-cases/${enforcement.id}/register`, {});
    expect(caseOf(claim.id, 'enforcement').case_no).toMatch(/^（2026）闽0502执\d+号$/);

    const mid = state();
    expect((await measure({ kind: 'account_freeze', on: '2099-01-01' })).statusCode).toBe(422);
    expect((await measure({ kind: 'seize_car', on: daysAgo(3) })).statusCode).toBe(400);
    expect((await measure({ kind: 'account_freeze', on: '2026-02-30' })).statusCode).toBe(400);
    expect(state()).toEqual(mid);

    expect((await measure({ kind: 'account_freeze', on: daysAgo(3) })).statusCode).toBe(201);
    expect(claimRow(claim.id)).toMatchObject({ status: 'measures', credit_listing: 0 });
    expect(
      (await measure({ kind: 'consumption_restriction', on: daysAgo(2), note: '限制乘坐飞机、高铁' })).statusCode,
    ).toBe(201);
    expect(claimRow(claim.id)).toMatchObject({ status: 'measures', credit_listing: 1 });
    const events = one(
      "select count(*) n from claim_events where claim_id = ? and action = 'measure.recorded'",
      claim.id,
    );
    expect((await measure({ kind: 'dishonest_listing', on: daysAgo(1) })).statusCode).toBe(201);
    expect(
      one("select count(*) n from claim_events where claim_id = ? and action = 'measure.recorded'", claim.id).n,
    ).toBe(Number(events.n) + 1);

    await move(claim.id, 'record_fulfilment', 'creditor1');
    await move(claim.id, 'request_repair', 'creditor1');
    const detail = async () =>
      (await t.app.inject({ url: `/api/claims/${claim.id}`, headers: await t.as('creditor1') })).json().creditRecords;
    const [freeze, restriction, listing] = (await detail()) as { id: number }[];
    const remove = (id: number, on: string, who = 'clerk1') => post(`/api/credit-records/${id}/removal`, { on }, who);
    const early = state();
    expect((await remove(freeze!.id, daysAgo(0))).json()).toMatchObject({ reason: 'removal_not_due' });
    expect(state()).toEqual(early);
    await move(claim.id, 'approve_repair', 'clerk1');
    const approved = await detail();
    expect(approved).toHaveLength(3);
    for (const r of approved) expect(r).toMatchObject({ courtCaseId: enforcement.id, removedOn: null });
    // Three working days after approval (DOMAIN.md §5.1 art. 10).
    expect(new Set(approved.map((r: { removalDueOn: string }) => r.removalDueOn)).size).toBe(1);
    expect(approved[0].removalDueOn).toBe(addWorkingDays(t.reference.calendar(), daysAgo(0), 3));

    // The court records each removal on the day it happened; a bad day, a second removal or a creditor changes nothing.
    const pending = state();
    for (const [id, on, status, field] of [
      [freeze!.id, '2026-02-30', 400, 'must be a real date YYYY-MM-DD'],
      [freeze!.id, '2099-01-01', 422, 'must not be after today'],
      [restriction!.id, daysAgo(5), 422, 'must not be before the listing day'],
    ] as const) {
      const bad = await remove(id, on);
      expect(bad.statusCode, bad.body).toBe(status);
      expect(bad.json().fields).toEqual([{ field: '/body/on', message: field }]);
    }
    expect((await remove(freeze!.id, daysAgo(1), 'creditor1')).statusCode).toBe(403);
    expect((await remove(999_999, daysAgo(1))).statusCode).toBe(404);
    expect(state()).toEqual(pending);

    const removed = await remove(freeze!.id, daysAgo(1));
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ id: freeze!.id, removedOn: daysAgo(1) });
    const twice = state();
    expect((await remove(freeze!.id, daysAgo(0))).json()).toMatchObject({ reason: 'already_removed' });
    expect(state()).toEqual(twice);
    // A removal after its 3-working-day deadline is marked late on the claim's chain.
    t.database.sqlite.prepare('update credit_records set removal_due_on = ? where id = ?').run(daysAgo(2), listing!.id);
    expect((await remove(listing!.id, daysAgo(0))).statusCode).toBe(200);
    const facts = t.database.sqlite
      .prepare("select data from claim_events where claim_id = ? and action = 'credit_record.removed' order by seq")
      .all(claim.id) as { data: string }[];
    expect(facts.map((f) => JSON.parse(f.data))).toEqual([
      expect.objectContaining({ creditRecordId: freeze!.id, removedOn: daysAgo(1), late: false }),
      expect.objectContaining({ creditRecordId: listing!.id, removedOn: daysAgo(0), late: true }),
    ]);

    await move(claim.id, 'certify_repair', 'clerk1');
    // Certifying records the removal not yet recorded as of that day; the others keep their own days.
    expect(
      Object.fromEntries((await detail()).map((r: { id: number; removedOn: string }) => [r.id, r.removedOn])),
    ).toEqual({
      [freeze!.id]: daysAgo(1),
      [restriction!.id]: daysAgo(0),
      [listing!.id]: daysAgo(0),
    });
  });

  it('gives the demo claims in later stages their real records, made through the same steps', () => {
    const listed = makeClaim(t, { at: 'listed' }).claim;
    expect(caseOf(listed.id, 'first_instance')).toMatchObject({ status: 'granted', outcome: 'judged' });
    expect(String(caseOf(listed.id, 'enforcement').case_no)).toMatch(/执\d+号$/);
    const kinds = t.database.sqlite
      .prepare('select kind from credit_records where claim_id = ? order by id')
      .all(listed.id)
      .map((r) => (r as { kind: string }).kind);
    expect(kinds).toEqual(['account_freeze', 'dishonest_listing']);

    // Confirmations are walked through the application and the grant: a pending 民特 case, then its ruling.
    const applied = makeClaim(t, { at: 'confirmation_applied' }).claim;
    expect(caseOf(applied.id, 'judicial_confirmation')).toMatchObject({ status: 'pending', case_no: null });
    const confirmed = makeClaim(t, { at: 'confirmed' }).claim;
    expect(caseOf(confirmed.id, 'judicial_confirmation')).toMatchObject({ status: 'granted', outcome: 'confirmed' });
    expect(String(caseOf(confirmed.id, 'judicial_confirmation').case_no)).toMatch(/^（2026）闽0502民特\d+号$/);
  });
});
