/** Opening and closing a session's room: its claims move with it, and the room records a system frame. */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/open.js';
import { mediationSessions, settlements } from '../../db/schema/index.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import type { Actor } from '../../domain/lifecycle.js';
import { AppError } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findSession } from '../claims/access.js';
import { applyTransition } from '../claims/apply-transition.js';
import type { SessionContext } from './context.js';
import type { FrameWriter } from './frame-writer.js';
import { SYSTEM_FROM } from './frames.js';
import { claimsOfSession } from './negotiation.js';
import { notOpenReason } from './offer-basis.js';
import type { SessionOutcome, SessionView } from './schemas.js';
import { type SessionRow, sessionView } from './views.js';

/** Run `fn` on a session the principal may see, in a transaction whose frames are broadcast after commit. */
const inSession = <T>(
  ctx: SessionContext,
  p: Principal,
  id: number,
  fn: (tx: Tx, s: SessionRow, w: FrameWriter) => T,
) => ctx.hub.commit((w, tx) => fn(tx, findSession(tx, p, id), w));

/** Open the session: its claims move to in_session and the room takes frames. */
export function startSession(ctx: SessionContext, p: Principal, id: number): SessionView {
  const actor = actorOf(p)!;
  return inSession(ctx, p, id, (tx, s, w) => {
    if (s.status !== 'scheduled')
      throw new AppError('transition_forbidden', `Session ${id} is ${s.status}; only a scheduled session can start.`, {
        reason: 'session_not_scheduled',
      });
    const now = ctx.clock.now();
    tx.update(mediationSessions).set({ status: 'live', startedAt: now }).where(eq(mediationSessions.id, id)).run();
    const calendar = ctx.reference.calendar();
    for (const claim of ctx.negotiation.claimsOf(tx, id)) {
      if (claim.status === 'in_session') continue;
      applyTransition(tx, claim, 'open_session', actor, now, { calendar, reason: `Mediation session ${id} started` });
    }
    w.append(id, {
      type: 'system',
      clientId: null,
      senderKey: 'system',
      from: SYSTEM_FROM,
      body: { event: 'started' },
    });
    return sessionView(ctx, tx, p, id);
  });
}

/** Close the session: `failed` fails the claims that reached no agreement, `adjourned` leaves them as they are. */
export function endSession(ctx: SessionContext, p: Principal, id: number, outcome: SessionOutcome): SessionView {
  const actor = actorOf(p)!;
  return inSession(ctx, p, id, (tx, s, w) => {
    if (s.status === 'ended')
      throw new AppError('transition_forbidden', `Session ${id} has ended already.`, { reason: 'session_ended' });
    if (outcome === 'agreed' && !hasAgreement(tx, id)) {
      throw new AppError(
        'transition_forbidden',
        'No agreement was reached in this session: end it as failed or adjourned.',
        {
          reason: 'no_agreement',
        },
      );
    }
    writeSessionEnd(tx, w, id, { actor, outcome, now: ctx.clock.now(), calendar: ctx.reference.calendar() });
    return sessionView(ctx, tx, p, id);
  });
}

/** Whether an agreement was recorded in the session. */
export const hasAgreement = (tx: Tx, id: number) =>
  tx.select({ id: settlements.id }).from(settlements).where(eq(settlements.sessionId, id)).get() !== undefined;

export interface SessionEnd {
  actor: Actor;
  outcome: SessionOutcome;
  now: Date;
  calendar: HolidayCalendar;
  /** More of what the `ended` frame records (why the session ended, when not by its mediator). */
  record?: Record<string, unknown>;
}

/**
 * The end itself, in the caller's transaction (a mediator's `endSession`, or the job closing sessions
 * left live past their end): the claims of a failed session fail, the session is ended, and the room's
 * record gets its `ended` frame, broadcast by whoever commits `w`.
 */
export function writeSessionEnd(tx: Tx, w: FrameWriter, id: number, end: SessionEnd): void {
  if (end.outcome === 'failed') {
    for (const claim of claimsOfSession(tx, id)) {
      if (notOpenReason(claim) !== null) continue;
      applyTransition(tx, claim, 'fail', end.actor, end.now, {
        calendar: end.calendar,
        reason: `Mediation session ${id} ended without agreement`,
      });
    }
  }
  tx.update(mediationSessions)
    .set({ status: 'ended', endedAt: end.now, outcome: end.outcome })
    .where(eq(mediationSessions.id, id))
    .run();
  w.append(id, {
    type: 'system',
    clientId: null,
    senderKey: 'system',
    from: SYSTEM_FROM,
    body: { event: 'ended', outcome: end.outcome, ...end.record },
  });
}
