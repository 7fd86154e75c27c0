/**
 * Cross-site writes riding the session cookie: another site's page (another port of the same host)
 * auto-submitting a text/plain form, or opening a websocket, with the staff member's cookie.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionClient } from '../testing/session-client.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('same-origin check for cookie-authenticated requests', () => {
  let t: TestApp;
  let claimId: number;
  let cookie: string;
  const EVIL = 'http://127.0.0.1:3001';
  const codes = () =>
    t.database.sqlite.prepare('select count(*) n from access_codes where claim_id = ?').get(claimId) as { n: number };
  const issue = (headers: Record<string, string>, payload?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/claims/${claimId}/access-code`,
      headers,
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    t = await createTestApp();
    claimId = (
      t.database.sqlite
        .prepare(
          `select c.id from claims c join users u on u.org_id = c.mediation_org_id
           where u.username = 'mediator1' and c.stage = 'people_mediation' limit 1`,
        )
        .get() as { id: number }
    ).id;
    cookie = `lmp_session=${(await t.as('mediator1')).authorization.slice(7)}`;
  });
  afterAll(() => t.close());

  it("refuses another site's text/plain form with the cookie, and the debtor's code keeps working", async () => {
    const before = codes();
    const form = await issue({ cookie, origin: EVIL, 'content-type': 'text/plain' }, 'a=b');
    expect(form.statusCode).toBe(403);
    expect(form.json().reason).toBe('cross_site_request');
    const sameSite = await issue({ cookie, 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' }, 'a=b');
    expect(sameSite.statusCode).toBe(403);
    const noOrigin = await issue({ cookie });
    expect(noOrigin.statusCode).toBe(403);
    expect(codes()).toEqual(before);
  });

  it("refuses a text/plain body with the cookie even from the platform's own origin", async () => {
    const before = codes();
    const res = await issue({ cookie, origin: t.config.publicUrl, 'content-type': 'text/plain' }, 'a=b');
    expect(res.statusCode).toBe(415);
    expect(codes()).toEqual(before);
  });

  it("lets the platform's own pages write with the cookie, and Bearer requests from anywhere", async () => {
    expect((await issue({ cookie, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
    expect((await issue({ cookie, origin: t.config.publicUrl })).statusCode).toBe(201);
    expect((await issue({ ...(await t.as('mediator1')), origin: EVIL })).statusCode).toBe(201);
    // Reading with the cookie is not a write: top-level navigation from a link still works.
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/claims/${claimId}`,
      headers: { cookie, origin: EVIL },
    });
    expect(read.statusCode).toBe(200);
  });

  it("refuses a websocket opened by another site's page, with or without the cookie", async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const creditor = `lmp_session=${(await t.as('creditor1')).authorization.slice(7)}`;
    const url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/ws/batches/1`;
    expect(await SessionClient.refusal(url, { cookie: creditor, origin: EVIL })).toBe(403);
    expect(await SessionClient.refusal(url, { cookie: creditor })).toBe(403);
    expect(await SessionClient.refusal(url, { ...(await t.as('creditor1')), origin: EVIL })).toBe(403);
  });

  describe('with https', () => {
    let https: TestApp;
    beforeAll(async () => {
      https = await createTestApp({ env: { PUBLIC_URL: 'https://tiaojie.example.cn' } });
    });
    afterAll(() => https.close());

    it('names the cookie __Host- and marks it Secure', async () => {
      const res = await https.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'mediator1', password: 'demo1234' },
      });
      const set = String(res.headers['set-cookie']);
      expect(set).toMatch(/^__Host-lmp_session=/);
      expect(set).toMatch(/Secure/);
      expect(set).toMatch(/Path=\//);
      expect(set).not.toMatch(/Domain=/i);
      const token = res.json().token;
      const me = await https.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        cookies: { '__Host-lmp_session': token },
      });
      expect(me.statusCode).toBe(200);
      const plain = await https.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { lmp_session: token } });
      expect(plain.statusCode).toBe(401);
    });
  });
});
