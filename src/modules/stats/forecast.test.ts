/**
 * The batch forecast, back-tested: a history of resolved claims whose chance of settling depends on
 * their five-tier class, then a held-back batch drawn the same way; the forecast made from the
 * history alone must hold the batch's real recovery inside its stated range and come near its real
 * settlements. And through the route: too little history says so and uses the documented defaults;
 * another creditor's batch is not found, a batch still importing is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../../db/schema/index.js';
import { MS_PER_DAY } from '../../domain/dates.js';
import { defaultProfile, FORECAST_STAGES } from '../../domain/forecast.js';
import type { Actor } from '../../domain/lifecycle.js';
import { makeBatch, makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng } from '../admin/sample-claims.js';
import { applyTransition } from '../claims/apply-transition.js';
import { forecastOf } from './forecast.js';

const actor = (kind: Actor['kind']): Actor => ({ kind, id: null, name: kind });
const PEOPLE_SETTLE: Record<string, number> = {
  normal: 0.55,
  special_mention: 0.45,
  substandard: 0.35,
  doubtful: 0.25,
  loss: 0.15,
};
const COURT_SETTLE = 0.3;
const PATHS = {
  people: [
    ['open_session', 'mediator'],
    ['agree', 'mediator'],
    ['perform', 'mediator'],
    ['fulfil', 'creditor'],
  ],
  court: [
    ['fail', 'mediator'],
    ['escalate', 'system'],
    ['notify', 'court'],
    ['open_session', 'court'],
    ['agree', 'court'],
    ['perform', 'court'],
    ['fulfil', 'creditor'],
  ],
  withdrawn: [['withdraw', 'creditor']],
  unresolved: [
    ['fail', 'mediator'],
    ['escalate', 'system'],
    ['fail', 'court'],
    ['close_unresolved', 'creditor'],
  ],
} as const;

describe('batch forecast back-test', () => {
  let t: TestApp;
  const rng = createRng(20261207);
  const claimedOf = (c: Claim) => c.principalFen + c.interestFen + c.penaltyFen + c.feesFen;

  /** A notified claim walked to its outcome, a few days a step; settled ones paid 60–100% of the claim. */
  function resolvedClaim(batchId?: number) {
    const made = makeClaim(t, { at: 'notified', ...(batchId ? { batchId } : {}) });
    const pSettle = PEOPLE_SETTLE[made.claim.loanClass ?? 'loss']!;
    const u = rng();
    const path = u < pSettle ? 'people' : rng() < COURT_SETTLE ? 'court' : rng() < 0.5 ? 'withdrawn' : 'unresolved';
    let at = t.clock.now().getTime();
    let claim = made.claim;
    t.db.transaction((tx) => {
      for (const [action, kind] of PATHS[path]) {
        at += Math.ceil(rng() * 10) * MS_PER_DAY;
        claim = applyTransition(tx, claim, action, actor(kind), new Date(at), { calendar: t.reference.calendar() });
      }
    });
    if (path === 'people' || path === 'court')
      t.database.sqlite
        .prepare(
          "insert into payments (claim_id, creditor_org_id, amount_fen, paid_on, status, source, created_at) values (?, ?, ?, '2026-11-19', 'confirmed', 'creditor', ?)",
        )
        .run(claim.id, claim.creditorOrgId, Math.round(claimedOf(claim) * (0.6 + 0.4 * rng())), at);
    return { claim, path, recovered: path === 'people' || path === 'court' };
  }

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(() => t.close());

  it('holds the held-back batch inside the stated range', () => {
    for (let i = 0; i < 360; i++) resolvedClaim();
    const batch = makeBatch(t, 'CRED-A', 'HELD-BACK');
    const held = Array.from({ length: 120 }, () => resolvedClaim(batch));
    const f = forecastOf(t.db, batch);

    const actual = (
      t.database.sqlite
        .prepare(
          "select sum(p.amount_fen) fen from payments p join claims c on c.id = p.claim_id where c.batch_id = ? and p.status = 'confirmed'",
        )
        .get(batch) as { fen: number }
    ).fen;
    expect(f).toMatchObject({ claims: 120, historyClaims: 360 });
    expect(f.claimedFen).toBe(held.reduce((s, h) => s + claimedOf(h.claim), 0));
    expect(f.basis).not.toBe('defaults');
    expect(f.recoveredFenLow).toBeLessThanOrEqual(actual);
    expect(f.recoveredFenHigh).toBeGreaterThanOrEqual(actual);
    // A range that says something: narrower than half of what was claimed.
    expect(f.recoveredFenHigh - f.recoveredFenLow).toBeLessThan(f.claimedFen / 2);

    // Settlements per stage within three standard deviations of a sum of independent claims.
    const settledAt = (path: string) => held.filter((h) => h.path === path).length;
    const near = (expected: number, real: number) =>
      expect(Math.abs(expected - real)).toBeLessThanOrEqual(3 * Math.sqrt(expected * (1 - expected / 120)) + 1);
    const stage = (s: string) => f.stages.find((x) => x.stage === s)!;
    near(stage('people_mediation').expectedSettling, settledAt('people'));
    near(stage('court_mediation').expectedSettling, settledAt('court'));
    near(f.expectedSettled, settledAt('people') + settledAt('court'));
    expect(stage('people_mediation').expectedReaching).toBe(120);
    expect(stage('litigation').expectedSettling).toBe(0);
    // Steps of 1–10 days: a mediation of several steps lasts days, never months.
    expect(stage('people_mediation').averageDays).toBeGreaterThan(3);
    expect(stage('people_mediation').averageDays).toBeLessThan(40);
    expect(f.expectedCycleDays).toBeGreaterThan(stage('people_mediation').averageDays);
  }, 120_000);

  it('learns nothing from a batch still committing until it flips', () => {
    const committing = makeBatch(t, 'CRED-A', 'COMMITTING');
    for (let i = 0; i < 5; i++) resolvedClaim(committing);
    t.database.sqlite.prepare("update batches set status = 'committing' where id = ?").run(committing);
    const target = makeBatch(t, 'CRED-A', 'TARGET');
    makeClaim(t, { batchId: target });
    // The 360 of the history and the 120 held back before.
    expect(forecastOf(t.db, target).historyClaims).toBe(480);
    t.database.sqlite.prepare("update batches set status = 'committed' where id = ?").run(committing);
    expect(forecastOf(t.db, target).historyClaims).toBe(485);
  });
});

