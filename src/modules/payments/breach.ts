/**
 * Breach after grace (issue 16 item 1; issue 17's job calls it): an instalment still unpaid when the
 * grace days of the claim's policy have run after its due date breaches the agreement, and each claim
 * of the settlement takes `breach` through the lifecycle (DESIGN.md §3: a confirmed agreement goes to
 * enforcement, an unconfirmed people's-mediation one to court mediation). One settlement per
 * transaction, so the sweep never holds the write lock for long.
 */
import { and, asc, eq, lt } from 'drizzle-orm';
import type { DB, DbOrTx } from '../../db/open.js';
import { claims, instalments, settlementClaims } from '../../db/schema/index.js';
import { compareDates } from '../../domain/dates.js';
import { type HolidayCalendar, periodEnd } from '../../domain/holiday-calendar.js';
import { INSTALMENT_GRACE_DAYS } from '../../domain/rule-defaults.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { applyTransition } from '../claims/apply-transition.js';
import { claimPolicies, policySetting } from '../claims/policy.js';

const isGrace = (g: unknown): g is number => typeof g === 'number' && Number.isInteger(g) && g >= 0;

/** The grace days of the claims' policies (the batch's, else the creditor's): the shortest wins. */
const graceDaysOf = (tx: DbOrTx, claimIds: number[]): number =>
  Math.min(
    ...claimIds.map((id) => policySetting(claimPolicies(tx, id), 'graceDays', isGrace) ?? INSTALMENT_GRACE_DAYS),
  );

const PERFORMABLE = ['agreed', 'confirmed', 'performing'];

export interface UnpaidInstalment {
  /** job_items key and due date (exactly-once.ts). */
  key: string;
  due: string;
  id: number;
  settlementId: number;
  dueDate: string;
}

/** Instalments still pending after their due date, oldest first. */
export function unpaidPastDue(db: DbOrTx, today: string): UnpaidInstalment[] {
  return db
    .select({ id: instalments.id, settlementId: instalments.settlementId, dueDate: instalments.dueDate })
    .from(instalments)
    .where(and(eq(instalments.status, 'pending'), lt(instalments.dueDate, today)))
    .orderBy(asc(instalments.dueDate), asc(instalments.id))
    .all()
    .map((i) => ({ ...i, key: `instalment:${i.id}`, due: i.dueDate }));
}

/**
 * Inside the caller's transaction: if the instalment's grace ended before `today`, mark it breached and
 * breach the settlement's open claims; answers the claims that breached, or null while grace runs
 * or the court decides on confirmation.
 */
export function breachIfGraceEnded(
  tx: DbOrTx,
  calendar: HolidayCalendar,
  now: Date,
  today: string,
  inst: Pick<UnpaidInstalment, 'id' | 'settlementId' | 'dueDate'>,
): number[] | null {
  // Paid (or breached by another run) since it was listed.
  const current = tx.select({ status: instalments.status }).from(instalments).where(eq(instalments.id, inst.id)).get();
  if (current?.status !== 'pending') return [];
  const members = tx
    .select({ claim: claims })
    .from(settlementClaims)
    .innerJoin(claims, eq(settlementClaims.claimId, claims.id))
    .where(eq(settlementClaims.settlementId, inst.settlementId))
    .all()
    .map((r) => r.claim);
  const graceEnds = periodEnd(
    calendar,
    inst.dueDate,
    graceDaysOf(
      tx,
      members.map((c) => c.id),
    ),
  );
  if (compareDates(graceEnds, today) >= 0) return null;
  // While the court decides on confirmation the breach waits: its decision says where a breach goes.
  if (members.some((c) => c.status === 'confirmation_applied')) return null;
  tx.update(instalments).set({ status: 'breached' }).where(eq(instalments.id, inst.id)).run();
  const reason = `Instalment due ${inst.dueDate} unpaid after the grace period (ended ${graceEnds})`;
  const breached: number[] = [];
  for (const c of members) {
    if (!['people_mediation', 'court_mediation'].includes(c.stage) || !PERFORMABLE.includes(c.status)) continue;
    if (c.hold) continue;
    let claim = c;
    if (claim.status !== 'performing')
      claim = applyTransition(tx, claim, 'perform', SYSTEM_ACTOR, now, { calendar, reason: 'performance was due' });
    applyTransition(tx, claim, 'breach', SYSTEM_ACTOR, now, {
      calendar,
      reason,
      data: { instalmentId: inst.id, graceEndedOn: graceEnds },
    });
    breached.push(c.id);
  }
  return breached;
}

/** Breach every agreement whose unpaid instalment's grace ended before `today`; answers the claims that breached. */
export function breachAfterGrace(db: DB, calendar: HolidayCalendar, now: Date, today: string): number[] {
  const breached: number[] = [];
  const seen = new Set<number>();
  for (const inst of unpaidPastDue(db, today)) {
    if (seen.has(inst.settlementId)) continue;
    const claimIds = db.transaction((tx) => breachIfGraceEnded(tx, calendar, now, today, inst));
    if (claimIds === null) continue;
    seen.add(inst.settlementId);
    breached.push(...claimIds);
  }
  return breached;
}
