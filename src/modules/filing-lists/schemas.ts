import { type Static, Type } from 'typebox';
import { Fen, Id, Instant, Nullable } from '../common/schemas.js';

/** Most suits on one list: a court's e-filing takes one archive, and it is made as it downloads. */
export const FILING_LIST_MAX_CLAIMS = 500;

export const FilingListBody = Type.Object(
  {
    claimIds: Type.Array(Id, {
      minItems: 1,
      maxItems: FILING_LIST_MAX_CLAIMS,
      uniqueItems: true,
      description: 'filed suits (litigation/filed) of one court, in the order the list gives them',
    }),
  },
  { additionalProperties: false },
);
export type FilingListInput = Static<typeof FilingListBody>;

const Org = Type.Object({ id: Id, name: Type.String() });

export const FilingListSummarySchema = Type.Object({
  id: Id,
  creditor: Org,
  court: Org,
  claimCount: Type.Integer(),
  createdAt: Instant,
  archiveUrl: Type.String({ description: 'the ZIP for the court’s e-filing' }),
});

export const FilingListSchema = Type.Object({
  ...FilingListSummarySchema.properties,
  claims: Type.Array(
    Type.Object({
      position: Type.Integer({ minimum: 1 }),
      claimId: Id,
      contractNo: Type.String(),
      debtorName: Type.String(),
      claimedFen: Fen,
      courtCaseId: Id,
      caseNo: Nullable(Type.String()),
    }),
  ),
});
export type FilingListView = Static<typeof FilingListSchema>;

export const FilingListCreatedSchema = Type.Object({
  ...FilingListSchema.properties,
  refused: Type.Array(Type.Object({ claimId: Id, code: Type.String(), detail: Type.String() }), {
    description: 'claims left off the list, each with the reason',
  }),
});
