/**
 * Hardship requests (特殊群体救助): a debtor asks for relief on some of their claims, which are held
 * for a mediator's review. A grant is a hardship plan (interest and penalty waived, longer
 * instalments) that the settlement of those claims records; a refusal releases the claims.
 */
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { claims, debtors, hardshipClaims, hardshipRequests, organisations } from '../../db/schema/index.js';
import { positionOf } from '../../domain/lifecycle.js';
import type { HardshipReason, HardshipStatus } from '../../domain/objections.js';
import type { HardshipRelief } from '../../domain/settlement-terms.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, debtorActor, debtorIdOf, type Principal, SYSTEM_ACTOR } from '../auth/principal.js';
import { findClaims, visibleHardshipRequests } from '../claims/access.js';
import { appendClaimEvent } from '../claims/events.js';
import { queueAnswerNotice } from '../deliveries/answer-notice.js';
import { latestMeans } from '../means/service.js';
import type { ReferenceData } from '../reference/service.js';
import { attachmentsByOwner, type EvidenceFile, insertAttachments, withStoredFiles } from './attachments.js';
import { alignHold } from './holds.js';
import type { HardshipDecisionInput, HardshipFormInput, HardshipView, StaffHardshipView } from './schemas.js';
import { claimClosed } from './service.js';

/** The plan a granted request gives: interest and penalty waived, instalments up to the configured number. */
export const hardshipPlan = (maxInstalments: number): HardshipRelief => ({
  waiveInterest: true,
  waivePenalty: true,
  maxInstalments,
});

/**
 * The claims among `claimIds` that a granted hardship request covers. A relief applies to those
 * claims alone: in a session that also holds claims it does not cover, only their share is relieved.
 */
export function hardshipCoveredClaims(tx: DbOrTx, claimIds: readonly number[]): Set<number> {
  if (claimIds.length === 0) return new Set();
  return new Set(
    tx
      .selectDistinct({ claimId: hardshipClaims.claimId })
      .from(hardshipClaims)
      .innerJoin(hardshipRequests, eq(hardshipClaims.requestId, hardshipRequests.id))
      .where(and(inArray(hardshipClaims.claimId, [...claimIds]), eq(hardshipRequests.status, 'granted')))
      .all()
      .map((r) => r.claimId),
  );
}

export interface HardshipServiceDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  files: FileStore;
  reference: ReferenceData;
  maxInstalments: number;
}

export type HardshipService = ReturnType<typeof createHardshipService>;

type RequestRow = typeof hardshipRequests.$inferSelect;

