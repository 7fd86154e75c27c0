/**
 * Deliveries seen from the API: queue a document for the debtor over the channels that reach them,
 * list what was sent, record the electronic service receipt when the debtor opens a link, and record
 * service by public notice for court documents. Sending itself is the sender job's (sender.ts).
 */
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DB } from '../../db/open.js';
import { claims, contactLog, debtors, deliveries, documents } from '../../db/schema/index.js';
import { checkContact } from '../../domain/contact-policy.js';
import { compareDates, isValidIsoDate, shanghaiDate } from '../../domain/dates.js';
import { publicNoticeServiceDate } from '../../domain/deadlines.js';
import type { DeliveryRule, DeliveryStatus } from '../../domain/delivery-rules.js';
import { isCourtDocument } from '../../domain/document-kinds.js';
import { AppError } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findClaim, findDocument } from '../claims/access.js';
import type { ReferenceData } from '../reference/service.js';
import { CHANNEL_NAMES, DELIVERY_CHANNELS, debtorAddress } from './addresses.js';
import { appendClaimFact, DELIVERY_EVENTS } from './events.js';
import { type DeliveryChannel, queueDelivery } from './outbox.js';
import { markReachable, markUnreachable } from './reachability.js';
import { looksLikeReceiptToken, receiptTokenHash } from './receipts.js';
import type { DeliveryView, DocumentServiceView, QueueResult, Refusal } from './schemas.js';
import { followService } from './served.js';

export interface DeliveryServiceDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  reference: ReferenceData;
  publicUrl: string;
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
type Delivery = typeof deliveries.$inferSelect;
type DocumentRow = typeof documents.$inferSelect;

// At queueing only the refusing rules apply (hold, third party); quiet hours and the daily cap defer
// at send time, so they are switched off for this check.
const REFUSALS_ONLY = { quiet: { startHour: 0, endHour: 0 }, caps: {} };

/** A delivery as staff see it: the address masked, never the sealed one or the receipt hash. */
export function deliveryView(d: Delivery): DeliveryView {
  return {
    id: d.id,
    documentId: d.documentId,
    claimId: d.claimId,
    channel: d.channel,
    addressMasked: d.addressMasked,
    status: d.status as DeliveryStatus,
    attempts: d.attempts,
    dueAt: d.dueAt.toISOString(),
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    sentAt: d.sentAt?.toISOString() ?? null,
    openedAt: d.openedAt?.toISOString() ?? null,
    reason: d.failureReason,
    createdAt: d.createdAt.toISOString(),
  };
}

const serviceView = (d: DocumentRow): DocumentServiceView => ({
  id: d.id,
  claimId: d.claimId,
  kind: d.kind,
  docNo: d.docNo,
  serviceMethod: d.serviceMethod,
  servedAt: d.servedAt?.toISOString() ?? null,
  publicNoticeOn: d.publicNoticeOn,
  deemedServedOn: d.deemedServedOn,
});

