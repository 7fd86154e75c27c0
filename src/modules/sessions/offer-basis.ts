/**
 * Gathering what an offer is judged against: the claims' amounts, the creditor's limits (the batch's
 * policy, which the import merged with the creditor's; the creditor's own policy for a claim without
 * a batch) and the hardship plan for the claims a granted request covers.
 */
import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { batches, type Claim, claims, organisations } from '../../db/schema/index.js';
import {
  NO_CONCESSION_LIMITS,
  type OfferBasis,
  offerBasis,
  type SettlementLimits,
  strictestLimits,
} from '../../domain/settlement-terms.js';
import { hardshipCoveredClaims, hardshipPlan } from '../objections/hardship.js';

/** Stages and statuses in which a claim can be mediated in a session. */
export const MEDIATION_STAGES = ['people_mediation', 'court_mediation'] as const;
export const OPEN_STATUSES = ['awaiting_contact', 'notified', 'in_session'] as const;

/** Why a claim cannot be settled in a session now, or null when it can. */
export function notOpenReason(c: Claim): string | null {
  if (
    !(MEDIATION_STAGES as readonly string[]).includes(c.stage) ||
    !(OPEN_STATUSES as readonly string[]).includes(c.status)
  )
    return `claim ${c.id} is ${c.stage}/${c.status}, not open for mediation`;
  if (c.hold) return `claim ${c.id} is on hold for a pending ${c.hold} review`;
  return null;
}

/** The limits a stored policy states; a limit it does not state allows no concession. */
function limitsOf(policy: unknown): SettlementLimits | null {
  if (typeof policy !== 'object' || policy === null) return null;
  const p = policy as Record<string, unknown>;
  const num = (k: keyof SettlementLimits) =>
    typeof p[k] === 'number' && Number.isInteger(p[k]) ? (p[k] as number) : NO_CONCESSION_LIMITS[k];
  return {
    maxDiscountPct: num('maxDiscountPct'),
    maxInstalments: num('maxInstalments'),
    minFirstPaymentPct: num('minFirstPaymentPct'),
  };
}

/** The basis of an offer over these claims: amounts, strictest limits, hardship relief. */
export function offerBasisFor(tx: DbOrTx, list: readonly Claim[], hardshipMaxInstalments: number): OfferBasis {
  const ids = list.map((c) => c.id);
  const policies = tx
    .select({ claimId: claims.id, batchPolicy: batches.policy, orgPolicy: organisations.settlementPolicy })
    .from(claims)
    .innerJoin(organisations, eq(claims.creditorOrgId, organisations.id))
    .leftJoin(batches, eq(claims.batchId, batches.id))
    .where(inArray(claims.id, ids))
    .all();
  const limits = strictestLimits(
    policies.map((p) => limitsOf(p.batchPolicy) ?? limitsOf(p.orgPolicy) ?? NO_CONCESSION_LIMITS),
  );
  const covered = hardshipCoveredClaims(tx, ids);
  return offerBasis(list, limits, covered.size > 0 ? hardshipPlan(hardshipMaxInstalments) : null, (c) =>
    covered.has(c.id),
  );
}
