/**
 * Who may see what, in one place: the claims, sessions, documents, evidence files and hardship
 * requests a principal (a staff user, a creditor's API key, a signed-in debtor) may see, and fetching
 * one of them or answering 404. What a principal may not see is not found, never forbidden, so no
 * one learns that another tenant's claim exists.
 *
 * - Nobody sees a claim of a batch still `committing`: its rows are written in slices and become
 *   visible together when the batch flips (db/bulk-import.ts); jobs and counts skip them too.
 * - Staff see the claims their organisation holds a part in: the creditor its own, the mediation
 *   organisation and the court those assigned to them. Administrators run the platform and see none.
 * - A debtor sees their own claims once these have left intake: before that a claim was never served
 *   on them, and screening may still correct or reject its data.
 * - Documents, court cases, evidence (a payment's receipt too) and hardship requests are seen through their claims; hardship evidence
 *   (health, disability) only by the debtor and mediators. Sessions: the debtor their own, the
 *   creditor those of its organisation, a mediator those run by any mediator of their organisation
 *   (so a colleague can cover a room); courts none.
 * - Statistics count the claims a principal sees; an administrator's count every claim (no claim shows).
 */
import { and, asc, type Column, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import {
  attachments,
  batches,
  type Claim,
  type CourtCase,
  type CreditRecord,
  claims,
  courtCases,
  creditRecords,
  documents,
  filingLists,
  funnelSnapshots,
  funnelTallies,
  hardshipClaims,
  hardshipRequests,
  mediationSessions,
  objections,
  payments,
  type Settlement,
  settlementClaims,
  settlements,
  users,
} from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import type { Principal } from '../auth/principal.js';

type DocumentRow = typeof documents.$inferSelect;
type SessionRow = typeof mediationSessions.$inferSelect;
type AttachmentRow = typeof attachments.$inferSelect;

/** Rows of claims that exist for everyone: none of a batch still committing (the few such batches are read once). */
const notCommitting = (batchId: Column): SQL =>
  sql`coalesce(${batchId}, 0) not in (select ${batches.id} from ${batches} where ${batches.status} = 'committing')`;

/** Claims that exist for everyone: none of a batch still committing. */
export const committedClaims = (): SQL => notCommitting(claims.batchId);

/** The funnel tallies of the claims that exist for everyone. */
export const committedTallies = (): SQL => notCommitting(funnelTallies.batchId);

/** The claims the principal may see, as a condition on `claims`: every claim query is filtered by it. */
export function visibleClaims(p: Principal): SQL {
  return and(committedClaims(), tenantClaims(p))!;
}

/**
 * The rows of a creditor's, mediation organisation's or court's part, on a table that names a claim's
 * creditor, mediation organisation and court; none for anyone else (each caller decides for them).
 */
function organisationPart(
  p: Principal,
  on: { creditorOrgId: Column; mediationOrgId: Column; courtOrgId: Column },
): SQL {
  switch (p.role) {
    case 'creditor':
      return eq(on.creditorOrgId, p.orgId);
    case 'mediator':
      return eq(on.mediationOrgId, p.orgId);
    case 'court':
      return eq(on.courtOrgId, p.orgId);
    default:
      return sql`0 = 1`;
  }
}

function tenantClaims(p: Principal): SQL {
  switch (p.role) {
    case 'debtor':
      return and(eq(claims.debtorId, p.debtorId), ne(claims.stage, 'intake'))!;
    case 'admin':
      return sql`0 = 1`;
    default:
      return organisationPart(p, claims);
  }
}

/**
 * The claims a principal's statistics count: those it may see, and for an administrator every claim
 * but a committing batch's, since statistics are counts and sums that show no claim, no debtor and
 * no personal data.
 */
export function countedClaims(p: Principal): SQL {
  return p.role === 'admin' ? committedClaims() : visibleClaims(p);
}

/**
 * The funnel tallies (claims summed per creditor, batch, mediation organisation and court) a
 * principal's statistics count: those of the claims countedClaims counts; a debtor's none.
 */
export function countedTallies(p: Principal): SQL {
  switch (p.role) {
    case 'admin':
      return committedTallies();
    case 'debtor':
      return sql`0 = 1`;
    default:
      return and(committedTallies(), organisationPart(p, funnelTallies))!;
  }
}

/** The daily funnel snapshot rows (per creditor, mediation organisation and court) a principal's trend sums. */
export function visibleSnapshots(p: Principal): SQL {
  switch (p.role) {
    case 'admin':
      return sql`1 = 1`;
    case 'debtor':
      return sql`0 = 1`;
    default:
      return organisationPart(p, funnelSnapshots);
  }
}

/** The claim, if the principal may see it; 404 otherwise. */
export function findClaim(tx: DbOrTx, p: Principal, id: number): Claim {
  const claim = tx
    .select()
    .from(claims)
    .where(and(eq(claims.id, id), visibleClaims(p)))
    .get();
  if (!claim) throw notFound(`Claim ${id}`);
  return claim;
}

/** The claims of `ids` in id order, if the principal may see every one; 404 naming those it may not. */
export function findClaims(tx: DbOrTx, p: Principal, ids: readonly number[]): Claim[] {
  const found = tx
    .select()
    .from(claims)
    .where(and(inArray(claims.id, [...ids]), visibleClaims(p)))
    .orderBy(asc(claims.id))
    .all();
  const seen = new Set(found.map((c) => c.id));
  const missing = [...new Set(ids)].filter((id) => !seen.has(id));
  if (missing.length) throw notFound(`Claim ${missing.join(', ')}`);
  return found;
}

/** A settlement and its claims (in id order), if the principal may see them; 404 otherwise. */
export function findSettlement(tx: DbOrTx, p: Principal, id: number): { settlement: Settlement; claims: Claim[] } {
  const settlement = tx.select().from(settlements).where(eq(settlements.id, id)).get();
  const rows = settlement
    ? tx
        .select({ claim: claims })
        .from(settlementClaims)
        .innerJoin(claims, eq(settlementClaims.claimId, claims.id))
        .where(and(eq(settlementClaims.settlementId, id), visibleClaims(p)))
        .orderBy(asc(claims.id))
        .all()
    : [];
  if (!settlement || rows.length === 0) throw notFound(`Settlement ${id}`);
  return { settlement, claims: rows.map((r) => r.claim) };
}

/** A document and its claim, if the principal may see the claim; 404 otherwise. */
export function findDocument(tx: DbOrTx, p: Principal, id: number): { document: DocumentRow; claim: Claim } {
  const row = tx
    .select({ document: documents, claim: claims })
    .from(documents)
    .innerJoin(claims, eq(documents.claimId, claims.id))
    .where(and(eq(documents.id, id), visibleClaims(p)))
    .get();
  if (!row) throw notFound(`Document ${id}`);
  return row;
}

/** The filing lists the principal may see: the creditor's own, and those handed to the clerk's court. */
export function visibleFilingLists(p: Principal): SQL {
  switch (p.role) {
    case 'creditor':
      return eq(filingLists.creditorOrgId, p.orgId);
    case 'court':
      return eq(filingLists.courtOrgId, p.orgId);
    default:
      return sql`0 = 1`;
  }
}

/** A court case and its claim, if the principal may see the claim; 404 otherwise. */
export function findCourtCase(tx: DbOrTx, p: Principal, id: number): { courtCase: CourtCase; claim: Claim } {
  const row = tx
    .select({ courtCase: courtCases, claim: claims })
    .from(courtCases)
    .innerJoin(claims, eq(courtCases.claimId, claims.id))
    .where(and(eq(courtCases.id, id), visibleClaims(p)))
    .get();
  if (!row) throw notFound(`Court case ${id}`);
  return row;
}

/** The credit record with its claim, if the principal may see the claim; 404 otherwise. */
export function findCreditRecord(tx: DbOrTx, p: Principal, id: number): { record: CreditRecord; claim: Claim } {
  const row = tx
    .select({ record: creditRecords, claim: claims })
    .from(creditRecords)
    .innerJoin(claims, eq(creditRecords.claimId, claims.id))
    .where(and(eq(creditRecords.id, id), visibleClaims(p)))
    .get();
  if (!row) throw notFound(`Credit record ${id}`);
  return row;
}

/** The sessions the principal may see, as a condition on `sessions`. */
export function visibleSessions(p: Principal): SQL {
  switch (p.role) {
    case 'mediator':
      return sql`${mediationSessions.mediatorId} in (select ${users.id} from ${users} where ${users.orgId} = ${p.orgId})`;
    case 'creditor':
      return eq(mediationSessions.creditorOrgId, p.orgId);
    case 'debtor':
      return eq(mediationSessions.debtorId, p.debtorId);
    default:
      return sql`0 = 1`;
  }
}

/** The session, if the principal may see it; 404 otherwise (also at the socket upgrade). */
export function findSession(tx: DbOrTx, p: Principal, id: number): SessionRow {
  const session = tx
    .select()
    .from(mediationSessions)
    .where(and(eq(mediationSessions.id, id), visibleSessions(p)))
    .get();
  if (!session) throw notFound(`Session ${id}`);
  return session;
}

/** The hardship requests with a claim the principal may see, as a condition on `hardship_requests`. */
export const visibleHardshipRequests = (p: Principal): SQL =>
  sql`${hardshipRequests.id} in (select ${hardshipClaims.requestId} from ${hardshipClaims} inner join ${claims} on ${hardshipClaims.claimId} = ${claims.id} where ${visibleClaims(p)})`;

/** An evidence file, if the principal may see its objection or hardship request; 404 otherwise. */
export function findAttachment(tx: DbOrTx, p: Principal, id: number): AttachmentRow {
  const file = tx.select().from(attachments).where(eq(attachments.id, id)).get();
  if (!file || !ownerVisible(tx, p, file)) throw notFound(`File ${id}`);
  return file;
}

function ownerVisible(tx: DbOrTx, p: Principal, file: AttachmentRow): boolean {
  if (file.ownerKind === 'objection') {
    return !!tx
      .select({ id: objections.id })
      .from(objections)
      .innerJoin(claims, eq(objections.claimId, claims.id))
      .where(and(eq(objections.id, file.ownerId), visibleClaims(p)))
      .get();
  }
  if (file.ownerKind === 'payment') {
    return !!tx
      .select({ id: payments.id })
      .from(payments)
      .innerJoin(claims, eq(payments.claimId, claims.id))
      .where(and(eq(payments.id, file.ownerId), visibleClaims(p)))
      .get();
  }
  if (p.role !== 'debtor' && p.role !== 'mediator') return false;
  return !!tx
    .select({ id: hardshipClaims.requestId })
    .from(hardshipClaims)
    .innerJoin(claims, eq(hardshipClaims.claimId, claims.id))
    .where(and(eq(hardshipClaims.requestId, file.ownerId), visibleClaims(p)))
    .get();
}
