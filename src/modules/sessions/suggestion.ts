/** The affordable-plan suggestion: a plan inside the limits from the debtor's statement of means, and sending it. */
import crypto from 'node:crypto';
import type { DbOrTx } from '../../db/open.js';
import { suggestPlan } from '../../domain/affordable-plan.js';
import { addDays, shanghaiDate } from '../../domain/dates.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { findSession } from '../claims/access.js';
import { latestMeans } from '../means/service.js';
import type { SessionContext } from './context.js';
import type { SessionFrame } from './frames.js';
import { joinSession } from './join-session.js';
import { notOpenReason, offerBasisFor } from './offer-basis.js';
import type { SuggestionView } from './schemas.js';
import { publicFrame, termsOf } from './views.js';

/** Days from today to the first payment of a suggested plan: time to arrange the money. */
export const SUGGESTED_FIRST_PAYMENT_DAYS = 7;

/** An affordable plan inside the limits from the debtor's latest statement of means. */
export function suggestionFor(ctx: SessionContext, tx: DbOrTx, p: Principal, id: number): SuggestionView {
  const s = findSession(tx, p, id);
  const means = latestMeans(tx, s.debtorId);
  if (!means)
    throw new AppError(
      'unprocessable',
      'The debtor has not given a statement of means in the portal yet; ask them to, or propose a plan yourself.',
      { reason: 'no_statement_of_means' },
    );
  const open = ctx.negotiation.claimsOf(tx, id).filter((c) => notOpenReason(c) === null);
  if (open.length === 0)
    throw new AppError('unprocessable', 'No claim of this session is open for an offer.', {
      reason: 'claim_not_open',
    });
  const basis = offerBasisFor(tx, open, ctx.hardshipMaxInstalments);
  const suggested = suggestPlan({
    basis,
    means,
    firstDueDate: addDays(shanghaiDate(ctx.clock.now()), SUGGESTED_FIRST_PAYMENT_DAYS),
  });
  return {
    ok: suggested.ok,
    plan: suggested.ok ? suggested.plan : null,
    reason: suggested.ok ? null : suggested.reason,
    detail: suggested.ok ? null : suggested.detail,
    monthlyCapacityFen: suggested.monthlyCapacityFen,
    claimIds: open.map((c) => c.id),
    terms: termsOf(basis),
    means: {
      monthlyIncomeFen: means.monthlyIncomeFen,
      essentialExpensesFen: means.essentialExpensesFen,
      dependants: means.dependants,
      createdAt: means.createdAt,
    },
  };
}

/** Send the suggested plan as the mediator's proposal: stored and broadcast like a proposal frame. */
export function sendSuggestion(ctx: SessionContext, p: Principal, id: number, clientId?: string): SessionFrame {
  const participant = joinSession(ctx.db, p, id);
  const frameId = clientId ?? `suggestion-${crypto.randomUUID()}`;
  return ctx.hub.commit((w, tx) => {
    const original = w.existing(id, participant.key, frameId);
    if (original) return publicFrame(original);
    const s = suggestionFor(ctx, tx, p, id);
    if (!s.ok || !s.plan)
      throw new AppError('unprocessable', s.detail ?? 'No affordable plan inside the limits.', {
        reason: s.reason ?? 'unaffordable_within_limits',
      });
    ctx.negotiation.handle(w, tx, participant, {
      type: 'proposal',
      id: frameId,
      body: { claimIds: s.claimIds, ...s.plan, note: '根据债务人收支情况提出的建议方案' },
    });
    return publicFrame(w.appended.at(-1)!);
  });
}
