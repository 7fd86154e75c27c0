/** Joining a session's room: who the principal is there, recorded as a participant before the socket opens. */
import { and, eq, isNull } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { debtors, sessionParticipants } from '../../db/schema/index.js';
import type { Principal } from '../auth/principal.js';
import { findSession } from '../claims/access.js';
import type { Participant } from './connection.js';
import type { PartyRole } from './frames.js';

/** The sender key of a principal's frames: client ids are unique per sender. */
export const senderKeyOf = (p: Principal) =>
  p.kind === 'user' ? `user:${p.userId}` : p.kind === 'api_key' ? `apikey:${p.apiKeyId}` : `debtor:${p.debtorId}`;

/** Who the principal is in the session's room; records them as a participant. Not visible: 404. */
export function joinSession(db: DB, p: Principal, id: number): Participant {
  return db.transaction((tx) => {
    const s = findSession(tx, p, id);
    const role = p.role as PartyRole;
    const userId = p.kind === 'user' ? p.userId : null;
    const debtorId = p.kind === 'debtor' ? p.debtorId : null;
    const known = tx
      .select({ id: sessionParticipants.id })
      .from(sessionParticipants)
      .where(
        and(
          eq(sessionParticipants.sessionId, id),
          eq(sessionParticipants.role, role),
          userId === null ? isNull(sessionParticipants.userId) : eq(sessionParticipants.userId, userId),
          debtorId === null ? isNull(sessionParticipants.debtorId) : eq(sessionParticipants.debtorId, debtorId),
        ),
      )
      .get();
    if (!known) tx.insert(sessionParticipants).values({ sessionId: id, role, userId, debtorId }).run();
    const name =
      p.kind === 'debtor'
        ? tx.select({ name: debtors.name }).from(debtors).where(eq(debtors.id, s.debtorId)).get()!.name
        : p.name;
    return { sessionId: id, role, name, key: senderKeyOf(p) };
  });
}
