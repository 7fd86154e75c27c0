/**
 * Recording an agreed plan: the settlement with its claims and instalments, each claim moved to
 * `agreed` through the lifecycle, and the limitation period restarted by the debtor's
 * acknowledgement (Civil Code art. 195 item 2), all in the caller's transaction. Used by a session
 * whose parties accepted a proposal and by a creditor accepting a plan the debtor proposed.
 */
import type { Tx } from '../../db/open.js';
import { type Claim, instalments, settlementClaims, settlements } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import type { SettlementPlan } from '../../domain/settlement-terms.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { applyTransition } from '../claims/apply-transition.js';
import { recountLimitation } from '../claims/limitation-recount.js';

export interface SettlementRecord {
  debtorId: number;
  claims: readonly Claim[];
  plan: SettlementPlan;
  hardship: boolean;
  /** Each claim's hardship waiver, in the order of `claims` (OfferBasis.reliefFen). */
  reliefFen: readonly number[];
  /** The session and proposal it was agreed on, or nulls for a plan agreed outside a session. */
  sessionId: number | null;
  proposalSeq: number | null;
  /** The transition's reason and data, on each claim's chain. */
  reason: string;
  data: Record<string, unknown>;
}

export function recordSettlement(
  tx: Tx,
  r: SettlementRecord,
  { now, calendar }: { now: Date; calendar: HolidayCalendar },
): number {
  const settlement = tx
    .insert(settlements)
    .values({
      sessionId: r.sessionId,
      proposalSeq: r.proposalSeq,
      debtorId: r.debtorId,
      kind: r.plan.kind,
      totalFen: r.plan.totalFen,
      hardship: r.hardship,
      status: 'agreed',
      agreedAt: now,
      createdAt: now,
    })
    .returning({ id: settlements.id })
    .get();
  tx.insert(settlementClaims)
    .values(r.claims.map((c, i) => ({ settlementId: settlement.id, claimId: c.id, reliefFen: r.reliefFen[i] ?? 0 })))
    .run();
  tx.insert(instalments)
    .values(
      r.plan.instalments.map((i, n) => ({
        settlementId: settlement.id,
        seq: n + 1,
        dueDate: i.dueDate,
        amountFen: i.amountFen,
        status: 'pending',
      })),
    )
    .run();
  for (const claim of r.claims) {
    const agreed = applyTransition(tx, claim, 'agree', SYSTEM_ACTOR, now, {
      calendar,
      reason: r.reason,
      data: { ...r.data, settlementId: settlement.id },
    });
    recountLimitation(tx, agreed, 'acknowledgement', shanghaiDate(now), { calendar, actor: SYSTEM_ACTOR, now });
  }
  return settlement.id;
}
