/** Text messages to a debtor through the delivery outbox: that an answer is waiting in the portal, reminders. */
import { eq } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import { debtors } from '../../db/schema/index.js';
import { maskPhone } from '../../domain/phone.js';
import { type DeliveryPurpose, queueDelivery } from '../deliveries/outbox.js';

// The texts name nothing personal: no name, no amount, no claim; the portal shows the answer.
export const ANSWER_MESSAGES = {
  objection: '【小额纠纷调解平台】您提交的异议已有处理结果，请使用调解通知书上的访问码登录平台查看。',
  hardship: '【小额纠纷调解平台】您提交的救助申请已有审核结果，请使用调解通知书上的访问码登录平台查看。',
} as const;

/** Queue the SMS inside the caller's transaction, as a reply a hold does not stop; a debtor with no mobile number on record gets none. */
export function queueAnswerNotice(
  tx: DbOrTx,
  crypto: FieldCrypto,
  n: { kind: keyof typeof ANSWER_MESSAGES; id: number; claimId: number; debtorId: number },
  now: Date,
): boolean {
  return queueDebtorSms(
    tx,
    crypto,
    {
      claimId: n.claimId,
      debtorId: n.debtorId,
      message: ANSWER_MESSAGES[n.kind],
      purpose: 'reply',
      key: `${n.kind}:${n.id}:answered:sms`,
    },
    now,
  );
}

/**
 * Queue a text message to the debtor's own mobile number, due now (the sender applies the contact
 * rules: quiet hours, the daily cap, holds); answers false when there is no number on record or the
 * key was queued before.
 */
export function queueDebtorSms(
  tx: DbOrTx,
  crypto: FieldCrypto,
  m: { claimId: number; debtorId: number; message: string; purpose: DeliveryPurpose; key: string },
  now: Date,
): boolean {
  const debtor = tx.select({ phoneEnc: debtors.phoneEnc }).from(debtors).where(eq(debtors.id, m.debtorId)).get();
  if (!debtor?.phoneEnc) return false;
  const phone = crypto.decrypt(debtor.phoneEnc);
  return queueDelivery(
    tx,
    crypto,
    {
      claimId: m.claimId,
      debtorId: m.debtorId,
      channel: 'sms',
      address: phone,
      addressMasked: maskPhone(phone),
      message: m.message,
      purpose: m.purpose,
      key: m.key,
      dueAt: now,
    },
    now,
  );
}
