/**
 * Accounts and keys an attacker with one credential would abuse: API keys that can do everything and
 * never expire, admins planting users inside a tenant, weak passwords, and users that cannot be stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('accounts and keys', () => {
  let t: TestApp;
  const post = async (url: string, headers: Record<string, string>, payload?: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload }) });
  const orgId = (code: string) =>
    (t.database.sqlite.prepare('select id from organisations where code = ?').get(code) as { id: number }).id;
  const audit = (action: string, targetId: number) =>
    t.database.sqlite
      .prepare('select actor_name, org_id from audit_events where action = ? and target_id = ?')
      .all(action, targetId);
  const users = () => t.database.sqlite.prepare('select count(*) n from users').get();
  const GOOD = 'tea kettle river lantern';

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('API keys', () => {
    it('do only what their scopes say, and never manage keys', async () => {
      const made = await post('/api/api-keys', await t.as('creditor1'), { name: 'reader', scopes: ['claims:read'] });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({ scopes: ['claims:read'], expiresAt: null });
      expect(audit('api_key.created', made.json().id)).toHaveLength(1);
      const key = { authorization: `ApiKey ${made.json().key}` };
      expect((await t.app.inject({ method: 'GET', url: '/api/claims?limit=1', headers: key })).statusCode).toBe(200);
      const upload = await post('/api/batches', key, { reference: 'R-1', claims: [] });
      expect(upload.statusCode).toBe(403);
      expect(upload.json().reason).toBe('insufficient_scope');
      const mint = await post('/api/api-keys', key, { name: 'more', scopes: ['batches:write'] });
      expect(mint.statusCode).toBe(403);
      const revoke = await t.app.inject({ method: 'DELETE', url: `/api/api-keys/${made.json().id}`, headers: key });
      expect(revoke.statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/claims?limit=1', headers: key })).statusCode).toBe(200);
    });

    it('stop at their expiry', async () => {
      const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
      const made = await post('/api/api-keys', await t.as('creditor1'), {
        name: 'short',
        scopes: ['claims:read'],
        expiresAt,
      });
      expect(made.json().expiresAt).toBe(expiresAt);
      const key = { authorization: `ApiKey ${made.json().key}` };
      expect((await t.app.inject({ method: 'GET', url: '/api/claims?limit=1', headers: key })).statusCode).toBe(200);
      t.clock.advance(3_600_000);
      try {
        expect((await t.app.inject({ method: 'GET', url: '/api/claims?limit=1', headers: key })).statusCode).toBe(401);
      } finally {
        t.clock.advance(-3_600_000);
      }
      const past = await post('/api/api-keys', await t.as('creditor1'), {
        name: 'past',
        scopes: ['claims:read'],
        expiresAt: '2020-01-01T00:00:00.000Z',
      });
      expect(past.statusCode).toBe(400);
    });

    it('are not made by admins', async () => {
      expect(
        (await post('/api/api-keys', await t.as('admin'), { name: 'x', scopes: ['claims:read'] })).statusCode,
      ).toBe(403);
    });
  });

  describe("users an admin makes inside a creditor's organisation", () => {
    it('start disabled until a user of that creditor approves, and the creator cannot approve', async () => {
      const made = await post('/api/users', await t.as('admin'), {
        orgId: orgId('CRED-A'),
        username: 'planted',
        displayName: '新用户',
        role: 'creditor',
        password: GOOD,
      });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({ disabled: true, awaitingApproval: true });
      const id = made.json().id;
      const login = () =>
        t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'planted', password: GOOD } });
      expect((await login()).statusCode).toBe(401);

      const self = await post(`/api/users/${id}/approve`, await t.as('admin'));
      expect(self.statusCode).toBe(403);
      expect(self.json().reason).toBe('approver_is_creator');
      expect((await post(`/api/users/${id}/approve`, await t.as('creditor2'))).statusCode).toBe(404);
      const approved = await post(`/api/users/${id}/approve`, await t.as('creditor1'));
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ disabled: false, awaitingApproval: false });
      expect((await login()).statusCode).toBe(200);
      expect(audit('user.created', id)).toEqual([{ actor_name: expect.any(String), org_id: orgId('CRED-A') }]);
      expect(audit('user.approved', id)).toHaveLength(1);
    });

    it('may be approved by a second admin', async () => {
      const second = await post('/api/users', await t.as('admin'), {
        orgId: orgId('PLATFORM'),
        username: 'admin2',
        displayName: '第二管理员',
        role: 'admin',
        password: GOOD,
      });
      expect(second.json()).toMatchObject({ disabled: false, awaitingApproval: false });
      const made = await post('/api/users', await t.as('admin'), {
        orgId: orgId('CRED-B'),
        username: 'second-ok',
        displayName: '新用户',
        role: 'creditor',
        password: GOOD,
      });
      expect(
        (
          await post(`/api/users/${made.json().id}/approve`, {
            authorization: `Bearer ${await t.login('admin2', GOOD)}`,
          })
        ).statusCode,
      ).toBe(200);
    });

    it('need a password of 12 characters or more that is not a common one', async () => {
      const before = users();
      for (const password of ['short-pw', 'password1234', 'qwertyuiop123', 'my-weakling-pass']) {
        const res = await post('/api/users', await t.as('admin'), {
          orgId: orgId('CRED-A'),
          username: 'weakling',
          displayName: '弱密码',
          role: 'creditor',
          password,
        });
        expect(res.statusCode, password).toBe(400);
        expect(res.json().fields[0].field).toBe('/body/password');
      }
      expect(users()).toEqual(before);
    });
  });

  describe('passwords and disabled users', () => {
    it('a user changes its password: the old one stops, other sessions end, this one stays', async () => {
      const other = await t.login('mediator2');
      const mine = await t.login('mediator2');
      const headers = { authorization: `Bearer ${mine}` };
      const wrong = await post('/api/auth/password', headers, { currentPassword: 'nope', newPassword: GOOD });
      expect(wrong.statusCode).toBe(403);
      const common = await post('/api/auth/password', headers, {
        currentPassword: 'demo1234',
        newPassword: '123456789012',
      });
      expect(common.statusCode).toBe(400);
      expect(common.json().fields[0].field).toBe('/body/newPassword');

      const changed = await post('/api/auth/password', headers, { currentPassword: 'demo1234', newPassword: GOOD });
      expect(changed.statusCode).toBe(204);
      const me = (token: string) =>
        t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect((await me(mine)).statusCode).toBe(200);
      expect((await me(other)).statusCode).toBe(401);
      await expect(t.login('mediator2')).rejects.toThrow(/401/);
      expect(await t.login('mediator2', GOOD)).toBeTruthy();
      const id = (
        t.database.sqlite.prepare("select id from users where username = 'mediator2'").get() as { id: number }
      ).id;
      expect(audit('user.password_changed', id)).toHaveLength(1);
    });

    it("an admin resets a user's password: its sessions end, the old password stops, a weak one is refused", async () => {
      const token = await t.login('mediator1');
      const id = (
        t.database.sqlite.prepare("select id, password_hash from users where username = 'mediator1'").get() as {
          id: number;
        }
      ).id;
      const hash = () =>
        (t.database.sqlite.prepare('select password_hash h from users where id = ?').get(id) as { h: string }).h;
      const before = hash();
      for (const [password, status] of [
        ['123456789012', 400],
        ['mediator1 is my name', 400],
      ] as const) {
        const weak = await post(`/api/users/${id}/password`, await t.as('admin'), { password });
        expect(weak.statusCode, weak.body).toBe(status);
        expect(weak.json().fields[0].field).toBe('/body/password');
      }
      expect((await post(`/api/users/${id}/password`, await t.as('creditor1'), { password: GOOD })).statusCode).toBe(
        403,
      );
      expect((await post('/api/users/999999/password', await t.as('admin'), { password: GOOD })).statusCode).toBe(404);
      expect(hash()).toBe(before);

      const res = await post(`/api/users/${id}/password`, await t.as('admin'), { password: GOOD });
      expect(res.statusCode, res.body).toBe(200);
      const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode).toBe(401);
      await expect(t.login('mediator1')).rejects.toThrow(/401/);
      expect(await t.login('mediator1', GOOD)).toBeTruthy();
      expect(audit('user.password_reset', id)).toHaveLength(1);
    });

    it('an admin disables a user: its sessions end and it cannot sign in', async () => {
      const token = await t.login('clerk1');
      const id = (t.database.sqlite.prepare("select id from users where username = 'clerk1'").get() as { id: number })
        .id;
      expect((await post(`/api/users/${id}/disable`, await t.as('creditor1'))).statusCode).toBe(403);
      const res = await post(`/api/users/${id}/disable`, await t.as('admin'));
      expect(res.statusCode).toBe(200);
      expect(res.json().disabled).toBe(true);
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.statusCode).toBe(401);
      await expect(t.login('clerk1')).rejects.toThrow(/401/);
      expect(audit('user.disabled', id)).toHaveLength(1);
    });
  });
});
