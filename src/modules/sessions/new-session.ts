/** What creating and scheduling sessions share: who may, which claims are free, the rows of a new session. */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DbOrTx, Tx } from '../../db/open.js';
import { type Claim, claims, mediationSessions, sessionClaims, sessionParticipants } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { visibleClaims } from '../claims/access.js';
import type { SessionContext } from './context.js';
import { inviteDebtor } from './invitation.js';
import { MEDIATION_STAGES, OPEN_STATUSES } from './offer-basis.js';
import type { CreateSessionInput } from './schemas.js';

/** Statuses of a session that still holds its claims. */
const ACTIVE = ['scheduled', 'live'] as const;

/** The mediator scheduling; only a mediator runs sessions. */
export function mediatorIdOf(p: Principal): number {
  if (p.kind !== 'user' || p.role !== 'mediator') throw new AppError('forbidden', 'Only a mediator runs sessions.');
  return p.userId;
}

/** How far before now a time still means "now": a client whose clock or network lags (issue 15 item 12). */
export const NOW_TOLERANCE_MS = 5 * 60_000;

/** `at`, or now when `at` is at most NOW_TOLERANCE_MS ago; 422 when it is older (the body's `field`). */
export function notPast(clock: Clock, at: Date, field: string): Date {
  const now = clock.now();
  if (at.getTime() >= now.getTime()) return at;
  if (now.getTime() - at.getTime() <= NOW_TOLERANCE_MS) return now;
  throw new AppError('unprocessable', `${field} is in the past; choose a time from now on.`, {
    reason: 'in_the_past',
    fields: [{ field: `/body/${field}`, message: 'is more than 5 minutes in the past' }],
  });
}

/** The claims of `claimIds` that a scheduled or running session holds, with that session. */
export const claimsInActiveSessions = (tx: DbOrTx, claimIds: number[]) =>
  tx
    .select({ claimId: sessionClaims.claimId, sessionId: mediationSessions.id })
    .from(sessionClaims)
    .innerJoin(mediationSessions, eq(sessionClaims.sessionId, mediationSessions.id))
    .where(and(inArray(sessionClaims.claimId, claimIds), inArray(mediationSessions.status, [...ACTIVE])))
    .all();

/** A debtor's claims open for mediation that the principal may see, in id order. */
export const openClaimsOf = (tx: DbOrTx, p: Principal, debtorId: number): Claim[] =>
  tx
    .select()
    .from(claims)
    .where(
      and(
        visibleClaims(p),
        eq(claims.debtorId, debtorId),
        inArray(claims.stage, [...MEDIATION_STAGES]),
        inArray(claims.status, [...OPEN_STATUSES]),
        isNull(claims.hold),
      ),
    )
    .orderBy(asc(claims.id))
    .all();

/** Write a scheduled session over `list` (one debtor, one creditor) with its parties, and invite the debtor. */
export function insertSession(
  ctx: Pick<SessionContext, 'clock' | 'crypto' | 'publicUrl'>,
  tx: Tx,
  p: Principal,
  list: Claim[],
  mode: CreateSessionInput['mode'],
  scheduledAt: Date,
) {
  const now = ctx.clock.now();
  const first = list[0]!;
  const session = tx
    .insert(mediationSessions)
    .values({
      mediatorId: mediatorIdOf(p),
      creditorOrgId: first.creditorOrgId,
      debtorId: first.debtorId,
      mode,
      status: 'scheduled',
      scheduledAt,
      createdAt: now,
    })
    .returning()
    .get();
  tx.insert(sessionClaims)
    .values(list.map((c) => ({ sessionId: session.id, claimId: c.id })))
    .run();
  tx.insert(sessionParticipants)
    .values([
      { sessionId: session.id, role: 'mediator', userId: session.mediatorId },
      { sessionId: session.id, role: 'debtor', debtorId: session.debtorId },
    ])
    .run();
  const invited = inviteDebtor(ctx, tx, { sessionId: session.id, claim: first, mode, at: scheduledAt, now });
  return { session, invited };
}
