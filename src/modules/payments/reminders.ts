/**
 * Instalment reminders: a text message to the debtor some days before an instalment falls due. It is
 * queued in the delivery outbox, so the sender applies the contact rules (quiet hours defer it to
 * 08:00 Shanghai, the daily cap to the next morning, a hold refuses it).
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import { instalments, settlementClaims, settlements } from '../../db/schema/index.js';
import { chineseDate } from '../../domain/chinese-date.js';
import { addDays } from '../../domain/dates.js';
import { queueDebtorSms } from '../deliveries/answer-notice.js';

export interface UpcomingInstalment {
  key: string;
  due: string;
  id: number;
}

/** Pending instalments falling due from today to `days` days ahead. */
export function instalmentsToRemind(db: DbOrTx, today: string, days: number): UpcomingInstalment[] {
  return db
    .select({ id: instalments.id, dueDate: instalments.dueDate })
    .from(instalments)
    .where(
      and(
        eq(instalments.status, 'pending'),
        gte(instalments.dueDate, today),
        lte(instalments.dueDate, addDays(today, days)),
      ),
    )
    .orderBy(asc(instalments.dueDate), asc(instalments.id))
    .all()
    .map((i) => ({ key: `instalment:${i.id}`, due: i.dueDate, id: i.id }));
}

// Nothing personal in the text (no name, no amount): the portal shows the plan.
export const reminderText = (dueDate: string) =>
  `【小额纠纷调解平台】您的还款计划有一期将于${chineseDate(dueDate)}到期，请按时还款。详情请使用调解通知书上的访问码登录平台查看。`;

/** Queue the reminder in the caller's transaction; answers what happened. */
export function remindInstalment(
  tx: DbOrTx,
  crypto: FieldCrypto,
  item: UpcomingInstalment,
  now: Date,
): 'queued' | 'paid' | 'not_queued' {
  const row = tx
    .select({ status: instalments.status, dueDate: instalments.dueDate, debtorId: settlements.debtorId })
    .from(instalments)
    .innerJoin(settlements, eq(instalments.settlementId, settlements.id))
    .where(eq(instalments.id, item.id))
    .get();
  if (row?.status !== 'pending') return 'paid';
  const member = tx
    .select({ claimId: settlementClaims.claimId })
    .from(settlementClaims)
    .innerJoin(instalments, eq(instalments.settlementId, settlementClaims.settlementId))
    .where(eq(instalments.id, item.id))
    .orderBy(asc(settlementClaims.claimId))
    .get()!;
  const queued = queueDebtorSms(
    tx,
    crypto,
    {
      claimId: member.claimId,
      debtorId: row.debtorId,
      message: reminderText(row.dueDate),
      purpose: 'notice',
      key: `instalment:${item.id}:reminder:${row.dueDate}:sms`,
    },
    now,
  );
  // Not queued: the debtor has no mobile number on record.
  return queued ? 'queued' : 'not_queued';
}
