import { type Static, Type } from 'typebox';
import { Fen, Id, Instant } from '../common/schemas.js';

export const MeansSchema = Type.Object({
  id: Id,
  monthlyIncomeFen: Fen,
  essentialExpensesFen: Fen,
  dependants: Type.Integer({ minimum: 0 }),
  /** Income less essential expenses, never below 0: what a plan can draw on each month. */
  disposableFen: Fen,
  createdAt: Instant,
});
export type MeansView = Static<typeof MeansSchema>;

export const MeansBody = Type.Object(
  {
    monthlyIncomeFen: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    essentialExpensesFen: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    dependants: Type.Integer({ minimum: 0, maximum: 20 }),
  },
  { additionalProperties: false },
);
export type MeansInput = Static<typeof MeansBody>;
