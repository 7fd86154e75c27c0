import { type Static, Type } from 'typebox';
import { DEBTOR_PLAN_STATUSES } from '../../db/schema/index.js';
import { SETTLEMENT_KINDS } from '../../domain/settlement-terms.js';
import { Fen, Id, Instant, IsoDate, Nullable, StringEnum } from '../common/schemas.js';

const Instalments = Type.Array(
  Type.Object(
    { dueDate: IsoDate, amountFen: Type.Integer({ minimum: 1, maximum: 10_000_000_000 }) },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 120 },
);

export const PlanBody = Type.Object(
  {
    claimIds: Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true }),
    kind: StringEnum(SETTLEMENT_KINDS),
    totalFen: Type.Integer({ minimum: 1, maximum: 10_000_000_000 }),
    instalments: Instalments,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type PlanInput = Static<typeof PlanBody>;

export const PlanListQuery = Type.Object(
  { status: Type.Optional(StringEnum(DEBTOR_PLAN_STATUSES)) },
  { additionalProperties: false },
);

export const DeclineBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const SuggestQuery = Type.Object(
  { claimIds: Type.String({ pattern: '^\\d+(,\\d+){0,49}$', description: 'comma-separated claim ids' }) },
  { additionalProperties: false },
);

export const DebtorPlanSchema = Type.Object({
  id: Id,
  status: StringEnum(DEBTOR_PLAN_STATUSES),
  claimIds: Type.Array(Id),
  creditor: Type.Object({ id: Id, name: Type.String() }),
  kind: StringEnum(SETTLEMENT_KINDS),
  totalFen: Fen,
  instalments: Type.Array(Type.Object({ dueDate: IsoDate, amountFen: Fen })),
  note: Nullable(Type.String()),
  /** Outside the creditor's limits: it went to the mediator rather than to the creditor. */
  needsApproval: Type.Boolean(),
  /** The limits it breaks (staff only). */
  breaches: Type.Optional(
    Type.Array(Type.Object({ limit: Type.String(), allowed: Type.Number(), proposed: Type.Number() })),
  ),
  settlementId: Nullable(Id),
  decisionReason: Nullable(Type.String()),
  createdAt: Instant,
  decidedAt: Nullable(Instant),
});
export type DebtorPlanView = Static<typeof DebtorPlanSchema>;

export const PlanSuggestionSchema = Type.Object({
  plan: Nullable(
    Type.Object({
      kind: StringEnum(SETTLEMENT_KINDS),
      totalFen: Fen,
      instalments: Type.Array(Type.Object({ dueDate: IsoDate, amountFen: Fen })),
    }),
  ),
  /** Why no plan is suggested: no_statement_of_means, unaffordable_within_limits… */
  reason: Nullable(Type.String()),
  monthlyCapacityFen: Nullable(Fen),
});
