/** Writing and reading the hash-chained claim event log. */
import { asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type ClaimEvent, claimEvents } from '../../db/schema/index.js';
import { type ChainCheck, type ChainedEvent, eventHash, GENESIS_HASH, verifyChain } from '../../domain/event-chain.js';
import type { Actor } from '../../domain/lifecycle.js';

export interface NewClaimEvent {
  claimId: number;
  action: string;
  from: { stage: string; status: string; hold: string | null };
  to: { stage: string; status: string; hold: string | null };
  actor: Actor;
  reason?: string | null;
  data?: Record<string, unknown> | null;
  at: Date;
}

/** Append an event to a claim's chain. Call it inside the transaction that made the change. */
export function appendClaimEvent(tx: DbOrTx, e: NewClaimEvent): ClaimEvent {
  const last = tx
    .select({ seq: claimEvents.seq, hash: claimEvents.hash })
    .from(claimEvents)
    .where(eq(claimEvents.claimId, e.claimId))
    .orderBy(desc(claimEvents.seq))
    .limit(1)
    .get();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const chained: ChainedEvent = {
    claimId: e.claimId,
    seq: (last?.seq ?? 0) + 1,
    action: e.action,
    fromStage: e.from.stage,
    fromStatus: e.from.status,
    fromHold: e.from.hold,
    toStage: e.to.stage,
    toStatus: e.to.status,
    toHold: e.to.hold,
    actorKind: e.actor.kind,
    actorId: e.actor.id,
    actorName: e.actor.name,
    reason: e.reason ?? null,
    data: e.data ?? null,
    at: e.at,
  };
  return tx
    .insert(claimEvents)
    .values({ ...chained, actorKind: e.actor.kind, prevHash, hash: eventHash(prevHash, chained) })
    .returning()
    .get();
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
