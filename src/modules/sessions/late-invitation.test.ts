/**
 * Issue 15 item 11: a session invitation the contact rules would defer past its slot is not sent
 * late. The session moves to the first slot the rules allow and the mediator is told (an event on
 * each claim and a frame in the session's record); an ended session's invitation is not sent at all.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore, type FileStore } from '../../adapters/file-store.js';
import { createMailer } from '../../adapters/mail.js';
import { senderDeps } from '../../testing/deliveries.js';
import { makeParties } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { runDeliveries } from '../deliveries/sender.js';
import { invitationKey } from './invitation.js';

describe('session invitations never for a time already gone', () => {
  let t: TestApp;
  let files: FileStore;
  const sql = () => t.database.sqlite;
  const send = () => runDeliveries(senderDeps(t, files, createMailer(t.config)), { now: t.clock.now(), limit: 100 });
  const post = async (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: await t.as('mediator1'), payload });
  const invitation = (sessionId: number) =>
    sql()
      .prepare('select id, status, due_at, message, failure_reason from deliveries where idempotency_key = ?')
      .get(invitationKey(sessionId)) as {
      id: number;
      status: string;
      due_at: number;
      message: string;
      failure_reason: string | null;
    };
  const scheduledAt = (sessionId: number) =>
    (sql().prepare('select scheduled_at from sessions where id = ?').get(sessionId) as { scheduled_at: number })
      .scheduled_at;

  beforeAll(async () => {
    const key = crypto.randomBytes(32).toString('base64');
    // The tests move the clock across nights: a sign-in lasts the file.
    t = await createTestApp({ env: { DATA_KEY: key, SESSION_TTL_HOURS: '168' } });
    files = createFileStore(path.join(t.dataDir, 'files'), Buffer.from(key, 'base64'));
  });
  afterAll(() => t.close());

  it('an invitation quiet hours would hold past the slot moves the session to the first slot the rules allow, and tells the mediator', async () => {
    const g = makeParties(t, 2);
    // 21:50 Shanghai: a session at 21:58; the sender only gets to it at 22:05, in quiet hours.
    t.clock.set('2026-11-20T13:50:00.000Z');
    const created = await post('/api/sessions', {
      claimIds: g.claimIds,
      mode: 'online',
      scheduledAt: '2026-11-20T13:58:00.000Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    const eventsBefore = g.claimIds.map(
      (c) => (sql().prepare('select count(*) n from claim_events where claim_id = ?').get(c) as { n: number }).n,
    );
    t.clock.set('2026-11-20T14:05:00.000Z');
    expect(await send()).toMatchObject({ sent: 0, deferred: 1 });

    // 08:00 is the first moment the SMS may go; the session keeps at least 30 minutes' notice: 08:30.
    const moved = Date.parse('2026-11-21T00:30:00.000Z');
    expect(scheduledAt(id)).toBe(moved);
    const inv = invitation(id);
    expect(inv).toMatchObject({ status: 'deferred', due_at: Date.parse('2026-11-21T00:00:00.000Z') });
    expect(inv.message).toContain('2026年11月21日 08:30');
    expect(inv.message).not.toContain('21:58');
    const session = (await t.app.inject({ url: `/api/sessions/${id}`, headers: await t.as('mediator1') })).json();
    expect(session.scheduledAt).toBe(new Date(moved).toISOString());

    for (const [i, claimId] of g.claimIds.entries()) {
      const { events, chain } = (
        await t.app.inject({ url: `/api/claims/${claimId}/events`, headers: await t.as('mediator1') })
      ).json();
      expect(chain.valid).toBe(true);
      expect(events.slice(eventsBefore[i])).toEqual([
        expect.objectContaining({
          action: 'session.rescheduled',
          data: expect.objectContaining({
            sessionId: id,
            from: '2026-11-20T13:58:00.000Z',
            to: '2026-11-21T00:30:00.000Z',
            rule: 'quiet_hours',
          }),
        }),
      ]);
    }
    const frames = (
      await t.app.inject({ url: `/api/sessions/${id}/messages`, headers: await t.as('mediator1') })
    ).json();
    expect(frames.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'system',
          body: expect.objectContaining({ event: 'rescheduled', to: '2026-11-21T00:30:00.000Z' }),
        }),
      ]),
    );

    // At 08:00 the invitation goes with the new time, and the session is not moved again.
    t.clock.set('2026-11-21T00:00:30.000Z');
    expect(await send()).toMatchObject({ sent: 1 });
    expect(scheduledAt(id)).toBe(moved);
    const sms = t.smsSent().filter((m) => m.text.startsWith('【调解邀请】'));
    expect(sms.at(-1)!.text).toContain('2026年11月21日 08:30');
    expect(sms.some((m) => m.text.includes('21:58'))).toBe(false);
  });

  it('the invitation of a session that ended before it could go is not sent', async () => {
    const g = makeParties(t, 1);
    t.clock.set('2026-11-21T13:50:00.000Z');
    const created = await post('/api/sessions', {
      claimIds: g.claimIds,
      mode: 'online',
      scheduledAt: '2026-11-21T13:55:00.000Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    // The sender has not run: the session is started and ended (adjourned) meanwhile.
    t.clock.set('2026-11-21T13:55:00.000Z');
    expect((await post(`/api/sessions/${id}/start`, {})).statusCode).toBe(200);
    expect((await post(`/api/sessions/${id}/end`, { outcome: 'adjourned' })).statusCode).toBe(200);
    const before = t.smsSent().length;
    t.clock.set('2026-11-22T00:10:00.000Z');
    expect(await send()).toMatchObject({ sent: 0, refused: 1 });
    expect(invitation(id)).toMatchObject({
      status: 'refused',
      failure_reason: expect.stringMatching(/^session_not_scheduled: session \d+ is ended/),
    });
    expect(t.smsSent().length).toBe(before);
  });

  it('an invitation in time is sent as it was, the session unchanged', async () => {
    const g = makeParties(t, 1);
    t.clock.set('2026-11-22T02:00:00.000Z');
    const created = await post('/api/sessions', {
      claimIds: g.claimIds,
      mode: 'online',
      scheduledAt: '2026-11-22T03:00:00.000Z',
    });
    const id = created.json().id as number;
    expect(await send()).toMatchObject({ sent: 1 });
    expect(scheduledAt(id)).toBe(Date.parse('2026-11-22T03:00:00.000Z'));
    expect(invitation(id).message).toContain('11:00');
    expect(
      sql()
        .prepare("select count(*) n from claim_events where action = 'session.rescheduled' and claim_id = ?")
        .get(g.claimIds[0]),
    ).toEqual({ n: 0 });
  });
});
