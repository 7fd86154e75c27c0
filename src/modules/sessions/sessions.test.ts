import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClaim, makeParties } from '../../testing/factories.js';
import { creditorUser, debtorHeaders, type Frame, openRoom, SessionClient } from '../../testing/session-client.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { clientKey, clientKeyHash } from './frame-writer.js';

type Row = Record<string, unknown>;

const count = (t: TestApp, sql: string, ...args: unknown[]) =>
  (t.database.sqlite.prepare(sql).get(...args) as { n: number }).n;
const messageCount = (t: TestApp, sessionId: number) =>
  count(t, 'select count(*) as n from session_messages where session_id = ?', sessionId);

const SOON = '2026-11-20T03:00:00.000Z'; // 11:00 Shanghai, an hour after the test clock
const ids = (r: { g: { claimIds: number[] } }) => r.g.claimIds;

/** The text of a PDF, whitespace removed (pdfjs splits runs of Chinese text). */
async function pdfText(bytes: Buffer): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += content.items.map((it) => ('str' in it ? it.str : '')).join('');
  }
  return text.replace(/\s+/g, '');
}

describe('mediation sessions', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    // Chat frames go through the frame store thread, control frames through the app's connection.
    t = await createTestApp({ env: { PUBLIC_URL: 'https://mediation.example.cn' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(() => t.close());

  /** A fresh debtor/creditor pair with open claims (`min` of them). */
  const nextGroup = (min = 1) => makeParties(t, min);

  async function createSession(claimIds: number[], as = 'mediator1') {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: await t.as(as),
      payload: { claimIds, mode: 'online', scheduledAt: SOON },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Row;
  }

  /** A started session with the mediator, creditor representative and debtor connected. */
  const room = (min = 1) => openRoom(t, base, nextGroup(min));

  const proposal = (claimIds: number[], totalFen: number, amounts: number[], extra: Row = {}) => ({
    claimIds,
    kind: amounts.length === 1 ? 'lump_sum' : 'instalments',
    totalFen,
    instalments: amounts.map((amountFen, i) => ({ dueDate: `2027-${String(i + 1).padStart(2, '0')}-15`, amountFen })),
    ...extra,
  });

  const enforceable = (claimIds: number[]) =>
    count(
      t,
      `select sum(max(0, principal_fen + interest_fen + penalty_fen + fees_fen - above_cap_fen)) as n from claims where id in (${claimIds.join(',')})`,
    );

  describe('scheduling', () => {
    it("schedules a session for all of a debtor's open claims with one creditor and invites the debtor by SMS", async () => {
      const g = nextGroup(2);
      const session = await createSession(g.claimIds);
      expect(session).toMatchObject({
        status: 'scheduled',
        mode: 'online',
        scheduledAt: SOON,
        debtor: { id: g.debtorId },
        creditor: { id: g.creditorOrgId },
      });
      expect((session.claims as Row[]).map((c) => c.id)).toEqual(g.claimIds);
      expect((session.terms as Row).limits).toEqual({
        maxDiscountPct: g.creditorOrgId === 4 ? 30 : 40,
        maxInstalments: 24,
        minFirstPaymentPct: 10,
      });
      const invite = t.database.sqlite
        .prepare('select * from deliveries where idempotency_key = ?')
        .get(`session:${session.id}:invitation:sms`) as Row;
      expect(invite).toMatchObject({ channel: 'sms', status: 'queued', debtor_id: g.debtorId });
      expect(invite.message).toContain('https://mediation.example.cn/portal/');
      expect(invite.message).toContain('2026年11月20日 11:00');
      expect(invite.address_masked).toMatch(/^1\d{2}\*{4}\d{4}$/);

      // The creditor sees it among its sessions, the debtor among theirs; the other creditor does not.
      const mine = await t.app.inject({
        method: 'GET',
        url: '/api/sessions',
        headers: await t.as(creditorUser(t, g.creditorOrgId)),
      });
      expect(mine.json().items.map((s: Row) => s.id)).toContain(session.id);
      const debtor = await t.app.inject({
        method: 'GET',
        url: `/api/sessions/${session.id}`,
        headers: { authorization: debtorHeaders(t, g.debtorId).authorization },
      });
      expect(debtor.statusCode).toBe(200);
      expect(debtor.json().terms).toBeUndefined();
      const other = await t.app.inject({
        method: 'GET',
        url: `/api/sessions/${session.id}`,
        headers: await t.as(creditorUser(t, g.creditorOrgId === 4 ? 5 : 4)),
      });
      expect(other.statusCode).toBe(404);
    });

    it('refuses mixed parties, partial claims, closed or busy claims, and bad times, creating nothing', async () => {
      const before = count(t, 'select count(*) as n from sessions');
      const [a, b] = [nextGroup(), nextGroup()];
      const multi = nextGroup(2);
      const closed = makeClaim(t, { at: 'fulfilled' }).claimId;
      const post = async (payload: Row) =>
        t.app.inject({
          method: 'POST',
          url: '/api/sessions',
          headers: await t.as('mediator1'),
          payload: { mode: 'video', scheduledAt: SOON, ...payload },
        });

      const mixed = await post({ claimIds: [a.claimIds[0], b.claimIds[0]] });
      expect(mixed.statusCode).toBe(422);
      expect(mixed.json()).toMatchObject({ code: 'unprocessable', reason: 'mixed_parties' });
      const third = makeClaim(t, { person: multi.person }).claimId;
      const partial = await post({ claimIds: multi.claimIds });
      expect(partial.json()).toMatchObject({ code: 'unprocessable', reason: 'partial_claims' });
      expect(partial.json().detail).toContain(String(third));
      const notOpen = await post({ claimIds: [closed] });
      expect(notOpen.json()).toMatchObject({ code: 'unprocessable', reason: 'claim_not_open' });
      const unknown = await post({ claimIds: [999_999] });
      expect(unknown.statusCode).toBe(404);
      const past = await post({ claimIds: [a.claimIds[0]], scheduledAt: '2026-11-19T03:00:00.000Z' });
      expect(past.json().reason).toBe('in_the_past');
      const night = await post({ claimIds: [a.claimIds[0]], scheduledAt: '2026-11-20T15:00:00.000Z' });
      expect(night.json().reason).toBe('quiet_hours');
      const byCreditor = await t.app.inject({
        method: 'POST',
        url: '/api/sessions',
        headers: await t.as('creditor1'),
        payload: { claimIds: [a.claimIds[0]], mode: 'online', scheduledAt: SOON },
      });
      expect(byCreditor.statusCode).toBe(403);
      expect(count(t, 'select count(*) as n from sessions')).toBe(before);

      const first = await post({ claimIds: [b.claimIds[0]] });
      expect(first.statusCode).toBe(201);
      const again = await post({ claimIds: [b.claimIds[0]] });
      expect(again.statusCode).toBe(409);
      expect(again.json().reason).toBe('claim_in_session');
      expect(count(t, 'select count(*) as n from sessions')).toBe(before + 1);
    });

    it('takes a time up to 5 minutes ago as now and refuses one a millisecond older, writing nothing', async () => {
      const ago = (ms: number) => new Date(t.clock.now().getTime() - ms).toISOString();
      const now = t.clock.now().toISOString();
      const post = async (url: string, payload: Row) =>
        t.app.inject({ method: 'POST', url, headers: await t.as('mediator1'), payload });
      const [one, many] = [nextGroup(), nextGroup()];
      const before = count(t, 'select count(*) as n from sessions');
      const deliveries = count(t, 'select count(*) as n from deliveries');

      const late = await post('/api/sessions', { claimIds: one.claimIds, mode: 'phone', scheduledAt: ago(300_001) });
      expect(late.statusCode).toBe(422);
      expect(late.json()).toMatchObject({ code: 'unprocessable', reason: 'in_the_past' });
      expect(late.json().detail).toContain('scheduledAt');
      const lateMany = await post('/api/sessions/schedule', {
        debtorIds: [many.debtorId],
        mode: 'phone',
        firstSlotAt: ago(300_001),
      });
      expect(lateMany.statusCode).toBe(422);
      expect(lateMany.json()).toMatchObject({ code: 'unprocessable', reason: 'in_the_past' });
      expect(lateMany.json().detail).toContain('firstSlotAt');
      expect(count(t, 'select count(*) as n from sessions')).toBe(before);
      expect(count(t, 'select count(*) as n from deliveries')).toBe(deliveries);

      const justNow = await post('/api/sessions', { claimIds: one.claimIds, mode: 'phone', scheduledAt: ago(300_000) });
      expect(justNow.statusCode, justNow.body).toBe(201);
      expect(justNow.json().scheduledAt).toBe(now);
      const manyNow = await post('/api/sessions/schedule', {
        debtorIds: [many.debtorId],
        mode: 'phone',
        firstSlotAt: ago(3_000),
      });
      expect(manyNow.statusCode, manyNow.body).toBe(200);
      expect(manyNow.json().sessions.map((s: Row) => s.scheduledAt)).toEqual([now]);
    });

    it('schedules a list of debtors in consecutive slots outside quiet hours, one invitation each', async () => {
      const picked = [nextGroup(), nextGroup(), nextGroup()];
      const nothing = (
        t.database.sqlite
          .prepare(
            "select debtor_id as id from claims group by debtor_id having sum(stage in ('people_mediation','court_mediation') and status in ('awaiting_contact','notified','in_session')) = 0 limit 1",
          )
          .get() as { id: number }
      ).id;
      // 21:00 and 21:30 Shanghai, then 22:00 falls in quiet hours: the next morning at 08:00.
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/sessions/schedule',
        headers: await t.as('mediator1'),
        payload: {
          debtorIds: [...picked.map((g) => g.debtorId), nothing],
          mode: 'phone',
          firstSlotAt: '2026-11-20T13:00:00.000Z',
          slotMinutes: 30,
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      const { sessions, skipped } = res.json() as { sessions: Row[]; skipped: unknown };
      expect(skipped).toEqual([{ debtorId: nothing, reason: 'no_open_claims', detail: expect.any(String) }]);
      expect(sessions.map((s) => s.scheduledAt)).toEqual([
        '2026-11-20T13:00:00.000Z',
        '2026-11-20T13:30:00.000Z',
        '2026-11-21T00:00:00.000Z',
      ]);
      expect(sessions.map((s) => s.debtorId)).toEqual(picked.map((g) => g.debtorId));
      expect(sessions.map((s) => s.claimIds)).toEqual(picked.map((g) => g.claimIds));
      for (const s of sessions) {
        expect(
          count(t, 'select count(*) as n from deliveries where idempotency_key = ?', `session:${s.id}:invitation:sms`),
        ).toBe(s.invited ? 1 : 0);
      }
      expect(sessions.filter((s) => s.invited).length).toBeGreaterThan(0);
      // Scheduling the same debtors again finds them all busy.
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/sessions/schedule',
        headers: await t.as('mediator1'),
        payload: { debtorIds: [picked[0]!.debtorId], mode: 'phone', firstSlotAt: SOON },
      });
      expect(again.json()).toMatchObject({ sessions: [], skipped: [{ reason: 'already_scheduled' }] });
    });
  });

  describe('room access (refused at the upgrade)', () => {
    it("lets only the session's debtor, its creditor and mediators of the organisation in", async () => {
      const g = nextGroup();
      const other = nextGroup();
      const session = await createSession(g.claimIds);
      const url = `${base}/ws/sessions/${session.id}`;
      // Another debtor: not found, before any upgrade.
      expect(await SessionClient.refusal(url, { authorization: debtorHeaders(t, other.debtorId).authorization })).toBe(
        404,
      );
      expect(await SessionClient.refusal(url, await t.as(creditorUser(t, g.creditorOrgId === 4 ? 5 : 4)))).toBe(404);
      expect(await SessionClient.refusal(url, await t.as('clerk1'))).toBe(403);
      expect(await SessionClient.refusal(url, {})).toBe(401);
      expect(await SessionClient.refusal(`${base}/ws/sessions/999999`, await t.as('mediator1'))).toBe(404);
      // The debtor by ?token=, the creditor by cookie, a colleague mediator by header.
      const debtor = await SessionClient.open(`${url}?token=${debtorHeaders(t, g.debtorId).token}`);
      // PUBLIC_URL is https here, so the cookie carries the __Host- prefix.
      const cookie = `__Host-lmp_session=${(await t.as(creditorUser(t, g.creditorOrgId))).authorization.slice(7)}`;
      // A browser says where the page that opens the socket comes from; the cookie counts only from the platform's pages.
      const creditor = await SessionClient.open(url, { headers: { cookie, origin: t.config.publicUrl } });
      const colleague = await SessionClient.open(url, { headers: await t.as('mediator2') });
      for (const c of [debtor, creditor, colleague])
        await c.waitFor((f) => f.type === 'presence' && f.from.role === 'mediator');
      expect(
        (
          await t.app.inject({ method: 'GET', url: `/api/sessions/${session.id}`, headers: await t.as('mediator1') })
        ).json().present,
      ).toHaveLength(3);
      // The same tenancy over HTTP: another debtor or creditor finds nothing.
      const otherDebtor = { authorization: debtorHeaders(t, other.debtorId).authorization };
      for (const path of [`/api/sessions/${session.id}`, `/api/sessions/${session.id}/messages`]) {
        expect((await t.app.inject({ method: 'GET', url: path, headers: otherDebtor })).statusCode).toBe(404);
        expect(
          (
            await t.app.inject({
              method: 'GET',
              url: path,
              headers: await t.as(creditorUser(t, g.creditorOrgId === 4 ? 5 : 4)),
            })
          ).statusCode,
        ).toBe(404);
      }
      const theirs = (await t.app.inject({ method: 'GET', url: '/api/sessions', headers: otherDebtor })).json();
      expect(theirs.items.every((s: Row) => (s.debtor as Row).id === other.debtorId)).toBe(true);
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/sessions/${session.id}/messages`,
            headers: { authorization: debtorHeaders(t, g.debtorId).authorization },
          })
        ).statusCode,
      ).toBe(200);
      for (const c of [debtor, creditor, colleague]) c.close();
    });
  });

  describe('live frames', () => {
    it('stores before broadcasting: everyone, the sender included, gets each frame with its seq', async () => {
      const r = await room();
      const answer = await r.debtorClient.request({ type: 'chat', id: 'c1', body: { text: '<b>我想分期</b> & 还款' } });
      expect(answer).toMatchObject({
        type: 'chat',
        id: 'c1',
        from: { role: 'debtor' },
        body: { text: '<b>我想分期</b> & 还款' },
      });
      for (const c of [r.mediator, r.creditor]) expect(await c.answer('c1')).toEqual(answer);
      const stored = t.database.sqlite
        .prepare('select * from session_messages where session_id = ? and seq = ?')
        .get(r.session.id, answer.seq) as Row;
      expect(JSON.parse(stored.body as string)).toEqual({ text: '<b>我想分期</b> & 还款' });
      const page = await t.app.inject({
        method: 'GET',
        url: `/api/sessions/${r.session.id}/messages?afterSeq=${answer.seq! - 1}`,
        headers: { authorization: r.debtor.authorization },
      });
      expect(page.json().items[0]).toEqual(answer);
      for (const c of r.clients) c.close();
    });

    it('passes "typing" to the others only, with seq null, and stores nothing; a typing with more fields is refused', async () => {
      const r = await room();
      const before = messageCount(t, r.session.id);
      r.debtorClient.send({ type: 'typing' });
      for (const c of [r.mediator, r.creditor])
        expect(await c.waitFor((f) => f.type === 'typing')).toMatchObject({
          seq: null,
          id: null,
          from: { role: 'debtor' },
          body: {},
        });
      r.debtorClient.send({ type: 'typing', id: 't1', body: {} });
      const refused = await r.debtorClient.waitFor((f) => f.type === 'error');
      expect(refused.body.code).toBe('invalid_frame');
      expect(r.debtorClient.frames.filter((f) => f.type === 'typing')).toEqual([]);
      expect(r.mediator.frames.filter((f) => f.type === 'typing')).toHaveLength(1);
      expect(messageCount(t, r.session.id)).toBe(before);
      for (const c of r.clients) c.close();
    });

    it('answers a resend with the original seq and stores it once', async () => {
      const r = await room();
      const first = await r.creditor.request({ type: 'chat', id: 'dup-1', body: { text: '第一次' } });
      const again = await r.creditor.request({ type: 'chat', id: 'dup-1', body: { text: '第一次' } });
      expect(again.seq).toBe(first.seq);
      expect(
        count(
          t,
          "select count(*) as n from session_messages where session_id = ? and client_id = 'dup-1'",
          r.session.id,
        ),
      ).toBe(1);
      // Another sender may use the same id for a frame of their own.
      const theirs = await r.debtorClient.request({ type: 'chat', id: 'dup-1', body: { text: '我的' } });
      expect(theirs.seq).toBeGreaterThan(first.seq!);
      for (const c of r.clients) c.close();
    });

    it('tells the sender to send again when its frame could not be stored, stores nothing, and takes the resend', async () => {
      const r = await room();
      const sqlite = t.database.sqlite;
      // The frame store thread's connection meets this trigger too: its transaction fails.
      sqlite.exec(
        "CREATE TRIGGER refuse_frame BEFORE INSERT ON session_messages WHEN NEW.body LIKE '%refuse-me%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
      );
      try {
        const before = messageCount(t, r.session.id);
        r.debtorClient.send({ type: 'chat', id: 'lost-1', body: { text: 'refuse-me' } });
        const refused = await r.debtorClient.waitFor((f) => f.type === 'error' && f.id === 'lost-1');
        expect(refused.body).toMatchObject({ code: 'not_stored' });
        expect(messageCount(t, r.session.id)).toBe(before);
        expect(r.mediator.frames.some((f) => f.id === 'lost-1')).toBe(false);
      } finally {
        sqlite.exec('DROP TRIGGER refuse_frame');
      }
      // The connection is kept, and the same id goes through once the database takes it.
      const stored = await r.debtorClient.request({ type: 'chat', id: 'lost-1', body: { text: 'refuse-me' } });
      expect(stored.type).toBe('chat');
      expect(await r.mediator.answer('lost-1')).toEqual(stored);
      for (const c of r.clients) c.close();
    });

    it('holds frames sent while another writer keeps the database past the busy timeout, and delivers them in order once it lets go', async () => {
      const r = await room();
      const before = messageCount(t, r.session.id);
      // Another connection holds the write lock as another process on the file may.
      const other = new Database(path.join(t.dataDir, 'platform.db'));
      try {
        other.exec('BEGIN IMMEDIATE');
        r.debtorClient.send({ type: 'chat', id: 'held-1', body: { text: '第一条' } });
        r.debtorClient.send({ type: 'chat', id: 'held-2', body: { text: '第二条' } });
        // Longer than the app's busy timeout (500 ms): the frames wait, they are not refused.
        await sleep(1200);
        expect(r.debtorClient.frames.filter((f) => f.id === 'held-1' || f.id === 'held-2')).toEqual([]);
        // A change of the session's own meanwhile is answered at once rather than stopping the server.
        const end = await t.app.inject({
          method: 'POST',
          url: `/api/sessions/${r.session.id}/end`,
          headers: await t.as('mediator1'),
          payload: { outcome: 'adjourned' },
        });
        expect(end.statusCode).toBe(503);
        expect(end.json()).toMatchObject({ code: 'unavailable', reason: 'database_busy' });
        expect(messageCount(t, r.session.id)).toBe(before);
        other.exec('COMMIT');
      } finally {
        if (other.inTransaction) other.exec('ROLLBACK');
        other.close();
      }
      const first = await r.mediator.answer('held-1');
      const second = await r.mediator.answer('held-2');
      expect([first.type, second.type]).toEqual(['chat', 'chat']);
      expect(second.seq).toBe(first.seq! + 1);
      expect(messageCount(t, r.session.id)).toBe(before + 2);
      expect(r.debtorClient.frames.some((f) => f.type === 'error')).toBe(false);
      const status = (
        await t.app.inject({ method: 'GET', url: `/api/sessions/${r.session.id}`, headers: await t.as('mediator1') })
      ).json();
      expect(status.status).toBe('live');
      for (const c of r.clients) c.close();
    });

    it('tells apart two client ids whose hashes collide: both are stored, and each resend gets its own seq', async () => {
      const r = await room();
      // The hub keeps a room's client ids as hashes; find two of the debtor's ids that share one.
      const seen = new Map<number, string>();
      let pair: [string, string] | undefined;
      for (let i = 0; !pair; i++) {
        const id = `h${i}`;
        const hash = clientKeyHash(clientKey(r.session.id, `debtor:${r.g.debtorId}`, id));
        const other = seen.get(hash);
        if (other) pair = [other, id];
        else seen.set(hash, id);
      }
      const [a, b] = pair;
      const first = await r.debtorClient.request({ type: 'chat', id: a, body: { text: '第一条' } });
      const second = await r.debtorClient.request({ type: 'chat', id: b, body: { text: '第二条' } });
      expect(second.seq).toBe(first.seq! + 1);
      expect(second.body).toEqual({ text: '第二条' });
      expect((await r.debtorClient.request({ type: 'chat', id: a, body: { text: '第一条' } })).seq).toBe(first.seq);
      expect((await r.debtorClient.request({ type: 'chat', id: b, body: { text: '第二条' } })).seq).toBe(second.seq);
      expect(
        count(
          t,
          `select count(*) as n from session_messages where session_id = ? and client_id in ('${a}', '${b}')`,
          r.session.id,
        ),
      ).toBe(2);
      for (const c of r.clients) c.close();
    });

    it('stores a frame sent twice in one burst once, and knows its id again after everyone left and came back', async () => {
      const r = await room();
      // Both copies arrive before the hub's next store: the second is found among the frames of the same transaction.
      r.debtorClient.send({ type: 'chat', id: 'twice', body: { text: '同一条' } });
      r.debtorClient.send({ type: 'chat', id: 'twice', body: { text: '同一条' } });
      const first = await r.debtorClient.answer('twice');
      await r.debtorClient.waitFor((f) => f.id === 'twice' && f !== first);
      expect(r.debtorClient.frames.filter((f) => f.id === 'twice').map((f) => f.seq)).toEqual([first.seq, first.seq]);
      const seqBefore = count(t, 'select max(seq) as n from session_messages where session_id = ?', r.session.id);

      // The room empties (the hub forgets it), then the debtor resends from a new connection.
      for (const c of r.clients) c.close();
      await Promise.all(r.clients.map((c) => c.waitClosed()));
      const mediator = await t.as('mediator1');
      await expect
        .poll(
          async () =>
            (
              (
                await t.app.inject({ method: 'GET', url: `/api/sessions/${r.session.id}`, headers: mediator })
              ).json() as Row
            ).present,
        )
        .toEqual([]);
      const back = await SessionClient.open(r.url, {
        headers: { authorization: r.debtor.authorization },
        lastSeq: seqBefore,
      });
      const resent = await back.request({ type: 'chat', id: 'twice', body: { text: '同一条' } });
      expect(resent.seq).toBe(first.seq);
      expect(
        count(
          t,
          "select count(*) as n from session_messages where session_id = ? and client_id = 'twice'",
          r.session.id,
        ),
      ).toBe(1);
      back.close();
    });

    it('replays exactly what a dropped client missed, in order, while the others keep sending', async () => {
      const r = await room();
      for (let i = 0; i < 5; i++) r.mediator.send({ type: 'chat', id: `m-${i}`, body: { text: `before ${i}` } });
      await r.debtorClient.answer('m-4');
      const lastSeen = Math.max(...r.debtorClient.seqs());
      r.debtorClient.ws.terminate();
      // The others keep talking while the debtor is away; a reconnect arrives mid-stream.
      const sending = (async () => {
        for (let i = 0; i < 40; i++) {
          (i % 2 ? r.mediator : r.creditor).send({ type: 'chat', id: `during-${i}`, body: { text: `during ${i}` } });
          if (i % 8 === 7) await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const back = await SessionClient.open(r.url, {
        headers: { authorization: r.debtor.authorization },
        lastSeq: lastSeen,
      });
      await sending;
      await r.mediator.answer('during-39');
      await back.answer('during-39');
      back.send({ type: 'chat', id: 'after', body: { text: '我回来了' } });
      await r.mediator.answer('after');
      await back.answer('after');
      const stored = (
        t.database.sqlite
          .prepare('select seq from session_messages where session_id = ? and seq > ? order by seq')
          .all(r.session.id, lastSeen) as { seq: number }[]
      ).map((x) => x.seq);
      // Exactly the stored frames after lastSeq, each once and in order, then live frames.
      expect(back.seqs()).toEqual(stored);
      expect(stored[0]).toBe(lastSeen + 1);
      expect(r.mediator.seqs()).toEqual([...new Set(r.mediator.seqs())].sort((a, b) => a - b));
      for (const c of [r.mediator, r.creditor, back]) c.close();
    });

    it('answers every bad frame with an error, keeps the connection and stores nothing', async () => {
      const r = await room(2);
      const p1 = await r.mediator.request({
        type: 'proposal',
        id: 'p1',
        body: proposal([r.g.claimIds[0]!], 100_000, [100_000]),
      });
      const p2 = await r.mediator.request({
        type: 'proposal',
        id: 'p2',
        body: proposal([r.g.claimIds[0]!], 110_000, [110_000]),
      });
      const before = messageCount(t, r.session.id);
      const errors: Frame[] = [];
      /** Send a bad frame; its error goes to the sender only. */
      const expectError = async (client: SessionClient, frame: unknown, code: string) => {
        const known = client.frames.length;
        client.send(frame);
        const e = await client.waitFor((f) => f.type === 'error' && client.frames.indexOf(f) >= known);
        expect(e.body.code, JSON.stringify(e)).toBe(code);
        errors.push(e);
      };
      const d = r.debtorClient;
      await expectError(d, '{"type":"chat","id":"x",', 'malformed_json');
      await expectError(d, { type: 'shout', id: 'x1', body: {} }, 'unknown_type');
      await expectError(d, { type: 'system', id: 'x2', body: { event: 'agreement' } }, 'unknown_type');
      await expectError(d, { type: 'chat', id: 'x3', body: { text: '长'.repeat(1500) } }, 'frame_too_large');
      await expectError(d, { type: 'chat', id: 'x4', body: { text: '' } }, 'invalid_frame');
      await expectError(d, { type: 'chat', body: { text: 'no id' } }, 'invalid_frame');
      await expectError(
        d,
        { type: 'proposal', id: 'x5', body: proposal([r.g.claimIds[0]!, 999_999], 100, [100]) },
        'claim_not_in_session',
      );
      await expectError(
        d,
        { type: 'proposal', id: 'x6', body: proposal([r.g.claimIds[0]!], 100, [50, 40]) },
        'instalments_sum',
      );
      await expectError(d, { type: 'accept', id: 'x7', body: { proposalSeq: p1.seq } }, 'proposal_superseded');
      await expectError(d, { type: 'accept', id: 'x8', body: { proposalSeq: 1 } }, 'unknown_proposal');
      await expectError(r.mediator, { type: 'accept', id: 'x9', body: { proposalSeq: p2.seq } }, 'not_a_party');
      expect(errors.map((e) => e.seq)).toEqual(errors.map(() => null));
      expect(errors.find((e) => e.body.code === 'proposal_superseded')!.id).toBe('x7');
      // Nobody else heard of them.
      expect(r.creditor.frames.filter((f) => f.type === 'error')).toEqual([]);
      expect(messageCount(t, r.session.id)).toBe(before);
      // The connection is still there and works.
      expect((await r.debtorClient.request({ type: 'chat', id: 'still-here', body: { text: '还在' } })).seq).toBe(
        p2.seq! + 1,
      );
      for (const c of r.clients) c.close();
    });
  });

  describe('offers and agreement', () => {
    /** A plan over `ids` at `discountPct` off, in `n` payments with a first payment of 20%. */
    const planFor = (ids: number[], discountPct: number, n: number) => {
      const total = Math.ceil((enforceable(ids) * (100 - discountPct)) / 100);
      const first = Math.ceil(total / 5);
      const rest = Array.from(
        { length: n - 1 },
        (_, i) => Math.floor((total - first) / (n - 1)) + (i === 0 ? (total - first) % (n - 1) : 0),
      );
      return proposal(ids, total, [first, ...rest]);
    };

    it('settles when both parties accept the same proposal: settlement, instalments, claims agreed with events', async () => {
      const r = await room(2);
      const ids = r.g.claimIds;
      const first = await r.mediator.request({ type: 'proposal', id: 'offer-1', body: planFor(ids, 5, 4) });
      const counter = await r.debtorClient.request({
        type: 'counter',
        id: 'counter-1',
        body: { ...planFor(ids, 10, 6), answers: first.seq },
      });
      expect(counter).toMatchObject({
        type: 'counter',
        from: { role: 'debtor' },
        body: { answers: first.seq, needsApproval: false, hardship: false },
      });
      // The first offer is superseded by the counter; the counter is what both accept.
      expect(
        (await r.creditor.request({ type: 'accept', id: 'old', body: { proposalSeq: first.seq } })).body.code,
      ).toBe('proposal_superseded');
      const byDebtor = await r.debtorClient.request({
        type: 'accept',
        id: 'yes-d',
        body: { proposalSeq: counter.seq },
      });
      expect(r.mediator.frames.some((f) => f.type === 'system' && f.body.event === 'agreement')).toBe(false);
      const byCreditor = await r.creditor.request({ type: 'accept', id: 'yes-c', body: { proposalSeq: counter.seq } });
      const agreement = await r.mediator.waitFor((f) => f.type === 'system' && f.body.event === 'agreement');
      expect(agreement.seq).toBe(byCreditor.seq! + 1);
      expect(agreement.body).toMatchObject({
        proposalSeq: counter.seq,
        claimIds: ids,
        totalFen: counter.body.totalFen,
        acceptedBy: [
          { role: 'debtor', seq: byDebtor.seq, at: byDebtor.at },
          { role: 'creditor', name: expect.any(String), seq: byCreditor.seq, at: byCreditor.at },
        ],
      });

      const settlement = t.database.sqlite
        .prepare('select * from settlements where session_id = ?')
        .get(r.session.id) as Row;
      expect(settlement).toMatchObject({
        proposal_seq: counter.seq,
        debtor_id: r.g.debtorId,
        kind: 'instalments',
        total_fen: counter.body.totalFen,
        status: 'agreed',
        hardship: 0,
      });
      expect(
        (
          t.database.sqlite
            .prepare('select claim_id from settlement_claims where settlement_id = ? order by claim_id')
            .all(settlement.id) as Row[]
        ).map((x) => x.claim_id),
      ).toEqual(ids);
      const plan = t.database.sqlite
        .prepare('select * from instalments where settlement_id = ? order by seq')
        .all(settlement.id) as Row[];
      expect(plan).toHaveLength(6);
      expect(plan.reduce((sum, i) => sum + (i.amount_fen as number), 0)).toBe(settlement.total_fen);
      expect(plan.map((i) => i.due_date)).toEqual((counter.body.instalments as Row[]).map((i) => i.dueDate));
      for (const id of ids) {
        const events = (
          await t.app.inject({ method: 'GET', url: `/api/claims/${id}/events`, headers: await t.as('mediator1') })
        ).json();
        expect(events.chain).toEqual({ valid: true });
        const agreed = events.events.at(-2);
        expect(agreed).toMatchObject({
          action: 'agree',
          to: { status: 'agreed' },
          actor: { kind: 'system' },
          reason: expect.stringContaining(`proposal #${counter.seq}`),
          data: { settlementId: settlement.id, proposalSeq: counter.seq, acceptedBy: agreement.body.acceptedBy },
        });
        // The agreement acknowledges the debt: the limitation period counts again from it (art. 195).
        expect(events.events.at(-1)).toMatchObject({
          action: 'limitation.recounted',
          data: {
            interruption: { kind: 'acknowledgement', on: '2026-11-20', eventSeq: agreed.seq },
            expiresOn: '2029-11-20',
          },
        });
        const detail = await t.app.inject({
          method: 'GET',
          url: `/api/claims/${id}`,
          headers: await t.as('mediator1'),
        });
        expect(detail.json()).toMatchObject({
          limitationExpiresOn: '2029-11-20',
          limitationCountedFrom: { kind: 'acknowledgement', on: '2026-11-20', eventSeq: agreed.seq },
        });
      }
      // Accepting it again changes nothing.
      expect(
        (await r.debtorClient.request({ type: 'accept', id: 'again', body: { proposalSeq: counter.seq } })).body.code,
      ).toBe('already_agreed');
      expect(count(t, 'select count(*) as n from settlements where session_id = ?', r.session.id)).toBe(1);
      // The mediation agreement, once the documents module is in the tree and wired.
      // (app.ts wires the documents service with its routes; then the sessions service must get it too.)
      if (fs.existsSync(new URL('../documents/routes.ts', import.meta.url))) {
        const docs = await r.mediator.waitFor(
          (f) => f.type === 'system' && f.body.event === 'agreement_documents',
          20_000,
        );
        expect((docs.body.documents as Row[]).map((d) => d.claimId)).toEqual(ids);
        for (const d of docs.body.documents as Row[]) {
          expect(
            t.database.sqlite.prepare('select kind, doc_no from documents where id = ?').get(d.documentId),
          ).toEqual({ kind: 'mediation_agreement', doc_no: d.docNo });
        }
      }
      const view = (
        await t.app.inject({ method: 'GET', url: `/api/sessions/${r.session.id}`, headers: await t.as('mediator1') })
      ).json();
      expect(view.settlements[0]).toMatchObject({
        id: settlement.id,
        totalFen: settlement.total_fen,
        instalments: expect.any(Array),
      });
      expect(view.claims.map((c: Row) => c.status)).toEqual(ids.map(() => 'agreed'));
      for (const c of r.clients) c.close();
    });

    it("needs the creditor representative's approval for a proposal outside the limits", async () => {
      const r = await room();
      const ids = r.g.claimIds;
      const inside = await r.mediator.request({ type: 'proposal', id: 'in', body: planFor(ids, 10, 3) });
      expect(inside.body.needsApproval).toBe(false);
      expect(
        (await r.creditor.request({ type: 'approve', id: 'ap-in', body: { proposalSeq: inside.seq } })).body.code,
      ).toBe('approval_not_needed');
      // 60% off is beyond every demo creditor's limit.
      const outside = await r.debtorClient.request({ type: 'proposal', id: 'out', body: planFor(ids, 60, 3) });
      expect(outside.body.needsApproval).toBe(true);
      const refused = await r.creditor.request({ type: 'accept', id: 'c-acc', body: { proposalSeq: outside.seq } });
      expect(refused.body).toMatchObject({ code: 'approval_required', detail: expect.stringContaining('discount 60') });
      expect(
        (await r.debtorClient.request({ type: 'approve', id: 'd-ap', body: { proposalSeq: outside.seq } })).body.code,
      ).toBe('not_a_party');
      await r.debtorClient.request({ type: 'accept', id: 'd-acc', body: { proposalSeq: outside.seq } });
      expect(count(t, 'select count(*) as n from settlements where session_id = ?', r.session.id)).toBe(0);
      const approved = await r.creditor.request({ type: 'approve', id: 'c-ap', body: { proposalSeq: outside.seq } });
      expect(approved).toMatchObject({
        type: 'approve',
        from: { role: 'creditor' },
        body: { proposalSeq: outside.seq },
      });
      const agreement = await r.debtorClient.waitFor((f) => f.type === 'system' && f.body.event === 'agreement');
      expect((agreement.body.acceptedBy as Row[])[1]).toMatchObject({
        role: 'creditor',
        seq: approved.seq,
        approvedOutsideLimits: true,
      });
      expect(count(t, 'select total_fen as n from settlements where session_id = ?', r.session.id)).toBe(
        outside.body.totalFen,
      );
      for (const c of r.clients) c.close();
    });

    it('suggests an affordable plan from the statement of means, which the mediator sends in one click', async () => {
      const r = await room();
      const url = `/api/sessions/${r.session.id}/suggestion`;
      const none = await t.app.inject({ method: 'GET', url, headers: await t.as('mediator1') });
      expect(none.json()).toMatchObject({ code: 'unprocessable', reason: 'no_statement_of_means' });
      // Income that leaves a sixth of the debt a month after expenses and one dependant (¥800).
      const owed = enforceable(ids(r));
      const capacity = Math.ceil(owed / 600) * 100;
      t.database.sqlite
        .prepare(
          'insert into means_statements (debtor_id, monthly_income_fen, essential_expenses_fen, dependants, created_at) values (?, ?, ?, ?, ?)',
        )
        .run(r.g.debtorId, 2 * capacity + 400_000 + 80_000, 400_000, 1, Date.parse('2026-11-19'));
      const preview = (await t.app.inject({ method: 'GET', url, headers: await t.as('mediator1') })).json();
      expect(preview).toMatchObject({
        ok: true,
        monthlyCapacityFen: capacity,
        claimIds: ids(r),
        terms: { enforceableFen: owed, hardship: false },
      });
      // Affordable in full within the limits: no discount, six payments.
      expect(preview.plan).toMatchObject({ kind: 'instalments', totalFen: owed });
      expect(preview.plan.instalments).toHaveLength(6);
      expect(preview.plan.instalments.reduce((s: number, i: Row) => s + (i.amountFen as number), 0)).toBe(
        preview.plan.totalFen,
      );
      expect(preview.plan.instalments.length).toBeLessThanOrEqual(preview.terms.limits.maxInstalments);
      expect(preview.plan.instalments[0].dueDate).toBe('2026-11-27');
      const sent = await t.app.inject({
        method: 'POST',
        url,
        headers: await t.as('mediator1'),
        payload: { id: 'one-click' },
      });
      expect(sent.statusCode, sent.body).toBe(201);
      const frame = sent.json();
      expect(frame).toMatchObject({
        type: 'proposal',
        id: 'one-click',
        from: { role: 'mediator' },
        body: { ...preview.plan, claimIds: preview.claimIds, needsApproval: false },
      });
      for (const c of r.clients) expect(await c.answer('one-click')).toEqual(frame);
      const again = await t.app.inject({
        method: 'POST',
        url,
        headers: await t.as('mediator1'),
        payload: { id: 'one-click' },
      });
      expect(again.json().seq).toBe(frame.seq);
      expect(
        count(
          t,
          "select count(*) as n from session_messages where session_id = ? and client_id = 'one-click'",
          r.session.id,
        ),
      ).toBe(1);
      const byCreditor = await t.app.inject({ method: 'POST', url, headers: await t.as(r.creditorName), payload: {} });
      expect(byCreditor.statusCode).toBe(403);
      for (const c of r.clients) c.close();
    });
  });

  describe('ending, the record and the live-rooms view', () => {
    it("shows the mediator's live rooms with who is present and the last activity", async () => {
      const r = await room();
      await r.creditor.request({ type: 'chat', id: 'hello-all', body: { text: '大家好' } });
      const live = (
        await t.app.inject({ method: 'GET', url: '/api/sessions?status=live', headers: await t.as('mediator1') })
      ).json();
      const mine = live.items.find((s: Row) => s.id === r.session.id);
      expect(mine.present.map((p: Row) => p.role).sort()).toEqual(['creditor', 'debtor', 'mediator']);
      expect(mine.lastActivityAt).toBe(new Date(Date.parse('2026-11-20T02:00:00Z')).toISOString());
      expect(mine.lastSeq).toBe(Math.max(...r.mediator.seqs()));
      expect(live.items.every((s: Row) => s.status === 'live')).toBe(true);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/sessions?status=live', headers: await t.as('mediator2') }))
          .json()
          .items.map((s: Row) => s.id),
      ).not.toContain(r.session.id);
      for (const c of r.clients) c.close();
    });

    it('ends a session, after which the room takes no frames; exports the record as JSON and PDF', async () => {
      const r = await room();
      await r.debtorClient.request({
        type: 'chat',
        id: 'html',
        body: { text: '<script>alert("x")</script>我无力一次还清' },
      });
      const endUrl = `/api/sessions/${r.session.id}/end`;
      const agreed = await t.app.inject({
        method: 'POST',
        url: endUrl,
        headers: await t.as('mediator1'),
        payload: { outcome: 'agreed' },
      });
      expect(agreed.json()).toMatchObject({ code: 'transition_forbidden', reason: 'no_agreement' });
      const ended = await t.app.inject({
        method: 'POST',
        url: endUrl,
        headers: await t.as('mediator1'),
        payload: { outcome: 'failed' },
      });
      expect(ended.json()).toMatchObject({ status: 'ended', outcome: 'failed' });
      expect(ended.json().claims.map((c: Row) => c.status)).toEqual(r.g.claimIds.map(() => 'failed'));
      await r.debtorClient.waitFor((f) => f.type === 'system' && f.body.event === 'ended');
      expect((await r.debtorClient.request({ type: 'chat', id: 'late', body: { text: '还在吗' } })).body.code).toBe(
        'session_not_live',
      );

      const record = (
        await t.app.inject({
          method: 'GET',
          url: `/api/sessions/${r.session.id}/transcript`,
          headers: await t.as('mediator1'),
        })
      ).json();
      const stored = count(t, 'select count(*) as n from session_messages where session_id = ?', r.session.id);
      expect(record.frames).toHaveLength(stored);
      expect(record.frames.map((f: Row) => f.seq)).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
      expect(record.frames.map((f: Row) => f.type)).toEqual(expect.arrayContaining(['system', 'presence', 'chat']));
      expect(record.session).toMatchObject({ id: r.session.id, outcome: 'failed' });

      const pdf = await t.app.inject({
        method: 'GET',
        url: `/api/sessions/${r.session.id}/transcript.pdf`,
        headers: await t.as('mediator1'),
      });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = await pdfText(pdf.rawPayload);
      expect(text).toContain('调解笔录');
      expect(text).toContain('<script>alert("x")</script>我无力一次还清');
      expect(text).toContain('调解结束，结果：调解不成');
      // The record is a registered document: its footer's code is one /verify knows, for these very bytes.
      const code = /核验码：([0-9A-Z]{10})/.exec(text)?.[1];
      expect(code).toBeDefined();
      expect(text).toMatch(/文书编号：[A-Z-]+-笔录-2026-\d{6}/);
      const verified = await t.app.inject({ method: 'GET', url: `/verify/${code}` });
      expect(verified.json()).toMatchObject({ status: 'genuine', kind: 'session_record', title: '调解笔录' });
      const checked = await t.app.inject({
        method: 'POST',
        url: `/verify/${code}`,
        headers: { 'content-type': 'application/pdf' },
        payload: pdf.rawPayload,
      });
      expect(checked.json()).toMatchObject({ unaltered: true });
      // Nothing new since: the same registered document again, not a second one.
      const again = await t.app.inject({
        method: 'GET',
        url: `/api/sessions/${r.session.id}/transcript.pdf`,
        headers: await t.as('mediator1'),
      });
      expect(Buffer.compare(again.rawPayload, pdf.rawPayload)).toBe(0);
      expect(
        count(t, "select count(*) as n from documents where kind = 'session_record' and claim_id = ?", r.g.claimIds[0]),
      ).toBe(1);
      const byCreditor = await t.app.inject({
        method: 'GET',
        url: `/api/sessions/${r.session.id}/transcript`,
        headers: await t.as(r.creditorName),
      });
      expect(byCreditor.statusCode).toBe(403);
      for (const c of r.clients) c.close();
    });
  });
});
