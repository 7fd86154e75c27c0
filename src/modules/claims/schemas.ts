import { type Static, Type } from 'typebox';
import { GUARANTEES, LOAN_CLASSES } from '../../domain/five-tier.js';
import { ACTIONS, HOLD_KINDS, STAGES, STATUSES } from '../../domain/lifecycle.js';
import { INTERRUPTION_KINDS } from '../../domain/limitation.js';
import { Fen, Id, Instant, IsoDate, Nullable, PageQuery, StringEnum } from '../common/schemas.js';
import { CourtCaseSchema, CreditRecordSchema } from '../court/schemas.js';
import { PaymentSchema } from '../payments/schemas.js';

/** A claim's amounts in fen, as every view of a claim shows them. */
export const AmountsSchema = Type.Object({
  principalFen: Fen,
  interestFen: Fen,
  penaltyFen: Fen,
  feesFen: Fen,
  totalFen: Fen,
  aboveCapFen: Type.Integer({
    minimum: 0,
    description: 'part of interest, penalty and fees above the legal rate cap: not enforceable',
  }),
});

export const ClaimSchema = Type.Object(
  {
    id: Id,
    contractNo: Type.String(),
    creditor: Type.Object({ id: Id, name: Type.String() }),
    debtor: Type.Object({
      id: Id,
      name: Type.String(),
      idNumberMasked: Type.String({ examples: ['350502**********3X'] }),
      phoneMasked: Nullable(Type.String({ examples: ['138****5678'] })),
    }),
    batchId: Nullable(Id),
    loanDate: IsoDate,
    dueDate: IsoDate,
    amounts: AmountsSchema,
    annualRateBp: Nullable(Type.Integer({ description: 'annual rate in basis points (23.5% = 2350)' })),
    overdueDays: Type.Integer(),
    guarantee: StringEnum(GUARANTEES),
    eServiceConsent: Type.Boolean({
      description: "the debtor's contractual consent to electronic service (CPL art. 90): an SMS link serves notices",
    }),
    loanClass: Nullable(StringEnum(LOAN_CLASSES)),
    riskScore: Nullable(Type.Integer()),
    screening: Nullable(Type.String()),
    screeningReasons: Type.Array(Type.String(), {
      description: 'why screening placed the claim where it is, e.g. `limitation_expired: 三年诉讼时效已于…届满`',
    }),
    /** Last day of the limitation period (诉讼时效), recounted on each interrupting event. */
    limitationExpiresOn: Nullable(IsoDate),
    stage: StringEnum(STAGES),
    status: StringEnum(STATUSES),
    hold: Nullable(StringEnum(HOLD_KINDS)),
    stageDeadline: Nullable(IsoDate),
    mediationOrgId: Nullable(Id),
    courtOrgId: Nullable(Id),
    assigneeId: Nullable(Id),
    availableActions: Type.Array(Type.String(), { description: 'actions your role can take now' }),
    version: Type.Integer({ description: 'send it back with a change: optimistic concurrency' }),
    createdAt: Instant,
    updatedAt: Instant,
  },
  { $id: 'Claim' },
);
export type ClaimView = Static<typeof ClaimSchema>;

const ClaimRecordsSchema = {
  courtCases: Type.Array(CourtCaseSchema, { description: 'its court cases with their numbers, oldest first' }),
  payments: Type.Array(PaymentSchema, { description: 'its payments, oldest first' }),
  creditRecords: Type.Array(CreditRecordSchema, {
    description: 'measures, listings and restrictions against the debtor for it, with their removal',
  }),
};
const ClaimRecordsObject = Type.Object(ClaimRecordsSchema);
export type ClaimRecords = Static<typeof ClaimRecordsObject>;

const Bp = (description: string) => Type.Integer({ minimum: 0, description });

/** One part of the art. 31 transition: a period and the line that judges what accrued in it. */
const TransitionPartSchema = Type.Object({
  rule: StringEnum(['old_two_lines', 'lpr_at_filing'] as const, {
    description:
      'old_two_lines: to 2020-08-19, the old 24% line; lpr_at_filing: from 2020-08-20, 4 × the LPR at filing',
  }),
  from: IsoDate,
  to: IsoDate,
  days: Type.Integer({ minimum: 0 }),
  capBp: Bp('the cap of the part in basis points (24% = 2400)'),
  chargesFen: Fen,
  allowedFen: Fen,
  aboveCapFen: Fen,
});

