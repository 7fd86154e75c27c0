/**
 * Mediation sessions: scheduling (one or many), start and end, the live room's participants, the
 * stored frames, the transcript, and the affordable-plan suggestion.
 *
 * Who sees a session: the debtor their own; a creditor (user or API key) those of its organisation;
 * mediators those run by any mediator of their organisation, so a colleague can cover a room. A
 * session outside that is "not found", also at the socket upgrade.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { WebSocket } from 'ws';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { PdfRenderer } from '../../adapters/pdf/render-pool.js';
import type { DB, DbOrTx, Tx } from '../../db/open.js';
import {
  type Claim,
  claims,
  debtors,
  instalments,
  mediationSessions,
  organisations,
  sessionClaims,
  sessionParticipants,
  settlements,
  users,
} from '../../db/schema/index.js';
import { suggestPlan } from '../../domain/affordable-plan.js';
import { chineseDate } from '../../domain/chinese-date.js';
import { inQuietHours, QUIET_END_HOUR } from '../../domain/contact-policy.js';
import { addDays, shanghaiDate, shanghaiDateTime, shanghaiHourUtc } from '../../domain/dates.js';
import { enforceableFen } from '../../domain/settlement-terms.js';
import { AppError } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findClaims, findSession, visibleClaims, visibleSessions } from '../claims/access.js';
import { applyTransition } from '../claims/apply-transition.js';
import { debtorAddress } from '../deliveries/addresses.js';
import { queueDelivery } from '../deliveries/outbox.js';
import { latestMeans } from '../means/service.js';
import type { ReferenceData } from '../reference/service.js';
import type { FrameStore } from './frame-store.js';
import { type FrameWriter, frameOf, type StoredFrame } from './frame-writer.js';
import { type PartyRole, type SessionFrame, SYSTEM_FROM } from './frames.js';
import { createSessionHub, type Participant, type SocketSettings } from './hub.js';
import { type AgreementDocuments, createNegotiation } from './negotiation.js';
import { MEDIATION_STAGES, notOpenReason, OPEN_STATUSES, offerBasisFor } from './offer-basis.js';
import type {
  CreateSessionInput,
  ScheduleInput,
  ScheduleResult,
  SessionListFilters,
  SessionOutcome,
  SessionView,
  SuggestionView,
} from './schemas.js';
import { transcriptModel } from './transcript-pdf.js';

export interface SessionServiceDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  reference: ReferenceData;
  /** Base of the portal link in invitations. */
  publicUrl: string;
  /** Longest plan a granted hardship request allows (the portal's setting). */
  hardshipMaxInstalments: number;
  socket: SocketSettings;
  /** The thread that commits chat frames (a database on disk), or null to store them on `db`. */
  frameStore: FrameStore | null;
  /** Renders the record off the event loop, which the rooms need. */
  pdf: PdfRenderer;
  /** The documents module, for the mediation agreement; null until it is wired. */
  documents: AgreementDocuments | null;
  onError: (err: unknown, what: string) => void;
}

export type SessionService = ReturnType<typeof createSessionService>;

const MODE_LABELS = { online: '在线', phone: '电话', video: '视频', onsite: '现场' } as const;
/** Days from today to the first payment of a suggested plan: time to arrange the money. */
const SUGGESTED_FIRST_PAYMENT_DAYS = 7;
const ACTIVE = ['scheduled', 'live'] as const;

type SessionRow = typeof mediationSessions.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A stored frame as answers carry it. */
const publicFrame = ({ sessionId: _session, wire: _wire, ...f }: StoredFrame): SessionFrame => f;

/** `10:00`: the Shanghai time of day of an instant. */
const shanghaiClock = (t: Date) => shanghaiDateTime(t).slice(11, 16);

/** The first instant at or after `t` outside quiet hours (22:00–08:00 Shanghai). */
function outsideQuietHours(t: Date): Date {
  if (!inQuietHours(t)) return t;
  const today = shanghaiDate(t);
  const morning = shanghaiHourUtc(today, QUIET_END_HOUR);
  return morning.getTime() > t.getTime() ? morning : shanghaiHourUtc(addDays(today, 1), QUIET_END_HOUR);
}

