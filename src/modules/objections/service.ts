/**
 * Objections (异议申诉): a debtor files one against a claim, which holds the claim and starts a reply
 * deadline; staff answer it (upheld, partially upheld, rejected) and the debtor is told by SMS.
 * Every step is an event on the claim.
 */
import { and, asc, count, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { type Claim, claims, hardshipRequests, objections, organisations } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { objectionReplyDeadline } from '../../domain/deadlines.js';
import { positionOf } from '../../domain/lifecycle.js';
import { type ObjectionCategory, type ObjectionOutcome, reduceAmounts } from '../../domain/objections.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, debtorActor, type Principal, SYSTEM_ACTOR } from '../auth/principal.js';
import { findAttachment, findClaim, visibleClaims, visibleHardshipRequests } from '../claims/access.js';
import { applyTransition, versionConflict } from '../claims/apply-transition.js';
import { appendClaimEvent } from '../claims/events.js';
import { queueAnswerNotice } from '../deliveries/answer-notice.js';
import type { ReferenceData } from '../reference/service.js';
import { attachmentsByOwner, type EvidenceFile, insertAttachments, withStoredFiles } from './attachments.js';
import { alignHold } from './holds.js';
import type {
  DecisionInput,
  ObjectionComment,
  ObjectionFormInput,
  ObjectionListFilters,
  ObjectionView,
} from './schemas.js';

export interface ObjectionServiceDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  files: FileStore;
  reference: ReferenceData;
  /** Days the creditor or mediator has to answer (OBJECTION_REPLY_DAYS). */
  replyDays: number;
}

export type ObjectionService = ReturnType<typeof createObjectionService>;

type ObjectionRow = typeof objections.$inferSelect;
type Row = { objection: ObjectionRow; contractNo: string; creditorName: string };

/** The staff actor answering; administrators act on no claim. */
function staffActor(p: Principal) {
  const actor = actorOf(p);
  if (!actor || p.kind === 'debtor')
    throw new AppError('forbidden', 'Objections are answered by the creditor, the mediator or the court.');
  return actor;
}

/** The creditor is a party: it may concede (uphold) an objection to its own claim, never decide against the debtor. */
function assertMayDecide(p: Principal, outcome: DecisionInput['outcome']) {
  if (p.role === 'creditor' && outcome !== 'upheld') {
    throw new AppError(
      'forbidden',
      'A creditor may only concede an objection (outcome upheld) or comment on it; rejecting it, in whole or in part, is for the mediator or the court.',
      { reason: 'decision_reserved' },
    );
  }
}

export const claimClosed = (c: Claim, what: string) =>
  new AppError('transition_forbidden', `The claim is closed (${c.status}); ${what} is no longer possible.`, {
    reason: 'claim_closed',
  });

