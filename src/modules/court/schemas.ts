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
  filedOn: Nullable(IsoDate),
  decidedOn: Nullable(IsoDate),
});
export type CourtCaseView = Static<typeof CourtCaseSchema>;

export const ApplyConfirmationBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'the claim version you read' }) },
  { additionalProperties: false },
);

export const GrantBody = Type.Object(
  {
    caseNo: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        description: "the ruling's case number as the court gave it; omitted, the court's next 民特 number",
      }),
    ),
  },
  { additionalProperties: false },
);

export const RefuseBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 1000, description: 'the reasons, shown to the parties' }) },
  { additionalProperties: false },
);
