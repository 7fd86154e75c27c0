/**
 * The sender: sends the deliveries that are due, within the contact rules, and records every attempt
 * and every rule decision in the contact log. The bree job `deliveries.send-pending` calls
 * `runDeliveries`; tests call it directly.
 *
 * Crash safety. Each delivery is claimed in a transaction (status 'sending', attempts + 1,
 * lastAttemptAt = now) before anything leaves the process, and settled in a second transaction after.
 * A row already 'sent' is never picked again. If the process stops between the two (after the mail
 * server or SMS outbox accepted the message, before the settle committed), the row stays 'sending';
 * once `sendingTimeoutMinutes` have passed, a later run logs the interrupted attempt and sends again.
 * That window is the at-least-once part: the debtor may then get the same notice twice, with the same
 * receipt link and, for mail, the same Message-ID. It is never shorter than a send takes (the mail
 * adapter times out after 15 s), so a send still in progress elsewhere is not taken over.
 */
import { and, asc, count, eq, gte, inArray, lte, or } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { Mailer } from '../../adapters/mail.js';
import type { SmsChannel } from '../../adapters/sms.js';
import type { Config } from '../../config.js';
import type { DB, DbOrTx } from '../../db/open.js';
import {
  type Claim,
  claims,
  contactLog,
  type Debtor,
  debtors,
  deliveries,
  documents,
  organisations,
} from '../../db/schema/index.js';
import { checkContact, type DailyCaps, DEFAULT_DAILY_CAPS } from '../../domain/contact-policy.js';
import { shanghaiDate, shanghaiMidnightUtc } from '../../domain/dates.js';
import {
  type DeliveryRule,
  DUE_STATUSES,
  RETRY_BACKOFF_MINUTES,
  redactContacts,
  retryAt,
} from '../../domain/delivery-rules.js';
import { mediatingOrgOf } from '../../domain/document-kinds.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { checkInvitation, invitedSession } from '../sessions/late-invitation.js';
import { maskAddress, normaliseAddress } from './addresses.js';
import { markReachable, refreshReachability } from './reachability.js';
import { receiptLink, receiptToken, receiptTokenHash } from './receipts.js';
import { documentSms, renderMail, titleOfKind } from './templates.js';

export interface SenderSettings {
  publicUrl: string;
  maxAttempts: number;
  sendingTimeoutMinutes: number;
  dailyCaps: DailyCaps;
  backoffMinutes?: readonly number[];
}

/** The sender's settings from the configuration. */
export function senderSettings(config: Config): SenderSettings {
  return {
    publicUrl: config.publicUrl,
    maxAttempts: config.deliveryMaxAttempts,
    sendingTimeoutMinutes: config.deliverySendingTimeoutMinutes,
    dailyCaps: { ...DEFAULT_DAILY_CAPS, sms: config.contactDailyCapSms, email: config.contactDailyCapEmail },
  };
}

export interface SenderDeps {
  db: DB;
  crypto: FieldCrypto;
  mailer: Mailer;
  sms: SmsChannel;
  files: FileStore;
  settings: SenderSettings;
}

export interface RunOptions {
  /** The time the run decides by (due times, quiet hours, the day of the cap). */
  now: Date;
  /** At most this many deliveries per run, so a run stays short and the next picks up the rest. */
  limit: number;
  /** Stops the run between two deliveries (bree asks a job to cancel on shutdown). */
  signal?: AbortSignal;
}

export interface RunSummary {
  /** Deliveries this run took up. */
  processed: number;
  sent: number;
  retrying: number;
  failed: number;
  deferred: number;
  refused: number;
}

/** The sender's actor on claim events. */
const SENDER_ACTOR = { ...SYSTEM_ACTOR, name: 'deliveries.send-pending' };

/** Everything a send needs, read in the claiming transaction. */
interface Claimed {
  deliveryId: number;
  claim: Claim;
  debtor: Debtor;
  channel: 'email' | 'sms';
  address: string;
  attempt: number;
  message: string | null;
  document: { title: string; docNo: string; storageKey: string } | null;
  issuer: string;
  link: string | null;
}