describe('GET /api/batches/:id/forecast', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('with too little history says so and forecasts from the documented defaults', async () => {
    const batch = makeBatch(t, 'CRED-A', 'NEW-2026-12');
    for (let i = 0; i < 5; i++) makeClaim(t, { at: 'awaiting_contact', batchId: batch });
    const res = await t.app.inject({ url: `/api/batches/${batch}/forecast`, headers: await t.as('creditor1') });
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    const d = defaultProfile();
    expect(f).toMatchObject({ batchId: batch, claims: 5, basis: 'defaults', claimsOnDefaults: 5 });
    expect(f.note).toMatch(/^Too little history/);
    expect(f.expectedSettled).toBe(Math.round(FORECAST_STAGES.reduce((s, st) => s + d.settle[st], 0) * 50) / 10);
    expect(f.stages.map((s: { averageDays: number }) => s.averageDays)).toEqual([30, 30, 90, 180]);
    expect(f.recoveredFenLow).toBeLessThan(f.expectedRecoveredFen);
    expect(f.recoveredFenHigh).toBeGreaterThan(f.expectedRecoveredFen);
  });

  it("answers 404 for another creditor's batch or none, 422 for a batch still importing, 400 for a bad id", async () => {
    const other = makeBatch(t, 'CRED-B', 'B-ONLY');
    const headers = await t.as('creditor1');
    const ask = (id: string | number) => t.app.inject({ url: `/api/batches/${id}/forecast`, headers });
    expect((await ask(other)).statusCode).toBe(404);
    expect((await ask(999_999)).statusCode).toBe(404);
    expect((await ask('abc')).statusCode).toBe(400);
    const running = makeBatch(t, 'CRED-A', 'RUNNING');
    t.database.sqlite.prepare("update batches set status = 'validating' where id = ?").run(running);
    const refused = await ask(running);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'unprocessable', reason: 'batch_not_committed' });
  });
});