export function createHardshipService({ db, clock, crypto, files, reference, maxInstalments }: HardshipServiceDeps) {
  function views(tx: DbOrTx, list: RequestRow[]): HardshipView[] {
    const ids = list.map((r) => r.id);
    const claimRows = ids.length
      ? tx
          .select({
            requestId: hardshipClaims.requestId,
            id: claims.id,
            contractNo: claims.contractNo,
            creditorName: organisations.name,
          })
          .from(hardshipClaims)
          .innerJoin(claims, eq(hardshipClaims.claimId, claims.id))
          .innerJoin(organisations, eq(claims.creditorOrgId, organisations.id))
          .where(inArray(hardshipClaims.requestId, ids))
          .orderBy(claims.id)
          .all()
      : [];
    const evidence = attachmentsByOwner(tx, 'hardship_request', ids);
    return list.map((r) => ({
      id: r.id,
      reason: r.reason as HardshipReason,
      statement: r.statement,
      status: r.status as HardshipStatus,
      claims: claimRows.filter((c) => c.requestId === r.id).map(({ requestId: _, ...c }) => c),
      decisionNote: r.decisionNote,
      plan: r.status === 'granted' ? hardshipPlan(maxInstalments) : null,
      attachments: evidence.get(r.id) ?? [],
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
    }));
  }

  function staffViews(tx: DbOrTx, list: RequestRow[]): StaffHardshipView[] {
    const names = new Map(
      list.length
        ? tx
            .select({ id: debtors.id, name: debtors.name })
            .from(debtors)
            .where(
              inArray(
                debtors.id,
                list.map((r) => r.debtorId),
              ),
            )
            .all()
            .map((d) => [d.id, d.name])
        : [],
    );
    return views(tx, list).map((v, i) => {
      const debtorId = list[i]!.debtorId;
      return { ...v, debtor: { id: debtorId, name: names.get(debtorId) ?? '' }, means: latestMeans(tx, debtorId) };
    });
  }

  return {
    /** File a request for the debtor's claims: recorded against each, each held for review. */
    request(p: Principal, input: HardshipFormInput & { files: EvidenceFile[] }): HardshipView {
      const actor = debtorActor(p);
      const now = clock.now();
      const calendar = reference.calendar();
      const claimIds = [...new Set(input.claimIds)];
      return withStoredFiles(files, input.files, (stored) =>
        db.transaction((tx) => {
          const found = findClaims(tx, p, claimIds);
          const closed = found.find((c) => c.stage === 'closed');
          if (closed) throw claimClosed(closed, 'a hardship request');
          // One committee reviews the whole request, so its claims must share one.
          const orgs = new Set(found.map((c) => c.mediationOrgId));
          if (orgs.size !== 1 || orgs.has(null)) {
            throw new AppError(
              'unprocessable',
              'These claims are handled by different mediation organisations (or none yet); send one request per organisation.',
              { reason: 'mixed_mediation_orgs' },
            );
          }
          const pending = tx
            .select({ claimId: hardshipClaims.claimId, requestId: hardshipRequests.id })
            .from(hardshipClaims)
            .innerJoin(hardshipRequests, eq(hardshipClaims.requestId, hardshipRequests.id))
            .where(and(inArray(hardshipClaims.claimId, claimIds), eq(hardshipRequests.status, 'pending')))
            .get();
          if (pending) {
            throw new AppError(
              'duplicate',
              `Claim ${pending.claimId} is already in hardship request ${pending.requestId}, which is still being reviewed.`,
              { reason: 'hardship_pending' },
            );
          }
          const row = tx
            .insert(hardshipRequests)
            .values({
              debtorId: debtorIdOf(p),
              reason: input.reason,
              statement: input.statement.trim(),
              status: 'pending',
              createdAt: now,
            })
            .returning()
            .get();
          insertAttachments(tx, 'hardship_request', row.id, stored, now);
          for (const claim of found) {
            tx.insert(hardshipClaims).values({ requestId: row.id, claimId: claim.id }).run();
            const data = { hardshipRequestId: row.id, reason: input.reason, attachments: stored.length };
            appendClaimEvent(tx, {
              claimId: claim.id,
              action: 'hardship_requested',
              from: positionOf(claim),
              to: positionOf(claim),
              actor,
              reason: `hardship: ${input.reason}`,
              data,
              at: now,
            });
            alignHold(tx, claim, now, {
              calendar,
              reason: 'hardship request filed',
              data: { hardshipRequestId: row.id },
              release: SYSTEM_ACTOR,
              place: actor,
            });
          }
          return views(tx, [row])[0]!;
        }),
      );
    },

    /** The signed-in debtor's requests, newest first. */
    mine(p: Principal): HardshipView[] {
      return views(
        db,
        db
          .select()
          .from(hardshipRequests)
          .where(eq(hardshipRequests.debtorId, debtorIdOf(p)))
          .orderBy(desc(hardshipRequests.id))
          .all(),
      );
    },

    /** Requests on the mediator's claims, with the debtor's statement of means. */
    list(p: Principal, f: { status?: HardshipStatus | undefined }): StaffHardshipView[] {
      const where: SQL[] = [visibleHardshipRequests(p)];
      if (f.status) where.push(eq(hardshipRequests.status, f.status));
      return staffViews(
        db,
        db
          .select()
          .from(hardshipRequests)
          .where(and(...where))
          .orderBy(desc(hardshipRequests.id))
          .limit(500)
          .all(),
      );
    },

    /** Grant (a hardship plan) or refuse; the claims are released from the hardship hold and the debtor is told. */
    decide(p: Principal, id: number, input: HardshipDecisionInput): StaffHardshipView {
      const actor = actorOf(p);
      if (!actor || p.kind !== 'user') throw new AppError('forbidden', 'Hardship requests are decided by a mediator.');
      const now = clock.now();
      const calendar = reference.calendar();
      const note = input.note.trim();
      return db.transaction((tx) => {
        const request = tx
          .select()
          .from(hardshipRequests)
          .where(and(eq(hardshipRequests.id, id), visibleHardshipRequests(p)))
          .get();
        if (!request) throw notFound(`Hardship request ${id}`);
        if (request.status !== 'pending') {
          throw new AppError(
            'transition_forbidden',
            `Hardship request ${id} was decided already (${request.status}).`,
            { reason: 'hardship_decided' },
          );
        }
        tx.update(hardshipRequests)
          .set({ status: input.outcome, decisionNote: note, decidedBy: p.userId, decidedAt: now })
          .where(eq(hardshipRequests.id, id))
          .run();
        const plan = input.outcome === 'granted' ? hardshipPlan(maxInstalments) : null;
        const covered = tx
          .select()
          .from(claims)
          .where(
            inArray(
              claims.id,
              tx.select({ id: hardshipClaims.claimId }).from(hardshipClaims).where(eq(hardshipClaims.requestId, id)),
            ),
          )
          .all();
        const after = covered.map((claim) => {
          const data = { hardshipRequestId: id, outcome: input.outcome, plan };
          appendClaimEvent(tx, {
            claimId: claim.id,
            action: `hardship_${input.outcome}`,
            from: positionOf(claim),
            to: positionOf(claim),
            actor,
            reason: note,
            data,
            at: now,
          });
          return alignHold(tx, claim, now, {
            calendar,
            reason: `hardship request ${input.outcome}`,
            data: { hardshipRequestId: id },
            release: actor,
            place: SYSTEM_ACTOR,
          });
        });
        // The sender sends nothing about a held claim, so the notice goes under one that is free, if any.
        const noticeClaim = after.find((c) => c.hold === null) ?? after[0]!;
        queueAnswerNotice(
          tx,
          crypto,
          { kind: 'hardship', id, claimId: noticeClaim.id, debtorId: request.debtorId },
          now,
        );
        return staffViews(tx, [
          { ...request, status: input.outcome, decisionNote: note, decidedBy: p.userId, decidedAt: now },
        ])[0]!;
      });
    },
  };
}