type Settled = 'sent' | 'retrying' | 'failed' | 'deferred' | 'refused' | 'skipped';

/** Send what is due now, at most `limit` deliveries, one after another. */
export async function runDeliveries(deps: SenderDeps, { now, limit, signal }: RunOptions): Promise<RunSummary> {
  const { db, settings } = deps;
  const staleBefore = new Date(now.getTime() - settings.sendingTimeoutMinutes * 60_000);
  const due = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      or(
        and(inArray(deliveries.status, [...DUE_STATUSES]), lte(deliveries.dueAt, now)),
        and(eq(deliveries.status, 'sending'), lte(deliveries.lastAttemptAt, staleBefore)),
      ),
    )
    .orderBy(asc(deliveries.dueAt), asc(deliveries.id))
    .limit(limit)
    .all();

  const summary: RunSummary = { processed: 0, sent: 0, retrying: 0, failed: 0, deferred: 0, refused: 0 };
  for (const { id } of due) {
    if (signal?.aborted) break;
    const outcome = await processOne(deps, id, now, staleBefore);
    if (outcome === 'skipped') continue;
    summary.processed++;
    summary[outcome]++;
  }
  return summary;
}

async function processOne(deps: SenderDeps, id: number, now: Date, staleBefore: Date): Promise<Settled> {
  const { db } = deps;
  const claimed = db.transaction((tx) => claimDelivery(deps, tx, id, now, staleBefore));
  if (typeof claimed === 'string') return claimed;
  let result: { ok: true; ref: string } | { ok: false; reason: string };
  try {
    result = { ok: true, ref: await send(deps, claimed) };
  } catch (err) {
    result = { ok: false, reason: redactContacts(errorText(err)) };
  }
  return db.transaction((tx) => settle(deps, tx, claimed, now, result));
}

