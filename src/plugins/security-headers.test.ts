/**
 * Security headers on every kind of answer, a policy the platform's pages pass in a real browser,
 * and the limits of the public file check.
 */
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('are on API JSON, problems, the verify page, the docs and the portal', async () => {
    const headers = await t.as('mediator1');
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/claims?limit=1', headers }),
      t.app.inject({ method: 'GET', url: '/api/claims' }),
      t.app.inject({ method: 'GET', url: '/verify/NOPE-NOPE', headers: { accept: 'text/html' } }),
      t.app.inject({ method: 'GET', url: '/docs/json' }),
      t.app.inject({ method: 'GET', url: '/portal/' }),
      t.app.inject({ method: 'GET', url: '/health' }),
    ]);
    for (const res of answers) {
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const [claims, problem, verify] = answers;
    expect(claims!.headers['cache-control']).toBe('no-store');
    expect(problem!.headers['cache-control']).toBe('no-store');
    expect(verify!.headers['cache-control']).toBe('no-store');
  });

  it('hold a policy the pages pass in a browser: the portal, the verify page and the API docs', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30_000 });
      for (const [path, ready] of [
        ['/portal/', '#view-login:not([hidden])'],
        ['/verify/NOPE-NOPE', 'body'],
        ['/docs/', '.swagger-ui .info'],
      ] as const) {
        const page = await browser.newPage();
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
        });
        await page.addInitScript(
          "document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))",
        );
        await page.goto(`${base}${path}`);
        await page.waitForSelector(ready, { timeout: 15_000 });
        await page.waitForLoadState('networkidle');
        expect(violations, path).toEqual([]);
        await page.close();
      }
    } finally {
      await browser?.close();
    }
  }, 60_000);
});

describe('security headers with https', () => {
  let https: TestApp;
  beforeAll(async () => {
    https = await createTestApp({ seed: false, env: { PUBLIC_URL: 'https://tiaojie.example.cn' } });
  });
  afterAll(() => https.close());

  it('add HSTS and upgrade-insecure-requests', async () => {
    const res = await https.app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});

describe('POST /verify/:code limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(() => t.close());

  it('refuses a body far above the largest document, unread', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/verify/ABCD-EFGH',
      headers: { 'content-type': 'application/pdf' },
      payload: Buffer.alloc(3 * 1024 * 1024, 0x25),
      remoteAddress: '10.7.0.1',
    });
    expect(res.statusCode).toBe(413);
  });

  it('limits checks per address, and leaves other addresses alone', async () => {
    const check = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/verify/ABCD-EFGH',
        headers: { 'content-type': 'application/pdf' },
        payload: Buffer.from('%PDF-1.7'),
        remoteAddress,
      });
    for (let i = 0; i < 30; i++) expect((await check('10.7.1.1')).statusCode).toBe(404);
    const limited = await check('10.7.1.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await check('10.7.1.2')).statusCode).toBe(404);
  });
});