export function createSessionService(deps: SessionServiceDeps) {
  const { db, clock, crypto: fieldCrypto, reference } = deps;
  const negotiation = createNegotiation({
    clock,
    reference,
    hardshipMaxInstalments: deps.hardshipMaxInstalments,
    documents: deps.documents,
  });
  const hub = createSessionHub({
    db,
    store: deps.frameStore,
    clock,
    settings: deps.socket,
    handleControl: negotiation.handle,
    onError: deps.onError,
  });

  function views(tx: DbOrTx, p: Principal, rows: SessionRow[], withTerms: boolean): SessionView[] {
    const ids = rows.map((s) => s.id);
    if (ids.length === 0) return [];
    const names = new Map(
      tx
        .select({
          id: mediationSessions.id,
          mediatorName: users.displayName,
          creditorName: organisations.name,
          debtorName: debtors.name,
        })
        .from(mediationSessions)
        .innerJoin(users, eq(users.id, mediationSessions.mediatorId))
        .innerJoin(organisations, eq(organisations.id, mediationSessions.creditorOrgId))
        .innerJoin(debtors, eq(debtors.id, mediationSessions.debtorId))
        .where(inArray(mediationSessions.id, ids))
        .all()
        .map((r) => [r.id, r]),
    );
    const claimRows = tx
      .select({ sessionId: sessionClaims.sessionId, claim: claims })
      .from(sessionClaims)
      .innerJoin(claims, eq(sessionClaims.claimId, claims.id))
      .where(and(inArray(sessionClaims.sessionId, ids), visibleClaims(p)))
      .orderBy(asc(claims.id))
      .all();
    const agreed = tx
      .select()
      .from(settlements)
      .where(inArray(settlements.sessionId, ids))
      .orderBy(asc(settlements.id))
      .all();
    const plans = agreed.length
      ? tx
          .select()
          .from(instalments)
          .where(
            inArray(
              instalments.settlementId,
              agreed.map((s) => s.id),
            ),
          )
          .orderBy(asc(instalments.seq))
          .all()
      : [];
    return rows.map((s) => {
      const { mediatorName, creditorName, debtorName } = names.get(s.id)!;
      const own = claimRows.filter((c) => c.sessionId === s.id).map((c) => c.claim);
      const last = hub.lastFrame(s.id);
      const view: SessionView = {
        id: s.id,
        mode: s.mode as SessionView['mode'],
        status: s.status as SessionView['status'],
        scheduledAt: iso(s.scheduledAt),
        startedAt: iso(s.startedAt),
        endedAt: iso(s.endedAt),
        outcome: s.outcome as SessionView['outcome'],
        mediator: { id: s.mediatorId, name: mediatorName },
        creditor: { id: s.creditorOrgId, name: creditorName },
        debtor: { id: s.debtorId, name: debtorName },
        claims: own.map((c) => ({
          id: c.id,
          contractNo: c.contractNo,
          stage: c.stage,
          status: c.status,
          enforceableFen: enforceableFen(c),
        })),
        present: hub.present(s.id),
        lastSeq: last?.seq ?? 0,
        lastActivityAt: last ? new Date(last.at).toISOString() : null,
        settlements: agreed
          .filter((x) => x.sessionId === s.id)
          .map((x) => ({
            id: x.id,
            proposalSeq: x.proposalSeq,
            kind: x.kind as 'lump_sum' | 'instalments',
            totalFen: x.totalFen,
            hardship: x.hardship,
            status: x.status,
            agreedAt: iso(x.agreedAt),
            instalments: plans
              .filter((i) => i.settlementId === x.id)
              .map((i) => ({
                seq: i.seq,
                dueDate: i.dueDate,
                amountFen: i.amountFen,
                paidFen: i.paidFen,
                status: i.status,
              })),
          })),
      };
      // The creditor's limits are a negotiating position: the debtor never sees them.
      if (withTerms && p.role !== 'debtor' && own.length) {
        const {
          enforceableFen: e,
          waivedFen,
          baseFen,
          hardship,
          limits,
        } = offerBasisFor(tx, own, deps.hardshipMaxInstalments);
        view.terms = { enforceableFen: e, waivedFen, baseFen, hardship, limits };
      }
      return view;
    });
  }

  const viewOne = (tx: DbOrTx, p: Principal, id: number, withTerms = true) =>
    views(tx, p, [findSession(tx, p, id)], withTerms)[0]!;

  /** The claims a new session may hold: visible, open, one debtor and one creditor, in no other active session. */
  function checkClaimsFree(tx: DbOrTx, list: readonly Claim[]): void {
    const busy = tx
      .select({ claimId: sessionClaims.claimId, sessionId: mediationSessions.id })
      .from(sessionClaims)
      .innerJoin(mediationSessions, eq(sessionClaims.sessionId, mediationSessions.id))
      .where(
        and(
          inArray(
            sessionClaims.claimId,
            list.map((c) => c.id),
          ),
          inArray(mediationSessions.status, [...ACTIVE]),
        ),
      )
      .all();
    if (busy.length) {
      throw new AppError(
        'duplicate',
        `Already in a scheduled or running session: ${busy.map((b) => `claim ${b.claimId} (session ${b.sessionId})`).join(', ')}. End that session first.`,
        { reason: 'claim_in_session' },
      );
    }
  }

  /** A debtor's open claims with a creditor that the principal may see. */
  const openClaimsOf = (tx: DbOrTx, p: Principal, debtorId: number) =>
    tx
      .select()
      .from(claims)
      .where(
        and(
          visibleClaims(p),
          eq(claims.debtorId, debtorId),
          inArray(claims.stage, [...MEDIATION_STAGES]),
          inArray(claims.status, [...OPEN_STATUSES]),
          isNull(claims.hold),
        ),
      )
      .orderBy(asc(claims.id))
      .all();

  function insertSession(tx: Tx, p: Principal, list: Claim[], mode: CreateSessionInput['mode'], scheduledAt: Date) {
    const now = clock.now();
    const first = list[0]!;
    const session = tx
      .insert(mediationSessions)
      .values({
        mediatorId: mediatorIdOf(p),
        creditorOrgId: first.creditorOrgId,
        debtorId: first.debtorId,
        mode,
        status: 'scheduled',
        scheduledAt,
        createdAt: now,
      })
      .returning()
      .get();
    tx.insert(sessionClaims)
      .values(list.map((c) => ({ sessionId: session.id, claimId: c.id })))
      .run();
    tx.insert(sessionParticipants)
      .values([
        { sessionId: session.id, role: 'mediator', userId: session.mediatorId },
        { sessionId: session.id, role: 'debtor', debtorId: session.debtorId },
      ])
      .run();
    return { session, invited: invite(tx, session.id, first, mode, scheduledAt, now) };
  }

  /** Queue the debtor's SMS invitation with the portal link; false when no mobile number is on file. */
  function invite(
    tx: Tx,
    sessionId: number,
    claim: Claim,
    mode: CreateSessionInput['mode'],
    at: Date,
    now: Date,
  ): boolean {
    const debtor = tx.select().from(debtors).where(eq(debtors.id, claim.debtorId)).get()!;
    const phone = debtorAddress(fieldCrypto, debtor, 'sms');
    if (!phone?.valid) return false;
    const creditor = tx
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, claim.creditorOrgId))
      .get()!;
    const message = `【调解邀请】您与${creditor.name}的借款纠纷定于${chineseDate(shanghaiDate(at))} ${shanghaiClock(at)}（北京时间）进行${MODE_LABELS[mode]}调解，请登录 ${deps.publicUrl}/portal/ 查看并参加。`;
    return queueDelivery(
      tx,
      fieldCrypto,
      {
        claimId: claim.id,
        debtorId: debtor.id,
        channel: 'sms',
        address: phone.valid,
        addressMasked: phone.masked,
        message,
        key: `session:${sessionId}:invitation:sms`,
        dueAt: now,
      },
      now,
    );
  }

  function mediatorIdOf(p: Principal): number {
    if (p.kind !== 'user' || p.role !== 'mediator') throw new AppError('forbidden', 'Only a mediator runs sessions.');
    return p.userId;
  }

  function checkTime(at: Date, field: string): void {
    if (at.getTime() < clock.now().getTime())
      throw new AppError('unprocessable', `${field} is in the past; choose a time from now on.`, {
        reason: 'in_the_past',
        fields: [{ field: `/body/${field}`, message: 'is in the past' }],
      });
  }

  /** Run `fn` on a session the principal may see, in a transaction whose frames are broadcast after commit. */
  const inSession = <T>(p: Principal, id: number, fn: (tx: Tx, s: SessionRow, w: FrameWriter) => T) =>
    hub.commit((w, tx) => fn(tx, findSession(tx, p, id), w));

  /** An affordable plan inside the limits from the debtor's latest statement of means. */
  function suggestIn(tx: DbOrTx, p: Principal, id: number): SuggestionView {
    const s = findSession(tx, p, id);
    const means = latestMeans(tx, s.debtorId);
    if (!means)
      throw new AppError(
        'unprocessable',
        'The debtor has not given a statement of means in the portal yet; ask them to, or propose a plan yourself.',
        { reason: 'no_statement_of_means' },
      );
    const open = negotiation.claimsOf(tx, id).filter((c) => notOpenReason(c) === null);
    if (open.length === 0)
      throw new AppError('unprocessable', 'No claim of this session is open for an offer.', {
        reason: 'claim_not_open',
      });
    const basis = offerBasisFor(tx, open, deps.hardshipMaxInstalments);
    const suggested = suggestPlan({
      basis,
      means,
      firstDueDate: addDays(shanghaiDate(clock.now()), SUGGESTED_FIRST_PAYMENT_DAYS),
    });
    return {
      ok: suggested.ok,
      plan: suggested.ok ? suggested.plan : null,
      reason: suggested.ok ? null : suggested.reason,
      detail: suggested.ok ? null : suggested.detail,
      monthlyCapacityFen: suggested.monthlyCapacityFen,
      claimIds: open.map((c) => c.id),
      terms: {
        enforceableFen: basis.enforceableFen,
        waivedFen: basis.waivedFen,
        baseFen: basis.baseFen,
        hardship: basis.hardship,
        limits: basis.limits,
      },
      means: {
        monthlyIncomeFen: means.monthlyIncomeFen,
        essentialExpensesFen: means.essentialExpensesFen,
        dependants: means.dependants,
        createdAt: means.createdAt,
      },
    };
  }

  /** The whole record: the session's particulars and every frame with its time. */
  function transcript(p: Principal, id: number) {
    return db.transaction(
      (tx) => {
        const session = viewOne(tx, p, id, false);
        const frames = hub.framesAfter(id, 0, Number.MAX_SAFE_INTEGER).map((r) => publicFrame(frameOf(id, r)));
        return { session, frames, exportedAt: clock.now().toISOString() };
      },
      { behavior: 'deferred' },
    );
  }

  /** Who the principal is in the session's room; records them as a participant. Not visible: 404. */
  function join(p: Principal, id: number): Participant {
    return db.transaction((tx) => {
      const s = findSession(tx, p, id);
      const role = p.role as PartyRole;
      const userId = p.kind === 'user' ? p.userId : null;
      const debtorId = p.kind === 'debtor' ? p.debtorId : null;
      const known = tx
        .select({ id: sessionParticipants.id })
        .from(sessionParticipants)
        .where(
          and(
            eq(sessionParticipants.sessionId, id),
            eq(sessionParticipants.role, role),
            userId === null ? isNull(sessionParticipants.userId) : eq(sessionParticipants.userId, userId),
            debtorId === null ? isNull(sessionParticipants.debtorId) : eq(sessionParticipants.debtorId, debtorId),
          ),
        )
        .get();
      if (!known) tx.insert(sessionParticipants).values({ sessionId: id, role, userId, debtorId }).run();
      return {
        sessionId: id,
        role,
        name:
          p.kind === 'debtor'
            ? tx.select({ name: debtors.name }).from(debtors).where(eq(debtors.id, s.debtorId)).get()!.name
            : p.name,
        key:
          p.kind === 'user'
            ? `user:${p.userId}`
            : p.kind === 'api_key'
              ? `apikey:${p.apiKeyId}`
              : `debtor:${p.debtorId}`,
      };
    });
  }

  return {
    /** Schedule a session for one claim or all of one debtor's open claims with one creditor. */
    create(p: Principal, input: CreateSessionInput): SessionView {
      mediatorIdOf(p);
      const at = new Date(input.scheduledAt);
      checkTime(at, 'scheduledAt');
      if (inQuietHours(at)) {
        throw new AppError(
          'unprocessable',
          `Sessions are not held in quiet hours (22:00–08:00 Shanghai time); ${shanghaiClock(at)} falls in them.`,
          { reason: 'quiet_hours', fields: [{ field: '/body/scheduledAt', message: 'is in quiet hours' }] },
        );
      }
      return db.transaction((tx) => {
        const list = findClaims(tx, p, input.claimIds);
        const parties = new Set(list.map((c) => `${c.debtorId}/${c.creditorOrgId}`));
        if (parties.size > 1) {
          throw new AppError(
            'unprocessable',
            `A session is for one debtor's claims with one creditor; these claims have ${parties.size} debtor/creditor pairs: ${list.map((c) => `claim ${c.id} (debtor ${c.debtorId}, creditor ${c.creditorOrgId})`).join(', ')}.`,
            { reason: 'mixed_parties' },
          );
        }
        const closed = list.map(notOpenReason).filter((r): r is string => r !== null);
        if (closed.length)
          throw new AppError('unprocessable', `Only open claims can be mediated: ${closed.join('; ')}.`, {
            reason: 'claim_not_open',
          });
        if (list.length > 1) {
          const all = openClaimsOf(tx, p, list[0]!.debtorId).filter((c) => c.creditorOrgId === list[0]!.creditorOrgId);
          const left = all.filter((c) => !input.claimIds.includes(c.id));
          if (left.length) {
            throw new AppError(
              'unprocessable',
              `A session holds one claim or all of the debtor's open claims with this creditor; add claim(s) ${left.map((c) => c.id).join(', ')} or schedule one claim.`,
              { reason: 'partial_claims' },
            );
          }
        }
        checkClaimsFree(tx, list);
        const { session } = insertSession(tx, p, list, input.mode, at);
        return viewOne(tx, p, session.id);
      });
    },

    /**
     * Schedule sessions for a list of debtors in consecutive slots: one per debtor and creditor, over
     * all their open claims in no other session, skipping quiet hours; one invitation each.
     */
    schedule(p: Principal, input: ScheduleInput): ScheduleResult {
      mediatorIdOf(p);
      const first = new Date(input.firstSlotAt);
      checkTime(first, 'firstSlotAt');
      const slotMs = input.slotMinutes * 60_000;
      return db.transaction((tx) => {
        const result: ScheduleResult = { sessions: [], skipped: [] };
        let next = outsideQuietHours(first);
        for (const debtorId of input.debtorIds) {
          const open = openClaimsOf(tx, p, debtorId);
          if (open.length === 0) {
            result.skipped.push({
              debtorId,
              reason: 'no_open_claims',
              detail: 'No open claim of this debtor that you may see is waiting for mediation.',
            });
            continue;
          }
          const busy = new Set(
            tx
              .select({ claimId: sessionClaims.claimId })
              .from(sessionClaims)
              .innerJoin(mediationSessions, eq(sessionClaims.sessionId, mediationSessions.id))
              .where(
                and(
                  inArray(
                    sessionClaims.claimId,
                    open.map((c) => c.id),
                  ),
                  inArray(mediationSessions.status, [...ACTIVE]),
                ),
              )
              .all()
              .map((r) => r.claimId),
          );
          const free = open.filter((c) => !busy.has(c.id));
          if (free.length === 0) {
            result.skipped.push({
              debtorId,
              reason: 'already_scheduled',
              detail: 'Every open claim of this debtor is already in a scheduled or running session.',
            });
            continue;
          }
          for (const creditorOrgId of [...new Set(free.map((c) => c.creditorOrgId))]) {
            const list = free.filter((c) => c.creditorOrgId === creditorOrgId);
            const { session, invited } = insertSession(tx, p, list, input.mode, next);
            result.sessions.push({
              id: session.id,
              debtorId,
              creditorOrgId,
              claimIds: list.map((c) => c.id),
              scheduledAt: next.toISOString(),
              invited,
            });
            next = outsideQuietHours(new Date(next.getTime() + slotMs));
          }
        }
        return result;
      });
    },

    /** Sessions the principal may see, newest first; for a mediator, the ones they run. */
    list(p: Principal, f: SessionListFilters) {
      const limit = f.limit ?? 50;
      const where: SQL[] = [visibleSessions(p)];
      if (p.kind === 'user' && p.role === 'mediator') where.push(eq(mediationSessions.mediatorId, p.userId));
      if (f.status) where.push(eq(mediationSessions.status, f.status));
      if (f.after) where.push(sql`${mediationSessions.id} < ${f.after}`);
      return db.transaction((tx) => {
        const rows = tx
          .select()
          .from(mediationSessions)
          .where(and(...where))
          .orderBy(desc(mediationSessions.id))
          .limit(limit + 1)
          .all();
        const page = rows.slice(0, limit);
        return { items: views(tx, p, page, false), nextAfter: rows.length > limit ? page.at(-1)!.id : null };
      });
    },

    get(p: Principal, id: number): SessionView {
      return db.transaction((tx) => viewOne(tx, p, id), { behavior: 'deferred' });
    },

    /** Open the session: its claims move to in_session and the room takes frames. */
    start(p: Principal, id: number): SessionView {
      const actor = actorOf(p)!;
      return inSession(p, id, (tx, s, w) => {
        if (s.status !== 'scheduled')
          throw new AppError(
            'transition_forbidden',
            `Session ${id} is ${s.status}; only a scheduled session can start.`,
            { reason: 'session_not_scheduled' },
          );
        const now = clock.now();
        tx.update(mediationSessions).set({ status: 'live', startedAt: now }).where(eq(mediationSessions.id, id)).run();
        const calendar = reference.calendar();
        for (const claim of negotiation.claimsOf(tx, id)) {
          if (claim.status === 'in_session') continue;
          applyTransition(tx, claim, 'open_session', actor, now, {
            calendar,
            reason: `Mediation session ${id} started`,
          });
        }
        w.append(id, {
          type: 'system',
          clientId: null,
          senderKey: 'system',
          from: SYSTEM_FROM,
          body: { event: 'started' },
        });
        return viewOne(tx, p, id);
      });
    },

    /** Close the session: `failed` fails the claims that reached no agreement, `adjourned` leaves them as they are. */
    end(p: Principal, id: number, outcome: SessionOutcome): SessionView {
      const actor = actorOf(p)!;
      return inSession(p, id, (tx, s, w) => {
        if (s.status === 'ended')
          throw new AppError('transition_forbidden', `Session ${id} has ended already.`, { reason: 'session_ended' });
        const agreed = tx.select({ id: settlements.id }).from(settlements).where(eq(settlements.sessionId, id)).all();
        if (outcome === 'agreed' && agreed.length === 0) {
          throw new AppError(
            'transition_forbidden',
            'No agreement was reached in this session: end it as failed or adjourned.',
            { reason: 'no_agreement' },
          );
        }
        const now = clock.now();
        if (outcome === 'failed') {
          const calendar = reference.calendar();
          for (const claim of negotiation.claimsOf(tx, id)) {
            if (notOpenReason(claim) !== null) continue;
            applyTransition(tx, claim, 'fail', actor, now, {
              calendar,
              reason: `Mediation session ${id} ended without agreement`,
            });
          }
        }
        tx.update(mediationSessions)
          .set({ status: 'ended', endedAt: now, outcome })
          .where(eq(mediationSessions.id, id))
          .run();
        w.append(id, {
          type: 'system',
          clientId: null,
          senderKey: 'system',
          from: SYSTEM_FROM,
          body: { event: 'ended', outcome },
        });
        return viewOne(tx, p, id);
      });
    },

    /** Stored frames after `afterSeq`, as the socket sends them. */
    messages(p: Principal, id: number, afterSeq: number, limit: number) {
      findSession(db, p, id);
      const items = hub.framesAfter(id, afterSeq, limit).map((r) => publicFrame(frameOf(id, r)));
      return { items, lastSeq: items.at(-1)?.seq ?? afterSeq };
    },

    transcript,

    /** The record as a PDF (调解笔录); the export time pins its creation date, so the same record gives the same file. */
    async transcriptPdf(p: Principal, id: number): Promise<{ fileName: string; bytes: Buffer }> {
      const t = transcript(p, id);
      const exportedAt = new Date(t.exportedAt);
      const model = transcriptModel(t.session, t.frames, exportedAt, `${deps.publicUrl}/api/sessions/${id}/transcript`);
      return { fileName: `调解笔录-${id}.pdf`, bytes: await deps.pdf.render([model], exportedAt) };
    },

    suggestion: (p: Principal, id: number) => suggestIn(db, p, id),

    /** Send the suggested plan as the mediator's proposal: stored and broadcast like a proposal frame. */
    sendSuggestion(p: Principal, id: number, clientId?: string): SessionFrame {
      const participant = join(p, id);
      const frameId = clientId ?? `suggestion-${crypto.randomUUID()}`;
      return hub.commit((w, tx) => {
        const original = w.existing(id, participant.key, frameId);
        if (original) return publicFrame(original);
        const s = suggestIn(tx, p, id);
        if (!s.ok || !s.plan)
          throw new AppError('unprocessable', s.detail ?? 'No affordable plan inside the limits.', {
            reason: s.reason ?? 'unaffordable_within_limits',
          });
        negotiation.handle(w, tx, participant, {
          type: 'proposal',
          id: frameId,
          body: { claimIds: s.claimIds, ...s.plan, note: '根据债务人收支情况提出的建议方案' },
        });
        return publicFrame(w.appended.at(-1)!);
      });
    },

    join,

    /** Hand an upgraded socket to its room. */
    attach(socket: WebSocket, participant: Participant): void {
      hub.attach(socket, participant);
    },

    close(): void {
      hub.close();
    },
  };
}
