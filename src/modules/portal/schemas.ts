import { type Static, Type } from 'typebox';
import { PAYMENT_STATUSES } from '../../db/schema/index.js';
import { HOLD_KINDS, STAGES, STATUSES } from '../../domain/lifecycle.js';
import { HARDSHIP_STATUSES } from '../../domain/objections.js';
import { AmountsSchema } from '../claims/schemas.js';
import { Fen, Id, Instant, IsoDate, Nullable, StringEnum } from '../common/schemas.js';
import { CourtCaseSchema, CreditRecordSchema } from '../court/schemas.js';
import { ObjectionSchema } from '../objections/schemas.js';

export const AccessCodeSchema = Type.Object({
  accessCode: Type.String({ examples: ['K7M4-Q9TX'] }),
  link: Type.String({ description: 'the portal link printed on notices, with the code filled in' }),
});

export const LoginBody = Type.Object(
  {
    accessCode: Type.String({ minLength: 4, maxLength: 32, description: 'the code printed on the mediation notice' }),
    idSuffix: Type.String({ pattern: '^[0-9]{5}[0-9Xx]$', description: 'the last six characters of the ID number' }),
  },
  { additionalProperties: false },
);

export const ChallengeSchema = Type.Object({
  challengeId: Type.String(),
  phoneMasked: Type.String({ examples: ['138****5678'], description: 'where the one-time code was sent' }),
  expiresAt: Instant,
});

export const VerifyBody = Type.Object(
  { challengeId: Type.String({ minLength: 8, maxLength: 64 }), code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);

export const DebtorSessionSchema = Type.Object({ token: Type.String(), expiresAt: Instant });

export const NextDeadlineSchema = Type.Object({
  date: IsoDate,
  kind: StringEnum(['objection_reply', 'instalment', 'stage'] as const, {
    description: 'an answer to an objection, an instalment, or the stage time limit',
  }),
});
export type NextDeadline = Static<typeof NextDeadlineSchema>;

const summaryProps = {
  id: Id,
  contractNo: Type.String(),
  creditorName: Type.String(),
  stage: StringEnum(STAGES),
  status: StringEnum(STATUSES),
  hold: Nullable(StringEnum(HOLD_KINDS)),
  nextDeadline: Nullable(NextDeadlineSchema),
};

export const DebtorClaimSummarySchema = Type.Object({
  ...summaryProps,
  totalFen: Fen,
  aboveCapFen: Type.Integer({ minimum: 0, description: 'part above the legal rate cap: not enforceable' }),
});
export type DebtorClaimSummary = Static<typeof DebtorClaimSummarySchema>;

export const DebtorDocumentSchema = Type.Object({
  id: Id,
  kind: Type.String(),
  title: Type.String({ examples: ['调解通知书'] }),
  docNo: Type.String(),
  version: Type.Integer(),
  createdAt: Instant,
});

export const DebtorClaimDetailSchema = Type.Object({
  ...summaryProps,
  loanDate: IsoDate,
  dueDate: IsoDate,
  overdueDays: Type.Integer(),
  amounts: Type.Object({ ...AmountsSchema.properties, enforceableFen: Fen }),
  rate: Nullable(
    Type.Object({
      annualRateBp: Type.Integer(),
      capBp: Nullable(Type.Integer({ description: 'the cap that applies to this lender' })),
      aboveLprCap: Nullable(Type.Boolean({ description: 'above 4 × one-year LPR at the contract date' })),
      above24: Nullable(Type.Boolean({ description: 'above the 24% judicial all-in line' })),
      aboveCap: Nullable(Type.Boolean({ description: 'above the cap that applies to this lender' })),
    }),
  ),
  documents: Type.Array(DebtorDocumentSchema, { description: 'download each from GET /api/documents/:id/pdf' }),
  sessions: Type.Array(
    Type.Object({
      id: Id,
      mode: Type.String(),
      status: Type.String(),
      scheduledAt: Nullable(Instant),
      startedAt: Nullable(Instant),
      endedAt: Nullable(Instant),
    }),
  ),
  settlements: Type.Array(
    Type.Object({
      id: Id,
      kind: Type.String(),
      totalFen: Fen,
      hardship: Type.Boolean(),
      status: Type.String(),
      agreedAt: Nullable(Instant),
      instalments: Type.Array(
        Type.Object({
          seq: Type.Integer(),
          dueDate: IsoDate,
          amountFen: Fen,
          paidFen: Fen,
          status: Type.String(),
          transferMemo: Type.String({ description: 'what to write in the transfer memo (附言) of this instalment' }),
        }),
      ),
    }),
  ),
  paymentInstructions: Nullable(
    Type.Object(
      { payeeName: Type.String(), payeeBank: Type.String(), payeeAccount: Type.String() },
      {
        description:
          "the creditor's account to pay an agreed plan into; null without a plan or before the creditor set one",
      },
    ),
  ),
  payments: Type.Array(Type.Object({ amountFen: Fen, paidOn: IsoDate, status: StringEnum(PAYMENT_STATUSES) })),
  balance: Type.Object({
    paidFen: Fen,
    owedFen: Type.Integer({ minimum: 0, description: 'still owed: under an agreement, what is left of it' }),
  }),
  courtCases: Type.Array(
    Type.Pick(CourtCaseSchema, ['kind', 'caseNo', 'status', 'outcome', 'reason', 'filedOn', 'decidedOn', 'judgment']),
    { description: "the claim's court cases, oldest first, with their case numbers (案号)" },
  ),
  creditRecords: Type.Array(
    Type.Pick(CreditRecordSchema, ['kind', 'listedOn', 'termEndsOn', 'removalDueOn', 'removedOn']),
    {
      description: 'enforcement measures on the debtor for this claim, and when each was or must be removed',
    },
  ),
  objections: Type.Array(ObjectionSchema),
  hardshipRequests: Type.Array(Type.Object({ id: Id, status: StringEnum(HARDSHIP_STATUSES) })),
  canObject: Type.Boolean({ description: 'the claim is open and has no objection under review' }),
});
export type DebtorClaimDetail = Static<typeof DebtorClaimDetailSchema>;
