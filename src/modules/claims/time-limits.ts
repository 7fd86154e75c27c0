/**
 * Stage time limits (DESIGN.md §3): a mediation still open after its last day takes `time_out`, and a
 * people's mediation that timed out goes on to court pre-litigation mediation (`escalate`) unless the
 * creditor's policy says `escalateOnTimeout: false`, with the court limit the policy sets. A court mediation that timed out stays failed for
 * the creditor to sue or close: filing a suit needs the court's own record. A claim on hold waits
 * (DESIGN.md §3: no automatic escalation while held) and is taken up once the hold is released.
 */

import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { DB, DbOrTx } from '../../db/open.js';
import { claims } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import { policyTimerDays } from '../../domain/mediation-limits.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { committedClaims } from './access.js';
import { applyTransition } from './apply-transition.js';
import { claimPolicies, policySetting } from './policy.js';

const OPEN_MEDIATION = ['awaiting_contact', 'notified', 'in_session'] as const;
const MEDIATION_STAGES = ['people_mediation', 'court_mediation'] as const;
const ACTOR = { ...SYSTEM_ACTOR, name: 'claims.stage-time-limits' };

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

export interface OverdueClaim {
  key: string;
  due: string;
  claimId: number;
}

/** Open mediations whose last day is before today (Shanghai), oldest deadline first. */
export function overdueMediations(db: DB, now: Date): OverdueClaim[] {
  return db
    .select({ id: claims.id, deadline: claims.stageDeadline })
    .from(claims)
    .where(
      and(
        lt(claims.stageDeadline, shanghaiDate(now)),
        inArray(claims.stage, [...MEDIATION_STAGES]),
        inArray(claims.status, [...OPEN_MEDIATION]),
        isNull(claims.hold),
        committedClaims(),
      ),
    )
    .orderBy(asc(claims.stageDeadline), asc(claims.id))
    .all()
    .map((r) => ({ key: `claim:${r.id}`, due: r.deadline!, claimId: r.id }));
}

/**
 * Time the claim out if it is still the mediation whose deadline was `due`; answers what happened,
 * or null when it is not due after all (its deadline moved, or a hold came first).
 */
export function timeOutClaim(
  tx: DbOrTx,
  item: OverdueClaim,
  calendar: HolidayCalendar,
  now: Date,
): 'escalated' | 'timed_out' | 'moved' | null {
  const claim = tx.select().from(claims).where(eq(claims.id, item.claimId)).get();
  if (!claim || !(OPEN_MEDIATION as readonly string[]).includes(claim.status) || claim.stageDeadline !== item.due)
    return 'moved';
  if (claim.hold !== null) return null;
  const reason = `Mediation time limit ended ${item.due}`;
  const failed = applyTransition(tx, claim, 'time_out', ACTOR, now, { calendar, reason, data: { deadline: item.due } });
  if (failed.stage !== 'people_mediation') return 'timed_out';
  const policies = claimPolicies(tx, claim.id);
  if (policySetting(policies, 'escalateOnTimeout', isBool) === false) return 'timed_out';
  applyTransition(tx, failed, 'escalate', ACTOR, now, {
    calendar,
    reason: `${reason}: to court pre-litigation mediation`,
    timerDays: { ...policyTimerDays(policies.creditor), ...policyTimerDays(policies.batch) },
  });
  return 'escalated';
}
