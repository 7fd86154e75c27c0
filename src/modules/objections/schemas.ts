import { type Static, Type } from 'typebox';
import {
  HARDSHIP_OUTCOMES,
  HARDSHIP_REASONS,
  HARDSHIP_STATUSES,
  OBJECTION_CATEGORIES,
  OBJECTION_OUTCOMES,
  OBJECTION_STATUSES,
} from '../../domain/objections.js';
import { Fen, FilePart, Id, Instant, IsoDate, Nullable, StringEnum } from '../common/schemas.js';
import { MeansSchema } from '../means/schemas.js';

export const AttachmentSchema = Type.Object({
  id: Id,
  fileName: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
});

export const AmountsPatch = Type.Object(
  {
    principalFen: Type.Optional(Fen),
    interestFen: Type.Optional(Fen),
    penaltyFen: Type.Optional(Fen),
    feesFen: Type.Optional(Fen),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ObjectionSchema = Type.Object({
  id: Id,
  claim: Type.Object({ id: Id, contractNo: Type.String(), creditorName: Type.String() }),
  category: StringEnum(OBJECTION_CATEGORIES),
  statement: Type.String(),
  status: StringEnum(OBJECTION_STATUSES),
  replyDue: Nullable(IsoDate),
  replyOverdue: Type.Boolean({ description: 'open and past its reply deadline' }),
  outcome: Nullable(StringEnum(OBJECTION_OUTCOMES)),
  reasons: Nullable(Type.String()),
  newAmounts: Nullable(AmountsPatch),
  attachments: Type.Array(AttachmentSchema),
  createdAt: Instant,
  decidedAt: Nullable(Instant),
});
export type ObjectionView = Static<typeof ObjectionSchema>;

/** The text fields of the multipart objection form. */
export const ObjectionForm = Type.Object(
  {
    category: StringEnum(OBJECTION_CATEGORIES),
    statement: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export type ObjectionFormInput = Static<typeof ObjectionForm>;

export const ObjectionListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(OBJECTION_STATUSES)),
    claimId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type ObjectionListFilters = Static<typeof ObjectionListQuery>;

export const DecisionBody = Type.Object(
  {
    outcome: StringEnum(OBJECTION_OUTCOMES),
    reasons: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S', description: 'shown to the debtor' }),
    newAmounts: Type.Optional(AmountsPatch),
  },
  { additionalProperties: false },
);
export type DecisionInput = Static<typeof DecisionBody>;

export const CommentBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S', description: 'read by whoever decides' }) },
  { additionalProperties: false },
);

export const ObjectionCommentSchema = Type.Object({
  objectionId: Id,
  claimId: Id,
  seq: Type.Integer({ description: "the comment's event on the claim's chain" }),
  text: Type.String(),
  at: Instant,
});
export type ObjectionComment = Static<typeof ObjectionCommentSchema>;

export const HardshipPlanSchema = Type.Object({
  waiveInterest: Type.Boolean(),
  waivePenalty: Type.Boolean(),
  maxInstalments: Type.Integer({ minimum: 1 }),
});

const hardshipProps = {
  id: Id,
  reason: StringEnum(HARDSHIP_REASONS),
  statement: Type.String(),
  status: StringEnum(HARDSHIP_STATUSES),
  claims: Type.Array(Type.Object({ id: Id, contractNo: Type.String(), creditorName: Type.String() })),
  decisionNote: Nullable(Type.String()),
  plan: Nullable(HardshipPlanSchema),
  attachments: Type.Array(AttachmentSchema),
  createdAt: Instant,
  decidedAt: Nullable(Instant),
};
export const HardshipSchema = Type.Object(hardshipProps);
export type HardshipView = Static<typeof HardshipSchema>;

/** What a mediator reviewing a request sees besides the request: who asked, and their statement of means. */
export const StaffHardshipSchema = Type.Object({
  ...hardshipProps,
  debtor: Type.Object({ id: Id, name: Type.String() }),
  means: Nullable(MeansSchema),
});
export type StaffHardshipView = Static<typeof StaffHardshipSchema>;

/** The text fields of the multipart hardship form; claimIds may repeat or be comma-separated. */
export const HardshipForm = Type.Object(
  {
    claimIds: Type.Array(Id, { minItems: 1, maxItems: 50 }),
    reason: StringEnum(HARDSHIP_REASONS),
    statement: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export type HardshipFormInput = Static<typeof HardshipForm>;

const EvidenceFiles = Type.Optional(Type.Array(FilePart('evidence: PDF, JPEG or PNG')));
/** The multipart forms as the API document shows them; upload.ts reads and checks the parts. */
export const ObjectionMultipart = Type.Object({ ...ObjectionForm.properties, files: EvidenceFiles });
export const HardshipMultipart = Type.Object({ ...HardshipForm.properties, files: EvidenceFiles });

export const HardshipListQuery = Type.Object(
  { status: Type.Optional(StringEnum(HARDSHIP_STATUSES)) },
  { additionalProperties: false },
);

export const HardshipDecisionBody = Type.Object(
  {
    outcome: StringEnum(HARDSHIP_OUTCOMES),
    note: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S', description: 'shown to the debtor' }),
  },
  { additionalProperties: false },
);
export type HardshipDecisionInput = Static<typeof HardshipDecisionBody>;

export const StatsSchema = Type.Object({
  objections: Type.Object({
    open: Type.Integer(),
    replyOverdue: Type.Integer(),
    upheld: Type.Integer(),
    partially_upheld: Type.Integer(),
    rejected: Type.Integer(),
  }),
  hardship: Type.Object({ pending: Type.Integer(), granted: Type.Integer(), refused: Type.Integer() }),
});
