/**
 * The jobs that move the funnel by time, driven by the test's clock through each job's own main():
 * 31 days on, the mediations past their limit time out and escalate, the instalment due soon is
 * reminded and the one past its grace breaches, each once however often the jobs run; and a reminder
 * queued in quiet hours goes out at 08:00 Shanghai.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../domain/dates.js';
import { makeClaim } from '../testing/factories.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { main as breachAfterGrace } from './breach-after-grace.js';
import { main as sendPending } from './deliveries-send-pending.js';
import { DONE_KEPT_MS, runItems } from './exactly-once.js';
import { main as instalmentReminders } from './instalment-reminders.js';
import { openJobContext } from './job-context.js';
import { main as stageTimeLimits, stageTimeLimits as timeLimitJob } from './stage-time-limits.js';

type Row = Record<string, number | string | null>;

describe('funnel jobs on a clock the test moves', () => {
  const key = crypto.randomBytes(32).toString('base64');
  let t: TestApp;
  let input: Parameters<typeof stageTimeLimits>[0];
  const all = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).all(...args) as Row[];
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  const position = (id: number) => one('select stage, status, hold from claims where id = ?', id);
  const actions = (id: number) =>
    all('select action from claim_events where claim_id = ? order by seq', id).map((r) => r.action);
  const days = (n: number) => new Date(t.clock.now().getTime() + n * MS_PER_DAY).toISOString().slice(0, 10);
  /** Everything the jobs write: a second run must leave it as it was. */
  const state = () =>
    one(`select (select count(*) from claim_events) events, (select sum(version) from claims) versions,
                (select count(*) from deliveries) deliveries,
                (select group_concat(status) from (select status from instalments order by id)) instalments,
                (select count(*) from job_items where status = 'done') done`);

  /** An agreed settlement on a fresh claim, one instalment per due date. */
  const agreement = (...dueDates: string[]) => {
    const c = makeClaim(t, { at: 'performing' });
    const now = t.clock.now().getTime();
    const settlement = t.database.sqlite
      .prepare(
        "insert into settlements (debtor_id, kind, total_fen, hardship, status, agreed_at, created_at) values (?, 'instalments', ?, 0, 'agreed', ?, ?)",
      )
      .run(c.debtorId, 10_000 * dueDates.length, now, now).lastInsertRowid as number;
    t.database.sqlite
      .prepare('insert into settlement_claims (settlement_id, claim_id) values (?, ?)')
      .run(settlement, c.claimId);
    for (const [i, due] of dueDates.entries())
      t.database.sqlite
        .prepare(
          "insert into instalments (settlement_id, seq, due_date, amount_fen, status) values (?, ?, ?, 10000, 'pending')",
        )
        .run(settlement, i + 1, due);
    return c;
  };

  beforeEach(async () => {
    t = await createTestApp({ seed: false, env: { DATA_KEY: key } });
    input = {
      env: { DATA_DIR: t.dataDir, DATA_KEY: key, LOG_LEVEL: 'silent' },
      dbFile: path.join(t.dataDir, 'platform.db'),
      clock: t.clock,
    };
  });
  afterEach(() => t.close());

  it('31 days on: time-outs and escalations, a reminder and a breach, each exactly once', async () => {
    const people = makeClaim(t, { at: 'notified' });
    const court = makeClaim(t, { at: 'escalated' });
    const held = makeClaim(t, { at: 'notified', hold: 'objection' });
    const noEscalation = makeClaim(t, { at: 'notified', creditor: 'CRED-B' });
    t.database.sqlite
      .prepare(
        "update organisations set settlement_policy = json_set(settlement_policy, '$.escalateOnTimeout', json('false')) where id = ?",
      )
      .run(noEscalation.claim.creditorOrgId);
    const remindMe = agreement(days(33));
    const breachMe = agreement(days(10));
    const before = state();

    t.clock.advance(31 * MS_PER_DAY);
    expect(await stageTimeLimits(input)).toMatchObject({
      done: 3,
      failed: 0,
      outcomes: { escalated: 1, timed_out: 2 },
    });
    expect(position(people.claimId)).toEqual({ stage: 'court_mediation', status: 'awaiting_contact', hold: null });
    expect(actions(people.claimId).slice(-2)).toEqual(['time_out', 'escalate']);
    // The court mediation's own 30 days start with the escalation.
    const escalated = one("select data from claim_events where claim_id = ? and action = 'escalate'", people.claimId);
    expect(JSON.parse(escalated.data as string).deadline).toEqual({
      timer: 'court_mediation',
      dueOn: expect.any(String),
    });
    expect(position(court.claimId)).toEqual({ stage: 'court_mediation', status: 'failed', hold: null });
    expect(position(noEscalation.claimId)).toEqual({ stage: 'people_mediation', status: 'failed', hold: null });
    // Held: no automatic step while the objection is reviewed.
    expect(position(held.claimId)).toEqual({ stage: 'people_mediation', status: 'notified', hold: 'objection' });

    expect(await breachAfterGrace(input)).toMatchObject({ done: 1, outcomes: { breached: 1 } });
    expect(position(breachMe.claimId)).toMatchObject({ stage: 'court_mediation', status: 'awaiting_contact' });
    expect(actions(breachMe.claimId).slice(-2)).toEqual(['perform', 'breach']);

    expect(await instalmentReminders(input)).toMatchObject({ done: 1, outcomes: { queued: 1 } });
    const reminders = all('select claim_id, channel, message, status, purpose from deliveries');
    expect(reminders).toEqual([
      {
        claim_id: remindMe.claimId,
        channel: 'sms',
        message: `【小额纠纷调解平台】您的还款计划有一期将于${days(2).replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}到期，请按时还款。详情请使用调解通知书上的访问码登录平台查看。`,
        status: 'queued',
        purpose: 'notice',
      },
    ]);
    expect(state()).not.toEqual(before);

    // Every job again, and again an hour later: nothing doubles.
    const after = state();
    for (const advance of [0, 3_600_000]) {
      t.clock.advance(advance);
      for (const job of [stageTimeLimits, breachAfterGrace, instalmentReminders])
        expect(await job(input)).toMatchObject({ done: 0, failed: 0 });
      expect(state()).toEqual(after);
    }
    expect(all('select job, status, processed, failed from job_runs order by id').slice(0, 3)).toEqual([
      { job: 'claims.stage-time-limits', status: 'ok', processed: 3, failed: 0 },
      { job: 'payments.breach-after-grace', status: 'ok', processed: 1, failed: 0 },
      { job: 'payments.instalment-reminders', status: 'ok', processed: 1, failed: 0 },
    ]);

    // Done marks are kept 30 days, then the next run drops them: the claims' own state keeps them done.
    t.clock.advance(DONE_KEPT_MS + 1);
    expect(await stageTimeLimits(input)).toMatchObject({ done: 0 });
    expect(all("select job from job_items where status = 'done'").map((r) => r.job)).toEqual([
      'payments.breach-after-grace',
      'payments.instalment-reminders',
    ]);

    // Released from hold, the claim past its limit times out at the next run.
    t.database.sqlite.prepare('update claims set hold = null where id = ?').run(held.claimId);
    expect(await stageTimeLimits(input)).toMatchObject({ done: 1, outcomes: { escalated: 1 } });
  });

  it('a reminder that falls due in quiet hours is deferred to 08:00 Shanghai and sent then', async () => {
    agreement(days(33));
    // 23:30 Shanghai, 31 days on.
    t.clock.set(`${days(31)}T15:30:00.000Z`);
    expect(await instalmentReminders(input)).toMatchObject({ outcomes: { queued: 1 } });
    expect(await sendPending(input)).toMatchObject({ deferred: 1, sent: 0 });
    const deferred = one('select status, due_at from deliveries');
    expect(deferred).toEqual({ status: 'deferred', due_at: Date.parse(`${days(1)}T00:00:00.000Z`) });
    expect(t.smsSent()).toEqual([]);

    t.clock.set(`${days(1)}T00:00:00.000Z`);
    expect(await sendPending(input)).toMatchObject({ sent: 1 });
    expect(t.smsSent()).toHaveLength(1);
    expect(t.smsSent()[0]!.text).toContain('请按时还款');
  });

  it('a claim that throws is recorded with its error; the others go on, and the next run takes it', async () => {
    const claims = [1, 2, 3].map(() => makeClaim(t, { at: 'notified' }));
    const bad = `claim:${claims[1]!.claimId}`;
    t.clock.advance(31 * MS_PER_DAY);
    const ctx = openJobContext(input);
    try {
      const throwing = {
        ...timeLimitJob,
        run: (...args: Parameters<typeof timeLimitJob.run>) => {
          if (args[1].key === bad) throw new Error('the claim row could not be read');
          return timeLimitJob.run(...args);
        },
      };
      const first = await runItems(throwing, ctx, { runId: 1, now: t.clock.now() });
      expect(first).toMatchObject({ done: 2, failed: 1 });
      expect(first.errors).toEqual([{ key: bad, due: expect.any(String), error: 'the claim row could not be read' }]);
    } finally {
      ctx.close();
    }
    // Its effect was undone with it, and the error is kept.
    expect(position(claims[1]!.claimId)).toMatchObject({ stage: 'people_mediation', status: 'notified' });
    expect(one('select status, error, attempts from job_items where item_key = ?', bad)).toEqual({
      status: 'failed',
      error: 'the claim row could not be read',
      attempts: 1,
    });
    expect(claims.filter((c) => position(c.claimId).stage === 'court_mediation')).toHaveLength(2);

    expect(await stageTimeLimits(input)).toMatchObject({ done: 1, failed: 0 });
    expect(position(claims[1]!.claimId)).toMatchObject({ stage: 'court_mediation' });
    expect(one('select status, error, attempts from job_items where item_key = ?', bad)).toEqual({
      status: 'done',
      error: null,
      attempts: 2,
    });
    for (const c of claims) expect(actions(c.claimId).filter((a) => a === 'time_out')).toHaveLength(1);
  });

  it('a claim the lifecycle refuses to escalate (no court for it) fails alone, through the job itself; the others escalate', async () => {
    const claims = [1, 2, 3].map(() => makeClaim(t, { at: 'notified' }));
    const stranded = claims[1]!.claimId;
    // Its committee names no court and it has none of its own: entering court mediation has nowhere to go.
    const committee = t.database.sqlite
      .prepare(
        "insert into organisations (kind, code, name, created_at) values ('mediation_committee', 'NO-COURT', '无法院调委会', 0)",
      )
      .run().lastInsertRowid;
    t.database.sqlite
      .prepare('update claims set mediation_org_id = ?, court_org_id = null where id = ?')
      .run(committee, stranded);
    t.clock.advance(31 * MS_PER_DAY);

    expect(await stageTimeLimits(input)).toMatchObject({ done: 2, failed: 1 });
    expect(one('select status, error from job_items where item_key = ?', `claim:${stranded}`)).toEqual({
      status: 'failed',
      error: expect.stringMatching(/No court is assigned to this claim/),
    });
    // Its time-out was undone with the escalation that failed; the others went on.
    expect(position(stranded)).toMatchObject({ stage: 'people_mediation', status: 'notified' });
    expect(actions(stranded)).not.toContain('time_out');
    for (const c of [claims[0]!, claims[2]!]) expect(position(c.claimId)).toMatchObject({ stage: 'court_mediation' });
    // The run is recorded with the item that failed, and the next run tries it again.
    expect(one("select processed, failed from job_runs where job = 'claims.stage-time-limits'")).toEqual({
      processed: 2,
      failed: 1,
    });
    expect(await stageTimeLimits(input)).toMatchObject({ done: 0, failed: 1 });
  });
});
