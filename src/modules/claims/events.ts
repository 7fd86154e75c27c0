/**
 * Writing and reading the hash-chained claim event log. The claim row keeps the chain's head (its
 * last event's seq and hash), so a deleted last event shows as a chain that stops short.
 */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, type ClaimEvent, claimEvents, claims } from '../../db/schema/index.js';
import {
  type ChainCheck,
  type ChainLink,
  chainEvent,
  type NewClaimEvent,
  verifyChain,
} from '../../domain/event-chain.js';
import { type Actor, positionOf } from '../../domain/lifecycle.js';

function chainHead(tx: DbOrTx, claimId: number): ChainLink {
  const head = tx
    .select({ seq: claims.chainSeq, hash: claims.chainHash })
    .from(claims)
    .where(eq(claims.id, claimId))
    .get();
  if (!head) throw new Error(`claim ${claimId} does not exist`);
  return head;
}

/** Append an event to a claim's chain and move its head. Call it inside the transaction that made the change. */
export function appendClaimEvent(tx: DbOrTx, e: NewClaimEvent): ClaimEvent {
  const event = tx
    .insert(claimEvents)
    .values(chainEvent(chainHead(tx, e.claimId), e))
    .returning()
    .get();
  tx.update(claims).set({ chainSeq: event.seq, chainHash: event.hash }).where(eq(claims.id, e.claimId)).run();
  return event;
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

/** A claim's events in order and whether their chain verifies up to the head the claim recorded. */
export function readClaimEvents(tx: DbOrTx, claimId: number): { events: ClaimEvent[]; chain: ChainCheck } {
  const events = tx
    .select()
    .from(claimEvents)
    .where(eq(claimEvents.claimId, claimId))
    .orderBy(asc(claimEvents.seq))
    .all();
  return { events, chain: verifyChain(events, chainHead(tx, claimId)) };
}
