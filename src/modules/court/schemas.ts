import { type Static, Type } from 'typebox';
import { COURT_CASE_STATUSES } from '../../db/schema/index.js';
import { CASE_KINDS } from '../../domain/case-numbers.js';
import { Id, IsoDate, Nullable, StringEnum } from '../common/schemas.js';

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
