import { type Static, Type } from 'typebox';
import { ACTIONS, TRANSITIONS } from '../../domain/lifecycle.js';
import { ClaimFilter } from '../claims/schemas.js';
import { Id, Instant, Nullable, StringEnum } from '../common/schemas.js';
import { MeasureBody } from '../court/schemas.js';

/** Most claims one job may cover. */
export const MAX_CLAIMS_PER_JOB = 100_000;

/** Steps that write a court record with the claim's move, run over many claims by their own verbs. */
export const RECORDED_BATCH_ACTIONS = ['grant_confirmation', 'record_measure'] as const;

/** Lifecycle actions the generic route takes: those with no court record of their own. */
export const GENERIC_ACTIONS = ACTIONS.filter((a) =>
  TRANSITIONS.some((t) => t.action === a && !t.recordedBy && !t.actors.every((k) => k === 'system')),
);

export const BATCH_ACTIONS = [...GENERIC_ACTIONS, ...RECORDED_BATCH_ACTIONS];
export type BatchAction = (typeof BATCH_ACTIONS)[number];

export const ClaimActionBody = Type.Object(
  {
    action: StringEnum(BATCH_ACTIONS, {
      description:
        'a lifecycle action of GET /api/lifecycle (escalate, file_suit, apply_enforcement, …), or grant_confirmation (the pending 民特 application of each claim, numbered by the court) or record_measure (on the enforcement case of each claim, `measure` required)',
    }),
    claimIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: MAX_CLAIMS_PER_JOB, uniqueItems: true })),
    filter: Type.Optional(ClaimFilter),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    measure: Type.Optional(MeasureBody),
    clientKey: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[A-Za-z0-9._:-]+$',
      description: 'your key for this request: sending the same request with it again answers the same job',
    }),
  },
  { additionalProperties: false },
);
export type ClaimActionInput = Static<typeof ClaimActionBody>;

export const JOB_STATUSES = ['running', 'done', 'interrupted'] as const;
export const ITEM_STATUSES = ['pending', 'done', 'refused', 'not_found', 'failed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ClaimActionJobSchema = Type.Object({
  id: Id,
  action: StringEnum(BATCH_ACTIONS),
  clientKey: Type.String(),
  status: StringEnum(JOB_STATUSES, {
    description: 'interrupted: the server stopped; send the request again with its clientKey to go on',
  }),
  total: Type.Integer(),
  done: Type.Integer(),
  refused: Type.Integer({ description: 'claims where the lifecycle or the court record refused the step' }),
  notFound: Type.Integer({ description: 'claims that do not exist or that you may not see: never acted on' }),
  pending: Type.Integer(),
  createdAt: Instant,
  finishedAt: Nullable(Instant),
});
export type ClaimActionJobView = Static<typeof ClaimActionJobSchema>;

export const ClaimActionItemSchema = Type.Object({
  claimId: Id,
  status: StringEnum(ITEM_STATUSES),
  code: Nullable(Type.String({ description: 'the error code of a refusal' })),
  rule: Nullable(Type.String({ description: 'the lifecycle rule that refused, e.g. transition_not_allowed' })),
  detail: Nullable(Type.String()),
  message: Nullable(Type.String({ description: 'why it was refused, in Chinese, for the person who sent the job' })),
});
export type ClaimActionItemView = Static<typeof ClaimActionItemSchema>;

export const ClaimActionDetailSchema = Type.Object({
  ...ClaimActionJobSchema.properties,
  items: Type.Array(ClaimActionItemSchema),
  nextCursor: Nullable(Type.Integer({ minimum: 1, description: 'pass as `after` for the next page of items' })),
});
export type ClaimActionDetail = Static<typeof ClaimActionDetailSchema>;

export const ClaimActionJobQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(ITEM_STATUSES, { description: 'only items in this status' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
    after: Type.Optional(Id),
  },
  { additionalProperties: false },
);
