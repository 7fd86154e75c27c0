/**
 * Whether a document may be issued for a claim now (domain/document-issuance.ts), with the facts
 * the table reads gathered from the claim and its history.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { type Claim, claimEvents } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { type IssuanceFacts, mayIssue } from '../../domain/document-issuance.js';
import type { DocumentKind } from '../../domain/document-kinds.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import { AppError } from '../../errors.js';
import { enforceableTitleOf, latestSettlementOf } from './gather.js';

/** What the table reads of the claim row. */
export type ClaimState = Pick<Claim, 'id' | 'stage' | 'status' | 'enforceableTitle' | 'litigationAllowed'>;

/** The facts the issuance table reads about the claim at `now`. */
export function issuanceFacts(tx: DbOrTx, claim: ClaimState, now: Date): IssuanceFacts {
  const agreedAt = latestSettlementOf(tx, claim.id)?.agreedAt ?? null;
  const certified = tx
    .select({ seq: claimEvents.seq })
    .from(claimEvents)
    .where(and(eq(claimEvents.claimId, claim.id), eq(claimEvents.action, 'certify_repair')))
    .limit(1)
    .get();
  return {
    stage: claim.stage,
    status: claim.status,
    enforceableTitle: claim.enforceableTitle,
    litigationAllowed: claim.litigationAllowed,
    titleCaseNo: enforceableTitleOf(tx, claim.id)?.caseNo ?? null,
    repairCertified: certified !== undefined,
    agreedOn: agreedAt ? shanghaiDate(agreedAt) : null,
    today: shanghaiDate(now),
  };
}

/** 409 document_not_allowed, naming the rule, unless the table lets the claim have the document now. */
export function assertMayIssue(
  tx: DbOrTx,
  calendar: HolidayCalendar,
  claim: ClaimState,
  kind: DocumentKind,
  now: Date,
): void {
  const check = mayIssue(kind, issuanceFacts(tx, claim, now), calendar);
  if (!check.ok)
    throw new AppError('document_not_allowed', `${check.detail} (rule ${check.rule})`, { reason: check.rule });
}
