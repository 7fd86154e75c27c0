/**
 * The staff pages are served by the app itself: index.html at / and at the application's client
 * routes, the hashed assets, and every other path as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { STAFF_WEB_DIR } from './routes.js';

describe('staff pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(() => t.close());

  it('answers index.html with a strict policy at / and at each client route, deep links included', async () => {
    for (const url of [
      '/',
      '/claims',
      '/claims/12?stage=intake',
      '/batches/new',
      '/queue',
      '/sessions?open=3,5',
      '/court',
      '/stats',
      '/funnel?batch=3',
      '/api-keys',
      '/admin/users',
      '/portal/room?session=1',
      '/portal/plan?claim=1',
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<div id="root"></div>');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('serves the built assets, and nothing outside them', async () => {
    const assets = fs.readdirSync(path.join(STAFF_WEB_DIR, 'assets'));
    const script = assets.find((f) => f.endsWith('.js'))!;
    const res = await t.app.inject({ url: `/assets/${script}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
    for (const url of ['/assets/nothing.js', '/assets/../index.html', '/assets/%2e%2e/%2e%2e/package.json']) {
      const miss = await t.app.inject({ url });
      expect(miss.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(miss.body).not.toContain('"dependencies"');
    }
  });

  it('leaves the API, the documentation, the portal and unknown paths as they were', async () => {
    const api = await t.app.inject({ url: '/api/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    const unknown = await t.app.inject({ url: '/claimsx' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');
    expect((await t.app.inject({ url: '/api/claims' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok' });
    expect((await t.app.inject({ url: '/docs/json' })).json()).toHaveProperty('openapi');
    const portal = await t.app.inject({ url: '/portal/' });
    expect(portal.statusCode).toBe(200);
    expect(portal.body).toContain('app.js');
  });
});
