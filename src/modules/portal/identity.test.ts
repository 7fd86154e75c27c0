import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { makeClaim } from '../../testing/factories.js';
import { idSuffixOf, issueAccessCode, otpOf, signInDebtor, textedBy } from '../../testing/portal.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('debtor identity check', () => {
  let t: TestApp;
  /** A claim in people's mediation of a debtor of its own, so that one test's limits do not reach another's. */
  const take = () => makeClaim(t).claimId;
  const sql = () => t.database.sqlite;
  const one = <T>(query: string, ...args: unknown[]) =>
    sql()
      .prepare(query)
      .get(...args) as T;
  const counts = () =>
    one<{ challenges: number; sessions: number }>(
      'select (select count(*) from debtor_challenges) challenges, (select count(*) from auth_sessions where debtor_id is not null) sessions',
    );
  const login = (body: Record<string, unknown>, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/debtor/login', remoteAddress: ip, payload: body });
  const verify = (body: Record<string, unknown>, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/debtor/verify', remoteAddress: ip, payload: body });
  /** A wrong suffix: the right one with its first digit changed. */
  const wrongSuffix = (claimId: number) => {
    const s = idSuffixOf(t, claimId);
    return `${(Number(s[0]) + 1) % 10}${s.slice(1)}`;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('access codes', () => {
    it("are issued to the claim's mediator and creditor, shown once, stored hashed, as a claim event", async () => {
      const claimId = take();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claimId}/access-code`,
        headers: await t.as('mediator1'),
      });
      expect(res.statusCode).toBe(201);
      const { accessCode, link } = res.json();
      expect(accessCode).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      expect(link).toBe(`${t.config.publicUrl}/portal/?code=${accessCode}`);
      const stored = sql().prepare('select code_hash from access_codes where claim_id = ?').all(claimId) as {
        code_hash: string;
      }[];
      expect(stored).toHaveLength(1);
      expect(stored[0]!.code_hash).not.toContain(accessCode.replace('-', ''));
      expect(
        one<{ action: string }>('select action from claim_events where claim_id = ? order by seq desc', claimId).action,
      ).toBe('access_code_issued');

      const creditorOwn = one<{ id: number }>(
        "select c.id from claims c join organisations o on o.id = c.creditor_org_id where o.code = 'CRED-A' limit 1",
      );
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/claims/${creditorOwn.id}/access-code`,
            headers: await t.as('creditor1'),
          })
        ).statusCode,
      ).toBe(201);
      // Another creditor's claim is not found; the court issues no codes.
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/claims/${creditorOwn.id}/access-code`,
            headers: await t.as('creditor2'),
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/claims/${creditorOwn.id}/access-code`,
            headers: await t.as('clerk1'),
          })
        ).statusCode,
      ).toBe(403);
    });

    it('a fresh code revokes the old one, which then fails like any wrong code', async () => {
      const claimId = take();
      const old = await issueAccessCode(t, claimId);
      const fresh = await issueAccessCode(t, claimId);
      const refused = await login({ accessCode: old, idSuffix: idSuffixOf(t, claimId) }, '10.0.1.1');
      expect(refused.statusCode).toBe(401);
      expect(refused.json().reason).toBe('identity_not_confirmed');
      expect(
        (
          await login(
            { accessCode: fresh.toLowerCase().replace('-', ' '), idSuffix: idSuffixOf(t, claimId).toLowerCase() },
            '10.0.1.1',
          )
        ).statusCode,
      ).toBe(200);
    });
  });

  describe('sign-in', () => {
    it("texts a six-digit code to the debtor's phone, with no personal data, and keeps only its hash", async () => {
      const claimId = take();
      const accessCode = await issueAccessCode(t, claimId);
      const { result: res, texts } = await textedBy(t, () =>
        login({ accessCode, idSuffix: idSuffixOf(t, claimId) }, '10.0.2.1'),
      );
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['challengeId', 'expiresAt', 'phoneMasked']);
      const debtor = one<{ name: string; phone_enc: string; id_number_enc: string }>(
        'select d.* from claims c join debtors d on d.id = c.debtor_id where c.id = ?',
        claimId,
      );
      const phone = t.crypto.decrypt(debtor.phone_enc);
      expect(body.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      const sms = texts[0]!;
      expect(sms.to).toBe(phone);
      const otp = otpOf(texts);
      expect(sms.text).toContain(otp);
      expect(sms.text).not.toContain(debtor.name);
      expect(sms.text).not.toContain(t.crypto.decrypt(debtor.id_number_enc).slice(-6));
      const row = one<{ code_hash: string; expires_at: number; created_at: number }>(
        'select * from debtor_challenges where public_id = ?',
        body.challengeId,
      );
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.code_hash).not.toContain(otp);
      expect(row.expires_at - row.created_at).toBe(5 * 60_000);
    });

    it('answers a wrong access code and a wrong ID suffix the same way, and sends nothing', async () => {
      const claimId = take();
      const accessCode = await issueAccessCode(t, claimId);
      const before = { ...counts(), sms: t.smsSent().length };
      const badCode = await login({ accessCode: 'ZZZZ-ZZZZ', idSuffix: idSuffixOf(t, claimId) }, '10.0.3.1');
      const badSuffix = await login({ accessCode, idSuffix: wrongSuffix(claimId) }, '10.0.3.2');
      for (const res of [badCode, badSuffix]) {
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const strip = (r: typeof badCode) => ({ ...r.json(), requestId: null });
      expect(strip(badCode)).toEqual(strip(badSuffix));
      expect(badCode.json().detail).toMatch(/access code or the last six characters/);
      expect({ ...counts(), sms: t.smsSent().length }).toEqual(before);
    });

    it('refuses a malformed ID suffix as a validation error naming the field', async () => {
      const res = await login({ accessCode: 'ABCD-EFGH', idSuffix: '12' }, '10.0.4.1');
      expect(res.statusCode).toBe(400);
      expect(res.json().fields[0].field).toBe('/body/idSuffix');
      expect((await login({ accessCode: 'ABCD-EFGH', idSuffix: '123456', extra: 1 }, '10.0.4.1')).statusCode).toBe(400);
    });

    it('locks an access code after repeated failures, even against the right suffix, until the lock runs out', async () => {
      const claimId = take();
      const accessCode = await issueAccessCode(t, claimId);
      for (let i = 0; i < 5; i++) {
        // Each try from a different address: the lock is the code's, not the address's.
        expect((await login({ accessCode, idSuffix: wrongSuffix(claimId) }, `10.0.5.${i + 1}`)).statusCode).toBe(401);
      }
      const sent = t.smsSent().length;
      const locked = await login({ accessCode, idSuffix: idSuffixOf(t, claimId) }, '10.0.5.99');
      // Answered as an unknown code is, so that answers never tell which codes exist.
      const unknown = await login({ accessCode: 'ZZZZ-ZZZZ', idSuffix: idSuffixOf(t, claimId) }, '10.0.5.98');
      expect(locked.statusCode).toBe(401);
      expect({ ...locked.json(), requestId: null }).toEqual({ ...unknown.json(), requestId: null });
      expect(locked.headers['retry-after']).toBeUndefined();
      expect(t.smsSent().length).toBe(sent);

      t.clock.advance(31 * 60_000);
      try {
        expect((await login({ accessCode, idSuffix: idSuffixOf(t, claimId) }, '10.0.5.99')).statusCode).toBe(200);
      } finally {
        t.clock.set('2026-11-20T02:00:00.000Z');
      }
    });

    it('counts parallel wrong suffixes one by one: the code locks after five, however many are sent at once', async () => {
      const claimId = take();
      const accessCode = await issueAccessCode(t, claimId);
      const tries = Array.from({ length: 12 }, (_, i) =>
        login({ accessCode, idSuffix: i === 11 ? idSuffixOf(t, claimId) : wrongSuffix(claimId) }, `10.0.12.${i + 1}`),
      );
      const answers = (await Promise.all(tries)).map((r) => r.statusCode);
      expect(answers).toEqual(Array(12).fill(401));
      expect(
        one<{ locked: number | null }>(
          'select locked_until locked from access_codes where claim_id = ? and revoked_at is null',
          claimId,
        ).locked,
      ).not.toBeNull();
    });

    it('limits the codes texted for one claim per hour', async () => {
      const claimId = take();
      const accessCode = await issueAccessCode(t, claimId);
      for (let i = 0; i < 5; i++)
        expect((await login({ accessCode, idSuffix: idSuffixOf(t, claimId) }, '10.0.6.1')).statusCode).toBe(200);
      const sent = t.smsSent().length;
      const res = await login({ accessCode, idSuffix: idSuffixOf(t, claimId) }, '10.0.6.1');
      expect(res.statusCode).toBe(429);
      expect(res.json().reason).toBe('otp_send_limit');
      expect(t.smsSent().length).toBe(sent);
    });
  });

  describe('one-time codes', () => {
    async function challenge(ip: string) {
      const claimId = take();
      const accessCode = await issueAccessCode(t, claimId);
      const { result: res, texts } = await textedBy(t, () =>
        login({ accessCode, idSuffix: idSuffixOf(t, claimId) }, ip),
      );
      expect(res.statusCode).toBe(200);
      return { claimId, accessCode, challengeId: res.json().challengeId as string, code: otpOf(texts) };
    }

    it("start a two-hour debtor session, as a token and an httpOnly cookie, that sees the debtor's claims", async () => {
      const c = await challenge('10.0.7.1');
      const res = await verify({ challengeId: c.challengeId, code: c.code }, '10.0.7.1');
      expect(res.statusCode).toBe(200);
      const { token, expiresAt } = res.json();
      expect(new Date(expiresAt).getTime() - t.clock.now().getTime()).toBe(2 * 3_600_000);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toContain(`lmp_session=${token}`);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.json()).toMatchObject({ kind: 'debtor', role: 'debtor' });
      const viaCookie = await t.app.inject({
        method: 'GET',
        url: '/api/debtor/claims',
        cookies: { lmp_session: token },
      });
      expect(viaCookie.statusCode).toBe(200);
      expect(viaCookie.json().map((x: { id: number }) => x.id)).toContain(c.claimId);

      t.clock.advance(2 * 3_600_000 + 1000);
      try {
        expect(
          (
            await t.app.inject({
              method: 'GET',
              url: '/api/debtor/claims',
              headers: { authorization: `Bearer ${token}` },
            })
          ).statusCode,
        ).toBe(401);
      } finally {
        t.clock.set('2026-11-20T02:00:00.000Z');
      }
    });

    it('work once: a reused code is refused and starts no session', async () => {
      const c = await challenge('10.0.8.1');
      expect((await verify({ challengeId: c.challengeId, code: c.code }, '10.0.8.1')).statusCode).toBe(200);
      const before = counts();
      const again = await verify({ challengeId: c.challengeId, code: c.code }, '10.0.8.1');
      expect(again.statusCode).toBe(401);
      expect(again.json().reason).toBe('otp_used');
      expect(counts()).toEqual(before);
    });

    it('expire after five minutes', async () => {
      const c = await challenge('10.0.9.1');
      t.clock.advance(5 * 60_000 + 1);
      try {
        const before = counts();
        const res = await verify({ challengeId: c.challengeId, code: c.code }, '10.0.9.1');
        expect(res.statusCode).toBe(401);
        expect(res.json().reason).toBe('otp_expired');
        expect(counts()).toEqual(before);
      } finally {
        t.clock.set('2026-11-20T02:00:00.000Z');
      }
    });

    it('die after five wrong tries, and a newer sign-in replaces an older code', async () => {
      const c = await challenge('10.0.10.1');
      const wrong = c.code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        const res = await verify({ challengeId: c.challengeId, code: wrong }, '10.0.10.1');
        expect(res.statusCode).toBe(401);
        expect(res.json().reason).toBe('otp_wrong');
      }
      const spent = await verify({ challengeId: c.challengeId, code: c.code }, '10.0.10.1');
      expect(spent.json().reason).toBe('otp_attempts');

      const { result: first, texts } = await textedBy(t, () =>
        login({ accessCode: c.accessCode, idSuffix: idSuffixOf(t, c.claimId) }, '10.0.10.2'),
      );
      const firstCode = otpOf(texts);
      await login({ accessCode: c.accessCode, idSuffix: idSuffixOf(t, c.claimId) }, '10.0.10.2');
      const replaced = await verify({ challengeId: first.json().challengeId, code: firstCode }, '10.0.10.2');
      expect(replaced.json().reason).toBe('otp_used');
    });

    it('count parallel wrong codes one by one: the right code sent with them cannot slip past the limit', async () => {
      const c = await challenge('10.0.13.1');
      const wrong = c.code === '000000' ? '111111' : '000000';
      const tries = Array.from({ length: 12 }, (_, i) =>
        verify({ challengeId: c.challengeId, code: i === 11 ? c.code : wrong }, `10.0.13.${i + 2}`),
      );
      const answers = await Promise.all(tries);
      expect(answers.map((r) => r.statusCode)).toEqual(Array(12).fill(401));
      expect(answers[11]!.json().reason).toBe('otp_attempts');
      expect(
        one<{ attempts: number }>('select attempts from debtor_challenges where public_id = ?', c.challengeId),
      ).toEqual({ attempts: 5 });
    });

    it('refuse an unknown challenge and a malformed code', async () => {
      expect((await verify({ challengeId: 'not-a-challenge-id', code: '123456' }, '10.0.11.1')).json().reason).toBe(
        'otp_unknown',
      );
      const res = await verify({ challengeId: 'not-a-challenge-id', code: '12a456' }, '10.0.11.1');
      expect(res.statusCode).toBe(400);
      expect(res.json().fields[0].field).toBe('/body/code');
    });
  });

  it('the helper signs in as a debtor would', async () => {
    const headers = await signInDebtor(t, take());
    expect((await t.app.inject({ method: 'GET', url: '/api/debtor/claims', headers })).statusCode).toBe(200);
  });

  it('throttles an address after repeated failures (20 by default), whatever it tries, and leaves other addresses alone', async () => {
    const claimId = take();
    const accessCode = await issueAccessCode(t, claimId);
    for (let i = 0; i < 20; i++)
      expect(
        (await login({ accessCode: `AAAA-${String(i).padStart(4, 'A')}`, idSuffix: '123456' }, '10.1.0.1')).statusCode,
      ).toBe(401);
    const { result: throttled, texts } = await textedBy(t, () =>
      login({ accessCode, idSuffix: idSuffixOf(t, claimId) }, '10.1.0.1'),
    );
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(texts).toEqual([]);
    expect((await login({ accessCode, idSuffix: idSuffixOf(t, claimId) }, '10.1.0.2')).statusCode).toBe(200);
    // Wrong one-time codes count against the address too.
    for (let i = 0; i < 20; i++)
      expect((await verify({ challengeId: 'unknown-challenge', code: '000000' }, '10.1.0.3')).statusCode).toBe(401);
    expect((await verify({ challengeId: 'unknown-challenge', code: '000000' }, '10.1.0.3')).statusCode).toBe(429);
  });
});

describe('portal settings', () => {
  it('default to short-lived codes and sessions, and refuse values out of range, naming each', () => {
    expect(loadConfig({})).toMatchObject({
      objectionReplyDays: 15,
      otpTtlMinutes: 5,
      otpMaxAttempts: 5,
      otpSendsPerHour: 5,
      accessCodeMaxFailures: 5,
      accessCodeLockMinutes: 30,
      debtorIpMaxFailures: 20,
      debtorSessionHours: 2,
      attachmentMaxBytes: 5 * 1024 * 1024,
      attachmentMaxFiles: 5,
      hardshipMaxInstalments: 36,
    });
    expect(loadConfig({ OBJECTION_REPLY_DAYS: '20', ATTACHMENT_MAX_FILES: '3' })).toMatchObject({
      objectionReplyDays: 20,
      attachmentMaxFiles: 3,
    });
    expect(() => loadConfig({ OTP_TTL_MINUTES: '0', DEBTOR_SESSION_HOURS: '48', ATTACHMENT_MAX_BYTES: 'big' })).toThrow(
      /OTP_TTL_MINUTES[\s\S]*DEBTOR_SESSION_HOURS[\s\S]*ATTACHMENT_MAX_BYTES/,
    );
  });
});
