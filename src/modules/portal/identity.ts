/**
 * The debtor's identity check (DOMAIN §1.1, §6.2): the access code printed on the notice plus the last
 * six characters of the ID number, then a one-time code sent by SMS to the phone on record.
 *
 * - A failure says nothing about which part was wrong, and counts against the access code (which
 *   locks after repeated failures) and the client address (an in-memory sliding window).
 * - One-time codes are six digits, kept only as keyed hashes, single-use, short-lived, and die after
 *   a few wrong tries; a new sign-in replaces the earlier code.
 */
import nodeCrypto from 'node:crypto';
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { SmsChannel } from '../../adapters/sms.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/open.js';
import { accessCodes, claims, debtorChallenges, debtors } from '../../db/schema/index.js';
import { portalUrlOf } from '../../domain/document-text.js';
import { positionOf } from '../../domain/lifecycle.js';
import { maskPhone } from '../../domain/phone.js';
import { AppError } from '../../errors.js';
import { AttemptLog, tooManyAttempts } from '../auth/login-throttle.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { AuthService } from '../auth/service.js';
import { findClaim } from '../claims/access.js';
import { accessCodeHash, issueAccessCode } from '../claims/access-codes.js';
import { appendClaimEvent } from '../claims/events.js';

export type IdentityConfig = Pick<
  Config,
  | 'otpTtlMinutes'
  | 'otpMaxAttempts'
  | 'otpSendsPerHour'
  | 'accessCodeMaxFailures'
  | 'accessCodeLockMinutes'
  | 'debtorIpMaxFailures'
  | 'loginWindowMinutes'
  | 'debtorSessionHours'
  | 'publicUrl'
>;

export interface IdentityDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  sms: SmsChannel;
  auth: Pick<AuthService, 'startSession'>;
  config: IdentityConfig;
}

export type DebtorIdentity = ReturnType<typeof createDebtorIdentity>;

const WRONG =
  'The access code or the last six characters of the ID number are wrong, or the code is paused after repeated wrong tries. Check the notice and your ID card and try again later.';
const otpText = (code: string, minutes: number) =>
  `【小额纠纷调解平台】您的验证码为 ${code}，${minutes} 分钟内有效。请勿将验证码告诉任何人；如非本人操作，请忽略本短信。`;

const normaliseSuffix = (s: string) => s.trim().toUpperCase();
const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && nodeCrypto.timingSafeEqual(x, y);
};

