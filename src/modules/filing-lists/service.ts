/**
 * Filing lists (issue 16 item 4): a creditor hands a court its filed suits as one list, and the list
 * downloads as one ZIP for the court's e-filing: each suit's 起诉状 with an evidence index and the
 * evidence it names (archive.ts). A suit goes on one list at most; a claim that is not a filed suit of
 * the list's court is left off with the reason, never silently.
 */
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB, DbOrTx } from '../../db/open.js';
import {
  type Claim,
  claims,
  courtCases,
  debtors,
  type FilingList,
  filingListClaims,
  filingLists,
  organisations,
} from '../../db/schema/index.js';
import { claimedFen } from '../../domain/claim-amounts.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { visibleClaims, visibleFilingLists } from '../claims/access.js';
import { appendClaimFact } from '../claims/events.js';
import type { FilingListInput, FilingListView } from './schemas.js';

export interface FilingListDeps {
  db: DB;
  clock: Clock;
}

interface Refusal {
  claimId: number;
  code: string;
  detail: string;
}

const orgName = (tx: DbOrTx, id: number) =>
  tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id)).get()!.name;

/** The list, if the principal may see it; 404 otherwise. */
export function findFilingList(tx: DbOrTx, p: Principal, id: number): FilingList {
  const list = tx
    .select()
    .from(filingLists)
    .where(and(eq(filingLists.id, id), visibleFilingLists(p)))
    .get();
  if (!list) throw notFound(`Filing list ${id}`);
  return list;
}

/** The suits of a list in its order, each with its claim, debtor and 民初 case. */
export function filingListEntries(tx: DbOrTx, listId: number) {
  return tx
    .select({ position: filingListClaims.position, claim: claims, debtorName: debtors.name, courtCase: courtCases })
    .from(filingListClaims)
    .innerJoin(claims, eq(filingListClaims.claimId, claims.id))
    .innerJoin(debtors, eq(claims.debtorId, debtors.id))
    .innerJoin(courtCases, eq(filingListClaims.courtCaseId, courtCases.id))
    .where(eq(filingListClaims.listId, listId))
    .orderBy(asc(filingListClaims.position))
    .all();
}

function summaryOf(tx: DbOrTx, list: FilingList, claimCount: number) {
  return {
    id: list.id,
    creditor: { id: list.creditorOrgId, name: orgName(tx, list.creditorOrgId) },
    court: { id: list.courtOrgId, name: orgName(tx, list.courtOrgId) },
    claimCount,
    createdAt: list.createdAt.toISOString(),
    archiveUrl: `/api/filing-lists/${list.id}/archive`,
  };
}

function viewOf(tx: DbOrTx, list: FilingList): FilingListView {
  const entries = filingListEntries(tx, list.id);
  return {
    ...summaryOf(tx, list, entries.length),
    claims: entries.map((e) => ({
      position: e.position,
      claimId: e.claim.id,
      contractNo: e.claim.contractNo,
      debtorName: e.debtorName,
      claimedFen: claimedFen(e.claim),
      courtCaseId: e.courtCase.id,
      caseNo: e.courtCase.caseNo,
    })),
  };
}

export type FilingListService = ReturnType<typeof createFilingListService>;

