/** Service by public notice becomes complete when its period has run out (CPL art. 95): a daily sweep. */
import { and, asc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { DB, DbOrTx } from '../../db/open.js';
import { claims, documents } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { publicNoticeServedAt } from '../../domain/delivery-rules.js';
import { calendarFrom } from '../../domain/holiday-calendar.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { storedCalendarRows } from '../reference/service.js';
import { appendClaimFact, DELIVERY_EVENTS } from './events.js';
import { followService } from './served.js';

export interface DeemedService {
  /** job_items key and due date (jobs/exactly-once.ts). */
  key: string;
  due: string;
  documentId: number;
}

/** Documents whose public-notice period ended before today (Shanghai) and that are not served yet. */
export function documentsDeemedServed(db: DbOrTx, now: Date): DeemedService[] {
  return db
    .select({ id: documents.id, on: documents.deemedServedOn })
    .from(documents)
    .where(
      and(
        isNull(documents.servedAt),
        isNotNull(documents.deemedServedOn),
        lt(documents.deemedServedOn, shanghaiDate(now)),
      ),
    )
    .orderBy(asc(documents.id))
    .all()
    .map((d) => ({ key: `document:${d.id}`, due: d.on!, documentId: d.id }));
}

/** Inside the caller's transaction: mark the document served by public notice, with its claim event. */
export function markServedByNotice(tx: DbOrTx, item: DeemedService, now: Date): 'served' | 'served_already' {
  const row = tx
    .select({ document: documents, claim: claims })
    .from(documents)
    .innerJoin(claims, eq(documents.claimId, claims.id))
    .where(eq(documents.id, item.documentId))
    .get();
  if (!row || row.document.servedAt !== null) return 'served_already';
  const { document, claim } = row;
  const servedAt = publicNoticeServedAt(document.deemedServedOn!);
  const actor = { ...SYSTEM_ACTOR, name: 'deliveries.deem-served' };
  tx.update(documents).set({ servedAt, serviceMethod: 'public_notice' }).where(eq(documents.id, document.id)).run();
  appendClaimFact(tx, claim, DELIVERY_EVENTS.served, actor, now, {
    documentId: document.id,
    docNo: document.docNo,
    method: 'public_notice',
    publicNoticeOn: document.publicNoticeOn,
    deemedServedOn: document.deemedServedOn,
    servedAt: servedAt.toISOString(),
  });
  // The job has no cached reference data: the calendar is read in the item's transaction.
  followService(tx, claim, document, document.deemedServedOn!, {
    calendar: calendarFrom(storedCalendarRows(tx)),
    actor,
    now,
  });
  return 'served';
}

/** Mark served every document whose public-notice period ended before today (Shanghai); answers how many. */
export function markDeemedServed({ db }: { db: DB }, { now }: { now: Date }): number {
  return documentsDeemedServed(db, now).filter(
    (item) => db.transaction((tx) => markServedByNotice(tx, item, now)) === 'served',
  ).length;
}