/** The delivery verbs the routes call. */
export function createDeliveryService({ db, clock, crypto, reference, publicUrl }: DeliveryServiceDeps) {
  const actorFor = (principal: Principal) => {
    const actor = actorOf(principal);
    if (!actor) throw new AppError('forbidden', 'Platform administrators do not act on claims.');
    return actor;
  };

  return {
    /**
     * Queue the document for the debtor on the given channels (default: every channel with an address
     * on file), to the debtor's own addresses only. A channel that already has a live delivery of it is
     * not queued again. Refusals are written to the contact log even when the request fails.
     */
    queueDocument(principal: Principal, documentId: number, channels?: DeliveryChannel[]): QueueResult {
      const actor = actorFor(principal);
      const now = clock.now();
      const outcome = db.transaction((tx) => {
        const { document, claim } = findDocument(tx, principal, documentId);
        const debtor = tx.select().from(debtors).where(eq(debtors.id, claim.debtorId)).get()!;
        const wanted = channels
          ? [...new Set(channels)]
          : DELIVERY_CHANNELS.filter((ch) => debtorAddress(crypto, debtor, ch) !== null);
        const log = (channel: string, rule: DeliveryRule, detail: string) =>
          tx
            .insert(contactLog)
            .values({
              debtorId: debtor.id,
              claimId: claim.id,
              deliveryId: null,
              channel,
              outcome: 'refused',
              rule,
              detail: `${document.kind} ${document.docNo}: ${detail}`,
              at: now,
            })
            .run();

        const refused: Refusal[] = [];
        const queued: Delivery[] = [];
        let created = false;
        for (const channel of wanted) {
          const address = debtorAddress(crypto, debtor, channel);
          const rule = checkContact({
            now,
            channel,
            sentTodayToDebtor: 0,
            held: claim.hold !== null,
            addressBelongsToDebtor: true,
            ...REFUSALS_ONLY,
          });
          if (!rule.allowed) {
            log(channel, rule.rule, rule.detail);
            refused.push({ channel, rule: rule.rule, detail: rule.detail });
            continue;
          }
          if (!address) {
            refused.push({
              channel,
              rule: 'no_address',
              detail: `the debtor's record holds no ${CHANNEL_NAMES[channel]}`,
            });
            continue;
          }
          if (!address.valid) {
            const detail = `the debtor's ${CHANNEL_NAMES[channel]} on file (${address.masked}) is not a valid address; correct the debtor's record`;
            log(channel, 'invalid_address', detail);
            refused.push({ channel, rule: 'invalid_address', detail });
            continue;
          }
          const earlier = tx
            .select()
            .from(deliveries)
            .where(and(eq(deliveries.documentId, document.id), eq(deliveries.channel, channel)))
            .orderBy(desc(deliveries.id))
            .all();
          const live = earlier.find((d) => d.status !== 'failed' && d.status !== 'refused');
          if (live) {
            queued.push(live);
            continue;
          }
          // The first delivery of a document on a channel has the plain key, so other modules queueing the
          // same document cooperate; a new try after a failed or refused one gets the next number.
          const key =
            earlier.length === 0
              ? `doc:${document.id}:${channel}`
              : `doc:${document.id}:${channel}:${earlier.length + 1}`;
          queueDelivery(
            tx,
            crypto,
            {
              claimId: claim.id,
              debtorId: debtor.id,
              channel,
              address: address.valid,
              addressMasked: address.masked,
              documentId: document.id,
              key,
              dueAt: now,
            },
            now,
          );
          queued.push(tx.select().from(deliveries).where(eq(deliveries.idempotencyKey, key)).get()!);
          created = true;
        }

        if (queued.length > 0) return { created, deliveries: queued.map(deliveryView), refused };
        if (claim.hold !== null) {
          return {
            error: new AppError(
              'unprocessable',
              `Claim ${claim.id} is on hold (${claim.hold}); no notice may go to the debtor until the hold is lifted.`,
              { reason: 'claim_on_hold' },
            ),
          };
        }
        const reachable = DELIVERY_CHANNELS.some((ch) => debtorAddress(crypto, debtor, ch)?.valid);
        if (!reachable) {
          markUnreachable(
            tx,
            debtor.id,
            claim,
            actor,
            now,
            "the debtor's record holds no valid mobile number or e-mail address",
          );
          const notice = isCourtDocument(document.kind)
            ? ' The document may be served by public notice: POST /api/documents/:id/public-notice.'
            : '';
          return {
            error: new AppError(
              'unprocessable',
              `No channel reaches the debtor: the record holds no valid mobile number or e-mail address. The debtor is now marked unreachable.${notice}`,
              { reason: 'debtor_unreachable' },
            ),
          };
        }
        const first = refused[0]!;
        return {
          error: new AppError(
            'unprocessable',
            `Nothing was queued: ${refused.map((r) => `${r.channel}: ${r.detail}`).join('; ')}.`,
            { reason: first.rule },
          ),
        };
      });
      if ('error' in outcome) throw outcome.error;
      return outcome;
    },

    /** Deliveries of a document, oldest first. */
    listForDocument(principal: Principal, documentId: number): DeliveryView[] {
      findDocument(db, principal, documentId);
      return db
        .select()
        .from(deliveries)
        .where(eq(deliveries.documentId, documentId))
        .orderBy(asc(deliveries.id))
        .all()
        .map(deliveryView);
    },

    /** Deliveries of every document and message of a claim, oldest first. */
    listForClaim(principal: Principal, claimId: number): DeliveryView[] {
      findClaim(db, principal, claimId);
      return db
        .select()
        .from(deliveries)
        .where(eq(deliveries.claimId, claimId))
        .orderBy(asc(deliveries.id))
        .all()
        .map(deliveryView);
    },

    /**
     * The debtor opened the link of a delivery: record the receipt (the first opening counts) and
     * answer where to send them, or null when the token is not one of ours.
     */
    openReceipt(token: string): string | null {
      if (!looksLikeReceiptToken(token)) return null;
      const portal = `${publicUrl}/portal/`;
      return db.transaction((tx) => {
        const d = tx
          .select()
          .from(deliveries)
          .where(eq(deliveries.tokenHash, receiptTokenHash(token)))
          .get();
        if (!d) return null;
        if (d.openedAt) return portal;
        const now = clock.now();
        const claim = tx.select().from(claims).where(eq(claims.id, d.claimId)).get()!;
        const debtor = tx.select({ name: debtors.name }).from(debtors).where(eq(debtors.id, d.debtorId)).get()!;
        const actor = { kind: 'debtor' as const, id: d.debtorId, name: debtor.name };
        tx.update(deliveries).set({ openedAt: now, status: 'opened' }).where(eq(deliveries.id, d.id)).run();
        let electronicService = false;
        let docNo: string | null = null;
        let document: { id: number; docNo: string; kind: string } | null = null;
        // Electronic service needs the addressee's consent (CPL art. 90): an e-mail address the debtor
        // gave is one they designated; a link by SMS serves only when the contract records consent
        // (the batch column 电子送达确认). Without it the opening is recorded, but nothing is served.
        const consented = d.channel !== 'sms' || claim.eServiceConsent;
        if (d.documentId !== null) {
          document = tx
            .select({ id: documents.id, docNo: documents.docNo, kind: documents.kind })
            .from(documents)
            .where(eq(documents.id, d.documentId))
            .get()!;
          docNo = document.docNo;
          electronicService =
            consented &&
            tx
              .update(documents)
              .set({ servedAt: now, serviceMethod: 'electronic' })
              .where(and(eq(documents.id, d.documentId), isNull(documents.servedAt)))
              .run().changes > 0;
        }
        appendClaimFact(tx, claim, DELIVERY_EVENTS.opened, actor, now, {
          deliveryId: d.id,
          documentId: d.documentId,
          docNo,
          channel: d.channel,
          openedAt: now.toISOString(),
          electronicService,
          ...(consented
            ? {}
            : { notServed: 'the debtor has not consented to electronic service by SMS (CPL art. 90)' }),
        });
        const served =
          electronicService && document
            ? followService(tx, claim, document, shanghaiDate(now), { calendar: reference.calendar(), actor, now })
            : claim;
        markReachable(tx, d.debtorId, served, actor, now, d.channel);
        return portal;
      });
    },

    /**
     * A court records that it published a notice serving the document (CPL art. 95): only for court
     * documents, only when no channel reaches the debtor. Service is deemed done when the period ends.
     */
    recordPublicNotice(principal: Principal, documentId: number, publishedOn: string): DocumentServiceView {
      const actor = actorFor(principal);
      const now = clock.now();
      if (!isValidIsoDate(publishedOn)) {
        throw new AppError('validation_failed', `${publishedOn} is not a calendar date.`, {
          fields: [{ field: '/body/publishedOn', message: 'must be a real date YYYY-MM-DD' }],
        });
      }
      if (compareDates(publishedOn, shanghaiDate(now)) > 0) {
        throw new AppError(
          'validation_failed',
          `The notice cannot have been published on ${publishedOn}, after today; record it once it is published.`,
          { fields: [{ field: '/body/publishedOn', message: 'must not be after today' }] },
        );
      }
      return db.transaction((tx) => {
        const { document, claim } = findDocument(tx, principal, documentId);
        if (!isCourtDocument(document.kind)) {
          throw new AppError(
            'unprocessable',
            `Service by public notice is for court documents (complaint, judicial confirmation application, enforcement application); document ${document.docNo} is a ${document.kind}.`,
            { reason: 'not_court_document' },
          );
        }
        if (document.servedAt) {
          throw new AppError(
            'duplicate',
            `Document ${document.docNo} was already served (${document.serviceMethod}) at ${document.servedAt.toISOString()}.`,
          );
        }
        if (document.publicNoticeOn) {
          throw new AppError(
            'duplicate',
            `A public notice for document ${document.docNo} was already recorded, published on ${document.publicNoticeOn}.`,
          );
        }
        const debtor = tx
          .select({ unreachableAt: debtors.unreachableAt })
          .from(debtors)
          .where(eq(debtors.id, claim.debtorId))
          .get()!;
        if (!debtor.unreachableAt) {
          throw new AppError(
            'unprocessable',
            'Service by public notice is only for a debtor whom no other means reaches (CPL art. 95); this debtor is reachable: deliver the document first (POST /api/documents/:id/deliveries).',
            { reason: 'debtor_reachable' },
          );
        }
        const deemedServedOn = publicNoticeServiceDate(reference.calendar(), publishedOn);
        const updated = tx
          .update(documents)
          .set({ publicNoticeOn: publishedOn, deemedServedOn })
          .where(eq(documents.id, document.id))
          .returning()
          .get();
        appendClaimFact(tx, claim, DELIVERY_EVENTS.publicNotice, actor, now, {
          documentId: document.id,
          docNo: document.docNo,
          kind: document.kind,
          publishedOn,
          deemedServedOn,
          unreachableSince: debtor.unreachableAt.toISOString(),
        });
        return serviceView(updated);
      });
    },
  };
}
