/**
 * A claim's hold follows its open reviews: an open objection holds it as `objection`, otherwise a
 * pending hardship request holds it as `hardship`, otherwise it is not held. Every change goes through
 * the lifecycle, so each one is an event.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, hardshipClaims, hardshipRequests, objections } from '../../db/schema/index.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import type { Actor, HoldKind } from '../../domain/lifecycle.js';
import { applyTransition } from '../claims/apply-transition.js';

/** The hold the claim's open reviews call for. */
export function wantedHold(tx: DbOrTx, claimId: number): HoldKind | null {
  const objection = tx
    .select({ id: objections.id })
    .from(objections)
    .where(and(eq(objections.claimId, claimId), eq(objections.status, 'open')))
    .get();
  if (objection) return 'objection';
  const hardship = tx
    .select({ id: hardshipRequests.id })
    .from(hardshipClaims)
    .innerJoin(hardshipRequests, eq(hardshipClaims.requestId, hardshipRequests.id))
    .where(and(eq(hardshipClaims.claimId, claimId), eq(hardshipRequests.status, 'pending')))
    .get();
  return hardship ? 'hardship' : null;
}

export interface AlignHoldOptions {
  calendar: HolidayCalendar;
  reason: string;
  data: Record<string, unknown>;
  /** Who releases a hold that no longer fits, and who places the one that does. */
  release: Actor;
  place: Actor;
}

/** Bring the claim's hold in line with its open reviews; a closed claim is left as it is. */
export function alignHold(tx: DbOrTx, claim: Claim, now: Date, o: AlignHoldOptions): Claim {
  if (claim.stage === 'closed') return claim;
  const wanted = wantedHold(tx, claim.id);
  if (claim.hold === wanted) return claim;
  let c = claim;
  const opts = { calendar: o.calendar, reason: o.reason, data: o.data };
  if (c.hold !== null) c = applyTransition(tx, c, 'release_hold', o.release, now, opts);
  if (wanted !== null) c = applyTransition(tx, c, 'place_hold', o.place, now, { ...opts, holdKind: wanted });
  return c;
}