export function createObjectionService({ db, clock, crypto, files, reference, replyDays }: ObjectionServiceDeps) {
  const rows = (tx: DbOrTx, where: SQL) =>
    tx
      .select({ objection: objections, contractNo: claims.contractNo, creditorName: organisations.name })
      .from(objections)
      .innerJoin(claims, eq(objections.claimId, claims.id))
      .innerJoin(organisations, eq(claims.creditorOrgId, organisations.id))
      .where(where);

  function views(tx: DbOrTx, list: Row[]): ObjectionView[] {
    const today = shanghaiDate(clock.now());
    const files = attachmentsByOwner(
      tx,
      'objection',
      list.map((r) => r.objection.id),
    );
    return list.map(({ objection: o, contractNo, creditorName }) => ({
      id: o.id,
      claim: { id: o.claimId, contractNo, creditorName },
      category: o.category as ObjectionCategory,
      statement: o.statement,
      status: o.status as ObjectionView['status'],
      replyDue: o.replyDue,
      replyOverdue: o.status === 'open' && o.replyDue !== null && o.replyDue < today,
      outcome: o.outcome as ObjectionOutcome | null,
      reasons: o.reasons,
      newAmounts: o.newAmounts ?? null,
      attachments: files.get(o.id) ?? [],
      createdAt: o.createdAt.toISOString(),
      decidedAt: o.decidedAt?.toISOString() ?? null,
    }));
  }

  function openObjection(tx: DbOrTx, claimId: number) {
    return tx
      .select({ id: objections.id })
      .from(objections)
      .where(and(eq(objections.claimId, claimId), eq(objections.status, 'open')))
      .get();
  }

  /** 404 unless the claim is the debtor's; 409 when it is closed or an objection on it is open. */
  function assertCanFileOn(tx: DbOrTx, p: Principal, claimId: number): Claim {
    const claim = findClaim(tx, p, claimId);
    if (claim.stage === 'closed') throw claimClosed(claim, 'an objection');
    const open = openObjection(tx, claimId);
    if (open) {
      throw new AppError(
        'duplicate',
        `An objection on this claim (number ${open.id}) is still being reviewed; wait for its answer before filing another.`,
        { reason: 'objection_open' },
      );
    }
    return claim;
  }

  /** An open objection on a claim the principal may see: 404 when unseen, 409 when answered. */
  function openOne(tx: DbOrTx, p: Principal, id: number): Row {
    const found = rows(tx, and(eq(objections.id, id), visibleClaims(p))!).get();
    if (!found) throw notFound(`Objection ${id}`);
    if (found.objection.status !== 'open') {
      throw new AppError('transition_forbidden', `Objection ${id} was answered already (${found.objection.outcome}).`, {
        reason: 'objection_decided',
      });
    }
    return found;
  }

  return {
    /** The checks of `file` that need no upload: run them before reading the files. */
    assertCanFile(p: Principal, claimId: number): void {
      debtorActor(p);
      assertCanFileOn(db, p, claimId);
    },

    /** File an objection with its evidence: the claim goes on hold and the reply deadline starts. */
    file(p: Principal, claimId: number, input: ObjectionFormInput & { files: EvidenceFile[] }): ObjectionView {
      const actor = debtorActor(p);
      const now = clock.now();
      const calendar = reference.calendar();
      return withStoredFiles(files, input.files, (stored) =>
        db.transaction((tx) => {
          const claim = assertCanFileOn(tx, p, claimId);
          const replyDue = objectionReplyDeadline(calendar, shanghaiDate(now), replyDays);
          const row = tx
            .insert(objections)
            .values({
              claimId,
              debtorId: claim.debtorId,
              category: input.category,
              statement: input.statement.trim(),
              status: 'open',
              replyDue,
              createdAt: now,
            })
            .returning()
            .get();
          insertAttachments(tx, 'objection', row.id, stored, now);
          const data = { objectionId: row.id, category: input.category, replyDue, attachments: stored.length };
          appendClaimEvent(tx, {
            claimId,
            action: 'objection_filed',
            from: positionOf(claim),
            to: positionOf(claim),
            actor,
            reason: `objection: ${input.category}`,
            data,
            at: now,
          });
          alignHold(tx, claim, now, {
            calendar,
            reason: 'objection filed',
            data: { objectionId: row.id },
            release: SYSTEM_ACTOR,
            place: actor,
          });
          return views(tx, rows(tx, eq(objections.id, row.id)).all())[0]!;
        }),
      );
    },

    /** The objections on one claim the principal may see, newest first, with their answers. */
    listForClaim(p: Principal, claimId: number): ObjectionView[] {
      findClaim(db, p, claimId);
      return views(db, rows(db, eq(objections.claimId, claimId)).orderBy(desc(objections.id)).all());
    },

    /** Objections on the claims the principal may see; open ones by reply deadline, the rest newest first. */
    list(p: Principal, f: ObjectionListFilters): ObjectionView[] {
      const where: SQL[] = [visibleClaims(p)];
      if (f.status) where.push(eq(objections.status, f.status));
      if (f.claimId) where.push(eq(objections.claimId, f.claimId));
      const order = f.status === 'open' ? [asc(objections.replyDue), asc(objections.id)] : [desc(objections.id)];
      return views(
        db,
        rows(db, and(...where)!)
          .orderBy(...order)
          .limit(f.limit ?? 100)
          .all(),
      );
    },

    /** Answer an objection; the claim is closed, reduced or released, and the debtor is told by SMS. */
    decide(p: Principal, id: number, input: DecisionInput): ObjectionView {
      const actor = staffActor(p);
      if (input.outcome === 'rejected' && input.newAmounts) {
        throw new AppError('validation_failed', 'A rejected objection changes no amounts: leave newAmounts out.', {
          fields: [{ field: '/body/newAmounts', message: 'must be absent when the outcome is rejected' }],
        });
      }
      if (input.outcome === 'partially_upheld' && !input.newAmounts) {
        throw new AppError('validation_failed', 'A partially upheld objection reduces the amounts: give newAmounts.', {
          fields: [{ field: '/body/newAmounts', message: 'is required when the outcome is partially_upheld' }],
        });
      }
      const now = clock.now();
      const calendar = reference.calendar();
      const reasons = input.reasons.trim();
      return db.transaction((tx) => {
        const found = openOne(tx, p, id);
        assertMayDecide(p, input.outcome);
        let claim = findClaim(tx, p, found.objection.claimId);
        if (claim.stage === 'closed' && input.newAmounts) throw claimClosed(claim, 'changing its amounts');
        const decided = tx
          .update(objections)
          .set({
            status: 'decided',
            outcome: input.outcome,
            reasons,
            newAmounts: input.newAmounts ?? null,
            decidedBy: p.kind === 'user' ? p.userId : null,
            decidedAt: now,
          })
          .where(and(eq(objections.id, id), eq(objections.status, 'open')))
          .run().changes;
        if (decided === 0) throw versionConflict();
        const data = { objectionId: id, outcome: input.outcome };
        appendClaimEvent(tx, {
          claimId: claim.id,
          action: 'objection_decided',
          from: positionOf(claim),
          to: positionOf(claim),
          actor,
          reason: reasons,
          data,
          at: now,
        });

        if (input.newAmounts) claim = reduceClaimAmounts(tx, claim, input.newAmounts, { actor, now, objectionId: id });
        if (claim.stage !== 'closed') {
          claim =
            input.outcome === 'upheld' && !input.newAmounts
              ? applyTransition(tx, claim, 'uphold_objection', actor, now, { calendar, reason: reasons, data })
              : alignHold(tx, claim, now, {
                  calendar,
                  reason: `objection ${input.outcome}`,
                  data,
                  release: actor,
                  place: SYSTEM_ACTOR,
                });
        }
        queueAnswerNotice(
          tx,
          crypto,
          { kind: 'objection', id, claimId: claim.id, debtorId: found.objection.debtorId },
          now,
        );
        return views(tx, rows(tx, eq(objections.id, id)).all())[0]!;
      });
    },

    /** A remark on an open objection for whoever decides it, kept as an event on the claim's chain. */
    comment(p: Principal, id: number, text: string): ObjectionComment {
      const actor = staffActor(p);
      const now = clock.now();
      return db.transaction((tx) => {
        const found = openOne(tx, p, id);
        const claim = findClaim(tx, p, found.objection.claimId);
        const event = appendClaimEvent(tx, {
          claimId: claim.id,
          action: 'objection_commented',
          from: positionOf(claim),
          to: positionOf(claim),
          actor,
          reason: text.trim(),
          data: { objectionId: id },
          at: now,
        });
        return { objectionId: id, claimId: claim.id, seq: event.seq, text: event.reason ?? '', at: now.toISOString() };
      });
    },

    /** Objections by outcome and hardship requests by decision, over the claims the principal may see. */
    stats(p: Principal) {
      const today = shanghaiDate(clock.now());
      const byOutcome = db
        .select({ status: objections.status, outcome: objections.outcome, n: count() })
        .from(objections)
        .innerJoin(claims, eq(objections.claimId, claims.id))
        .where(visibleClaims(p))
        .groupBy(objections.status, objections.outcome)
        .all();
      const overdue =
        db
          .select({ n: count() })
          .from(objections)
          .innerJoin(claims, eq(objections.claimId, claims.id))
          .where(and(visibleClaims(p), eq(objections.status, 'open'), lt(objections.replyDue, today)))
          .get()?.n ?? 0;
      const hardship = db
        .select({ status: hardshipRequests.status, n: count() })
        .from(hardshipRequests)
        .where(visibleHardshipRequests(p))
        .groupBy(hardshipRequests.status)
        .all();
      const sum = (pred: (r: (typeof byOutcome)[number]) => boolean) =>
        byOutcome.filter(pred).reduce((s, r) => s + r.n, 0);
      const requests = (status: string) => hardship.find((r) => r.status === status)?.n ?? 0;
      return {
        objections: {
          open: sum((r) => r.status === 'open'),
          replyOverdue: overdue,
          upheld: sum((r) => r.outcome === 'upheld'),
          partially_upheld: sum((r) => r.outcome === 'partially_upheld'),
          rejected: sum((r) => r.outcome === 'rejected'),
        },
        hardship: { pending: requests('pending'), granted: requests('granted'), refused: requests('refused') },
      };
    },

    /** An evidence file the principal may see: of an objection or hardship request on a visible claim. */
    attachment(p: Principal, attachmentId: number): { fileName: string; mime: string; bytes: Buffer } {
      const a = findAttachment(db, p, attachmentId);
      return { fileName: a.fileName, mime: a.mime, bytes: files.get(a.storageKey) };
    },
  };

  /** Lower the claim's amounts as a decision says, with an event holding before and after. */
  function reduceClaimAmounts(
    tx: DbOrTx,
    claim: Claim,
    given: NonNullable<DecisionInput['newAmounts']>,
    o: { actor: ReturnType<typeof staffActor>; now: Date; objectionId: number },
  ): Claim {
    const r = reduceAmounts(claim, given);
    if (!r.ok) {
      throw new AppError('validation_failed', r.detail, {
        fields: [{ field: `/body/newAmounts${r.field ? `/${r.field}` : ''}`, message: r.detail }],
      });
    }
    const before = {
      principalFen: claim.principalFen,
      interestFen: claim.interestFen,
      penaltyFen: claim.penaltyFen,
      feesFen: claim.feesFen,
      aboveCapFen: claim.aboveCapFen,
    };
    const after = { ...r.after, aboveCapFen: r.aboveCapFen };
    const changed = tx
      .update(claims)
      .set({ ...after, version: claim.version + 1, updatedAt: o.now })
      .where(and(eq(claims.id, claim.id), eq(claims.version, claim.version)))
      .run().changes;
    if (changed === 0) throw versionConflict();
    appendClaimEvent(tx, {
      claimId: claim.id,
      action: 'amounts_reduced',
      from: positionOf(claim),
      to: positionOf(claim),
      actor: o.actor,
      reason: `objection ${o.objectionId}`,
      data: { objectionId: o.objectionId, before, after },
      at: o.now,
    });
    return { ...claim, ...after, version: claim.version + 1, updatedAt: o.now };
  }
}
