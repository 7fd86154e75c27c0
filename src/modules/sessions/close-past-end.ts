/**
 * Sessions left live past their end (job sessions.close-past-end): a live session ends
 * SESSION_MAX_MINUTES after it started, or after it was due to start when it started early. The job
 * ends each one still live then with the mediator's own verb body (writeSessionEnd), as `agreed` when
 * an agreement was recorded in it and `adjourned` otherwise (its claims stay where they are, and their
 * stage time limit still runs), and the record's `ended` frame says why. The hub that holds its
 * sockets sees the session ended at its next heartbeat and closes them (hub.ts, closeEndedRooms).
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { DB, Tx } from '../../db/open.js';
import { driverOf } from '../../db/open.js';
import { mediationSessions } from '../../db/schema/index.js';
import { sessionFrameStatements } from '../../db/session-frames.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import type { DueItem } from '../../jobs/exactly-once.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { FrameWriter } from './frame-writer.js';
import { hasAgreement, writeSessionEnd } from './start-and-end.js';

export interface SessionPastEnd extends DueItem {
  sessionId: number;
  /** When it should have ended (ISO). */
  endsAt: string;
}

/** When a live session ends: `maxMinutes` after it started, or after its slot began if it started early. */
export const sessionEnd = (s: { startedAt: Date | null; scheduledAt: Date | null }, maxMinutes: number): Date =>
  new Date(Math.max(s.startedAt?.getTime() ?? 0, s.scheduledAt?.getTime() ?? 0) + maxMinutes * 60_000);

/** The live sessions whose end has passed at `now`, earliest end first (live rooms are few: no bound needed). */
export function sessionsPastEnd(db: DB, now: Date, maxMinutes: number): SessionPastEnd[] {
  return db
    .select({
      id: mediationSessions.id,
      startedAt: mediationSessions.startedAt,
      scheduledAt: mediationSessions.scheduledAt,
    })
    .from(mediationSessions)
    .where(and(eq(mediationSessions.status, 'live'), isNotNull(mediationSessions.startedAt)))
    .all()
    .map((s) => ({ id: s.id, endsAt: sessionEnd(s, maxMinutes) }))
    .filter((s) => s.endsAt.getTime() <= now.getTime())
    .sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime())
    .map(({ id, endsAt }) => ({
      key: `session:${id}`,
      due: endsAt.toISOString(),
      sessionId: id,
      endsAt: endsAt.toISOString(),
    }));
}

/**
 * End a session past its end, in the job's transaction; null when it is no longer live (its mediator
 * ended it meanwhile). The frame's seq is read from the database: the hub reads its rooms' seqs again
 * when it finds the session ended.
 */
export function closeSessionPastEnd(
  db: DB,
  tx: Tx,
  item: SessionPastEnd,
  calendar: HolidayCalendar,
  now: Date,
): string | null {
  const s = tx
    .select({ status: mediationSessions.status })
    .from(mediationSessions)
    .where(eq(mediationSessions.id, item.sessionId))
    .get();
  if (s?.status !== 'live') return null;
  const statements = sessionFrameStatements(driverOf(db));
  const w = new FrameWriter(
    statements,
    statements.insert,
    () => now,
    (id, sender, clientId) => statements.byClient(id, sender, clientId)?.seq,
  );
  const outcome = hasAgreement(tx, item.sessionId) ? 'agreed' : 'adjourned';
  writeSessionEnd(tx, w, item.sessionId, {
    actor: SYSTEM_ACTOR,
    outcome,
    now,
    calendar,
    record: { reason: 'past_end', endsAt: item.endsAt },
  });
  return outcome;
}
