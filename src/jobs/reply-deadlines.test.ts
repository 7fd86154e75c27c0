/**
 * Reply deadlines of objections and hardship requests (job objections.reply-deadlines), on the test's
 * clock: days before the deadline the organisation holding the claim is reminded in its inbox; past it
 * unanswered, its supervisor is told (a committee's supervising court, otherwise the platform's
 * operator). Each step is one message and one event per claim, however often and however many runs
 * go at once; an answered objection gets nothing.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY, shanghaiDate } from '../domain/dates.js';
import { hardshipReplyDue } from '../modules/objections/reply-deadlines.js';
import { demoOrg, makeClaim } from '../testing/factories.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { main as replyDeadlines } from './objections-reply-deadlines.js';

type Row = Record<string, number | string | null>;

describe('objection and hardship reply deadlines', () => {
  const key = crypto.randomBytes(32).toString('base64');
  let t: TestApp;
  let input: Parameters<typeof replyDeadlines>[0];
  const sql = () => t.database.sqlite;
  const all = (q: string, ...args: unknown[]) =>
    sql()
      .prepare(q)
      .all(...args) as Row[];
  const days = (n: number) => shanghaiDate(new Date(t.clock.now().getTime() + n * MS_PER_DAY));

  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_KEY: key } });
    input = {
      env: { DATA_DIR: t.dataDir, DATA_KEY: key, LOG_LEVEL: 'silent' },
      dbFile: path.join(t.dataDir, 'platform.db'),
      clock: t.clock,
    };
  });
  afterAll(() => t.close());

  const objection = (claimId: number, debtorId: number, replyDue: string) =>
    Number(
      sql()
        .prepare(
          "insert into objections (claim_id, debtor_id, category, statement, status, reply_due, created_at) values (?, ?, 'amount_disputed', '金额有误', 'open', ?, ?)",
        )
        .run(claimId, debtorId, replyDue, t.clock.now().getTime()).lastInsertRowid,
    );

  it('reminds the organisation before the deadline and tells its supervisor after, each once', async () => {
    const held = makeClaim(t, { at: 'notified' });
    const unassigned = makeClaim(t, { at: 'notified' });
    sql().prepare('update claims set mediation_org_id = null where id = ?').run(unassigned.claimId);
    const answered = makeClaim(t, { at: 'notified' });
    const hardshipClaim = makeClaim(t, { at: 'notified' });
    const o1 = objection(held.claimId, held.debtorId, days(10));
    const o2 = objection(unassigned.claimId, unassigned.debtorId, days(10));
    const o3 = objection(answered.claimId, answered.debtorId, days(10));
    const h = Number(
      sql()
        .prepare(
          "insert into hardship_requests (debtor_id, reason, statement, status, created_at) values (?, 'illness', '住院治疗', 'pending', ?)",
        )
        .run(hardshipClaim.debtorId, t.clock.now().getTime()).lastInsertRowid,
    );
    sql().prepare('insert into hardship_claims (request_id, claim_id) values (?, ?)').run(h, hardshipClaim.claimId);
    const hardshipDue = hardshipReplyDue(t.reference.calendar(), t.clock.now(), 15);
    const messages = () =>
      all('select org_id, kind, subject_kind, subject_id, claim_id, text from staff_messages order by id');
    const events = (claimId: number) =>
      all(
        "select action, actor_kind from claim_events where claim_id = ? and action like '%_reply_%' order by seq",
        claimId,
      );
    const org = (code: 'PMC-QZ' | 'COURT-LC') => demoOrg(t, code).id;
    const platform = (sql().prepare("select id from organisations where kind = 'platform'").get() as { id: number }).id;

    // Ten days out: nothing yet.
    expect(await replyDeadlines(input)).toMatchObject({ done: 0, failed: 0 });

    // Three days before: the committee is reminded of o1, the creditor (no committee yet) of o2.
    t.clock.advance(7 * MS_PER_DAY);
    sql().prepare("update objections set status = 'decided', outcome = 'rejected' where id = ?").run(o3);
    expect(await replyDeadlines(input)).toMatchObject({ done: 2, failed: 0, outcomes: { reminded: 2 } });
    expect(await replyDeadlines(input)).toMatchObject({ done: 0 });
    expect(messages()).toEqual([
      {
        org_id: org('PMC-QZ'),
        kind: 'reply_reminder',
        subject_kind: 'objection',
        subject_id: o1,
        claim_id: held.claimId,
        text: expect.stringContaining(`合同编号 ${held.claim.contractNo}`),
      },
      expect.objectContaining({
        org_id: unassigned.claim.creditorOrgId,
        subject_id: o2,
        kind: 'reply_reminder',
      }),
    ]);
    expect(messages()[0]!.text).toMatch(
      /^异议申诉第\d+号（合同编号 .+）的答复期限为\d{4}年\d{1,2}月\d{1,2}日，尚未答复，请在期限内处理。$/,
    );

    // Past every deadline, two runs at once: o1 goes to the supervising court, o2 to the platform, the
    // hardship request's missed reminder is written late and its escalation goes to the court.
    t.clock.set(`${hardshipDue}T02:00:00.000Z`);
    t.clock.advance(MS_PER_DAY);
    const [a, b] = await Promise.all([replyDeadlines(input), replyDeadlines(input)]);
    expect(a.failed + b.failed).toBe(0);
    expect(a.done + b.done).toBe(4);
    expect(await replyDeadlines(input)).toMatchObject({ done: 0 });
    const after = messages();
    expect(after).toHaveLength(6);
    expect(
      after
        .slice(2)
        .map((m) => [m.org_id, m.kind, m.subject_kind, m.subject_id])
        .sort(),
    ).toEqual(
      [
        [org('COURT-LC'), 'reply_overdue', 'objection', o1],
        [platform, 'reply_overdue', 'objection', o2],
        [org('PMC-QZ'), 'reply_reminder', 'hardship', h],
        [org('COURT-LC'), 'reply_overdue', 'hardship', h],
      ].sort(),
    );
    expect(after.find((m) => m.kind === 'reply_overdue' && m.subject_id === o1)!.text).toMatch(
      /^泉州市鲤城区金融纠纷人民调解委员会未在答复期限\d{4}年\d{1,2}月\d{1,2}日前答复异议申诉第\d+号（合同编号 .+），请督促其尽快处理。$/,
    );
    expect(all('select * from staff_messages where subject_kind = ? and subject_id = ?', 'objection', o3)).toEqual([]);

    // One event per step on each claim, by the system.
    expect(events(held.claimId)).toEqual([
      { action: 'objection_reply_reminded', actor_kind: 'system' },
      { action: 'objection_reply_escalated', actor_kind: 'system' },
    ]);
    expect(events(hardshipClaim.claimId)).toEqual([
      { action: 'hardship_reply_reminded', actor_kind: 'system' },
      { action: 'hardship_reply_escalated', actor_kind: 'system' },
    ]);
    expect(events(answered.claimId)).toEqual([]);

    // Each organisation reads its own inbox.
    const inbox = async (who: string) => {
      const res = await t.app.inject({ url: '/api/messages', headers: await t.as(who) });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { kind: string; subject: { kind: string; id: number } }[]).map(
        (m) => `${m.kind}:${m.subject.kind}:${m.subject.id}`,
      );
    };
    expect((await inbox('clerk1')).sort()).toEqual([`reply_overdue:hardship:${h}`, `reply_overdue:objection:${o1}`]);
    expect(await inbox('admin')).toEqual([`reply_overdue:objection:${o2}`]);
    expect(await inbox(unassigned.claim.creditorOrgId === demoOrg(t, 'CRED-A').id ? 'creditor1' : 'creditor2')).toEqual(
      [`reply_reminder:objection:${o2}`],
    );
    expect((await inbox('mediator1')).sort()).toEqual([
      `reply_reminder:hardship:${h}`,
      `reply_reminder:objection:${o1}`,
    ]);
  });
});
