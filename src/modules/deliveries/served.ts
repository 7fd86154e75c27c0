/**
 * What a document's recorded service (a receipt at /r/:token, or deemed service by public notice) does
 * to its claim, in the transaction that records it: a served demand restarts the limitation period
 * (SPC limitation provisions art. 8), and a claim still waiting for contact counts as notified.
 */
import type { DbOrTx } from '../../db/open.js';
import type { Claim } from '../../db/schema/index.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import { type Actor, availableActions } from '../../domain/lifecycle.js';
import { isDemandDocument } from '../../domain/limitation.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { applyTransition } from '../claims/apply-transition.js';
import { recountLimitation } from '../claims/limitation-recount.js';

/** Call right after appending the service event; `on` is the day service counts from. Answers the claim as it now is. */
export function followService(
  tx: DbOrTx,
  claim: Claim,
  document: { id: number; docNo: string; kind: string },
  on: string,
  { calendar, actor, now }: { calendar: HolidayCalendar; actor: Actor; now: Date },
): Claim {
  const recounted = isDemandDocument(document.kind)
    ? recountLimitation(tx, claim, 'demand_served', on, { calendar, actor, now })
    : claim;
  if (!availableActions(recounted, SYSTEM_ACTOR.kind).includes('notify')) return recounted;
  return applyTransition(tx, recounted, 'notify', SYSTEM_ACTOR, now, {
    calendar,
    reason: `document ${document.docNo} served`,
    data: { documentId: document.id },
  });
}
