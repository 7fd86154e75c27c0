/**
 * Open websockets end with their sign-in: logout, an expired token, a revoked API key and a disabled
 * user close that principal's sockets with 4401 within a second, and nobody else's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken, sha256 } from '../modules/auth/tokens.js';
import { makeParties } from '../testing/factories.js';
import { openRoom, SessionClient } from '../testing/session-client.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('live sockets answer to their sign-in', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(() => t.close());

  /**
   * Watch `c` from now; `within()` then gives the close code the server sent, failing when the socket
   * is still open a second after it is called (after the act that should close it).
   */
  const watch = (c: SessionClient) => {
    const code = new Promise<number>((resolve) => c.ws.once('close', (n) => resolve(n)));
    return {
      within: (ms = 1000) =>
        Promise.race([
          code,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms)),
        ]),
    };
  };
  const joined = async (url: string, headers: Record<string, string>) => {
    const c = await SessionClient.open(url, { headers });
    await c.waitFor((f) => f.type === 'presence');
    return c;
  };
  const stillOpen = (clients: SessionClient[]) =>
    expect(clients.map((c) => c.closed)).toEqual(clients.map(() => false));

  it('logout closes the sockets of that session with 4401, and nobody else’s', async () => {
    const r = await openRoom(t, base, makeParties(t));
    const token = await t.login(r.creditorName);
    const own = await joined(r.url, { authorization: `Bearer ${token}` });
    const closed = watch(own);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBeLessThan(300);
    expect(await closed.within()).toBe(4401);
    stillOpen(r.clients);
    for (const c of r.clients) c.close();
  });

  it('a token that expires closes its socket', async () => {
    const r = await openRoom(t, base, makeParties(t));
    const token = newToken();
    const now = t.clock.now().getTime();
    t.database.sqlite
      .prepare(
        'insert into auth_sessions (token_hash, user_id, debtor_id, created_at, expires_at) values (?, null, ?, ?, ?)',
      )
      .run(sha256(token), r.g.debtorId, now, now + 60_000);
    const debtor = await joined(r.url, { authorization: `Bearer ${token}` });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(debtor.closed).toBe(false);
    const closed = watch(debtor);
    t.clock.advance(61_000);
    try {
      expect(await closed.within()).toBe(4401);
      stillOpen(r.clients);
    } finally {
      t.clock.set(new Date(now).toISOString());
    }
    for (const c of r.clients) c.close();
  });

  it('a revoked API key closes the sockets it opened', async () => {
    const r = await openRoom(t, base, makeParties(t));
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: await t.as(r.creditorName),
      payload: { name: 'room system', scopes: ['claims:read'] },
    });
    expect(made.statusCode).toBe(201);
    const system = await joined(r.url, { authorization: `ApiKey ${made.json().key}` });
    const closed = watch(system);
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${made.json().id}`,
      headers: await t.as(r.creditorName),
    });
    expect(revoked.statusCode).toBeLessThan(300);
    expect(await closed.within()).toBe(4401);
    stillOpen(r.clients);
    for (const c of r.clients) c.close();
  });

  it('a disabled user’s sockets close', async () => {
    const r = await openRoom(t, base, makeParties(t));
    const colleague = await joined(r.url, { authorization: `Bearer ${await t.login('mediator2')}` });
    const closed = watch(colleague);
    const id = (t.database.sqlite.prepare("select id from users where username = 'mediator2'").get() as { id: number })
      .id;
    const res = await t.app.inject({ method: 'POST', url: `/api/users/${id}/disable`, headers: await t.as('admin') });
    expect(res.statusCode).toBe(200);
    expect(await closed.within()).toBe(4401);
    stillOpen(r.clients);
    for (const c of r.clients) c.close();
  });
});
