/**
 * The sign-in throttle against the attacks it exists for: parallel guesses, one address guessing,
 * many addresses guessing one user, and a client address told by a proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { DEMO_PASSWORD } from '../admin/demo-seed.js';

const loginOn =
  (t: () => TestApp) =>
  (username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    t().app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress, headers });

describe('login throttle', () => {
  let t: TestApp;
  const login = loginOn(() => t);
  beforeAll(async () => {
    // Small limits, so that reaching them takes few password hashes.
    t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_USER_CEILING: '6' } });
  });
  afterAll(() => t.close());

  it('holds under concurrency: 39 parallel wrong passwords and the right one last do not get in', async () => {
    const tries = Array.from({ length: 40 }, (_, i) =>
      login('mediator1', i === 39 ? DEMO_PASSWORD : `wrong-password-${i}`, '10.9.0.1'),
    );
    const answers = (await Promise.all(tries)).map((r) => r.statusCode);
    expect(answers.filter((s) => s === 401)).toHaveLength(t.config.loginMaxFailures);
    expect(answers.filter((s) => s === 429)).toHaveLength(40 - t.config.loginMaxFailures);
    expect(answers[39]).toBe(429);
    // The guesser is throttled where it guesses; the user signs in from elsewhere at once.
    expect((await login('mediator1', DEMO_PASSWORD, '10.9.0.2')).statusCode).toBe(200);
  });

  it('slows one (user, address) with a doubling delay and leaves other users of that address alone', async () => {
    for (let i = 0; i < t.config.loginMaxFailures; i++)
      expect((await login('clerk1', `wrong-${i}`, '10.9.1.1')).statusCode).toBe(401);
    const first = await login('clerk1', DEMO_PASSWORD, '10.9.1.1');
    expect(first.statusCode).toBe(429);
    expect(first.json().code).toBe('rate_limited');
    expect(Number(first.headers['retry-after'])).toBe(t.config.loginSlowSeconds);
    expect((await login('mediator2', DEMO_PASSWORD, '10.9.1.1')).statusCode).toBe(200);

    t.clock.advance(t.config.loginSlowSeconds * 1000);
    expect((await login('clerk1', 'wrong-again', '10.9.1.1')).statusCode).toBe(401);
    const second = await login('clerk1', DEMO_PASSWORD, '10.9.1.1');
    expect(Number(second.headers['retry-after'])).toBe(2 * t.config.loginSlowSeconds);
    t.clock.advance(2 * t.config.loginSlowSeconds * 1000);
    expect((await login('clerk1', DEMO_PASSWORD, '10.9.1.1')).statusCode).toBe(200);
  });

  it('past the per-user ceiling every address is slowed, but the right password from a new address gets in', async () => {
    const perAddress = t.config.loginMaxFailures;
    for (let a = 0; a * perAddress < t.config.loginUserCeiling; a++)
      for (let i = 0; i < perAddress; i++)
        expect((await login('creditor2', `wrong-${a}-${i}`, `10.9.2.${a}`)).statusCode).toBe(401);

    expect((await login('creditor2', DEMO_PASSWORD, '10.9.3.1')).statusCode).toBe(200);
    // A new address gets one try per spacing, not the usual free tries.
    expect((await login('creditor2', 'one-wrong-try', '10.9.3.2')).statusCode).toBe(401);
    const spaced = await login('creditor2', DEMO_PASSWORD, '10.9.3.2');
    expect(spaced.statusCode).toBe(429);
    expect(Number(spaced.headers['retry-after'])).toBeLessThanOrEqual(t.config.loginSlowSeconds);
    t.clock.advance(t.config.loginSlowSeconds * 1000);
    expect((await login('creditor2', DEMO_PASSWORD, '10.9.3.2')).statusCode).toBe(200);
  });
});

describe('login throttle per address', () => {
  let t: TestApp;
  const login = loginOn(() => t);
  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_ADDRESS_CEILING: '4' } });
  });
  afterAll(() => t.close());

  it('past the per-address ceiling an address spraying user names is spaced out', async () => {
    for (let i = 0; i < 4; i++) expect((await login(`nobody${i}`, 'spray-password', '10.9.4.1')).statusCode).toBe(401);
    expect((await login('nobody-else', 'spray-password', '10.9.4.1')).statusCode).toBe(429);
    expect((await login('admin', DEMO_PASSWORD, '10.9.4.2')).statusCode).toBe(200);
    t.clock.advance(t.config.loginSlowSeconds * 1000);
    expect((await login('admin', DEMO_PASSWORD, '10.9.4.1')).statusCode).toBe(200);
  });
});

describe('client address behind a proxy', () => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    direct = await createTestApp();
    proxied = await createTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it('reads X-Forwarded-For only through a trusted proxy (TRUST_PROXY)', async () => {
    const guess = async (t: TestApp, forwardedFor: string) =>
      (await loginOn(() => t)('mediator2', 'wrong-password', '127.0.0.1', { 'x-forwarded-for': forwardedFor }))
        .statusCode;
    const max = direct.config.loginMaxFailures;
    for (let i = 0; i < max; i++) expect(await guess(direct, `203.0.113.${i}`)).toBe(401);
    // Untrusted: the header is ignored, so every guess came from 127.0.0.1.
    expect(await guess(direct, '203.0.113.200')).toBe(429);

    for (let i = 0; i < max; i++) expect(await guess(proxied, '203.0.113.7')).toBe(401);
    expect(await guess(proxied, '203.0.113.7')).toBe(429);
    expect(await guess(proxied, '203.0.113.8')).toBe(401);
  });
});