export function createDebtorIdentity({ db, clock, crypto, sms, auth, config }: IdentityDeps) {
  const failures = new AttemptLog(config.loginWindowMinutes * 60_000);
  const ipKey = (ip: string) => `debtor-ip:${ip}`;
  const otpHash = (challengeId: string, code: string) => crypto.hash('debtor_otp', `${challengeId}:${code}`);
  // Every check from here to the recorded failure is synchronous, so parallel guesses are counted one by one.
  const recordFailure = (ip: string) => failures.add([ipKey(ip)], clock.now().getTime());

  function assertIpAllowed(ip: string) {
    const wait = failures.waitMs(ipKey(ip), config.debtorIpMaxFailures, clock.now().getTime());
    if (wait > 0) throw tooManyAttempts(wait, 'Too many failed attempts from your network.');
  }

  const otpRefused = (reason: string, detail: string) => new AppError('unauthenticated', detail, { reason });

  return {
    /** A fresh access code for a claim the staff member may see; the earlier code stops working. */
    issueCode(p: Principal, claimId: number): { accessCode: string; link: string } {
      const actor = actorOf(p);
      if (!actor || p.kind === 'debtor')
        throw new AppError('forbidden', "Access codes are issued by the claim's creditor or mediator.");
      const now = clock.now();
      const accessCode = db.transaction((tx) => {
        const claim = findClaim(tx, p, claimId);
        const code = issueAccessCode(tx, crypto, claimId, now);
        appendClaimEvent(tx, {
          claimId,
          action: 'access_code_issued',
          from: positionOf(claim),
          to: positionOf(claim),
          actor,
          reason: 'new portal access code',
          data: null,
          at: now,
        });
        return code;
      });
      return { accessCode, link: portalUrlOf(config.publicUrl, accessCode) };
    },

    /** Check the access code and ID suffix; on success text a one-time code to the debtor's phone. */
    async login(input: {
      accessCode: string;
      idSuffix: string;
      ip: string;
    }): Promise<{ challengeId: string; phoneMasked: string; expiresAt: Date }> {
      assertIpAllowed(input.ip);
      const now = clock.now();
      const code = db
        .select()
        .from(accessCodes)
        .where(and(eq(accessCodes.codeHash, accessCodeHash(crypto, input.accessCode)), isNull(accessCodes.revokedAt)))
        .get();
      // A locked code answers as an unknown one does, so answers never tell which codes exist.
      const locked = !!code?.lockedUntil && code.lockedUntil > now;
      const person = code
        ? db
            .select({ debtorId: debtors.id, idNumberEnc: debtors.idNumberEnc, phoneEnc: debtors.phoneEnc })
            .from(claims)
            .innerJoin(debtors, eq(claims.debtorId, debtors.id))
            .where(eq(claims.id, code.claimId))
            .get()
        : undefined;
      // Compared in constant time, and compared at all when the code is unknown, so time tells nothing.
      const expected = person ? crypto.decrypt(person.idNumberEnc).slice(-6).toUpperCase() : '\u0000'.repeat(6);
      const match = sameText(normaliseSuffix(input.idSuffix), expected) && !!person;
      if (!code || !person || !match || locked) {
        recordFailure(input.ip);
        if (code && !locked) {
          const failures = code.failures + 1;
          const locks = failures >= config.accessCodeMaxFailures;
          db.update(accessCodes)
            .set(
              locks
                ? { failures: 0, lockedUntil: new Date(now.getTime() + config.accessCodeLockMinutes * 60_000) }
                : { failures },
            )
            .where(eq(accessCodes.id, code.id))
            .run();
        }
        throw new AppError('unauthenticated', WRONG, { reason: 'identity_not_confirmed' });
      }
      if (!person.phoneEnc) {
        throw new AppError(
          'unprocessable',
          'No mobile number is on record for you, so no code can be sent. Call the mediation committee named on the notice.',
          { reason: 'no_phone' },
        );
      }
      const hourAgo = new Date(now.getTime() - 3_600_000);
      const sent =
        db
          .select({ n: count() })
          .from(debtorChallenges)
          .where(and(eq(debtorChallenges.claimId, code.claimId), gt(debtorChallenges.createdAt, hourAgo)))
          .get()?.n ?? 0;
      if (sent >= config.otpSendsPerHour) {
        throw new AppError(
          'rate_limited',
          'Several codes were sent in the last hour. Use the latest one, or try again later.',
          { headers: { 'retry-after': '3600' }, reason: 'otp_send_limit' },
        );
      }

      const challengeId = nodeCrypto.randomBytes(18).toString('base64url');
      const otp = String(nodeCrypto.randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(now.getTime() + config.otpTtlMinutes * 60_000);
      db.transaction((tx) => {
        tx.update(accessCodes).set({ failures: 0, lockedUntil: null }).where(eq(accessCodes.id, code.id)).run();
        // The newest code is the only one that works.
        tx.update(debtorChallenges)
          .set({ usedAt: now })
          .where(and(eq(debtorChallenges.claimId, code.claimId), isNull(debtorChallenges.usedAt)))
          .run();
        tx.insert(debtorChallenges)
          .values({
            debtorId: person.debtorId,
            claimId: code.claimId,
            publicId: challengeId,
            codeHash: otpHash(challengeId, otp),
            expiresAt,
            createdAt: now,
          })
          .run();
      });
      const phone = crypto.decrypt(person.phoneEnc);
      try {
        await sms.send({ to: phone, text: otpText(otp, config.otpTtlMinutes) });
      } catch (err) {
        throw new AppError('unavailable', 'The code could not be sent by SMS just now. Try again in a few minutes.', {
          cause: err,
        });
      }
      return { challengeId, phoneMasked: maskPhone(phone), expiresAt };
    },

    /** Check the one-time code; on success start a short debtor session. */
    verify(input: { challengeId: string; code: string; ip: string }): { token: string; expiresAt: Date } {
      assertIpAllowed(input.ip);
      const now = clock.now();
      const challenge = db
        .select()
        .from(debtorChallenges)
        .where(eq(debtorChallenges.publicId, input.challengeId))
        .get();
      if (!challenge) {
        recordFailure(input.ip);
        throw otpRefused('otp_unknown', 'This sign-in is not known. Start again with your access code.');
      }
      if (challenge.usedAt)
        throw otpRefused(
          'otp_used',
          'This code was used already or replaced by a newer one. Start again with your access code to get a new code.',
        );
      if (challenge.expiresAt <= now)
        throw otpRefused('otp_expired', 'This code has expired. Start again with your access code to get a new code.');
      if (challenge.attempts >= config.otpMaxAttempts)
        throw otpRefused('otp_attempts', 'Too many wrong codes. Start again with your access code to get a new code.');
      const expected = Buffer.from(challenge.codeHash, 'hex');
      const given = Buffer.from(otpHash(challenge.publicId, input.code), 'hex');
      if (!nodeCrypto.timingSafeEqual(expected, given)) {
        recordFailure(input.ip);
        db.update(debtorChallenges)
          .set({ attempts: challenge.attempts + 1 })
          .where(eq(debtorChallenges.id, challenge.id))
          .run();
        const left = config.otpMaxAttempts - challenge.attempts - 1;
        throw otpRefused(
          'otp_wrong',
          left > 0
            ? `The code is wrong; ${left} attempt(s) left.`
            : 'The code is wrong, and no attempts are left. Start again with your access code.',
        );
      }
      // Guarded on usedAt: of two requests racing with the same code, only one signs in.
      const used = db
        .update(debtorChallenges)
        .set({ usedAt: now })
        .where(and(eq(debtorChallenges.id, challenge.id), isNull(debtorChallenges.usedAt)))
        .run().changes;
      if (used === 0)
        throw otpRefused(
          'otp_used',
          'This code was used already. Start again with your access code to get a new code.',
        );
      return auth.startSession({ debtorId: challenge.debtorId }, config.debtorSessionHours);
    },
  };
}
