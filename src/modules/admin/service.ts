/** Organisations, users and API keys: the platform operator's verbs. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB, DbOrTx } from '../../db/open.js';
import {
  type ApiKey,
  apiKeys,
  authSessions,
  type Organisation,
  organisations,
  type User,
  users,
} from '../../db/schema/index.js';
import { parseCreditCode } from '../../domain/credit-code.js';
import { ROLE_FOR_ORG_KIND } from '../../domain/roles.js';
import { AppError, notFound } from '../../errors.js';
import { recordAudit } from '../auth/audit.js';
import { hashPassword } from '../auth/password.js';
import { assertAcceptablePassword } from '../auth/password-policy.js';
import { type Principal, staffOrgId } from '../auth/principal.js';
import { newApiKey, sha256 } from '../auth/tokens.js';
import type { CreateApiKeyInput, CreateOrganisationInput, CreateUserInput, PayeeAccount } from './schemas.js';

export type AdminService = ReturnType<typeof createAdminService>;

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

export function createAdminService({ db, clock }: { db: DB; clock: Clock }) {
  const orgView = (o: Organisation) => ({
    id: o.id,
    kind: o.kind,
    code: o.code,
    name: o.name,
    creditCode: o.creditCode,
    lenderType: o.lenderType,
    courtCode: o.courtCode,
    courtId: o.courtId,
    createdAt: o.createdAt.toISOString(),
  });
  const userView = (u: User) => ({
    id: u.id,
    orgId: u.orgId,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    disabled: u.disabledAt !== null,
    awaitingApproval: u.awaitingApprovalFrom !== null,
    createdAt: u.createdAt.toISOString(),
  });
  const keyView = (k: ApiKey) => ({
    id: k.id,
    orgId: k.orgId,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  });

  /** A signed-in user of a creditor organisation: the only one who manages that organisation's keys. */
  function keyManager(principal: Principal): Extract<Principal, { kind: 'user' }> {
    if (principal.kind !== 'user' || principal.orgKind !== 'creditor')
      throw new AppError('forbidden', "API keys are managed by a signed-in user of the creditor's organisation.");
    return principal;
  }

  /** A user the principal may act on: any for an admin, its own organisation's for a creditor. */
  /** End every session of the user now. */
  const endSessions = (tx: DbOrTx, userId: number, now: Date) =>
    tx
      .update(authSessions)
      .set({ revokedAt: now })
      .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)))
      .run();

  /** A creditor organisation whose payee account the principal may read and set. */
  function payeeOrg(principal: Principal, orgId: number): Organisation {
    const mine = principal.role === 'admin' || staffOrgId(principal) === orgId;
    const org = mine ? db.select().from(organisations).where(eq(organisations.id, orgId)).get() : undefined;
    if (!org) throw notFound(`Organisation ${orgId}`);
    if (org.kind !== 'creditor')
      throw new AppError('unprocessable', 'Only a creditor has a payee account: debtors pay creditors.', {
        reason: 'not_creditor',
      });
    return org;
  }

  function targetUser(principal: Principal, id: number): User {
    const scope = principal.role === 'admin' ? undefined : eq(users.orgId, staffOrgId(principal));
    const user = db
      .select()
      .from(users)
      .where(and(eq(users.id, id), scope))
      .get();
    if (!user) throw notFound(`User ${id}`);
    return user;
  }

  return {
    /** The directory of organisations: creditors pick mediation committees and courts from it. */
    listOrganisations() {
      return db.select().from(organisations).orderBy(asc(organisations.id)).all().map(orgView);
    },

    /** A creditor's payee account: its own users, or an admin. */
    payeeAccount(principal: Principal, orgId: number): PayeeAccount | null {
      const org = payeeOrg(principal, orgId);
      return org.payeeName && org.payeeBank && org.payeeAccount
        ? { payeeName: org.payeeName, payeeBank: org.payeeBank, payeeAccount: org.payeeAccount }
        : null;
    },

    setPayeeAccount(principal: Principal, orgId: number, input: PayeeAccount): PayeeAccount {
      const org = payeeOrg(principal, orgId);
      db.transaction((tx) => {
        tx.update(organisations).set(input).where(eq(organisations.id, org.id)).run();
        recordAudit(tx, {
          by: principal,
          action: 'organisation.payee_account_set',
          orgId: org.id,
          target: { kind: 'organisation', id: org.id },
          detail: { payeeBank: input.payeeBank, accountEnding: input.payeeAccount.slice(-4) },
          at: clock.now(),
        });
      });
      return input;
    },

    createOrganisation(input: CreateOrganisationInput) {
      if (input.creditCode !== undefined) {
        const checked = parseCreditCode(input.creditCode);
        if (!checked.ok)
          throw new AppError('validation_failed', checked.detail, {
            fields: [{ field: '/body/creditCode', message: checked.detail }],
          });
      }
      if (input.kind === 'creditor' && !input.lenderType) {
        throw new AppError(
          'validation_failed',
          'A creditor needs its lender type (licensed, local_financial or private): it decides the interest cap.',
          { fields: [{ field: '/body/lenderType', message: 'is required for creditors' }] },
        );
      }
      if (input.courtId !== undefined) {
        const court = db.select().from(organisations).where(eq(organisations.id, input.courtId)).get();
        if (court?.kind !== 'court')
          throw new AppError('unprocessable', `Organisation ${input.courtId} is not a court.`);
      }
      try {
        return orgView(
          db
            .insert(organisations)
            .values({ ...input, createdAt: clock.now() })
            .returning()
            .get(),
        );
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError('duplicate', `An organisation with code ${input.code} already exists.`);
        throw err;
      }
    },

    listUsers(principal: Principal) {
      const q = db.select().from(users).orderBy(asc(users.id));
      const rows = principal.role === 'admin' ? q.all() : q.where(eq(users.orgId, staffOrgId(principal))).all();
      return rows.map(userView);
    },

    /**
     * Create a user. One made by an admin inside a creditor's organisation (a tenant) starts disabled,
     * until a user of that creditor or another admin approves: no single admin can read a tenant's claims.
     */
    async createUser(principal: Principal, input: CreateUserInput) {
      const org = db.select().from(organisations).where(eq(organisations.id, input.orgId)).get();
      if (!org) throw notFound(`Organisation ${input.orgId}`);
      if (!ROLE_FOR_ORG_KIND[org.kind].includes(input.role)) {
        throw new AppError(
          'unprocessable',
          `A ${input.role} cannot belong to a ${org.kind} organisation; allowed roles: ${ROLE_FOR_ORG_KIND[org.kind].join(', ')}.`,
        );
      }
      assertAcceptablePassword(input.password, input.username, '/body/password');
      const passwordHash = await hashPassword(input.password);
      const now = clock.now();
      const needsApproval = org.kind === 'creditor' && principal.kind === 'user';
      try {
        const { password: _omit, ...rest } = input;
        return userView(
          db.transaction((tx) => {
            const user = tx
              .insert(users)
              .values({
                ...rest,
                passwordHash,
                createdAt: now,
                ...(needsApproval ? { disabledAt: now, awaitingApprovalFrom: principal.userId } : {}),
              })
              .returning()
              .get();
            recordAudit(tx, {
              by: principal,
              action: 'user.created',
              orgId: org.id,
              target: { kind: 'user', id: user.id },
              detail: { username: user.username, role: user.role, awaitingApproval: needsApproval },
              at: now,
            });
            return user;
          }),
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('duplicate', `The user name ${input.username} is taken.`);
        throw err;
      }
    },

    /** Enable a user an admin made inside a creditor: by a user of that creditor, or by another admin. */
    approveUser(principal: Principal, id: number) {
      const user = targetUser(principal, id);
      if (user.awaitingApprovalFrom === null)
        throw new AppError('unprocessable', `User ${id} is not waiting for approval.`, { reason: 'not_awaiting' });
      if (principal.kind !== 'user' || principal.userId === user.awaitingApprovalFrom)
        throw new AppError('forbidden', 'A user of the organisation or another admin must approve; not its creator.', {
          reason: 'approver_is_creator',
        });
      const now = clock.now();
      return userView(
        db.transaction((tx) => {
          const approved = tx
            .update(users)
            .set({ disabledAt: null, awaitingApprovalFrom: null })
            .where(eq(users.id, id))
            .returning()
            .get()!;
          recordAudit(tx, {
            by: principal,
            action: 'user.approved',
            orgId: user.orgId,
            target: { kind: 'user', id },
            at: now,
          });
          return approved;
        }),
      );
    },

    /** Disable a user: it cannot sign in, and every session it has ends now. */
    disableUser(principal: Principal, id: number) {
      const user = targetUser(principal, id);
      if (principal.kind === 'user' && principal.userId === id)
        throw new AppError('unprocessable', 'You cannot disable yourself; ask another admin.', { reason: 'self' });
      const now = clock.now();
      return userView(
        db.transaction((tx) => {
          const disabled = tx
            .update(users)
            .set({ disabledAt: user.disabledAt ?? now })
            .where(eq(users.id, id))
            .returning()
            .get()!;
          endSessions(tx, id, now);
          recordAudit(tx, {
            by: principal,
            action: 'user.disabled',
            orgId: user.orgId,
            target: { kind: 'user', id },
            at: now,
          });
          return disabled;
        }),
      );
    },

    /**
     * Set a user's password for them (they forgot it): the new one passes the same policy as any, and
     * every session the user has ends now, so whoever knew the old one is signed out.
     */
    async resetPassword(principal: Principal, id: number, password: string) {
      const user = targetUser(principal, id);
      assertAcceptablePassword(password, user.username, '/body/password');
      const passwordHash = await hashPassword(password);
      const now = clock.now();
      return userView(
        db.transaction((tx) => {
          const reset = tx.update(users).set({ passwordHash }).where(eq(users.id, id)).returning().get()!;
          endSessions(tx, id, now);
          recordAudit(tx, {
            by: principal,
            action: 'user.password_reset',
            orgId: user.orgId,
            target: { kind: 'user', id },
            at: now,
          });
          return reset;
        }),
      );
    },

    listApiKeys(principal: Principal) {
      const owner = keyManager(principal);
      return db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.orgId, owner.orgId))
        .orderBy(asc(apiKeys.id))
        .all()
        .map(keyView);
    },

    /** Create an API key with its scopes; the key itself is in this answer only and is stored hashed. */
    createApiKey(principal: Principal, input: CreateApiKeyInput) {
      const owner = keyManager(principal);
      const now = clock.now();
      const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
      if (expiresAt && expiresAt <= now)
        throw new AppError('validation_failed', 'The expiry must be in the future.', {
          fields: [{ field: '/body/expiresAt', message: 'is not in the future' }],
        });
      const { key, prefix } = newApiKey();
      const row = db.transaction((tx) => {
        const created = tx
          .insert(apiKeys)
          .values({
            orgId: owner.orgId,
            name: input.name,
            prefix,
            keyHash: sha256(key),
            scopes: input.scopes,
            expiresAt,
            createdBy: owner.userId,
            createdAt: now,
          })
          .returning()
          .get();
        recordAudit(tx, {
          by: owner,
          action: 'api_key.created',
          orgId: owner.orgId,
          target: { kind: 'api_key', id: created.id },
          detail: { name: created.name, scopes: created.scopes, expiresAt: expiresAt?.toISOString() ?? null },
          at: now,
        });
        return created;
      });
      return { ...keyView(row), key };
    },

    revokeApiKey(principal: Principal, id: number) {
      const owner = keyManager(principal);
      const row = db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, owner.orgId)))
        .get();
      if (!row) throw notFound(`API key ${id}`);
      if (row.revokedAt) return;
      const now = clock.now();
      db.transaction((tx) => {
        tx.update(apiKeys)
          .set({ revokedAt: now })
          .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
          .run();
        recordAudit(tx, {
          by: owner,
          action: 'api_key.revoked',
          orgId: owner.orgId,
          target: { kind: 'api_key', id },
          at: now,
        });
      });
    },
  };
}