/** Apply the rules and, if the delivery may go, mark it 'sending'; otherwise defer or refuse it. */
function claimDelivery(deps: SenderDeps, tx: DbOrTx, id: number, now: Date, staleBefore: Date): Claimed | Settled {
  const { crypto, settings } = deps;
  const d = tx.select().from(deliveries).where(eq(deliveries.id, id)).get();
  if (!d) return 'skipped';
  const interrupted = d.status === 'sending';
  const stillDue = interrupted
    ? d.lastAttemptAt !== null && d.lastAttemptAt.getTime() <= staleBefore.getTime()
    : (DUE_STATUSES as readonly string[]).includes(d.status) && d.dueAt.getTime() <= now.getTime();
  // Another run took it, or it changed since it was listed.
  if (!stillDue) return 'skipped';

  const claim = tx.select().from(claims).where(eq(claims.id, d.claimId)).get()!;
  const debtor = tx.select().from(debtors).where(eq(debtors.id, d.debtorId)).get()!;
  const log = (outcome: string, rule: DeliveryRule | null, detail: string | null) =>
    tx
      .insert(contactLog)
      .values({
        debtorId: d.debtorId,
        claimId: d.claimId,
        deliveryId: d.id,
        channel: d.channel,
        outcome,
        rule,
        detail,
        at: now,
      })
      .run();

  if (interrupted)
    log(
      'interrupted',
      null,
      `attempt ${d.attempts} begun ${d.lastAttemptAt!.toISOString()} did not finish (the sender stopped); the message may have gone out, so it is sent again`,
    );

  const stop = (status: 'refused' | 'deferred', rule: DeliveryRule, detail: string, dueAt = d.dueAt): Settled => {
    tx.update(deliveries)
      .set({ status, dueAt, failureReason: `${rule}: ${detail}` })
      .where(eq(deliveries.id, d.id))
      .run();
    log(status, rule, status === 'deferred' ? `${detail}; due again ${dueAt.toISOString()}` : detail);
    if (rule === 'invalid_address')
      refreshReachability(
        tx,
        crypto,
        d.debtorId,
        claim,
        SENDER_ACTOR,
        now,
        `the ${d.channel} address on file is not valid`,
      );
    return status;
  };

  const raw = d.addressEnc ? crypto.decrypt(d.addressEnc) : null;
  const ownSealed = d.channel === 'sms' ? debtor.phoneEnc : d.channel === 'email' ? debtor.emailEnc : null;
  const ownRaw = ownSealed ? crypto.decrypt(ownSealed) : null;
  const canonical = (s: string) => normaliseAddress(d.channel, s) ?? s;
  const address = raw === null ? null : normaliseAddress(d.channel, raw);
  const startOfDay = shanghaiMidnightUtc(shanghaiDate(now));
  const sentToday =
    tx
      .select({ n: count() })
      .from(contactLog)
      .where(
        and(
          eq(contactLog.debtorId, d.debtorId),
          eq(contactLog.channel, d.channel),
          eq(contactLog.outcome, 'sent'),
          gte(contactLog.at, startOfDay),
        ),
      )
      .get()?.n ?? 0;
  const decision = checkContact({
    now,
    channel: d.channel === 'sms' ? 'sms' : 'email',
    sentTodayToDebtor: sentToday,
    held: claim.hold !== null && d.purpose !== 'reply',
    addressBelongsToDebtor: raw !== null && ownRaw !== null && canonical(raw) === canonical(ownRaw),
    caps: settings.dailyCaps,
  });
  if (!decision.allowed && !decision.deferUntil) return stop('refused', decision.rule, decision.detail);
  if (address === null || (d.channel !== 'email' && d.channel !== 'sms')) {
    return stop(
      'refused',
      'invalid_address',
      `the debtor's ${d.channel} address on file (${maskAddress(d.channel, raw ?? '')}) is not a valid address`,
    );
  }
  // A session's invitation never goes out for a time already gone: the session moves first.
  let message = d.message;
  const sessionId = d.documentId === null ? invitedSession(d.idempotencyKey) : null;
  if (sessionId !== null) {
    const check = checkInvitation(deps.db, tx, {
      sessionId,
      queuedAt: d.createdAt,
      sendAt: decision.allowed ? now : decision.deferUntil!,
      now,
      publicUrl: settings.publicUrl,
      actor: SENDER_ACTOR,
      rule: decision.allowed ? null : decision.rule,
    });
    if (check.kind === 'stale') return stop('refused', 'session_not_scheduled', check.detail);
    if (check.kind === 'rescheduled') {
      message = check.message;
      tx.update(deliveries).set({ message }).where(eq(deliveries.id, d.id)).run();
      log(
        'rescheduled',
        null,
        `session ${sessionId} moved from ${check.from.toISOString()} to ${check.to.toISOString()}`,
      );
    }
  }
  if (!decision.allowed) return stop('deferred', decision.rule, decision.detail, decision.deferUntil);

  const token = d.documentId !== null ? receiptToken(crypto, d.id) : null;
  tx.update(deliveries)
    .set({
      status: 'sending',
      attempts: d.attempts + 1,
      lastAttemptAt: now,
      tokenHash: token ? receiptTokenHash(token) : null,
    })
    .where(eq(deliveries.id, d.id))
    .run();

  const doc = d.documentId !== null ? tx.select().from(documents).where(eq(documents.id, d.documentId)).get()! : null;
  // The issuer signs the notice: the document's issuing organisation, else the one mediating the claim.
  const issuerId = doc?.issuerOrgId ?? mediatingOrgOf(claim) ?? claim.creditorOrgId;
  const issuer =
    tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, issuerId)).get()?.name ??
    '小额纠纷批量调解平台';
  return {
    deliveryId: d.id,
    claim,
    debtor,
    channel: d.channel,
    address,
    attempt: d.attempts + 1,
    message,
    document: doc ? { title: titleOfKind(doc.kind), docNo: doc.docNo, storageKey: doc.storageKey } : null,
    issuer,
    link: token ? receiptLink(settings.publicUrl, token) : null,
  };
}

