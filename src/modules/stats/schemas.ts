import { type Static, Type } from 'typebox';
import { STAGES } from '../../domain/lifecycle.js';
import { Fen, Id, IsoDate, Nullable, StringEnum } from '../common/schemas.js';

export const FunnelQuery = Type.Object(
  {
    creditor: Type.Optional(Id),
    batch: Type.Optional(Id),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type FunnelQuery = Static<typeof FunnelQuery>;

const Count = Type.Integer({ minimum: 0 });
const Bp = Type.Integer({ minimum: 0, description: 'basis points (1/10,000)' });
const Stage = StringEnum(STAGES);
const Days = Nullable(Type.Number({ minimum: 0, description: 'days, to one decimal' }));

const totals = {
  claims: Count,
  claimedFen: Fen,
  recoveredFen: Fen,
  settled: Type.Integer({ minimum: 0, description: 'claims that reached an agreement at any stage' }),
  breaches: Type.Integer({ minimum: 0, description: 'agreements breached' }),
  settlementRateBp: Bp,
  recoveryBp: Type.Integer({ minimum: 0, description: 'fen recovered per 10,000 fen claimed' }),
};

export const FunnelSchema = Type.Object({
  ...totals,
  stages: Type.Array(
    Type.Object({
      stage: Stage,
      claims: Count,
      claimedFen: Fen,
      statuses: Type.Array(Type.Object({ status: Type.String(), claims: Count, claimedFen: Fen })),
    }),
    { description: 'claims where they stand now, in funnel order' },
  ),
  flows: Type.Array(Type.Object({ from: Stage, to: Stage, claims: Count }), {
    description: 'moves from one stage to another, from the claim events',
  }),
  settledByStage: Type.Array(Type.Object({ stage: Stage, claims: Count })),
  cycleTimes: Type.Array(Type.Object({ stage: Stage, stays: Count, averageDays: Days, medianDays: Days }), {
    description: 'completed stays per stage: from entering it to leaving it',
  }),
  objections: Type.Object({ open: Count, upheld: Count, partially_upheld: Count, rejected: Count }),
  hardship: Type.Object({ pending: Count, granted: Count, refused: Count }),
  byCreditor: Type.Array(Type.Object({ creditorOrgId: Id, name: Nullable(Type.String()), ...totals })),
  byBatch: Type.Array(
    Type.Object(
      { batchId: Nullable(Id), reference: Nullable(Type.String()), ...totals },
      {
        description: 'batchId null: claims that came from no batch (seeded)',
      },
    ),
  ),
  byMediationOrg: Type.Array(Type.Object({ mediationOrgId: Nullable(Id), name: Nullable(Type.String()), ...totals })),
  trend: Type.Array(Type.Object({ day: IsoDate, ...totals, byStage: Type.Record(Type.String(), Count) }), {
    description: 'one point per daily snapshot (end of day, Shanghai) in the period; none for a batch',
  }),
});

export const ForecastSchema = Type.Object({
  batchId: Id,
  claims: Count,
  claimedFen: Fen,
  basis: StringEnum(['history', 'partial_history', 'defaults'] as const, {
    description:
      'history: every claim had comparable history; partial_history: some used the documented defaults; defaults: too little history',
  }),
  /** Resolved claims of the platform's history the forecast learnt from. */
  historyClaims: Count,
  /** Claims of the batch forecast from the documented defaults for want of comparable history. */
  claimsOnDefaults: Count,
  note: Type.String(),
  stages: Type.Array(
    Type.Object({
      stage: Stage,
      expectedReaching: Type.Number({ minimum: 0 }),
      expectedSettling: Type.Number({ minimum: 0 }),
      averageDays: Type.Number({ minimum: 0 }),
    }),
  ),
  expectedSettled: Type.Number({ minimum: 0 }),
  expectedRecoveredFen: Fen,
  /** About 95% of outcomes fall in [low, high]. */
  recoveredFenLow: Fen,
  recoveredFenHigh: Fen,
  expectedCycleDays: Type.Number({ minimum: 0 }),
});
