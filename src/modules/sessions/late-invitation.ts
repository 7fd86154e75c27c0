/**
 * An invitation is never sent for a time already gone (issue 15 item 11). When the sender finds that
 * the contact rules (quiet hours, the daily cap) would send a session's invitation at or after the
 * session's slot, or that the slot has passed, the session moves to the first slot the rules allow:
 * as long after the invitation can go out as the mediator first gave the debtor, outside quiet hours.
 * The invitation's text is rewritten with the new time, and the mediator is told: a
 * `session.rescheduled` event on each of the session's claims and a system frame in the session's
 * record. A running session's invitation still goes (the debtor can join); an ended one's does not.
 */
import { eq } from 'drizzle-orm';
import type { DB, DbOrTx } from '../../db/open.js';
import { driverOf } from '../../db/open.js';
import { type Claim, mediationSessions, organisations } from '../../db/schema/index.js';
import { sessionFrameStatements } from '../../db/session-frames.js';
import type { Actor } from '../../domain/lifecycle.js';
import { appendClaimFact } from '../claims/events.js';
import { FrameWriter } from './frame-writer.js';
import { SYSTEM_FROM } from './frames.js';
import { INVITATION_KEY, invitationText } from './invitation.js';
import { claimsOfSession } from './negotiation.js';
import { NOW_TOLERANCE_MS } from './new-session.js';
import { outsideQuietHours } from './schedule-sessions.js';
import type { CreateSessionInput } from './schemas.js';

export const SESSION_RESCHEDULED = 'session.rescheduled';

/** The least notice a moved session gives the debtor after the invitation can go out. */
export const MIN_NOTICE_MS = 30 * 60_000;

/** The session an outbox key invites to, or null for any other delivery. */
export function invitedSession(key: string): number | null {
  const m = INVITATION_KEY.exec(key);
  return m ? Number(m[1]) : null;
}

export type InvitationCheck =
  | { kind: 'in_time' }
  /** The session moved; send (or defer) the invitation with this text. */
  | { kind: 'rescheduled'; message: string; from: Date; to: Date }
  /** The session is no longer waiting for its debtor: send nothing. */
  | { kind: 'stale'; detail: string };

/**
 * Inside the sender's claiming transaction: whether the invitation of `sessionId`, queued at
 * `queuedAt` and able to go out at `sendAt`, still reaches the debtor before the session; if not, move
 * the session (with its events and frame) and answer the new text.
 */
export function checkInvitation(
  db: DB,
  tx: DbOrTx,
  input: {
    sessionId: number;
    queuedAt: Date;
    sendAt: Date;
    now: Date;
    publicUrl: string;
    actor: Actor;
    rule: string | null;
  },
): InvitationCheck {
  const s = tx.select().from(mediationSessions).where(eq(mediationSessions.id, input.sessionId)).get();
  if (!s) return { kind: 'stale', detail: `session ${input.sessionId} does not exist` };
  // A running session can still be joined; one that ended cannot.
  if (s.status === 'live') return { kind: 'in_time' };
  if (s.status !== 'scheduled')
    return { kind: 'stale', detail: `session ${s.id} is ${s.status}; an invitation to it would come too late` };
  const at = s.scheduledAt ?? s.createdAt;
  // A session set for "now" is in time within the same tolerance its scheduling allows (new-session.ts).
  if (input.sendAt.getTime() <= at.getTime() + NOW_TOLERANCE_MS) return { kind: 'in_time' };

  // The notice the mediator gave the debtor, kept from the first moment the invitation may go (at
  // least MIN_NOTICE_MS, so the sender's next run finds the moved session in time).
  const lead = Math.max(MIN_NOTICE_MS, at.getTime() - input.queuedAt.getTime());
  const to = outsideQuietHours(new Date(input.sendAt.getTime() + lead));
  tx.update(mediationSessions).set({ scheduledAt: to }).where(eq(mediationSessions.id, s.id)).run();
  const why =
    input.rule === null
      ? 'the sender reached the invitation only after the session was due'
      : `the contact rules (${input.rule}) let the invitation go only at ${input.sendAt.toISOString()}, not before the session`;
  const data = { sessionId: s.id, from: at.toISOString(), to: to.toISOString(), rule: input.rule, reason: why };
  const claims: Claim[] = claimsOfSession(tx, s.id);
  for (const claim of claims)
    appendClaimFact(
      tx,
      claim,
      SESSION_RESCHEDULED,
      input.actor,
      input.now,
      data,
      `会话${s.id}改期：邀请无法在原定时间前送达`,
    );
  const statements = sessionFrameStatements(driverOf(db));
  const w = new FrameWriter(
    statements,
    statements.insert,
    () => input.now,
    (id, sender, clientId) => statements.byClient(id, sender, clientId)?.seq,
  );
  w.append(s.id, {
    type: 'system',
    clientId: null,
    senderKey: 'system',
    from: SYSTEM_FROM,
    body: { event: 'rescheduled', ...data },
  });
  const creditor = tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, s.creditorOrgId))
    .get()!;
  return {
    kind: 'rescheduled',
    message: invitationText(creditor.name, s.mode as CreateSessionInput['mode'], to, input.publicUrl),
    from: at,
    to,
  };
}
