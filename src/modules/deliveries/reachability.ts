/**
 * Whether any channel still reaches a debtor. A debtor whom none reaches is marked unreachable
 * (debtors.unreachable_at), which opens service by public notice for court documents; a later notice
 * that does reach them clears the mark.
 */
import { and, desc, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, type Debtor, debtors, deliveries } from '../../db/schema/index.js';
import { type ChannelReach, type DeliveryStatus, reachesDebtor } from '../../domain/delivery-rules.js';
import type { Actor } from '../../domain/lifecycle.js';
import { DELIVERY_CHANNELS, debtorAddress, normaliseAddress } from './addresses.js';
import { appendClaimFact, DELIVERY_EVENTS } from './events.js';

/**
 * Each channel: whether the debtor's record holds a usable address, and the latest delivery to that
 * very address (a refused one says nothing about reach; one to an address since replaced does not count).
 */
export function channelReach(tx: DbOrTx, crypto: FieldCrypto, debtor: Debtor): ChannelReach[] {
  return DELIVERY_CHANNELS.map((channel) => {
    const address = debtorAddress(crypto, debtor, channel);
    if (!address?.valid) return { hasValidAddress: false, lastStatus: null };
    const last = tx
      .select({ status: deliveries.status, addressEnc: deliveries.addressEnc })
      .from(deliveries)
      .where(and(eq(deliveries.debtorId, debtor.id), eq(deliveries.channel, channel), ne(deliveries.status, 'refused')))
      .orderBy(desc(deliveries.id))
      .limit(1)
      .get();
    const same = last?.addressEnc
      ? normaliseAddress(channel, crypto.decrypt(last.addressEnc)) === address.valid
      : false;
    return { hasValidAddress: true, lastStatus: same ? (last!.status as DeliveryStatus) : null };
  });
}

/** Mark the debtor unreachable with a claim event, once; answers whether it was marked now. */
export function markUnreachable(
  tx: DbOrTx,
  debtorId: number,
  claim: Claim,
  actor: Actor,
  now: Date,
  cause: string,
): boolean {
  const changed = tx
    .update(debtors)
    .set({ unreachableAt: now, updatedAt: now })
    .where(and(eq(debtors.id, debtorId), isNull(debtors.unreachableAt)))
    .run().changes;
  if (changed > 0) appendClaimFact(tx, claim, DELIVERY_EVENTS.unreachable, actor, now, { debtorId, cause });
  return changed > 0;
}

/** After a delivery failed for good or was refused for its address: mark the debtor if no channel is left. */
export function refreshReachability(
  tx: DbOrTx,
  crypto: FieldCrypto,
  debtorId: number,
  claim: Claim,
  actor: Actor,
  now: Date,
  cause: string,
): void {
  const debtor = tx.select().from(debtors).where(eq(debtors.id, debtorId)).get();
  if (!debtor || debtor.unreachableAt) return;
  if (!reachesDebtor(channelReach(tx, crypto, debtor))) markUnreachable(tx, debtorId, claim, actor, now, cause);
}

/** A notice reached the debtor: clear an unreachable mark, with a claim event. */
export function markReachable(
  tx: DbOrTx,
  debtorId: number,
  claim: Claim,
  actor: Actor,
  now: Date,
  channel: string,
): void {
  const changed = tx
    .update(debtors)
    .set({ unreachableAt: null, updatedAt: now })
    .where(and(eq(debtors.id, debtorId), isNotNull(debtors.unreachableAt)))
    .run().changes;
  if (changed > 0) appendClaimFact(tx, claim, DELIVERY_EVENTS.reachable, actor, now, { debtorId, channel });
}
