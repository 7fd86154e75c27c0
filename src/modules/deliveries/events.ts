/** Claim events written by deliveries and service of documents (facts; they change no claim position). */
import type { DbOrTx } from '../../db/open.js';
import type { Claim } from '../../db/schema/index.js';
import type { Actor } from '../../domain/lifecycle.js';
import { appendClaimFact as appendFact } from '../claims/events.js';

export const DELIVERY_EVENTS = {
  /** The debtor opened the link in a notice: electronic service receipt. */
  opened: 'document.opened',
  /** A court recorded that it published a notice serving the document (公告送达). */
  publicNotice: 'document.public_notice',
  /** Service by public notice became complete when its period ran out. */
  served: 'document.served',
  /** No channel reaches the debtor any more. */
  unreachable: 'debtor.unreachable',
  /** A notice reached a debtor who had been marked unreachable. */
  reachable: 'debtor.reachable',
} as const;

type DeliveryEvent = (typeof DELIVERY_EVENTS)[keyof typeof DELIVERY_EVENTS];

/** Append a fact to the claim's chain; its position is unchanged. */
export function appendClaimFact(
  tx: DbOrTx,
  claim: Claim,
  action: DeliveryEvent,
  actor: Actor,
  at: Date,
  data: Record<string, unknown>,
  reason: string | null = null,
): void {
  appendFact(tx, claim, action, actor, at, data, reason);
}
