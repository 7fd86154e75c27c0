import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Claim, claims } from '../../db/schema/index.js';
import type { Actor } from '../../domain/lifecycle.js';
import { evidenceForm, PNG_BYTES, signInDebtor } from '../../testing/portal.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { applyTransition } from '../claims/apply-transition.js';
import { breachAfterGrace } from './breach.js';

type Row = Record<string, number | string | null>;

describe('payments', () => {
  let t: TestApp;
  const sql = () => t.database.sqlite;
  const all = (q: string, ...args: unknown[]) =>
    sql()
      .prepare(q)
      .all(...args) as Row[];
  const one = (q: string, ...args: unknown[]) =>
    sql()
      .prepare(q)
      .get(...args) as Row;
  const claimRow = (id: number): Claim => t.db.select().from(claims).where(eq(claims.id, id)).get()!;
  /** Everything a refused payment must leave as it was. */
  const state = () =>
    one(
      `select (select count(*) from payments) payments, (select count(*) from claim_events) events,
              (select sum(version) from claims) versions, (select sum(paid_fen) from instalments) paid,
              (select count(*) from payment_imports) imports, (select count(*) from attachments) files`,
    );
  const used = new Set<number>();
  /** A fresh open claim of creditor1's (CRED-A) in people's mediation, not used by another test. */
  const freshClaim = (): Claim => {
    const rows = all(
      `select c.id from claims c join organisations o on o.id = c.creditor_org_id
        where o.code = 'CRED-A' and c.stage = 'people_mediation' and c.status in ('awaiting_contact', 'notified')
          and c.hold is null order by c.id`,
    );
    const id = rows.map((r) => r.id as number).find((i) => !used.has(i))!;
    used.add(id);
    return claimRow(id);
  };
  const move = (c: Claim, action: string, actor: Actor = SYSTEM_ACTOR) =>
    t.db.transaction((tx) =>
      applyTransition(tx, c, action, actor, t.clock.now(), { calendar: t.reference.calendar() }),
    );
  /** An agreement on the claim for `totalFen` in the given instalments, as a mediation session records it. */
  const agree = (c: Claim, plan: [string, number][]) => {
    const now = t.clock.now().getTime();
    const total = plan.reduce((s, [, fen]) => s + fen, 0);
    const settlement = sql()
      .prepare(
        "insert into settlements (debtor_id, kind, total_fen, hardship, status, agreed_at, created_at) values (?, 'instalments', ?, 0, 'agreed', ?, ?)",
      )
      .run(c.debtorId, total, now, now).lastInsertRowid as number;
    sql().prepare('insert into settlement_claims (settlement_id, claim_id) values (?, ?)').run(settlement, c.id);
    const instalment = sql().prepare(
      "insert into instalments (settlement_id, seq, due_date, amount_fen, status) values (?, ?, ?, ?, 'pending')",
    );
    for (const [i, [due, fen]] of plan.entries()) instalment.run(settlement, i + 1, due, fen);
    return { claim: move(c, 'agree'), settlementId: settlement };
  };
  const pay = async (claimId: number, body: Record<string, unknown>, who = 'creditor1') =>
    t.app.inject({
      method: 'POST',
      url: `/api/claims/${claimId}/payments`,
      headers: await t.as(who),
      payload: { paidAt: '2026-11-19', channel: 'bank_transfer', ...body },
    });
  const position = (id: number) => one('select stage, status from claims where id = ?', id);
  const actionsOf = (id: number) =>
    all('select action from claim_events where claim_id = ? order by seq', id).map((r) => r.action);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('recording one payment', () => {
    it('allocates per Civil Code art. 561: costs, then interest, then principal, with the event', async () => {
      const c = freshClaim();
      const interest = c.interestFen + c.penaltyFen - c.aboveCapFen;
      const amountFen = c.feesFen + interest + 100;
      const res = await pay(c.id, { amountFen, reference: 'A561-1' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        amountFen,
        status: 'confirmed',
        source: 'creditor',
        applied: { costsFen: c.feesFen, interestFen: interest, principalFen: 100 },
        overpaid: false,
      });
      const events = await t.app.inject({
        method: 'GET',
        url: `/api/claims/${c.id}/events`,
        headers: await t.as('creditor1'),
      });
      const [last, recount] = events.json().events.slice(-2);
      expect(last).toMatchObject({ action: 'payment.recorded', from: last.to });
      expect(recount).toMatchObject({ action: 'limitation.recounted', data: { interruption: { kind: 'payment' } } });
      expect(events.json().chain.valid).toBe(true);
      const listed = await t.app.inject({
        method: 'GET',
        url: `/api/claims/${c.id}/payments`,
        headers: await t.as('mediator1'),
      });
      expect(listed.json().balance).toMatchObject({
        leftFen: { costsFen: 0, interestFen: 0, principalFen: c.principalFen - 100 },
        owedFen: c.principalFen - 100,
      });
    });

    it('answers a resent reference with the payment recorded before, and records nothing again', async () => {
      const c = freshClaim();
      const first = await pay(c.id, { amountFen: 5000, reference: 'RESEND-1' });
      expect(first.statusCode).toBe(201);
      const before = state();
      const again = await pay(c.id, { amountFen: 5000, reference: 'RESEND-1' });
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(first.json().id);
      expect(state()).toEqual(before);
    });

    it('refuses a reference used for another payment, naming it, and changes nothing', async () => {
      const c = freshClaim();
      expect((await pay(c.id, { amountFen: 5000, reference: 'TAKEN-1' })).statusCode).toBe(201);
      const before = state();
      const res = await pay(c.id, { amountFen: 7000, reference: 'TAKEN-1' });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'duplicate', reason: 'payment_reference_used' });
      expect(res.json().detail).toContain('TAKEN-1');
      expect(state()).toEqual(before);
    });

    it('refuses a future date, a closed claim, bad amounts and another tenant’s claim, changing nothing', async () => {
      const c = freshClaim();
      const closed = move(freshClaim(), 'withdraw', { kind: 'creditor', id: null, name: 'creditor1' });
      const other = one(
        "select c.id from claims c join organisations o on o.id = c.creditor_org_id where o.code = 'CRED-B' limit 1",
      ).id as number;
      const before = state();
      const future = await pay(c.id, { amountFen: 100, reference: 'F-1', paidAt: '2026-11-21' });
      expect(future.statusCode).toBe(400);
      expect(future.json().fields).toEqual([{ field: '/body/paidAt', message: 'must not be after today' }]);
      const onClosed = await pay(closed.id, { amountFen: 100, reference: 'F-2' });
      expect(onClosed.statusCode).toBe(409);
      expect(onClosed.json()).toMatchObject({ code: 'transition_forbidden', reason: 'claim_closed' });
      for (const amountFen of [0, -5, 1.5, '100'])
        expect((await pay(c.id, { amountFen, reference: 'F-3' })).statusCode).toBe(400);
      expect((await pay(other, { amountFen: 100, reference: 'F-4' })).statusCode).toBe(404);
      expect((await pay(c.id, { amountFen: 100, reference: 'F-5' }, 'mediator1')).statusCode).toBe(403);
      expect(state()).toEqual(before);
    });

    it('may be recorded by the creditor’s API key with the claims:write scope', async () => {
      const c = freshClaim();
      const key = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: await t.as('creditor1'),
        payload: { name: 'bank feed', scopes: ['claims:write'] },
      });
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${c.id}/payments`,
        headers: { authorization: `ApiKey ${key.json().key}` },
        payload: { amountFen: 1000, paidAt: '2026-11-18', reference: 'KEY-1', channel: 'bank_transfer' },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(one('select recorded_by_api_key k from payments where id = ?', res.json().id).k).toBe(key.json().id);
    });
  });

  describe('under an agreement', () => {
    it('fills instalments oldest first, starts performance, and the payment that leaves nothing owed fulfils the claim', async () => {
      const { claim } = agree(freshClaim(), [
        ['2027-01-20', 20000],
        ['2026-12-20', 30000],
      ]);
      const first = await pay(claim.id, { amountFen: 40000, reference: 'PLAN-1' });
      expect(first.statusCode, first.body).toBe(201);
      const [dec, jan] = all(
        'select id, paid_fen, status from instalments where settlement_id = ? order by due_date',
        first.json().settlementId,
      );
      expect(first.json().instalments).toEqual([
        { instalmentId: dec!.id, fen: 30000 },
        { instalmentId: jan!.id, fen: 10000 },
      ]);
      expect([dec!.status, dec!.paid_fen, jan!.status, jan!.paid_fen]).toEqual(['paid', 30000, 'pending', 10000]);
      expect(position(claim.id)).toEqual({ stage: 'people_mediation', status: 'performing' });

      const last = await pay(claim.id, { amountFen: 15000, reference: 'PLAN-2' });
      expect(last.json()).toMatchObject({ overpaidFen: 5000, overpaid: true, instalments: [{ fen: 10000 }] });
      expect(position(claim.id)).toEqual({ stage: 'closed', status: 'fulfilled' });
      expect(actionsOf(claim.id).slice(-7)).toEqual([
        'agree',
        'payment.recorded',
        'limitation.recounted',
        'perform',
        'payment.recorded',
        'limitation.recounted',
        'fulfil',
      ]);
      const overpaid = one('select overpaid_fen from payments where reference = ?', 'PLAN-2');
      expect(overpaid.overpaid_fen).toBe(5000);
    });

    it('keeps and flags money paid after the claim was settled in full, without losing it', async () => {
      const { claim } = agree(freshClaim(), [['2026-12-20', 10000]]);
      const res = await pay(claim.id, { amountFen: 25000, reference: 'OVER-1' });
      expect(res.json()).toMatchObject({ amountFen: 25000, overpaidFen: 15000, overpaid: true });
      const listed = await t.app.inject({
        method: 'GET',
        url: `/api/claims/${claim.id}/payments`,
        headers: await t.as('creditor1'),
      });
      expect(listed.json().balance).toMatchObject({ paidFen: 10000, overpaidFen: 15000, owedFen: 0 });
      const detail = await t.app.inject({ url: `/api/claims/${claim.id}`, headers: await t.as('mediator1') });
      expect(detail.json().payments).toEqual([res.json()]);
    });
  });

  describe('breach after grace', () => {
    const today = (days: number) => new Date(Date.parse('2026-11-20') + days * 86_400_000).toISOString().slice(0, 10);

    it('moves an unconfirmed people’s-mediation agreement to court mediation once grace has run, not before', async () => {
      const { claim } = agree(freshClaim(), [['2026-11-10', 10000]]);
      const calendar = t.reference.calendar();
      // Due 2026-11-10 with the default 7 days' grace: it ends 2026-11-17, so the 17th is still in time.
      expect(breachAfterGrace(t.db, calendar, t.clock.now(), '2026-11-17')).not.toContain(claim.id);
      expect(position(claim.id)).toEqual({ stage: 'people_mediation', status: 'agreed' });
      expect(breachAfterGrace(t.db, calendar, t.clock.now(), today(0))).toContain(claim.id);
      expect(position(claim.id)).toEqual({ stage: 'court_mediation', status: 'awaiting_contact' });
      expect(actionsOf(claim.id).slice(-2)).toEqual(['perform', 'breach']);
      // A second sweep finds nothing more to do.
      expect(breachAfterGrace(t.db, calendar, t.clock.now(), today(1))).not.toContain(claim.id);
    });

    it('sends a confirmed agreement to enforcement, counts a partly paid instalment as unpaid, spares a paid one', async () => {
      const confirmed = agree(freshClaim(), [['2026-11-01', 10000]]).claim;
      const applied = move(confirmed, 'apply_confirmation', { kind: 'mediator', id: null, name: 'mediator1' });
      move(applied, 'confirm', { kind: 'court', id: null, name: 'clerk1' });
      const paid = agree(freshClaim(), [['2026-11-01', 10000]]).claim;
      expect((await pay(paid.id, { amountFen: 5000, reference: 'PART-1' })).statusCode).toBe(201);
      expect((await pay(paid.id, { amountFen: 4000, reference: 'PART-2' })).statusCode).toBe(201);
      const breached = breachAfterGrace(t.db, t.reference.calendar(), t.clock.now(), today(0));
      expect(breached).toContain(confirmed.id);
      expect(position(confirmed.id)).toEqual({ stage: 'enforcement', status: 'applied' });
      // Partly paid is still unpaid: 1,000 fen of the instalment is outstanding.
      expect(breached).toContain(paid.id);
      const settled = agree(freshClaim(), [
        ['2026-11-01', 10000],
        ['2026-12-01', 10000],
      ]).claim;
      expect((await pay(settled.id, { amountFen: 10000, reference: 'FULL-1' })).statusCode).toBe(201);
      expect(breachAfterGrace(t.db, t.reference.calendar(), t.clock.now(), today(0))).not.toContain(settled.id);
      expect(position(settled.id)).toEqual({ stage: 'people_mediation', status: 'performing' });
    });

    it('waits while the court decides on confirmation, then breaches where its decision sends it', async () => {
      const agreed = agree(freshClaim(), [['2026-11-01', 10000]]).claim;
      const applied = move(agreed, 'apply_confirmation', { kind: 'mediator', id: null, name: 'mediator1' });
      const calendar = t.reference.calendar();
      expect(breachAfterGrace(t.db, calendar, t.clock.now(), today(0))).not.toContain(agreed.id);
      expect(position(agreed.id)).toEqual({ stage: 'people_mediation', status: 'confirmation_applied' });
      move(applied, 'confirm', { kind: 'court', id: null, name: 'clerk1' });
      expect(breachAfterGrace(t.db, calendar, t.clock.now(), today(1))).toContain(agreed.id);
      expect(position(agreed.id)).toEqual({ stage: 'enforcement', status: 'applied' });
    });

    it("honours the grace days of the creditor's policy", async () => {
      const { claim } = agree(freshClaim(), [['2026-11-10', 10000]]);
      const policy =
        "update organisations set settlement_policy = json_set(settlement_policy, '$.graceDays', ?) where id = ?";
      sql().prepare(policy).run(20, claim.creditorOrgId);
      try {
        expect(breachAfterGrace(t.db, t.reference.calendar(), t.clock.now(), today(0))).not.toContain(claim.id);
        expect(position(claim.id)).toEqual({ stage: 'people_mediation', status: 'agreed' });
      } finally {
        sql().prepare(policy).run(7, claim.creditorOrgId);
      }
    });
  });

  describe('money received while the court decides on confirmation', () => {
    it('fulfils a claim paid in full while the court decided, once confirmation is granted', async () => {
      const { claim } = agree(freshClaim(), [
        ['2026-12-01', 6000],
        ['2027-01-01', 4000],
      ]);
      const applied = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claim.id}/confirmation`,
        headers: await t.as('creditor1'),
        payload: { version: claim.version },
      });
      expect(applied.statusCode, applied.body).toBe(201);
      expect((await pay(claim.id, { amountFen: 10000, reference: 'WHILE-COURT-1' })).statusCode).toBe(201);
      // The court has not decided: the money waits, the claim stays where the application put it.
      expect(position(claim.id)).toEqual({ stage: 'people_mediation', status: 'confirmation_applied' });
      const granted = await t.app.inject({
        method: 'POST',
        url: `/api/court-cases/${applied.json().id}/grant`,
        headers: await t.as('clerk1'),
        payload: {},
      });
      expect(granted.statusCode, granted.body).toBe(200);
      expect(position(claim.id)).toEqual({ stage: 'closed', status: 'fulfilled' });
      expect(actionsOf(claim.id).slice(-3)).toEqual(['confirm', 'perform', 'fulfil']);
    });

    it('starts performance, not fulfilment, when part was paid while the court decided', async () => {
      const { claim } = agree(freshClaim(), [['2026-12-01', 10000]]);
      const applied = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claim.id}/confirmation`,
        headers: await t.as('creditor1'),
        payload: { version: claim.version },
      });
      expect((await pay(claim.id, { amountFen: 2500, reference: 'WHILE-COURT-2' })).statusCode).toBe(201);
      await t.app.inject({
        method: 'POST',
        url: `/api/court-cases/${applied.json().id}/grant`,
        headers: await t.as('clerk1'),
        payload: {},
      });
      expect(position(claim.id)).toEqual({ stage: 'people_mediation', status: 'performing' });
    });
  });

  describe('the debtor says "I paid"', () => {
    let claim: Claim;
    let debtor: { authorization: string };
    const report = (fields: [string, string][], withReceipt = true) => {
      const form = evidenceForm(
        fields,
        withReceipt ? [{ filename: 'receipt.png', content: PNG_BYTES, type: 'image/png' }] : [],
      );
      return t.app.inject({
        method: 'POST',
        url: `/api/debtor/claims/${claim.id}/payments`,
        headers: { ...debtor, ...form.headers },
        payload: form.payload,
      });
    };
    const answer = async (id: number, verb: 'confirm' | 'dispute', payload?: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/payments/${id}/${verb}`,
        headers: await t.as('creditor1'),
        ...(payload ? { payload } : {}),
      });

    beforeEach(async () => {
      claim = freshClaim();
      debtor = await signInDebtor(t, claim.id);
    });

    it('waits for the creditor, who confirms it: only then is it allocated', async () => {
      const res = await report([
        ['amountFen', '3000'],
        ['paidAt', '2026-11-19'],
        ['channel', 'alipay'],
        ['note', '支付宝转账，流水号 2026111900001'],
      ]);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ status: 'reported', source: 'debtor', applied: { principalFen: 0 } });
      expect(res.json().receiptIds).toHaveLength(1);
      expect(actionsOf(claim.id).at(-1)).toBe('payment.reported');
      const confirmed = await answer(res.json().id, 'confirm');
      expect(confirmed.json()).toMatchObject({ status: 'confirmed' });
      expect(
        confirmed.json().applied.costsFen +
          confirmed.json().applied.interestFen +
          confirmed.json().applied.principalFen,
      ).toBe(3000);
      const before = state();
      const twice = await answer(res.json().id, 'dispute', { reason: '未收到' });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().reason).toBe('payment_not_reported');
      expect(state()).toEqual(before);
    });

    it('is disputed with a reason, and then owes as before', async () => {
      const res = await report([
        ['amountFen', '3000'],
        ['paidAt', '2026-11-19'],
        ['channel', 'wechat'],
      ]);
      const disputed = await answer(res.json().id, 'dispute', { reason: '账户未收到该笔款项' });
      expect(disputed.json()).toMatchObject({ status: 'disputed', disputeReason: '账户未收到该笔款项' });
      expect(actionsOf(claim.id).at(-1)).toBe('payment.disputed');
      expect(one('select count(*) n from payments where claim_id = ? and status = ?', claim.id, 'confirmed').n).toBe(0);
    });

    it('refuses a report without a receipt, dated in the future, or on a claim not theirs, changing nothing', async () => {
      const before = state();
      const fields: [string, string][] = [
        ['amountFen', '3000'],
        ['paidAt', '2026-11-19'],
        ['channel', 'wechat'],
      ];
      const bare = await report(fields, false);
      expect(bare.statusCode).toBe(400);
      expect(bare.json().fields).toEqual([{ field: '/body/files', message: 'is required' }]);
      const future = await report([fields[0]!, ['paidAt', '2026-12-01'], fields[2]!]);
      expect(future.statusCode).toBe(400);
      expect((await report([['amountFen', '0'], fields[1]!, fields[2]!])).statusCode).toBe(400);
      const notTheirs = one(
        'select id from claims where debtor_id != ? and stage != ? limit 1',
        claim.debtorId,
        'intake',
      );
      claim = { ...claim, id: notTheirs.id as number };
      expect((await report(fields)).statusCode).toBe(404);
      expect(state()).toEqual(before);
    });
  });
});
