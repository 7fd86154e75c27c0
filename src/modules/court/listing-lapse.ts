/**
 * Fixed-term listings lapse (DOMAIN.md §5.1 art. 2, issue 16 item 6): the day after a dishonest-debtor
 * listing's term ends, the platform records that the term ended and the day the court must have
 * deleted it by (3 working days after the term, art. 10), and when no other listing or restriction of
 * the claim remains the claim's credit listing ends through the lifecycle (lapse_listing).
 */
import { and, asc, eq, gte, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import type { DB, DbOrTx } from '../../db/open.js';
import { claims, creditRecords, LISTING_MEASURES } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { courtListDeletionDeadline } from '../../domain/deadlines.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { applyTransition } from '../claims/apply-transition.js';
import { appendClaimFact } from '../claims/events.js';

export interface EndedListing {
  key: string;
  due: string;
  creditRecordId: number;
}

/** Listings whose term ended before `today` and that are neither removed nor yet lapsed. */
export function endedListings(db: DB, today: string): EndedListing[] {
  return db
    .select({ id: creditRecords.id, termEndsOn: creditRecords.termEndsOn })
    .from(creditRecords)
    .where(
      and(lt(creditRecords.termEndsOn, today), isNull(creditRecords.removedOn), isNull(creditRecords.removalDueOn)),
    )
    .orderBy(asc(creditRecords.termEndsOn), asc(creditRecords.id))
    .all()
    .map((r) => ({ key: `credit_record:${r.id}`, due: r.termEndsOn!, creditRecordId: r.id }));
}

/** Record the lapse of one listing; null when it is not due after all (removed or lapsed meanwhile). */
export function lapseListing(tx: DbOrTx, item: EndedListing, calendar: HolidayCalendar, now: Date): string | null {
  const today = shanghaiDate(now);
  const record = tx.select().from(creditRecords).where(eq(creditRecords.id, item.creditRecordId)).get();
  if (!record?.termEndsOn || record.removedOn || record.removalDueOn || record.termEndsOn >= today) return null;
  const removalDueOn = courtListDeletionDeadline(calendar, record.termEndsOn);
  tx.update(creditRecords).set({ removalDueOn }).where(eq(creditRecords.id, record.id)).run();
  const claim = tx.select().from(claims).where(eq(claims.id, record.claimId)).get()!;
  const data = { creditRecordId: record.id, termEndsOn: record.termEndsOn, removalDueOn };
  // Another listing or restriction still in force (not removed, its term not ended) keeps the claim listed.
  const inForce = tx
    .select({ id: creditRecords.id })
    .from(creditRecords)
    .where(
      and(
        eq(creditRecords.claimId, claim.id),
        ne(creditRecords.id, record.id),
        inArray(creditRecords.kind, [...LISTING_MEASURES] as never[]),
        isNull(creditRecords.removedOn),
        or(isNull(creditRecords.termEndsOn), gte(creditRecords.termEndsOn, today)),
      ),
    )
    .get();
  // A closed claim takes no step: the ended term is a fact on its chain, and the court's deletion deadline runs.
  if (claim.creditListing && !inForce && claim.stage !== 'closed') {
    applyTransition(tx, claim, 'lapse_listing', SYSTEM_ACTOR, now, {
      calendar,
      reason: `失信名单期限于 ${record.termEndsOn} 届满`,
      data,
    });
    return 'delisted';
  }
  appendClaimFact(tx, claim, 'credit_record.term_ended', SYSTEM_ACTOR, now, data);
  return 'term_ended';
}
