/**
 * The debtor's statement of means: monthly income, essential expenses and dependants, entered in the
 * portal. Each entry is kept (the latest counts); mediators read it when reviewing hardship and the
 * sessions module suggests an affordable plan from it.
 */
import { desc, eq } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { meansStatements } from '../../db/schema/index.js';
import { debtorIdOf, type Principal } from '../auth/principal.js';
import { findClaim } from '../claims/access.js';
import type { MeansInput, MeansView } from './schemas.js';

type MeansRow = typeof meansStatements.$inferSelect;

const view = (m: MeansRow): MeansView => ({
  id: m.id,
  monthlyIncomeFen: m.monthlyIncomeFen,
  essentialExpensesFen: m.essentialExpensesFen,
  dependants: m.dependants,
  disposableFen: Math.max(0, m.monthlyIncomeFen - m.essentialExpensesFen),
  createdAt: m.createdAt.toISOString(),
});

/** The debtor's latest statement of means, or null. */
export function latestMeans(tx: DbOrTx, debtorId: number): MeansView | null {
  const row = tx
    .select()
    .from(meansStatements)
    .where(eq(meansStatements.debtorId, debtorId))
    .orderBy(desc(meansStatements.createdAt), desc(meansStatements.id))
    .limit(1)
    .get();
  return row ? view(row) : null;
}

export type MeansService = ReturnType<typeof createMeansService>;

export function createMeansService({ db, clock }: { db: DB; clock: Clock }) {
  return {
    /** Record a new statement for the signed-in debtor; it replaces the earlier one. */
    record(p: Principal, input: MeansInput): MeansView {
      return view(
        db
          .insert(meansStatements)
          .values({ debtorId: debtorIdOf(p), ...input, createdAt: clock.now() })
          .returning()
          .get(),
      );
    },

    /** The signed-in debtor's latest statement. */
    mine(p: Principal): MeansView | null {
      return latestMeans(db, debtorIdOf(p));
    },

    /** The latest statement of a claim's debtor, for staff who may see the claim. */
    forClaim(p: Principal, claimId: number): MeansView | null {
      return latestMeans(db, findClaim(db, p, claimId).debtorId);
    },
  };
}
