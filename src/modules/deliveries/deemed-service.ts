/** Service by public notice becomes complete when its period has run out (CPL art. 95): a daily sweep. */
import { and, asc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { claims, documents } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { publicNoticeServedAt } from '../../domain/delivery-rules.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { appendClaimFact, DELIVERY_EVENTS } from './events.js';

// Documents per transaction: keeps each write short while the server shares the database file.
const WINDOW = 500;

/** Mark served every document whose public-notice period ended before today (Shanghai); answers how many. */
export function markDeemedServed({ db }: { db: DB }, { now }: { now: Date }): number {
  const today = shanghaiDate(now);
  const actor = { ...SYSTEM_ACTOR, name: 'deliveries.deem-served' };
  let served = 0;
  for (;;) {
    const done = db.transaction((tx) => {
      const due = tx
        .select({ document: documents, claim: claims })
        .from(documents)
        .innerJoin(claims, eq(documents.claimId, claims.id))
        .where(
          and(isNull(documents.servedAt), isNotNull(documents.deemedServedOn), lt(documents.deemedServedOn, today)),
        )
        .orderBy(asc(documents.id))
        .limit(WINDOW)
        .all();
      for (const { document, claim } of due) {
        const servedAt = publicNoticeServedAt(document.deemedServedOn!);
        tx.update(documents)
          .set({ servedAt, serviceMethod: 'public_notice' })
          .where(eq(documents.id, document.id))
          .run();
        appendClaimFact(tx, claim, DELIVERY_EVENTS.served, actor, now, {
          documentId: document.id,
          docNo: document.docNo,
          method: 'public_notice',
          publicNoticeOn: document.publicNoticeOn,
          deemedServedOn: document.deemedServedOn,
          servedAt: servedAt.toISOString(),
        });
      }
      return due.length;
    });
    served += done;
    if (done < WINDOW) return served;
  }
}
