import { type Static, Type } from 'typebox';
import { SETTLEMENT_KINDS } from '../../domain/settlement-terms.js';
import { Fen, Id, Instant, IsoDate, Nullable, StringEnum } from '../common/schemas.js';
import { SessionFrameSchema } from './frames.js';

export const SESSION_MODES = ['online', 'phone', 'video', 'onsite'] as const;
/** How a session is held, in the words of invitations and the record. */
export const MODE_LABELS = { online: '在线', phone: '电话', video: '视频', onsite: '现场' } as const satisfies Record<
  (typeof SESSION_MODES)[number],
  string
>;
export const SESSION_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** agreed: a settlement was reached; failed: the claims still open fail mediation; adjourned: nothing changes. */
export const SESSION_OUTCOMES = ['agreed', 'failed', 'adjourned'] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

export const CreateSessionBody = Type.Object(
  {
    claimIds: Type.Array(Id, {
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
      description: 'one claim, or all open claims of one debtor with one creditor',
    }),
    mode: StringEnum(SESSION_MODES),
    scheduledAt: Instant,
  },
  { additionalProperties: false },
);
export type CreateSessionInput = Static<typeof CreateSessionBody>;

export const ScheduleBody = Type.Object(
  {
    debtorIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
    mode: StringEnum(SESSION_MODES),
    firstSlotAt: Instant,
    slotMinutes: Type.Integer({ minimum: 5, maximum: 240, default: 30 }),
  },
  { additionalProperties: false },
);
export type ScheduleInput = Static<typeof ScheduleBody>;

export const EndSessionBody = Type.Object({ outcome: StringEnum(SESSION_OUTCOMES) }, { additionalProperties: false });

export const SessionListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(SESSION_STATUSES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    after: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type SessionListFilters = Static<typeof SessionListQuery>;

export const MessagesQuery = Type.Object(
  {
    afterSeq: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
  },
  { additionalProperties: false },
);

export const SuggestBody = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        pattern: '^[\\w.:-]{1,64}$',
        description: 'client id of the proposal frame; a repeat with the same id answers the first',
      }),
    ),
  },
  { additionalProperties: false },
);

const LimitsSchema = Type.Object({
  maxDiscountPct: Type.Integer(),
  maxInstalments: Type.Integer(),
  minFirstPaymentPct: Type.Integer(),
});
const TermsSchema = Type.Object({
  enforceableFen: Fen,
  waivedFen: Fen,
  baseFen: Fen,
  hardship: Type.Boolean(),
  limits: LimitsSchema,
});
const InstalmentSchema = Type.Object({
  seq: Type.Integer(),
  dueDate: IsoDate,
  amountFen: Fen,
  paidFen: Fen,
  status: Type.String(),
});

export const SessionSchema = Type.Object({
  id: Id,
  mode: StringEnum(SESSION_MODES),
  status: StringEnum(SESSION_STATUSES),
  scheduledAt: Nullable(Instant),
  startedAt: Nullable(Instant),
  endedAt: Nullable(Instant),
  outcome: Nullable(StringEnum(SESSION_OUTCOMES)),
  mediator: Type.Object({ id: Id, name: Type.String() }),
  creditor: Type.Object({ id: Id, name: Type.String() }),
  debtor: Type.Object({ id: Id, name: Type.String() }),
  claims: Type.Array(
    Type.Object({
      id: Id,
      contractNo: Type.String(),
      stage: Type.String(),
      status: Type.String(),
      enforceableFen: Fen,
    }),
  ),
  present: Type.Array(Type.Object({ role: Type.String(), name: Type.String() }), {
    description: 'who is connected now',
  }),
  lastSeq: Type.Integer(),
  lastActivityAt: Nullable(Instant),
  settlements: Type.Array(
    Type.Object({
      id: Id,
      proposalSeq: Nullable(Type.Integer()),
      kind: StringEnum(SETTLEMENT_KINDS),
      totalFen: Fen,
      hardship: Type.Boolean(),
      status: Type.String(),
      agreedAt: Nullable(Instant),
      instalments: Type.Array(InstalmentSchema),
    }),
  ),
  /** The offer basis and the creditor's limits: staff only, never shown to the debtor. */
  terms: Type.Optional(TermsSchema),
});
export type SessionView = Static<typeof SessionSchema>;

export const SessionPageSchema = Type.Object({ items: Type.Array(SessionSchema), nextAfter: Nullable(Id) });

export const ScheduleResultSchema = Type.Object({
  sessions: Type.Array(
    Type.Object({
      id: Id,
      debtorId: Id,
      creditorOrgId: Id,
      claimIds: Type.Array(Id),
      scheduledAt: Instant,
      invited: Type.Boolean({ description: 'an SMS invitation was queued' }),
    }),
  ),
  skipped: Type.Array(Type.Object({ debtorId: Id, reason: Type.String(), detail: Type.String() })),
});
export type ScheduleResult = Static<typeof ScheduleResultSchema>;

export const FramePageSchema = Type.Object({ items: Type.Array(SessionFrameSchema), lastSeq: Type.Integer() });

export const TranscriptSchema = Type.Object({
  session: SessionSchema,
  frames: Type.Array(SessionFrameSchema),
  exportedAt: Instant,
});

const PlanSchema = Type.Object({
  kind: StringEnum(SETTLEMENT_KINDS),
  totalFen: Fen,
  instalments: Type.Array(Type.Object({ dueDate: IsoDate, amountFen: Fen })),
});
export const SuggestionSchema = Type.Object({
  ok: Type.Boolean(),
  plan: Nullable(PlanSchema),
  reason: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  monthlyCapacityFen: Fen,
  claimIds: Type.Array(Id),
  terms: TermsSchema,
  means: Type.Object({
    monthlyIncomeFen: Fen,
    essentialExpensesFen: Fen,
    dependants: Type.Integer(),
    createdAt: Instant,
  }),
});
export type SuggestionView = Static<typeof SuggestionSchema>;
