/** Organisations, users and API keys: the platform operator's verbs. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB } from '../../db/open.js';
import { type ApiKey, apiKeys, type Organisation, organisations, type User, users } from '../../db/schema/index.js';
import { parseCreditCode } from '../../domain/credit-code.js';
import { ROLE_FOR_ORG_KIND } from '../../domain/roles.js';
import { AppError, notFound } from '../../errors.js';
import { hashPassword } from '../auth/password.js';
import { type Principal, staffOrgId } from '../auth/principal.js';
import { newApiKey, sha256 } from '../auth/tokens.js';
import type { CreateApiKeyInput, CreateOrganisationInput, CreateUserInput } from './schemas.js';

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
    createdAt: u.createdAt.toISOString(),
  });
  const keyView = (k: ApiKey) => ({
    id: k.id,
    orgId: k.orgId,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  });

  /** The organisation a creditor acts for, or the one an admin names. */
  function keyOwner(principal: Principal, orgId: number | undefined): Organisation {
    const own = staffOrgId(principal);
    const id = principal.role === 'admin' ? orgId : own;
    if (principal.role !== 'admin' && orgId !== undefined && orgId !== own) throw notFound(`Organisation ${orgId}`);
    if (id === undefined)
      throw new AppError('validation_failed', 'Name the creditor organisation the key is for (orgId).', {
        fields: [{ field: '/body/orgId', message: 'is required' }],
      });
    const org = db.select().from(organisations).where(eq(organisations.id, id)).get();
    if (!org) throw notFound(`Organisation ${id}`);
    if (org.kind !== 'creditor')
      throw new AppError('unprocessable', "API keys are for creditor organisations' systems only.");
    return org;
  }

  return {
    /** The directory of organisations: creditors pick mediation committees and courts from it. */
    listOrganisations() {
      return db.select().from(organisations).orderBy(asc(organisations.id)).all().map(orgView);
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

    async createUser(input: CreateUserInput) {
      const org = db.select().from(organisations).where(eq(organisations.id, input.orgId)).get();
      if (!org) throw notFound(`Organisation ${input.orgId}`);
      if (!ROLE_FOR_ORG_KIND[org.kind].includes(input.role)) {
        throw new AppError(
          'unprocessable',
          `A ${input.role} cannot belong to a ${org.kind} organisation; allowed roles: ${ROLE_FOR_ORG_KIND[org.kind].join(', ')}.`,
        );
      }
      const passwordHash = await hashPassword(input.password);
      try {
        const { password: _omit, ...rest } = input;
        return userView(
          db
            .insert(users)
            .values({ ...rest, passwordHash, createdAt: clock.now() })
            .returning()
            .get(),
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('duplicate', `The user name ${input.username} is taken.`);
        throw err;
      }
    },

    listApiKeys(principal: Principal) {
      const q = db.select().from(apiKeys).orderBy(asc(apiKeys.id));
      const rows = principal.role === 'admin' ? q.all() : q.where(eq(apiKeys.orgId, staffOrgId(principal))).all();
      return rows.map(keyView);
    },

    /** Create an API key; the key itself is in this answer only and is stored hashed. */
    createApiKey(principal: Principal, input: CreateApiKeyInput) {
      const org = keyOwner(principal, input.orgId);
      const { key, prefix } = newApiKey();
      const row = db
        .insert(apiKeys)
        .values({
          orgId: org.id,
          name: input.name,
          prefix,
          keyHash: sha256(key),
          createdBy: principal.kind === 'user' ? principal.userId : null,
          createdAt: clock.now(),
        })
        .returning()
        .get();
      return { ...keyView(row), key };
    },

    revokeApiKey(principal: Principal, id: number) {
      const scope = principal.role === 'admin' ? undefined : eq(apiKeys.orgId, staffOrgId(principal));
      const row = db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.id, id), scope))
        .get();
      if (!row) throw notFound(`API key ${id}`);
      if (!row.revokedAt)
        db.update(apiKeys)
          .set({ revokedAt: clock.now() })
          .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
          .run();
    },
  };
}
