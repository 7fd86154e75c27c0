/**
 * A party confirms the agreement's text with their one-time code (and the creditor representative
 * with their password too). A wrong, expired, used or replaced code stores nothing but the count of
 * wrong tries; the confirmation and its event on each claim's chain are written in one transaction.
 * Once both parties have confirmed, the platform signs each agreement (sign-agreement.ts).
 */
import nodeCrypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { agreementChallenges, agreementConfirmations, users } from '../../db/schema/index.js';
import { positionOf } from '../../domain/lifecycle.js';
import { maskPersonName } from '../../domain/person-name.js';
import { AppError, isConstraintClash } from '../../errors.js';
import { verifyPassword } from '../auth/password.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { appendClaimEvent } from '../claims/events.js';
import { agreementDocuments, textSha256 } from './agreement-text.js';
import { type AgreementDeps, codeHash } from './context.js';
import type { ConfirmInput } from './schemas.js';
import { findParty } from './state.js';

/** A refused code: 422 with its rule, and the sentence beside the code field. */
const refused = (reason: string, detail: string, zh: string, field = '/body/code') =>
  new AppError('unprocessable', detail, { reason, fields: [{ field, message: detail, zh }] });

const AGAIN = '请重新获取确认码。';

/** Record the caller's confirmation; answers whether both parties have now confirmed. */
export async function confirmAgreement(
  deps: AgreementDeps,
  p: Principal,
  settlementId: number,
  input: ConfirmInput,
): Promise<boolean> {
  const role = deps.db.transaction((tx) => findParty(tx, p, settlementId).role, { behavior: 'deferred' });
  // The representative's sign-in, proved again: a session left open is not enough to sign.
  if (p.kind === 'user') {
    const user = deps.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, p.userId)).get()!;
    if (!input.password || !(await verifyPassword(input.password, user.passwordHash)))
      throw refused(
        'password_wrong',
        'Your sign-in password is wrong.',
        '登录密码不正确，请重新输入。',
        '/body/password',
      );
  }
  const now = deps.clock.now();
  const challenge = deps.db
    .select()
    .from(agreementChallenges)
    .where(
      and(
        eq(agreementChallenges.publicId, input.challengeId),
        eq(agreementChallenges.settlementId, settlementId),
        eq(agreementChallenges.role, role),
      ),
    )
    .get();
  const owner =
    p.kind === 'user' ? challenge?.userId === p.userId : p.kind === 'debtor' && challenge?.debtorId === p.debtorId;
  if (!challenge || !owner)
    throw refused(
      'code_unknown',
      'This code was not sent to you for this agreement.',
      `该确认码不是发给您的，${AGAIN}`,
    );
  if (challenge.usedAt)
    throw refused(
      'code_used',
      'This code was used already or replaced by a newer one.',
      `该确认码已使用或已被新的确认码取代，${AGAIN}`,
    );
  if (challenge.expiresAt <= now) throw refused('code_expired', 'This code has expired.', `确认码已过期，${AGAIN}`);
  if (challenge.attempts >= deps.config.otpMaxAttempts)
    throw refused('code_attempts', 'Too many wrong codes.', `确认码错误次数过多，${AGAIN}`);
  const expected = Buffer.from(challenge.codeHash, 'hex');
  const given = Buffer.from(codeHash(deps, challenge.publicId, input.code), 'hex');
  if (!nodeCrypto.timingSafeEqual(expected, given)) {
    // Outside any transaction: the wrong try is counted even though the request is refused.
    deps.db
      .update(agreementChallenges)
      .set({ attempts: challenge.attempts + 1 })
      .where(eq(agreementChallenges.id, challenge.id))
      .run();
    const left = deps.config.otpMaxAttempts - challenge.attempts - 1;
    throw refused(
      'code_wrong',
      left > 0 ? `The code is wrong; ${left} attempt(s) left.` : 'The code is wrong, and no attempts are left.',
      left > 0 ? `确认码不正确，还可以再试 ${left} 次。` : `确认码不正确，已没有剩余次数，${AGAIN}`,
    );
  }
  return deps.db.transaction((tx) => {
    const { settlement, claims } = findParty(tx, p, settlementId);
    const docs = agreementDocuments(tx, settlement);
    if (textSha256(docs) !== challenge.textSha256)
      throw new AppError(
        'version_conflict',
        'The agreement was made again after this code was sent; read it and ask for a new code.',
        {
          reason: 'agreement_changed',
        },
      );
    // Guarded on usedAt: of two requests racing with the same code, only one confirms.
    const used = tx
      .update(agreementChallenges)
      .set({ usedAt: now })
      .where(and(eq(agreementChallenges.id, challenge.id), isNull(agreementChallenges.usedAt)))
      .run().changes;
    if (used === 0) throw refused('code_used', 'This code was used already.', `该确认码已使用，${AGAIN}`);
    const shownName = p.kind === 'debtor' ? maskPersonName(p.name) : p.name;
    const method = p.kind === 'debtor' ? 'sms_code' : 'password_code';
    try {
      tx.insert(agreementConfirmations)
        .values({
          settlementId,
          role,
          userId: p.kind === 'user' ? p.userId : null,
          debtorId: p.kind === 'debtor' ? p.debtorId : null,
          shownName,
          method,
          textSha256: challenge.textSha256,
          challengeId: challenge.id,
          confirmedAt: now,
        })
        .run();
    } catch (err) {
      if (isConstraintClash(err))
        throw new AppError('duplicate', 'You have confirmed this agreement already.', { reason: 'already_confirmed' });
      throw err;
    }
    for (const claim of claims)
      appendClaimEvent(tx, {
        claimId: claim.id,
        action: 'agreement.confirmed',
        from: positionOf(claim),
        to: positionOf(claim),
        actor: actorOf(p)!,
        reason: `The ${role === 'debtor' ? 'debtor' : "creditor's representative"} confirmed the mediation agreement`,
        data: { settlementId, role, method, textSha256: challenge.textSha256, documents: docs.map((d) => d.docNo) },
        at: now,
      });
    const confirmed = tx
      .select({ role: agreementConfirmations.role })
      .from(agreementConfirmations)
      .where(eq(agreementConfirmations.settlementId, settlementId))
      .all();
    return confirmed.length === 2;
  });
}
