/**
 * The mediation time limits a creditor's settlement policy may set, `peopleMediationDays` and
 * `courtMediationDays` (1–365); a limit it does not set is DEFAULT_TIMER_DAYS' 30 days (DOMAIN.md §4.3).
 */
import type { Timer } from './lifecycle.js';

const isDays = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 365;

export function policyTimerDays(policy: unknown): Partial<Record<Timer, number>> {
  const p = policy as Record<string, unknown> | null;
  return {
    ...(isDays(p?.peopleMediationDays) ? { people_mediation: p.peopleMediationDays } : {}),
    ...(isDays(p?.courtMediationDays) ? { court_mediation: p.courtMediationDays } : {}),
  };
}