/** Hand the message to the mail server or the SMS channel; answers its message id. */
async function send(deps: SenderDeps, c: Claimed): Promise<string> {
  if (c.channel === 'sms') {
    const text = c.document ? documentSms({ ...c.document, issuer: c.issuer, link: c.link! }) : (c.message ?? '');
    return (await deps.sms.send({ to: c.address, text })).id;
  }
  const mail = c.document
    ? renderMail('document', { ...c.document, issuer: c.issuer, debtorName: c.debtor.name, link: c.link! })
    : renderMail('message', { issuer: c.issuer, debtorName: c.debtor.name, text: c.message ?? '' });
  const result = await deps.mailer.send({
    to: c.address,
    subject: mail.subject,
    text: mail.text,
    ...(c.document
      ? {
          attachments: [
            {
              filename: `${c.document.title}-${c.document.docNo}.pdf`,
              content: deps.files.get(c.document.storageKey),
              contentType: 'application/pdf',
            },
          ],
        }
      : {}),
    // The same id on every attempt, so a copy sent twice in the at-least-once window is recognisable.
    headers: { 'Message-ID': `<delivery-${c.deliveryId}@${new URL(deps.settings.publicUrl).hostname}>` },
  });
  return result.messageId;
}

/** Record the outcome of the attempt claimed at `now`. */
function settle(
  deps: SenderDeps,
  tx: DbOrTx,
  c: Claimed,
  now: Date,
  result: { ok: true; ref: string } | { ok: false; reason: string },
): Settled {
  const { settings, crypto } = deps;
  const d = tx.select().from(deliveries).where(eq(deliveries.id, c.deliveryId)).get();
  // Taken over by a later run after the timeout: that run owns the row now.
  if (!d || d.lastAttemptAt?.getTime() !== now.getTime() || (d.status !== 'sending' && d.status !== 'opened'))
    return 'skipped';
  const log = (outcome: string, detail: string) =>
    tx
      .insert(contactLog)
      .values({
        debtorId: d.debtorId,
        claimId: d.claimId,
        deliveryId: d.id,
        channel: d.channel,
        outcome,
        rule: null,
        detail,
        at: now,
      })
      .run();
  const of = `attempt ${c.attempt} of ${settings.maxAttempts}`;

  if (result.ok) {
    // The debtor may already have opened the link if they were quick; opened stays opened.
    tx.update(deliveries)
      .set({ status: d.status === 'opened' ? 'opened' : 'sent', sentAt: now, failureReason: null })
      .where(eq(deliveries.id, d.id))
      .run();
    log('sent', `${of}; message id ${result.ref}`);
    markReachable(tx, d.debtorId, c.claim, SENDER_ACTOR, now, d.channel);
    return 'sent';
  }
  if (d.status === 'opened') {
    // The debtor opened the link of an earlier copy while this one was being resent: it reached them.
    log('failed', `${of}: ${result.reason}; not retried, the debtor has opened the notice`);
    return 'failed';
  }
  if (c.attempt >= settings.maxAttempts) {
    tx.update(deliveries).set({ status: 'failed', failureReason: result.reason }).where(eq(deliveries.id, d.id)).run();
    log('failed', `${of}: ${result.reason}; no more attempts`);
    refreshReachability(
      tx,
      crypto,
      d.debtorId,
      c.claim,
      SENDER_ACTOR,
      now,
      `${d.channel} delivery ${d.id} failed ${c.attempt} times`,
    );
    return 'failed';
  }
  const next = retryAt(c.attempt, now, settings.backoffMinutes ?? RETRY_BACKOFF_MINUTES);
  tx.update(deliveries)
    .set({ status: 'retrying', dueAt: next, failureReason: result.reason })
    .where(eq(deliveries.id, d.id))
    .run();
  log('failed', `${of}: ${result.reason}; next attempt ${next.toISOString()}`);
  return 'retrying';
}

/** A send error as one line: nodemailer puts the SMTP reply and its code on the error. */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; response?: string };
  const parts = [e.code, e.message];
  if (e.response && !e.message.includes(e.response)) parts.push(e.response);
  return parts.filter(Boolean).join(' ');
}
