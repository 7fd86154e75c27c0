/**
 * The debtor's statement of means: monthly income, essential expenses and dependants, entered in the
 * portal. Each entry is kept (the latest counts); mediators read it when reviewing hardship and the
 * sessions module suggests an affordable plan from it. Stating one's means to settle is agreeing to
 * perform (SPC limitation provisions art. 14): each open claim's period starts again that day.
 */
import { and, desc, eq, ne } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { claims, meansStatements } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { debtorActor, debtorIdOf, type Principal } from '../auth/principal.js';
import { findClaim, visibleClaims } from '../claims/access.js';
import { recountLimitation } from '../claims/limitation-recount.js';
import type { ReferenceData } from '../reference/service.js';
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

export function createMeansService({ db, clock, reference }: { db: DB; clock: Clock; reference: ReferenceData }) {
  return {
    /** Record a new statement for the signed-in debtor (it replaces the earlier one), and recount each open claim. */
    record(p: Principal, input: MeansInput): MeansView {
      const now = clock.now();
      const actor = debtorActor(p);
      return db.transaction((tx) => {
        const row = tx
          .insert(meansStatements)
          .values({ debtorId: debtorIdOf(p), ...input, createdAt: now })
          .returning()
          .get();
        const open = tx
          .select()
          .from(claims)
          .where(and(visibleClaims(p), ne(claims.stage, 'closed')))
          .all();
        for (const claim of open)
          recountLimitation(tx, claim, 'acknowledgement', shanghaiDate(now), {
            calendar: reference.calendar(),
            actor,
            now,
          });
        return view(row);
      });
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
