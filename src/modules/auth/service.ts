/** Sign-in, sessions and API keys. */
import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB } from '../../db/open.js';
import { apiKeys, authSessions, organisations, users } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { recordAudit } from './audit.js';
import { LoginThrottle } from './login-throttle.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';
import { assertAcceptablePassword } from './password-policy.js';
import type { Principal } from './principal.js';
import { apiKeyPrefix, newToken, safeEqualHex, sha256 } from './tokens.js';

export interface AuthServiceDeps {
  db: DB;
  clock: Clock;
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  loginUserCeiling: number;
  loginAddressCeiling: number;
  loginSlowSeconds: number;
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService({ db, clock, sessionTtlHours, ...limits }: AuthServiceDeps) {
  const throttle = new LoginThrottle(clock, {
    maxFailures: limits.loginMaxFailures,
    windowMs: limits.loginWindowMinutes * 60_000,
    userCeiling: limits.loginUserCeiling,
    addressCeiling: limits.loginAddressCeiling,
    slowMs: limits.loginSlowSeconds * 1000,
  });

  /** Start a session for a debtor or user; the token is returned once and stored hashed. */
  function startSession(subject: { userId: number } | { debtorId: number }, ttlHours = sessionTtlHours) {
    const token = newToken();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
    db.insert(authSessions)
      .values({ tokenHash: sha256(token), ...subject, createdAt: now, expiresAt })
      .run();
    return { token, expiresAt };
  }

  return {
    startSession,

    /** Check a user name and password; the same answer and about the same time whether or not the user exists. */
    async login(input: { username: string; password: string; ip: string }) {
      const reservation = throttle.reserve(input.username.toLowerCase(), input.ip);
      const user = db.select().from(users).where(eq(users.username, input.username)).get();
      const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
      const signedIn = !!user && ok && !user.disabledAt;
      throttle.settle(reservation, signedIn);
      if (!signedIn) throw new AppError('unauthenticated', 'The user name or password is wrong.');
      return { ...startSession({ userId: user.id }), user };
    },

    /**
     * Change a signed-in user's own password: the current one is checked (and throttled like a
     * sign-in), the new one must pass the policy, and every other session of the user ends.
     */
    async changePassword(
      p: Principal,
      input: { currentPassword: string; newPassword: string; ip: string; token: string | null },
    ) {
      if (p.kind !== 'user') throw new AppError('forbidden', 'Only a signed-in user can change its password.');
      const user = db.select().from(users).where(eq(users.id, p.userId)).get();
      if (!user) throw new AppError('unauthenticated', 'Sign in again.');
      const reservation = throttle.reserve(user.username.toLowerCase(), input.ip);
      const ok = await verifyPassword(input.currentPassword, user.passwordHash);
      throttle.settle(reservation, ok);
      if (!ok)
        throw new AppError('forbidden', 'The current password is wrong; type it again.', {
          reason: 'current_password_wrong',
          fields: [{ field: '/body/currentPassword', message: 'is wrong' }],
        });
      assertAcceptablePassword(input.newPassword, user.username, '/body/newPassword');
      if (input.newPassword === input.currentPassword)
        throw new AppError('validation_failed', 'Choose a new password different from the current one.', {
          fields: [{ field: '/body/newPassword', message: 'is the current password' }],
        });
      const passwordHash = await hashPassword(input.newPassword);
      const now = clock.now();
      const current = input.token ? sha256(input.token) : '';
      db.transaction((tx) => {
        tx.update(users).set({ passwordHash }).where(eq(users.id, user.id)).run();
        tx.update(authSessions)
          .set({ revokedAt: now })
          .where(
            and(eq(authSessions.userId, user.id), isNull(authSessions.revokedAt), ne(authSessions.tokenHash, current)),
          )
          .run();
        recordAudit(tx, {
          by: p,
          action: 'user.password_changed',
          orgId: user.orgId,
          target: { kind: 'user', id: user.id },
          at: now,
        });
      });
    },

    logout(token: string) {
      db.update(authSessions)
        .set({ revokedAt: clock.now() })
        .where(eq(authSessions.tokenHash, sha256(token)))
        .run();
    },

    /** Resolve a bearer token (staff or debtor session) to a principal, or null. */
    principalForToken(token: string): Principal | null {
      const row = db
        .select({ userId: authSessions.userId, debtorId: authSessions.debtorId })
        .from(authSessions)
        .where(
          and(
            eq(authSessions.tokenHash, sha256(token)),
            gt(authSessions.expiresAt, clock.now()),
            isNull(authSessions.revokedAt),
          ),
        )
        .get();
      if (!row) return null;
      if (row.userId !== null) {
        const u = db
          .select({ user: users, orgKind: organisations.kind })
          .from(users)
          .innerJoin(organisations, eq(users.orgId, organisations.id))
          .where(and(eq(users.id, row.userId), isNull(users.disabledAt)))
          .get();
        if (!u) return null;
        return {
          kind: 'user',
          role: u.user.role,
          userId: u.user.id,
          orgId: u.user.orgId,
          orgKind: u.orgKind,
          name: u.user.displayName,
        } as Principal;
      }
      if (row.debtorId !== null) return { kind: 'debtor', role: 'debtor', debtorId: row.debtorId, name: 'debtor' };
      return null;
    },

    /** Resolve an API key to its creditor organisation, or null. */
    principalForApiKey(key: string): Principal | null {
      const prefix = apiKeyPrefix(key);
      if (!prefix) return null;
      const row = db
        .select({ key: apiKeys, orgKind: organisations.kind })
        .from(apiKeys)
        .innerJoin(organisations, eq(apiKeys.orgId, organisations.id))
        .where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)))
        .get();
      if (row?.orgKind !== 'creditor' || !safeEqualHex(sha256(key), row.key.keyHash)) return null;
      const now = clock.now();
      if (row.key.expiresAt && row.key.expiresAt <= now) return null;
      // Coarse last-use stamp: one write a minute per key, not one per request.
      if (!row.key.lastUsedAt || now.getTime() - row.key.lastUsedAt.getTime() > 60_000) {
        db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.key.id)).run();
      }
      return {
        kind: 'api_key',
        role: 'creditor',
        apiKeyId: row.key.id,
        orgId: row.key.orgId,
        orgKind: 'creditor',
        name: row.key.name,
        scopes: row.key.scopes,
      };
    },
  };
}
