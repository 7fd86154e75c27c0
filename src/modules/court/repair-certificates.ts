/**
 * Credit repair ends with a paper (issue 16 item 6, DOMAIN.md §5.3): once the court certifies the
 * repair, the platform issues the creditor's 信用修复证明 and closes the claim as fulfilled. The PDF is
 * rendered on a thread after the certifying transaction has committed, so this follows that commit:
 * at once for a claim certified through the API (one or a batch), and at start for any claim that a
 * stop left certified without its certificate.
 */
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB } from '../../db/open.js';
import { type Claim, claims } from '../../db/schema/index.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { applyTransition } from '../claims/apply-transition.js';
import type { ReferenceData } from '../reference/service.js';

/** The documents module's verb this needs. */
export interface CertificateDocuments {
  generateAsSystem(claimId: number, kind: 'credit_repair_certificate'): Promise<{ id: number; docNo: string }>;
}

export interface RepairCertificateDeps {
  db: DB;
  clock: Clock;
  reference: ReferenceData;
  documents: CertificateDocuments;
  onError: (claimId: number, err: unknown) => void;
}

const isCertified = (c: Pick<Claim, 'stage' | 'status'> | undefined) =>
  c?.stage === 'credit_repair' && c.status === 'certified';

export type RepairCertificates = ReturnType<typeof createRepairCertificates>;

export function createRepairCertificates({ db, clock, reference, documents, onError }: RepairCertificateDeps) {
  // One at a time, in order: a batch that certifies thousands queues them rather than rendering all at once.
  let tail: Promise<void> = Promise.resolve();
  const claimOf = (id: number) => db.select().from(claims).where(eq(claims.id, id)).get();

  async function follow(claimId: number): Promise<void> {
    if (!isCertified(claimOf(claimId))) return;
    const doc = await documents.generateAsSystem(claimId, 'credit_repair_certificate');
    db.transaction(
      (tx) => {
        // Read again: the claim may have moved while the PDF was rendered.
        const claim = tx.select().from(claims).where(eq(claims.id, claimId)).get();
        if (!claim || !isCertified(claim)) return;
        applyTransition(tx, claim, 'close_repaired', SYSTEM_ACTOR, clock.now(), {
          calendar: reference.calendar(),
          reason: `信用修复证明 ${doc.docNo}`,
          data: { documentId: doc.id, docNo: doc.docNo },
        });
      },
      { behavior: 'immediate' },
    );
  }

  function start(claimId: number) {
    tail = tail
      // The next turn of the event loop: the step's transaction (perhaps a batch job's, around the
      // service's own) has committed or rolled back by then, and a claim not certified is left alone.
      .then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(() => follow(claimId))
      .catch((err) => onError(claimId, err));
  }

  return {
    /** After a lifecycle step on `claimId`: a certification is followed by its certificate. */
    afterStep(claimId: number, action: string) {
      if (action === 'certify_repair') start(claimId);
    },

    /** Every claim left certified without its certificate (a stop came between the two). */
    sweep() {
      const left = db
        .select({ id: claims.id })
        .from(claims)
        .where(and(eq(claims.stage, 'credit_repair'), eq(claims.status, 'certified')))
        .all();
      for (const { id } of left) start(id);
    },

    /** Let the certificates under way finish: they write to the database, which closes after this. */
    async close() {
      await tail;
    },
  };
}
