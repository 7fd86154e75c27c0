/**
 * Recording money received on a claim, inside the caller's transaction: the allocation (Civil Code
 * art. 561, instalments oldest first), the instalments it pays, the event, and what the payment
 * means for the claim's position: the first payment under an agreement starts its performance, the
 * one that leaves nothing owed fulfils the claim. Every move goes through the lifecycle engine.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, type Payment, payments } from '../../db/schema/index.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import type { Actor } from '../../domain/lifecycle.js';
import { allocatePayment, owedFen } from '../../domain/payment-allocation.js';
import { AppError } from '../../errors.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { applyTransition } from '../claims/apply-transition.js';
import { appendClaimFact } from '../claims/events.js';
import { recountLimitation } from '../claims/limitation-recount.js';
import { claimBalance, payInstalments } from './balance.js';

export const PAYMENT_EVENTS = {
  recorded: 'payment.recorded',
  reported: 'payment.reported',
  disputed: 'payment.disputed',
} as const;

/** Who records: the lifecycle actor and the user or API key behind it. */
export interface Recorder {
  actor: Actor;
  userId: number | null;
  apiKeyId: number | null;
}

export interface PaymentFacts {
  amountFen: number;
  paidOn: string;
  reference: string | null;
  channel: string | null;
  source: Payment['source'];
  /** The repayment file the payment came in. */
  importId?: number | null;
}

export interface RecordContext {
  now: Date;
  calendar: HolidayCalendar;
}

const AGREED = ['agreed', 'confirmed'];
const IN_MEDIATION = ['people_mediation', 'court_mediation'];

/** The action that ends a claim's obligation where it stands, if the lifecycle has one there. */
function fulfilmentAction(c: Claim): string | null {
  if (IN_MEDIATION.includes(c.stage) && c.status === 'performing') return 'fulfil';
  if (c.stage === 'litigation' && c.status === 'judged') return 'fulfil';
  if (c.stage === 'enforcement' && (c.status === 'applied' || c.status === 'measures')) return 'record_fulfilment';
  return null;
}

/** Move the claim as a payment implies; answers the claim as it now is. */
function followPayment(ctx: RecordContext, tx: DbOrTx, claim: Claim, settled: boolean, actor: Actor): Claim {
  const opts = { calendar: ctx.calendar };
  let c = claim;
  // Money under an agreement is its performance, whether or not it was confirmed.
  if (IN_MEDIATION.includes(c.stage) && AGREED.includes(c.status))
    c = applyTransition(tx, c, 'perform', SYSTEM_ACTOR, ctx.now, { ...opts, reason: 'first payment received' });
  if (!settled) return c;
  const action = fulfilmentAction(c);
  if (!action) return c;
  c = applyTransition(tx, c, action, actor, ctx.now, { ...opts, reason: 'paid in full' });
  if (c.stage === 'enforcement' && !c.creditListing)
    c = applyTransition(tx, c, 'close_fulfilled', SYSTEM_ACTOR, ctx.now, { ...opts, reason: 'no listing to remove' });
  return c;
}

/**
 * Money received while the court decided on confirmation could not move the claim then; once the
 * agreement is confirmed it counts as performance, and, if nothing is owed, fulfils the claim.
 */
export function followMoneyReceived(ctx: RecordContext, tx: DbOrTx, claim: Claim): Claim {
  const b = claimBalance(tx, claim);
  const received = b.settlement ? b.settlement.dueFen < b.settlement.shareFen : b.paidFen > 0;
  if (!received) return claim;
  return followPayment(ctx, tx, claim, owedFen(b.left, b.settlement?.dueFen ?? null) === 0, SYSTEM_ACTOR);
}

/** The payment the creditor already recorded under this reference, or null. */
export function paymentByReference(tx: DbOrTx, creditorOrgId: number, reference: string | null): Payment | null {
  if (reference === null) return null;
  return (
    tx
      .select()
      .from(payments)
      .where(and(eq(payments.creditorOrgId, creditorOrgId), eq(payments.reference, reference)))
      .get() ?? null
  );
}

/**
 * The same reference sent again: the same payment (idempotent), or a 409 when the reference was used
 * for a different one.
 */
export function sameAsBefore(existing: Payment, claimId: number, f: Pick<PaymentFacts, 'amountFen' | 'paidOn'>) {
  if (existing.claimId === claimId && existing.amountFen === f.amountFen && existing.paidOn === f.paidOn)
    return existing;
  throw new AppError(
    'duplicate',
    `Reference "${existing.reference}" was already used for payment ${existing.id} (claim ${existing.claimId}, ${existing.amountFen} fen on ${existing.paidOn}); give this payment a reference of its own.`,
    { reason: 'payment_reference_used' },
  );
}

/** Allocate a payment to the claim and store what it covered; the claim moves as the payment implies. */
export function applyPayment(
  ctx: RecordContext,
  tx: DbOrTx,
  claim: Claim,
  facts: PaymentFacts,
  recorder: Recorder,
  reported?: Payment,
): { payment: Payment; claim: Claim } {
  if (claim.stage === 'closed')
    throw new AppError(
      'transition_forbidden',
      `The claim is closed (${claim.status}); a payment on it is refunded or handled outside the platform.`,
      { reason: 'claim_closed' },
    );
  const balance = claimBalance(tx, claim);
  const allocation = allocatePayment({
    amountFen: facts.amountFen,
    left: balance.left,
    dueFen: balance.settlement?.dueFen ?? null,
    instalments: balance.settlement?.instalments ?? [],
  });
  const values = {
    settlementId: balance.settlement?.id ?? null,
    status: 'confirmed' as const,
    costsFen: allocation.applied.costs,
    interestFen: allocation.applied.interest,
    principalFen: allocation.applied.principal,
    overpaidFen: allocation.overpaidFen,
    instalmentParts: allocation.instalments.map((i) => ({ instalmentId: i.id, fen: i.fen })),
    decidedAt: ctx.now,
  };
  const payment = reported
    ? tx.update(payments).set(values).where(eq(payments.id, reported.id)).returning().get()!
    : tx
        .insert(payments)
        .values({
          ...values,
          claimId: claim.id,
          creditorOrgId: claim.creditorOrgId,
          amountFen: facts.amountFen,
          paidOn: facts.paidOn,
          reference: facts.reference,
          channel: facts.channel,
          source: facts.source,
          importId: facts.importId ?? null,
          recordedBy: recorder.userId,
          recordedByApiKey: recorder.apiKeyId,
          createdAt: ctx.now,
        })
        .returning()
        .get();
  payInstalments(tx, allocation.instalments);
  appendClaimFact(tx, claim, PAYMENT_EVENTS.recorded, recorder.actor, ctx.now, {
    paymentId: payment.id,
    amountFen: payment.amountFen,
    paidOn: payment.paidOn,
    applied: allocation.applied,
    instalments: allocation.instalments,
    overpaidFen: allocation.overpaidFen,
    ...(reported ? { confirmsReport: true } : {}),
  });
  // Part payment is agreeing to perform (SPC limitation provisions art. 14), counted from the day paid.
  const recounted = recountLimitation(tx, claim, 'payment', payment.paidOn, {
    calendar: ctx.calendar,
    actor: recorder.actor,
    now: ctx.now,
  });
  return { payment, claim: followPayment(ctx, tx, recounted, allocation.settled, recorder.actor) };
}
