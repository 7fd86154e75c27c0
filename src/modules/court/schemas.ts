import { type Static, Type } from 'typebox';
import { COURT_CASE_STATUSES, CREDIT_MEASURES } from '../../db/schema/index.js';
import { CASE_KINDS } from '../../domain/case-numbers.js';
import { Fen, Id, IsoDate, Nullable, StringEnum } from '../common/schemas.js';

export const CourtCaseSchema = Type.Object({
  id: Id,
  claimId: Id,
  courtOrgId: Id,
  kind: StringEnum(CASE_KINDS),
  caseNo: Nullable(Type.String({ description: 'the case number (案号), e.g. （2026）闽0502民特123号' })),
  status: StringEnum(COURT_CASE_STATUSES, { description: "pending in the court's queue, granted or refused" }),
  reason: Nullable(Type.String({ description: "the court's reasons for refusing" })),
  outcome: Nullable(
    Type.String({
      description: 'how it ended: confirmed, refused, mediation_statement; a mediation case agreed or failed',
    }),
  ),
  filedOn: Nullable(IsoDate),
  decidedOn: Nullable(IsoDate),
  judgment: Nullable(
    Type.Object(
      {
        awardedPrincipalFen: Nullable(Fen),
        awardedInterestFen: Nullable(Fen),
        costsFen: Nullable(Fen),
        effectiveOn: Nullable(IsoDate),
        performanceDueOn: Nullable(IsoDate),
      },
      { description: "a judgment's award and dates; null for other cases" },
    ),
  ),
});
export type CourtCaseView = Static<typeof CourtCaseSchema>;

export const ApplyConfirmationBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'the claim version you read' }) },
  { additionalProperties: false },
);

/** A case number the clerk types as the court gave it; omitted, the court's next number of that type. */
const givenCaseNo = (paper: string, type: string) =>
  Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 40,
      description: `the ${paper}'s case number as the court gave it; omitted, the court's next ${type} number`,
    }),
  );

export const GrantBody = Type.Object({ caseNo: givenCaseNo('ruling', '民特') }, { additionalProperties: false });

export const RefuseBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 1000, description: 'the reasons, shown to the parties' }) },
  { additionalProperties: false },
);

export const MediationStatementBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the claim version you read' }),
    caseNo: givenCaseNo('statement', '民初'),
  },
  { additionalProperties: false },
);

export const RegisterBody = Type.Object({ caseNo: givenCaseNo('case', '民初 or 执') }, { additionalProperties: false });

export const JudgmentBody = Type.Object(
  {
    outcome: StringEnum(['judged', 'dismissed'] as const, { description: 'for the creditor, or the claim dismissed' }),
    effectiveOn: IsoDate,
    awardedPrincipalFen: Fen,
    awardedInterestFen: Fen,
    costsFen: Type.Integer({ minimum: 0, description: 'litigation costs the debtor bears, in fen' }),
    performanceDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        description: 'days to perform after the judgment takes effect; 10 if omitted',
      }),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type JudgmentInput = Static<typeof JudgmentBody>;

export const MeasureBody = Type.Object(
  {
    kind: StringEnum(CREDIT_MEASURES, {
      description: 'account_freeze (冻结账户), consumption_restriction (限制高消费), dishonest_listing (失信被执行人)',
    }),
    on: IsoDate,
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    termYears: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 2,
          maximum: 5,
          description:
            'a dishonest listing only: its term in years (2, extended by 1–3 for serious cases; default 2), or null for a listing without a fixed term (art. 1 item 1: until the debtor performs)',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type MeasureInput = Static<typeof MeasureBody>;

export const RemovalBody = Type.Object(
  {
    on: IsoDate,
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type RemovalInput = Static<typeof RemovalBody>;

export const CreditRecordSchema = Type.Object({
  id: Id,
  kind: StringEnum(CREDIT_MEASURES),
  courtCaseId: Nullable(Id),
  listedOn: Nullable(IsoDate),
  /** the last day of a fixed-term listing; null for a measure without a term */
  termEndsOn: Nullable(IsoDate),
  /** the court must have removed it by this day */
  removalDueOn: Nullable(IsoDate),
  removedOn: Nullable(IsoDate),
  note: Nullable(Type.String()),
});
