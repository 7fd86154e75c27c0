/**
 * The limitation period restarts on each interrupting event (Civil Code art. 195): every place that
 * records one calls `recountLimitation` inside its own transaction. Each interruption is kept as a
 * `limitation.recounted` event, so the chain holds the evidence the date was counted from.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, claimEvents, claims } from '../../db/schema/index.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import type { Actor } from '../../domain/lifecycle.js';
import {
  computeLimitation,
  type Interruption,
  type InterruptionKind,
  type LimitationStart,
  limitationBaseStart,
} from '../../domain/limitation.js';
import { appendClaimFact } from './events.js';

export const LIMITATION_RECOUNTED = 'limitation.recounted';

type RecountData = { interruption: Interruption; expiresOn: string; countedFrom: LimitationStart };

const recounts = (tx: DbOrTx, claimId: number, order: 'asc' | 'desc') =>
  tx
    .select({ data: claimEvents.data })
    .from(claimEvents)
    .where(and(eq(claimEvents.claimId, claimId), eq(claimEvents.action, LIMITATION_RECOUNTED)))
    .orderBy(order === 'asc' ? asc(claimEvents.seq) : desc(claimEvents.seq));

/**
 * Call right after appending the event that records an interruption of `kind` on the day `on`: stores
 * the period it leaves, counted again from that event while the period still ran and unchanged after
 * expiry (computeLimitation), and appends the recount.
 */
export function recountLimitation(
  tx: DbOrTx,
  claim: Claim,
  kind: InterruptionKind,
  on: string,
  { calendar, actor, now }: { calendar: HolidayCalendar; actor: Actor; now: Date },
): Claim {
  const head = tx.select({ seq: claims.chainSeq }).from(claims).where(eq(claims.id, claim.id)).get()!;
  const interruption: Interruption = { kind, on, eventSeq: head.seq };
  const earlier = recounts(tx, claim.id, 'asc')
    .all()
    .map((r) => (r.data as RecountData).interruption);
  const { expiresOn, countedFrom, defenceWaivedBy } = computeLimitation(
    { dueDate: claim.dueDate, interruptions: [...earlier, interruption] },
    calendar,
  );
  tx.update(claims).set({ limitationExpiresOn: expiresOn, updatedAt: now }).where(eq(claims.id, claim.id)).run();
  appendClaimFact(tx, claim, LIMITATION_RECOUNTED, actor, now, {
    interruption,
    previousExpiresOn: claim.limitationExpiresOn,
    expiresOn,
    countedFrom,
    defenceWaived: defenceWaivedBy !== null,
  });
  return { ...claim, limitationExpiresOn: expiresOn, updatedAt: now };
}

/** Where the stored period was last counted from: the latest recount, or the claim's due date. */
export function limitationCountedFrom(tx: DbOrTx, claim: Claim): LimitationStart {
  const last = recounts(tx, claim.id, 'desc').limit(1).get();
  return last
    ? (last.data as RecountData).countedFrom
    : limitationBaseStart({ dueDate: claim.dueDate, interruptions: [] });
}
