/** Writing and reading the hash-chained claim event log. */
import { asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type ClaimEvent, claimEvents } from '../../db/schema/index.js';
import { type ChainCheck, chainEvent, type NewClaimEvent, verifyChain } from '../../domain/event-chain.js';

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
