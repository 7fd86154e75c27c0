/**
 * The delivery outbox: anything sent to a debtor is first a row here, written in the transaction of
 * the change that caused it, with a due time and a unique key. The sender job (deliveries module)
 * sends what is due, applying the contact rules; a re-run with the same key queues nothing twice.
 */

import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import { deliveries } from '../../db/schema/index.js';

export type DeliveryChannel = 'email' | 'sms';

/**
 * A hold stops the platform's own notices (DESIGN.md §3); an answer to the debtor's objection or
 * hardship request is what the debtor is waiting for, so it goes out while the claim is held.
 */
export type DeliveryPurpose = 'notice' | 'reply';

export interface QueuedDelivery {
  claimId: number;
  debtorId: number;
  channel: DeliveryChannel;
  /** The debtor's own address for the channel, in clear: it is sealed here. */
  address: string;
  addressMasked: string;
  /** A document to send (attached to mail, linked from SMS), or a plain message. */
  documentId?: number | null;
  message?: string | null;
  purpose?: DeliveryPurpose;
  /** Unique per intended delivery, e.g. `doc:12:email` or `objection:5:answered:sms`. */
  key: string;
  dueAt: Date;
}

/** Queue a delivery; answers false when one with the same key exists already. */
export function queueDelivery(tx: DbOrTx, fieldCrypto: FieldCrypto, d: QueuedDelivery, now: Date): boolean {
  const res = tx
    .insert(deliveries)
    .values({
      documentId: d.documentId ?? null,
      claimId: d.claimId,
      debtorId: d.debtorId,
      channel: d.channel,
      addressEnc: fieldCrypto.encrypt(d.address),
      addressMasked: d.addressMasked,
      message: d.message ?? null,
      purpose: d.purpose ?? 'notice',
      status: 'queued',
      idempotencyKey: d.key,
      dueAt: d.dueAt,
      createdAt: now,
    })
    .onConflictDoNothing({ target: deliveries.idempotencyKey })
    .run();
  return res.changes > 0;
}
