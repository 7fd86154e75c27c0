/** The debtor's SMS invitation to a scheduled session, with the portal link, through the delivery outbox. */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/open.js';
import { type Claim, debtors, organisations } from '../../db/schema/index.js';
import { chineseDate } from '../../domain/chinese-date.js';
import { shanghaiDate, shanghaiDateTime } from '../../domain/dates.js';
import { debtorAddress } from '../deliveries/addresses.js';
import { queueDelivery } from '../deliveries/outbox.js';
import type { SessionContext } from './context.js';
import { type CreateSessionInput, MODE_LABELS } from './schemas.js';

/** `10:00`: the Shanghai time of day of an instant. */
export const shanghaiClock = (t: Date) => shanghaiDateTime(t).slice(11, 16);

/** The invitation's text: creditor, date and time in Beijing time, how it is held, where to join. */
export const invitationText = (creditorName: string, mode: CreateSessionInput['mode'], at: Date, publicUrl: string) =>
  `【调解邀请】您与${creditorName}的借款纠纷定于${chineseDate(shanghaiDate(at))} ${shanghaiClock(at)}（北京时间）进行${MODE_LABELS[mode]}调解，请登录 ${publicUrl}/portal/ 查看并参加。`;

/** The outbox key of a session's SMS invitation, and its pattern (late-invitation.ts reads the session back). */
export const invitationKey = (sessionId: number) => `session:${sessionId}:invitation:sms`;
export const INVITATION_KEY = /^session:(\d+):invitation:sms$/;

/** Queue the invitation in the caller's transaction; false when no valid mobile number is on file. */
export function inviteDebtor(
  ctx: Pick<SessionContext, 'crypto' | 'publicUrl'>,
  tx: Tx,
  invitation: { sessionId: number; claim: Claim; mode: CreateSessionInput['mode']; at: Date; now: Date },
): boolean {
  const { sessionId, claim, mode, at, now } = invitation;
  const debtor = tx.select().from(debtors).where(eq(debtors.id, claim.debtorId)).get()!;
  const phone = debtorAddress(ctx.crypto, debtor, 'sms');
  if (!phone?.valid) return false;
  const creditor = tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, claim.creditorOrgId))
    .get()!;
  return queueDelivery(
    tx,
    ctx.crypto,
    {
      claimId: claim.id,
      debtorId: debtor.id,
      channel: 'sms',
      address: phone.valid,
      addressMasked: phone.masked,
      message: invitationText(creditor.name, mode, at, ctx.publicUrl),
      key: invitationKey(sessionId),
      dueAt: now,
    },
    now,
  );
}
