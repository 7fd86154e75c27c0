/**
 * Sending a party the one-time code that confirms the agreement's text: the debtor by SMS to the
 * phone on record; the creditor representative, who has no phone on record, in the answer to their
 * own signed-in request, to be confirmed with their password. A new code replaces the party's earlier one.
 */
import nodeCrypto from 'node:crypto';
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import { agreementChallenges, agreementConfirmations, debtors } from '../../db/schema/index.js';
import { formatYuan } from '../../domain/money.js';
import { maskPhone } from '../../domain/phone.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { agreementDocuments, textSha256 } from './agreement-text.js';
import { type AgreementDeps, codeHash } from './context.js';
import type { CodeSent } from './schemas.js';
import { findParty } from './state.js';

const smsText = (docNos: string, totalFen: number, code: string, minutes: number) =>
  `【小额纠纷调解平台】您正在确认调解协议书（编号 ${docNos}，协议金额人民币${formatYuan(totalFen)}元）。确认码 ${code}，${minutes} 分钟内有效。输入确认码即表示您已阅读并同意协议全部内容；请勿将确认码告诉任何人。`;

export async function sendCode(deps: AgreementDeps, p: Principal, settlementId: number): Promise<CodeSent> {
  const now = deps.clock.now();
  const challengeId = nodeCrypto.randomBytes(18).toString('base64url');
  const code = String(nodeCrypto.randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(now.getTime() + deps.config.otpTtlMinutes * 60_000);
  const { role, phone, docNos, totalFen } = deps.db.transaction((tx) => {
    const { settlement, role } = findParty(tx, p, settlementId);
    const docs = agreementDocuments(tx, settlement);
    const text = textSha256(docs);
    if (!text)
      throw new AppError(
        'unprocessable',
        'The mediation agreement is not generated yet; confirm it once it is shown in the room.',
        { reason: 'agreement_not_ready' },
      );
    const done = tx
      .select({ id: agreementConfirmations.id })
      .from(agreementConfirmations)
      .where(and(eq(agreementConfirmations.settlementId, settlementId), eq(agreementConfirmations.role, role)))
      .get();
    if (done)
      throw new AppError('duplicate', 'You have confirmed this agreement already.', { reason: 'already_confirmed' });
    const mine = and(eq(agreementChallenges.settlementId, settlementId), eq(agreementChallenges.role, role));
    const sent =
      tx
        .select({ n: count() })
        .from(agreementChallenges)
        .where(and(mine, gt(agreementChallenges.createdAt, new Date(now.getTime() - 3_600_000))))
        .get()?.n ?? 0;
    if (sent >= deps.config.otpSendsPerHour)
      throw new AppError(
        'rate_limited',
        'Several codes were sent in the last hour. Use the latest one, or try again later.',
        {
          headers: { 'retry-after': '3600' },
          reason: 'code_send_limit',
        },
      );
    let phone: string | null = null;
    if (role === 'debtor') {
      const enc = tx
        .select({ phoneEnc: debtors.phoneEnc })
        .from(debtors)
        .where(eq(debtors.id, settlement.debtorId))
        .get()?.phoneEnc;
      if (!enc)
        throw new AppError(
          'unprocessable',
          'No mobile number is on record for you, so no code can be sent. Ask the mediator.',
          {
            reason: 'no_phone',
          },
        );
      phone = deps.crypto.decrypt(enc);
    }
    // The newest code is the only one that works.
    tx.update(agreementChallenges)
      .set({ usedAt: now })
      .where(and(mine, isNull(agreementChallenges.usedAt)))
      .run();
    tx.insert(agreementChallenges)
      .values({
        publicId: challengeId,
        settlementId,
        role,
        userId: p.kind === 'user' ? p.userId : null,
        debtorId: p.kind === 'debtor' ? p.debtorId : null,
        codeHash: codeHash(deps, challengeId, code),
        textSha256: text,
        expiresAt,
        createdAt: now,
      })
      .run();
    return { role, phone, docNos: docs.map((d) => d.docNo).join('、'), totalFen: settlement.totalFen };
  });
  if (role === 'creditor') return { challengeId, expiresAt: expiresAt.toISOString(), sentTo: null, code };
  try {
    await deps.sms.send({ to: phone!, text: smsText(docNos, totalFen, code, deps.config.otpTtlMinutes) });
  } catch (err) {
    throw new AppError('unavailable', 'The code could not be sent by SMS just now. Try again in a few minutes.', {
      cause: err,
    });
  }
  return { challengeId, expiresAt: expiresAt.toISOString(), sentTo: maskPhone(phone!), code: null };
}
