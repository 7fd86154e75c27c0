/**
 * The creditor's decision on a claim whose limitation period plainly ran (intake/limitation_review).
 * Limitation is the debtor's defence (Civil Code art. 193), and a debtor who agrees to pay after it ran
 * loses it (art. 192), so a creditor who proceeds has the debtor told before anyone negotiates.
 * Withdrawing is the lifecycle's ordinary `withdraw`.
 */
import { eq } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, claims } from '../../db/schema/index.js';
import { chineseDate } from '../../domain/chinese-date.js';
import type { Actor, TransitionOptions } from '../../domain/lifecycle.js';
import { DELIVERY_CHANNELS, debtorAddress } from '../deliveries/addresses.js';
import { queueDelivery } from '../deliveries/outbox.js';
import { applyTransition } from './apply-transition.js';
import { assignMediator } from './mediator-assignment.js';
import { withParties } from './parties.js';

export const PROCEED_ACTION = 'proceed_despite_limitation';

/** What the debtor reads: the period may have run, what that means, and that taking part is voluntary. */
export const limitationNoticeText = (creditorName: string, expiresOn: string | null) =>
  `【小额纠纷调解平台】${creditorName}申请就您的一笔借款纠纷进行调解。经核对，该笔债权的诉讼时效可能已${
    expiresOn ? `于${chineseDate(expiresOn)}` : ''
  }届满。依《中华人民共和国民法典》第一百九十二条，诉讼时效期间届满后您可以拒绝履行；您同意履行的，不得再以时效届满为由抗辩。是否参加调解由您自愿决定，调解员将与您联系。`;

/**
 * Move the claim into people's mediation, assign its mediator and queue the notice to every address
 * of the debtor's own on record, all in the caller's transaction; the event names the mediator and
 * the channels the debtor is told on (none when the record holds no usable address).
 */
export function proceedDespiteLimitation(
  tx: DbOrTx,
  crypto: FieldCrypto,
  claim: Claim,
  actor: Actor,
  now: Date,
  options: TransitionOptions,
): Claim {
  const assigneeId = assignMediator(tx, claim);
  const { debtor, creditorName } = withParties(tx, claim);
  const addresses = DELIVERY_CHANNELS.flatMap((channel) => {
    const address = debtorAddress(crypto, debtor, channel);
    return address?.valid ? [{ channel, valid: address.valid, masked: address.masked }] : [];
  });
  const moved = applyTransition(tx, claim, PROCEED_ACTION, actor, now, {
    ...options,
    data: { assigneeId, debtorToldBy: addresses.map((a) => a.channel) },
  });
  const message = limitationNoticeText(creditorName, claim.limitationExpiresOn);
  for (const { channel, valid, masked } of addresses) {
    queueDelivery(
      tx,
      crypto,
      {
        claimId: claim.id,
        debtorId: debtor.id,
        channel,
        address: valid,
        addressMasked: masked,
        message,
        key: `limitation:${claim.id}:proceed:${channel}`,
        dueAt: now,
      },
      now,
    );
  }
  tx.update(claims).set({ assigneeId }).where(eq(claims.id, claim.id)).run();
  return { ...moved, assigneeId };
}
