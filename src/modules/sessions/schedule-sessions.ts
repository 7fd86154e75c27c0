/** Scheduling many sessions at once: a list of debtors in consecutive time slots outside quiet hours. */
import { inQuietHours, QUIET_END_HOUR } from '../../domain/contact-policy.js';
import { addDays, shanghaiDate, shanghaiHourUtc } from '../../domain/dates.js';
import type { Principal } from '../auth/principal.js';
import type { SessionContext } from './context.js';
import { claimsInActiveSessions, insertSession, mediatorIdOf, notPast, openClaimsOf } from './new-session.js';
import type { ScheduleInput, ScheduleResult } from './schemas.js';

/** The first instant at or after `t` outside quiet hours (22:00–08:00 Shanghai). */
export function outsideQuietHours(t: Date): Date {
  if (!inQuietHours(t)) return t;
  const today = shanghaiDate(t);
  const morning = shanghaiHourUtc(today, QUIET_END_HOUR);
  return morning.getTime() > t.getTime() ? morning : shanghaiHourUtc(addDays(today, 1), QUIET_END_HOUR);
}

/**
 * One session per debtor and creditor, over all their open claims in no other session, one slot each
 * from the first, skipping quiet hours; one invitation each. Debtors with nothing to schedule are
 * listed as skipped, with the reason.
 */
export function scheduleSessions(ctx: SessionContext, p: Principal, input: ScheduleInput): ScheduleResult {
  mediatorIdOf(p);
  const first = notPast(ctx.clock, new Date(input.firstSlotAt), 'firstSlotAt');
  const slotMs = input.slotMinutes * 60_000;
  return ctx.db.transaction((tx) => {
    const result: ScheduleResult = { sessions: [], skipped: [] };
    let next = outsideQuietHours(first);
    for (const debtorId of input.debtorIds) {
      const open = openClaimsOf(tx, p, debtorId);
      if (open.length === 0) {
        result.skipped.push({
          debtorId,
          reason: 'no_open_claims',
          detail: 'No open claim of this debtor that you may see is waiting for mediation.',
        });
        continue;
      }
      const busy = new Set(
        claimsInActiveSessions(
          tx,
          open.map((c) => c.id),
        ).map((r) => r.claimId),
      );
      const free = open.filter((c) => !busy.has(c.id));
      if (free.length === 0) {
        result.skipped.push({
          debtorId,
          reason: 'already_scheduled',
          detail: 'Every open claim of this debtor is already in a scheduled or running session.',
        });
        continue;
      }
      for (const creditorOrgId of [...new Set(free.map((c) => c.creditorOrgId))]) {
        const list = free.filter((c) => c.creditorOrgId === creditorOrgId);
        const { session, invited } = insertSession(ctx, tx, p, list, input.mode, next);
        result.sessions.push({
          id: session.id,
          debtorId,
          creditorOrgId,
          claimIds: list.map((c) => c.id),
          scheduledAt: next.toISOString(),
          invited,
        });
        next = outsideQuietHours(new Date(next.getTime() + slotMs));
      }
    }
    return result;
  });
}
