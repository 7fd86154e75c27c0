/** The limits of session sockets: heartbeats, frame rate, slow clients, and frames held while the database is busy. */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeParties } from '../../testing/factories.js';
import { openRoom, SessionClient } from '../../testing/session-client.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function start(env: Record<string, string>) {
  t = await createTestApp({ env });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  return { t, base, group: makeParties(t) };
}

const stored = (t: TestApp, sessionId: number, sql = '1 = 1') =>
  (
    t.database.sqlite
      .prepare(`select count(*) as n from session_messages where session_id = ? and ${sql}`)
      .get(sessionId) as { n: number }
  ).n;

describe('session socket limits', () => {
  it('drops a connection that stops answering pings', async () => {
    const { t, base, group } = await start({ SESSION_HEARTBEAT_SECONDS: '1' });
    const r = await openRoom(t, base, group);
    // A client whose pongs never come back, as when a phone loses its network.
    const dead = await SessionClient.open(r.url, { headers: await t.as('mediator2'), autoPong: false });
    await r.mediator.waitFor((f) => f.type === 'presence' && f.from.name === '林调解员' && f.body.event === 'join');
    await dead.waitClosed(5000);
    const leave = await r.mediator.waitFor(
      (f) => f.type === 'presence' && f.from.name === '林调解员' && f.body.event === 'leave',
    );
    expect(leave.seq).not.toBeNull();
    // The live ones answered every ping and are still there.
    expect(r.clients.every((c) => !c.closed)).toBe(true);
    expect((await r.creditor.request({ type: 'chat', id: 'alive', body: { text: '还在' } })).seq).toBeGreaterThan(
      leave.seq!,
    );
    for (const c of r.clients) c.close();
  });

  it('refuses frames beyond the rate with an error frame, storing only those within it', async () => {
    const { t, base, group } = await start({ SESSION_FRAMES_PER_SECOND: '5' });
    const r = await openRoom(t, base, group);
    for (let i = 0; i < 30; i++) r.debtorClient.send({ type: 'chat', id: `burst-${i}`, body: { text: `第${i}条` } });
    await r.debtorClient.waitFor(
      () =>
        r.debtorClient.frames.filter((f) => (f.id ?? '').startsWith('burst-') || f.body.code === 'rate_limited')
          .length >= 30,
    );
    const limited = r.debtorClient.frames.filter((f) => f.type === 'error' && f.body.code === 'rate_limited');
    const accepted = r.debtorClient.frames.filter((f) => f.type === 'chat' && f.id?.startsWith('burst-'));
    // A burst of twice the rate passes, the hello included (a little more refills while it is read).
    expect(accepted.length).toBeGreaterThanOrEqual(9);
    expect(accepted.length).toBeLessThan(15);
    expect(limited.length).toBe(30 - accepted.length);
    expect(stored(t, r.session.id, "client_id like 'burst-%'")).toBe(accepted.length);
    // The connection stays; after a pause it may send again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await r.debtorClient.request({ type: 'chat', id: 'later', body: { text: '慢慢说' } })).type).toBe('chat');
    for (const c of r.clients) c.close();
  });

  it('drops a client that does not read, without stalling the room; it resumes with hello and lastSeq', async () => {
    const { t, base, group } = await start({ SESSION_SEND_BUFFER_BYTES: '16384', SESSION_FRAMES_PER_SECOND: '1000' });
    const r = await openRoom(t, base, group);
    const slow = r.creditor;
    const lastSeen = Math.max(...slow.seqs());
    // The creditor's client stops reading: what is sent to it piles up in the server's send buffer.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = '调'.repeat(1200);
    let sent = 0;
    while (
      !r.mediator.frames.some((f) => f.type === 'presence' && f.from.role === 'creditor' && f.body.event === 'leave')
    ) {
      if (sent > 20_000) throw new Error('the slow client was never dropped');
      for (let i = 0; i < 50; i++) r.mediator.send({ type: 'chat', id: `load-${sent++}`, body: { text } });
      await r.mediator.answer(`load-${sent - 1}`, 10_000);
    }
    // The others got every frame, in order, while the slow one was dropped.
    const seqs = r.debtorClient.seqs();
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    const present = (
      await t.app.inject({ method: 'GET', url: `/api/sessions/${r.session.id}`, headers: await t.as('mediator1') })
    ).json().present;
    expect(present.map((p: { role: string }) => p.role).sort()).toEqual(['debtor', 'mediator']);
    // Back with the last seq it had read: exactly the frames it missed, then live.
    slow.ws.terminate();
    const back = await SessionClient.open(r.url, { headers: await t.as(r.creditorName), lastSeq: lastSeen });
    const last = Math.max(...r.mediator.seqs());
    await back.waitFor((f) => f.seq === last, 20_000);
    const expected = (
      t.database.sqlite
        .prepare('select seq from session_messages where session_id = ? and seq > ? and seq <= ? order by seq')
        .all(r.session.id, lastSeen, last) as { seq: number }[]
    ).map((x) => x.seq);
    expect(back.seqs().filter((s) => s <= last)).toEqual(expected);
    for (const c of [r.mediator, r.debtorClient, back]) c.close();
  });

  it('holds a bounded number of frames while the database is held, and answers the rest not_stored at once', async () => {
    // Chat frames go through the frame store thread, which waits for the lock.
    const { t, base, group } = await start({ SESSION_QUEUE_MAX_FRAMES: '2' });
    const r = await openRoom(t, base, group);
    const other = new Database(path.join(t.dataDir, 'platform.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      r.debtorClient.send({ type: 'chat', id: 'q-1', body: { text: '一' } });
      // q-1 is now the store's batch in flight, waiting for the lock; the next two wait in memory.
      await sleep(300);
      for (const id of ['q-2', 'q-3', 'q-4']) r.debtorClient.send({ type: 'chat', id, body: { text: id } });
      const refused = await r.debtorClient.waitFor((f) => f.type === 'error' && f.id === 'q-4');
      expect(refused.body).toMatchObject({ code: 'not_stored' });
      expect(r.debtorClient.frames.filter((f) => f.type === 'error' && f.id !== 'q-4')).toEqual([]);
      other.exec('COMMIT');
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
    const seqs = [];
    for (const id of ['q-1', 'q-2', 'q-3']) seqs.push((await r.mediator.answer(id)).seq!);
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
    expect(stored(t, r.session.id, "client_id = 'q-4'")).toBe(0);
    // The refused frame is taken when it is sent again, and the connection was never counted against.
    expect((await r.debtorClient.request({ type: 'chat', id: 'q-4', body: { text: 'q-4' } })).seq).toBe(seqs[2]! + 1);
    for (const c of r.clients) c.close();
  });
});