/** 法释〔2020〕17号 art. 31 for a private loan formed before 2020-08-20, as screening judged it. */
export const RateTransitionSchema = Type.Object(
  {
    annualRateBp: Bp('the contract rate'),
    filedOn: IsoDate,
    lpr: Type.Object(
      { publishDate: IsoDate, lpr1yBp: Bp('the one-year LPR') },
      { description: 'the one-year LPR in force on filedOn, which sets the second part’s cap (× 4)' },
    ),
    parts: Type.Array(TransitionPartSchema, { minItems: 2, maxItems: 2 }),
    chargesFen: Type.Integer({ minimum: 0, description: 'interest, penalty and fees claimed' }),
    allowedFen: Type.Integer({ minimum: 0, description: 'what the two lines allow of them' }),
    aboveCapFen: Fen,
    aboveVoidLine: Type.Boolean({
      description: 'the rate is above 36%: void, not merely unsupported, for the first part',
    }),
  },
  { description: 'null unless the claim is a private loan formed before 2020-08-20 with a rate' },
);

/** One claim in full: the claim and the records its later stages made. */
export const ClaimDetailSchema = Type.Object({
  ...ClaimSchema.properties,
  limitationCountedFrom: Type.Object(
    {
      kind: StringEnum(['due_date', 'last_instalment', 'acceleration', ...INTERRUPTION_KINDS]),
      on: IsoDate,
      eventSeq: Type.Optional(Type.Integer({ description: 'the claim event that recorded the interruption' })),
    },
    { description: 'what limitationExpiresOn was last counted from: the due date or an interrupting event' },
  ),
  rateTransition: Nullable(RateTransitionSchema),
  ...ClaimRecordsSchema,
});
export type ClaimDetailView = Static<typeof ClaimDetailSchema>;

export const ClaimListQuery = Type.Object(
  {
    stage: Type.Optional(StringEnum(STAGES)),
    status: Type.Optional(StringEnum(STATUSES)),
    batchId: Type.Optional(Id),
    overdueMin: Type.Optional(Type.Integer({ minimum: 0 })),
    overdueMax: Type.Optional(Type.Integer({ minimum: 0 })),
    loanClass: Type.Optional(StringEnum(LOAN_CLASSES)),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'contract number prefix or part of the debtor name' }),
    ),
    sort: Type.Optional(
      StringEnum(['id', 'deadline'] as const, {
        description: 'id (the default), or deadline: the soonest stage deadline first, claims without one last',
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ClaimListFilters = Static<typeof ClaimListQuery>;

const { limit: _limit, after: _after, ...filterFields } = ClaimListQuery.properties;
/** The filters of GET /api/claims, without paging: a batch operation takes every claim that matches. */
export const ClaimFilter = Type.Object(filterFields, { additionalProperties: false });
export type ClaimFilterInput = Static<typeof ClaimFilter>;

export const ClaimPageSchema = Type.Object({
  items: Type.Array(Type.Ref('Claim')),
  nextCursor: Nullable(Type.String()),
});

export const TransitionBody = Type.Object(
  {
    action: StringEnum(ACTIONS, { description: 'a lifecycle action, see GET /api/lifecycle' }),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    version: Type.Integer({ minimum: 1, description: 'the claim version you read' }),
    holdKind: Type.Optional(StringEnum(HOLD_KINDS)),
  },
  { additionalProperties: false },
);
export type TransitionInput = Static<typeof TransitionBody>;

export const ClaimEventSchema = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  from: Type.Object({ stage: Type.String(), status: Type.String(), hold: Nullable(Type.String()) }),
  to: Type.Object({ stage: Type.String(), status: Type.String(), hold: Nullable(Type.String()) }),
  actor: Type.Object({ kind: Type.String(), id: Nullable(Type.Integer()), name: Type.String() }),
  reason: Nullable(Type.String()),
  data: Nullable(Type.Record(Type.String(), Type.Unknown())),
  at: Instant,
  hash: Type.String(),
});

export const ClaimEventsSchema = Type.Object({
  events: Type.Array(ClaimEventSchema),
  chain: Type.Object({
    valid: Type.Boolean(),
    brokenAtSeq: Type.Optional(Type.Integer()),
    detail: Type.Optional(Type.String()),
  }),
});
