import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('login answers a token and an httpOnly SameSite=Lax cookie; both authenticate', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'creditor1', password: 'demo1234' },
    });
    expect(res.statusCode).toBe(200);
    const { token, user } = res.json();
    expect(user).toMatchObject({ username: 'creditor1', role: 'creditor' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/lmp_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const byBearer = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byBearer.json()).toMatchObject({ role: 'creditor', kind: 'user' });
    const byCookie = await t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { lmp_session: token } });
    expect(byCookie.statusCode).toBe(200);
  });

  it('stores passwords as scrypt hashes', () => {
    const row = t.database.sqlite.prepare("select password_hash from users where username = 'admin'").get() as {
      password_hash: string;
    };
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('demo1234');
  });

  it('a wrong password and an unknown user get the same 401', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'mediator2', password: 'nope-nope' },
      remoteAddress: '10.0.0.1',
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'nope-nope' },
      remoteAddress: '10.0.0.2',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('logout ends the session', async () => {
    const token = await t.login('mediator1');
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(401);
  });

  it('an expired session is refused', async () => {
    const token = await t.login('mediator2');
    t.clock.advance(t.config.sessionTtlHours * 3_600_000 + 1000);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(401);
  });

  describe('API keys', () => {
    it('are shown once, stored hashed, work as `ApiKey <key>` for the creditor, and stop when revoked', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: await t.as('creditor1'),
        payload: { name: 'core-banking', scopes: ['claims:read'] },
      });
      expect(created.statusCode).toBe(201);
      const { key, id, prefix } = created.json();
      expect(key).toMatch(/^lmp_[0-9a-f]{12}_/);

      const stored = t.database.sqlite.prepare('select * from api_keys where id = ?').get(id) as Record<
        string,
        unknown
      >;
      expect(JSON.stringify(stored)).not.toContain(key);
      expect(stored.prefix).toBe(prefix);

      const listed = await t.app.inject({ method: 'GET', url: '/api/api-keys', headers: await t.as('creditor1') });
      expect(listed.body).not.toContain(key);

      const claims = await t.app.inject({
        method: 'GET',
        url: '/api/claims?limit=5',
        headers: { authorization: `ApiKey ${key}` },
      });
      expect(claims.statusCode).toBe(200);
      const creditorA = t.database.sqlite.prepare("select id from organisations where code = 'CRED-A'").get() as {
        id: number;
      };
      expect(claims.json().items.every((c: { creditor: { id: number } }) => c.creditor.id === creditorA.id)).toBe(true);

      const wrongSecret = `${key.slice(0, -4)}AAAA`;
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/claims', headers: { authorization: `ApiKey ${wrongSecret}` } }))
          .statusCode,
      ).toBe(401);

      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/api/api-keys/${id}`,
        headers: await t.as('creditor1'),
      });
      expect(revoked.statusCode).toBe(204);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/claims', headers: { authorization: `ApiKey ${key}` } }))
          .statusCode,
      ).toBe(401);
    });

    it('a creditor cannot make or revoke keys for another creditor', async () => {
      const other = t.database.sqlite.prepare("select id from organisations where code = 'CRED-B'").get() as {
        id: number;
      };
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: await t.as('creditor1'),
        payload: { name: 'x', scopes: ['claims:read'], orgId: other.id },
      });
      expect(res.statusCode).toBe(400);
      const bKey = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: await t.as('creditor2'),
        payload: { name: 'b', scopes: ['claims:read'] },
      });
      const del = await t.app.inject({
        method: 'DELETE',
        url: `/api/api-keys/${bKey.json().id}`,
        headers: await t.as('creditor1'),
      });
      expect(del.statusCode).toBe(404);
    });

    it('admins make no keys: only a signed-in creditor user manages its own', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: await t.as('admin'),
        payload: { name: 'x', scopes: ['claims:read'] },
      });
      expect(res.statusCode).toBe(403);
    });
  });
});