export function createFilingListService({ db, clock }: FilingListDeps) {
  /** Why `claim` cannot go on a list for `courtOrgId` (or the first court, when none is set yet), or its suit. */
  function suitOf(tx: DbOrTx, claim: Claim | undefined, claimId: number, courtOrgId: number | null) {
    if (!claim) return { refusal: { claimId, code: 'not_found', detail: `Claim ${claimId} was not found.` } };
    if (claim.stage !== 'litigation' || claim.status !== 'filed')
      return {
        refusal: {
          claimId,
          code: 'not_filed',
          detail: `Claim ${claimId} is ${claim.stage}/${claim.status}; only a filed suit (litigation/filed, after file_suit) goes on a filing list.`,
        },
      };
    const suit = tx
      .select()
      .from(courtCases)
      .where(
        and(eq(courtCases.claimId, claim.id), eq(courtCases.kind, 'first_instance'), eq(courtCases.status, 'pending')),
      )
      .orderBy(desc(courtCases.id))
      .get()!;
    const listed = tx
      .select({ listId: filingListClaims.listId })
      .from(filingListClaims)
      .where(eq(filingListClaims.courtCaseId, suit.id))
      .get();
    if (listed)
      return {
        refusal: {
          claimId,
          code: 'already_listed',
          detail: `Claim ${claimId} is already on filing list ${listed.listId}; download that list's archive again.`,
        },
      };
    if (courtOrgId !== null && suit.courtOrgId !== courtOrgId)
      return {
        refusal: {
          claimId,
          code: 'other_court',
          detail: `Claim ${claimId} is filed with ${orgName(tx, suit.courtOrgId)}, not with this list's court; put it on a list of its own.`,
        },
      };
    return { suit };
  }

  return {
    /** A list of the suits of `claimIds` that are filed with one court (the first one's). */
    create(p: Principal, input: FilingListInput) {
      const actor = actorOf(p);
      if (p.role !== 'creditor' || !actor)
        throw new AppError('forbidden', 'Only the creditor that filed the suits makes their filing list.');
      const now = clock.now();
      return db.transaction(
        (tx) => {
          const found = new Map(
            tx
              .select()
              .from(claims)
              .where(and(inArray(claims.id, input.claimIds), visibleClaims(p)))
              .all()
              .map((c) => [c.id, c]),
          );
          const refused: Refusal[] = [];
          const accepted: { claim: Claim; courtCaseId: number }[] = [];
          let courtOrgId: number | null = null;
          for (const claimId of input.claimIds) {
            const claim = found.get(claimId);
            const { refusal, suit } = suitOf(tx, claim, claimId, courtOrgId);
            if (refusal) refused.push(refusal);
            else if (claim && suit) {
              courtOrgId = suit.courtOrgId;
              accepted.push({ claim, courtCaseId: suit.id });
            }
          }
          if (courtOrgId === null)
            throw new AppError(
              'unprocessable',
              `None of the claims can go on a filing list: ${refused
                .slice(0, 5)
                .map((r) => r.detail)
                .join(' ')}${refused.length > 5 ? ` (and ${refused.length - 5} more)` : ''}`,
              { reason: 'nothing_to_file' },
            );
          const list = tx
            .insert(filingLists)
            .values({ creditorOrgId: p.orgId, courtOrgId, createdBy: actor.name, createdAt: now })
            .returning()
            .get();
          for (const [i, { claim, courtCaseId }] of accepted.entries()) {
            tx.insert(filingListClaims)
              .values({ listId: list.id, position: i + 1, claimId: claim.id, courtCaseId })
              .run();
            appendClaimFact(tx, claim, 'filing_list.added', actor, now, { filingListId: list.id, courtCaseId });
          }
          return { ...viewOf(tx, list), refused };
        },
        { behavior: 'immediate' },
      );
    },

    /** The lists the principal may see, newest first. */
    list(p: Principal) {
      return db.transaction(
        (tx) =>
          tx
            .select()
            .from(filingLists)
            .where(visibleFilingLists(p))
            .orderBy(desc(filingLists.id))
            .limit(200)
            .all()
            .map((list) => {
              const { n } = tx
                .select({ n: count() })
                .from(filingListClaims)
                .where(eq(filingListClaims.listId, list.id))
                .get()!;
              return summaryOf(tx, list, n);
            }),
        { behavior: 'deferred' },
      );
    },

    get(p: Principal, id: number): FilingListView {
      return db.transaction((tx) => viewOf(tx, findFilingList(tx, p, id)), { behavior: 'deferred' });
    },
  };
}
