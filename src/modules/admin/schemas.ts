import { type Static, Type } from 'typebox';
import { API_KEY_SCOPES } from '../../domain/api-key-scopes.js';
import { LENDER_TYPES, ORG_KINDS, USER_ROLES } from '../../domain/roles.js';
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from '../auth/password-policy.js';
import { Id, Instant, Nullable, PlainName, StringEnum } from '../common/schemas.js';

export const SettlementPolicySchema = Type.Object(
  {
    maxDiscountPct: Type.Integer({
      minimum: 0,
      maximum: 100,
      description: 'largest discount on the enforceable amount, percent',
    }),
    maxInstalments: Type.Integer({ minimum: 1, maximum: 120 }),
    minFirstPaymentPct: Type.Integer({
      minimum: 0,
      maximum: 100,
      description: 'smallest first payment, percent of the settlement',
    }),
    litigationAllowed: Type.Boolean({ description: 'failed claims may go to litigation' }),
    graceDays: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 90,
        description: 'days after an instalment falls due before non-payment is a breach (default 7)',
      }),
    ),
    escalateOnTimeout: Type.Optional(
      Type.Boolean({
        description: "a people's mediation that times out goes on to court pre-litigation mediation (default true)",
      }),
    ),
    peopleMediationDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, description: "people's mediation time limit (default 30)" }),
    ),
    courtMediationDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, description: 'court pre-litigation mediation time limit (default 30)' }),
    ),
  },
  { additionalProperties: false },
);
export type SettlementPolicy = Static<typeof SettlementPolicySchema>;

export const OrganisationSchema = Type.Object({
  id: Id,
  kind: StringEnum(ORG_KINDS),
  code: Type.String(),
  name: Type.String(),
  creditCode: Nullable(Type.String()),
  lenderType: Nullable(StringEnum(LENDER_TYPES)),
  courtCode: Nullable(Type.String()),
  courtId: Nullable(Id),
  createdAt: Instant,
});

export const CreateOrganisationBody = Type.Object(
  {
    kind: StringEnum(ORG_KINDS),
    code: Type.String({ pattern: '^[A-Za-z0-9_-]{2,32}$' }),
    name: PlainName({ minLength: 2, maxLength: 100 }),
    creditCode: Type.Optional(Type.String({ maxLength: 18 })),
    lenderType: Type.Optional(StringEnum(LENDER_TYPES)),
    courtCode: Type.Optional(Type.String({ maxLength: 16 })),
    courtId: Type.Optional(Id),
    settlementPolicy: Type.Optional(SettlementPolicySchema),
  },
  { additionalProperties: false },
);
export type CreateOrganisationInput = Static<typeof CreateOrganisationBody>;

/** The account debtors pay a creditor into, printed in their payment instructions. */
export const PayeeAccountSchema = Type.Object(
  {
    /** 户名: the account holder, as the bank has it. */
    payeeName: PlainName({ minLength: 2, maxLength: 100 }),
    /** 开户行, e.g. 中国工商银行泉州分行. */
    payeeBank: PlainName({ minLength: 2, maxLength: 100 }),
    payeeAccount: Type.String({
      pattern: '^[0-9]{8,32}$',
      description: '账号: 8–32 digits, without spaces',
    }),
  },
  { additionalProperties: false },
);
export type PayeeAccount = Static<typeof PayeeAccountSchema>;

export const UserSchema = Type.Object({
  id: Id,
  orgId: Id,
  username: Type.String(),
  displayName: Type.String(),
  role: StringEnum(USER_ROLES),
  disabled: Type.Boolean(),
  awaitingApproval: Type.Boolean({
    description:
      'made by an admin inside a creditor organisation: disabled until that creditor or another admin approves',
  }),
  createdAt: Instant,
});

export const CreateUserBody = Type.Object(
  {
    orgId: Id,
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,31}$', description: 'lower-case letters, digits, . _ -' }),
    displayName: PlainName({ minLength: 1, maxLength: 64 }),
    role: StringEnum(USER_ROLES),
    password: Type.String({
      minLength: PASSWORD_MIN_CHARS,
      maxLength: PASSWORD_MAX_CHARS * 4,
      description: `at least ${PASSWORD_MIN_CHARS} characters, not a commonly used password, not containing the user name`,
    }),
  },
  { additionalProperties: false },
);
export type CreateUserInput = Static<typeof CreateUserBody>;

export const ResetPasswordBody = Type.Object(
  { password: CreateUserBody.properties.password },
  { additionalProperties: false },
);

export const ApiKeySchema = Type.Object({
  id: Id,
  orgId: Id,
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(StringEnum(API_KEY_SCOPES)),
  expiresAt: Nullable(Instant),
  createdAt: Instant,
  lastUsedAt: Nullable(Instant),
  revokedAt: Nullable(Instant),
});

export const CreateApiKeyBody = Type.Object(
  {
    name: PlainName({ minLength: 1, maxLength: 64 }),
    scopes: Type.Array(StringEnum(API_KEY_SCOPES), {
      minItems: 1,
      uniqueItems: true,
      description: 'what the key may do: batches, claims, documents, templates; each :read or :write',
    }),
    expiresAt: Type.Optional(Instant),
  },
  { additionalProperties: false },
);
export type CreateApiKeyInput = Static<typeof CreateApiKeyBody>;
