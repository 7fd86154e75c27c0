/** Writing and reading the hash-chained claim event log. */
import { asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, type ClaimEvent, claimEvents } from '../../db/schema/index.js';
import { type ChainCheck, chainEvent, type NewClaimEvent, verifyChain } from '../../domain/event-chain.js';
import { type Actor, positionOf } from '../../domain/lifecycle.js';

/** Append an event to a claim's chain. Call it inside the transaction that made the change. */
export function appendClaimEvent(tx: DbOrTx, e: NewClaimEvent): ClaimEvent {
  const last = tx
    .select({ seq: claimEvents.seq, hash: claimEvents.hash })
    .from(claimEvents)
    .where(eq(claimEvents.claimId, e.claimId))
    .orderBy(desc(claimEvents.seq))
    .limit(1)
    .get();
  return tx.insert(claimEvents).values(chainEvent(last, e)).returning().get();
}

/** Append a fact (a payment, a case number, a measure) to the claim's chain; its position is unchanged. */
export function appendClaimFact(
  tx: DbOrTx,
  claim: Claim,
  action: string,
  actor: Actor,
  at: Date,
  data: Record<string, unknown>,
  reason: string | null = null,
): ClaimEvent {
  const position = positionOf(claim);
  return appendClaimEvent(tx, { claimId: claim.id, action, from: position, to: position, actor, reason, data, at });
}

/** A claim's events in order and whether their chain verifies. */
export function readClaimEvents(tx: DbOrTx, claimId: number): { events: ClaimEvent[]; chain: ChainCheck } {
  const events = tx
    .select()
    .from(claimEvents)
    .where(eq(claimEvents.claimId, claimId))
    .orderBy(asc(claimEvents.seq))
    .all();
  return { events, chain: verifyChain(events) };
}
