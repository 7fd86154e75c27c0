/** Scheduling one session: for one claim, or for all of one debtor's open claims with one creditor. */
import { inQuietHours } from '../../domain/contact-policy.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { findClaims } from '../claims/access.js';
import type { SessionContext } from './context.js';
import { shanghaiClock } from './invitation.js';
import { claimsInActiveSessions, insertSession, mediatorIdOf, notPast, openClaimsOf } from './new-session.js';
import { notOpenReason } from './offer-basis.js';
import type { CreateSessionInput, SessionView } from './schemas.js';
import { sessionView } from './views.js';

/**
 * Schedule the session and invite the debtor. The claims must be visible, open, of one debtor and one
 * creditor, all of them or just one, and in no other scheduled or running session.
 */
export function createSession(ctx: SessionContext, p: Principal, input: CreateSessionInput): SessionView {
  mediatorIdOf(p);
  const at = notPast(ctx.clock, new Date(input.scheduledAt), 'scheduledAt');
  if (inQuietHours(at)) {
    throw new AppError(
      'unprocessable',
      `Sessions are not held in quiet hours (22:00–08:00 Shanghai time); ${shanghaiClock(at)} falls in them.`,
      { reason: 'quiet_hours', fields: [{ field: '/body/scheduledAt', message: 'is in quiet hours' }] },
    );
  }
  return ctx.db.transaction((tx) => {
    const list = findClaims(tx, p, input.claimIds);
    const parties = new Set(list.map((c) => `${c.debtorId}/${c.creditorOrgId}`));
    if (parties.size > 1) {
      throw new AppError(
        'unprocessable',
        `A session is for one debtor's claims with one creditor; these claims have ${parties.size} debtor/creditor pairs: ${list.map((c) => `claim ${c.id} (debtor ${c.debtorId}, creditor ${c.creditorOrgId})`).join(', ')}.`,
        { reason: 'mixed_parties' },
      );
    }
    const closed = list.map(notOpenReason).filter((r): r is string => r !== null);
    if (closed.length)
      throw new AppError('unprocessable', `Only open claims can be mediated: ${closed.join('; ')}.`, {
        reason: 'claim_not_open',
      });
    if (list.length > 1) {
      const all = openClaimsOf(tx, p, list[0]!.debtorId).filter((c) => c.creditorOrgId === list[0]!.creditorOrgId);
      const left = all.filter((c) => !input.claimIds.includes(c.id));
      if (left.length) {
        throw new AppError(
          'unprocessable',
          `A session holds one claim or all of the debtor's open claims with this creditor; add claim(s) ${left.map((c) => c.id).join(', ')} or schedule one claim.`,
          { reason: 'partial_claims' },
        );
      }
    }
    const busy = claimsInActiveSessions(
      tx,
      list.map((c) => c.id),
    );
    if (busy.length) {
      throw new AppError(
        'duplicate',
        `Already in a scheduled or running session: ${busy.map((b) => `claim ${b.claimId} (session ${b.sessionId})`).join(', ')}. End that session first.`,
        { reason: 'claim_in_session' },
      );
    }
    const { session } = insertSession(ctx, tx, p, list, input.mode, at);
    return sessionView(ctx, tx, p, session.id);
  });
}
