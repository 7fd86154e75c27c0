/** Reading claims within the caller's tenancy and moving them through the lifecycle. */
import { and, asc, eq, gt, gte, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { type Claim, claims, debtors, organisations } from '../../db/schema/index.js';
import { addDays, diffDays, shanghaiDate } from '../../domain/dates.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { availableActions } from '../../domain/lifecycle.js';
import { maskPhone } from '../../domain/phone.js';
import { AppError } from '../../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { ReferenceData } from '../reference/service.js';
import { findClaim, visibleClaims } from './access.js';
import { applyTransition } from './apply-transition.js';
import { readClaimEvents } from './events.js';
import { limitationCountedFrom, recountLimitation } from './limitation-recount.js';
import { PROCEED_ACTION, proceedDespiteLimitation } from './limitation-review.js';
import { type ClaimWithParties, withParties } from './parties.js';
import { claimRecords } from './records.js';
import type { ClaimDetailView, ClaimListFilters, ClaimView, TransitionInput } from './schemas.js';

export interface ClaimServiceDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  reference: ReferenceData;
  /** Told after each lifecycle step this service took (once its transaction returned). */
  afterStep?: (claimId: number, action: string) => void;
}

export type ClaimService = ReturnType<typeof createClaimService>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Where a page ended: the last claim's id, and its deadline key when the list is in deadline order. */
interface Cursor {
  id: number;
  deadline?: string;
}
// Claims without a deadline come after every dated one ('~' sorts after the ISO digits).
const NO_DEADLINE = '~';
const deadlineKey = sql<string>`coalesce(${claims.stageDeadline}, ${NO_DEADLINE})`;

const encodeCursor = (c: Cursor) =>
  Buffer.from(c.deadline === undefined ? `c:${c.id}` : `d:${c.id}:${c.deadline}`).toString('base64url');
function decodeCursor(cursor: string): Cursor {
  const text = Buffer.from(cursor, 'base64url').toString();
  const m = /^c:(\d+)$/.exec(text) ?? /^d:(\d+):(~|\d{4}-\d{2}-\d{2}[\dT:.Z-]*)$/.exec(text);
  if (!m)
    throw new AppError('validation_failed', 'The cursor is not one this API gave out; start again without `after`.', {
      fields: [{ field: '/querystring/after', message: 'is not a valid cursor' }],
    });
  return m[2] === undefined ? { id: Number(m[1]) } : { id: Number(m[1]), deadline: m[2] };
}

export function createClaimService({ db, clock, crypto, reference, afterStep }: ClaimServiceDeps) {
  const selectRows = (tx: DbOrTx) =>
    tx
      .select({ claim: claims, debtor: debtors, creditorName: organisations.name })
      .from(claims)
      .innerJoin(debtors, eq(claims.debtorId, debtors.id))
      .innerJoin(organisations, eq(claims.creditorOrgId, organisations.id));

  function view(principal: Principal, { claim, debtor, creditorName }: ClaimWithParties): ClaimView {
    const today = shanghaiDate(clock.now());
    const actor = actorOf(principal);
    return {
      id: claim.id,
      contractNo: claim.contractNo,
      creditor: { id: claim.creditorOrgId, name: creditorName },
      debtor: {
        id: debtor.id,
        name: debtor.name,
        idNumberMasked: maskIdNumber(crypto.decrypt(debtor.idNumberEnc)),
        phoneMasked: debtor.phoneEnc ? maskPhone(crypto.decrypt(debtor.phoneEnc)) : null,
      },
      batchId: claim.batchId,
      loanDate: claim.loanDate,
      dueDate: claim.dueDate,
      amounts: {
        principalFen: claim.principalFen,
        interestFen: claim.interestFen,
        penaltyFen: claim.penaltyFen,
        feesFen: claim.feesFen,
        totalFen: claim.principalFen + claim.interestFen + claim.penaltyFen + claim.feesFen,
        aboveCapFen: claim.aboveCapFen,
      },
      annualRateBp: claim.annualRateBp,
      overdueDays: Math.max(0, diffDays(claim.overdueSince, today)),
      guarantee: claim.guarantee,
      eServiceConsent: claim.eServiceConsent,
      loanClass: claim.loanClass,
      riskScore: claim.riskScore,
      screening: claim.screening,
      screeningReasons: claim.screeningNotes ?? [],
      limitationExpiresOn: claim.limitationExpiresOn,
      stage: claim.stage,
      status: claim.status,
      hold: claim.hold,
      stageDeadline: claim.stageDeadline,
      mediationOrgId: claim.mediationOrgId,
      courtOrgId: claim.courtOrgId,
      assigneeId: claim.assigneeId,
      availableActions: actor ? availableActions(claim, actor.kind) : [],
      version: claim.version,
      createdAt: claim.createdAt.toISOString(),
      updatedAt: claim.updatedAt.toISOString(),
    };
  }

  function move<T>(
    principal: Principal,
    id: number,
    input: Omit<TransitionInput, 'version'>,
    version: number | null,
    answer: (tx: DbOrTx, claim: Claim) => T,
  ): T {
    const actor = actorOf(principal);
    if (!actor) throw new AppError('forbidden', 'Platform administrators do not act on claims.');
    const moved = db.transaction((tx) => {
      const found = findClaim(tx, principal, id);
      if (version !== null && found.version !== version) {
        throw new AppError(
          'version_conflict',
          `The claim is at version ${found.version}, not ${version}: someone changed it since you read it. Reload it and try again.`,
        );
      }
      const options = {
        calendar: reference.calendar(),
        reason: input.reason ?? null,
        generic: true,
        ...(input.holdKind ? { holdKind: input.holdKind } : {}),
      };
      const now = clock.now();
      let claim =
        input.action === PROCEED_ACTION
          ? proceedDespiteLimitation(tx, crypto, found, actor, now, options)
          : applyTransition(tx, found, input.action, actor, now, options);
      // An agreement the mediator records acknowledges the debt, as one reached in a session does (art. 195 item 2).
      if (input.action === 'agree')
        claim = recountLimitation(tx, claim, 'acknowledgement', shanghaiDate(now), {
          calendar: options.calendar,
          actor,
          now,
        });
      return answer(tx, claim);
    });
    afterStep?.(id, input.action);
    return moved;
  }

  return {
    /** One page of the claims the principal may see, filtered, in id order or soonest deadline first. */
    list(principal: Principal, f: ClaimListFilters) {
      const today = shanghaiDate(clock.now());
      const limit = f.limit ?? 50;
      const where: SQL[] = [visibleClaims(principal)];
      if (f.stage) where.push(eq(claims.stage, f.stage));
      if (f.status) where.push(eq(claims.status, f.status));
      if (f.batchId) where.push(eq(claims.batchId, f.batchId));
      if (f.loanClass) where.push(eq(claims.loanClass, f.loanClass));
      // Days overdue = today − overdueSince, so a range of days is a range of start dates.
      if (f.overdueMin !== undefined) where.push(lte(claims.overdueSince, addDays(today, -f.overdueMin)));
      if (f.overdueMax !== undefined) where.push(gte(claims.overdueSince, addDays(today, -f.overdueMax)));
      if (f.q) {
        const q = escapeLike(f.q.trim());
        where.push(
          or(sql`${claims.contractNo} LIKE ${`${q}%`} ESCAPE '\\'`, sql`${debtors.name} LIKE ${`%${q}%`} ESCAPE '\\'`)!,
        );
      }
      const byDeadline = f.sort === 'deadline';
      if (f.after) {
        const after = decodeCursor(f.after);
        if (byDeadline !== (after.deadline !== undefined))
          throw new AppError(
            'validation_failed',
            'The cursor is of a list in another order; start again without `after`.',
            {
              fields: [{ field: '/querystring/after', message: 'is not a valid cursor' }],
            },
          );
        where.push(
          after.deadline === undefined
            ? gt(claims.id, after.id)
            : or(gt(deadlineKey, after.deadline), and(eq(deadlineKey, after.deadline), gt(claims.id, after.id)))!,
        );
      }
      const rows = selectRows(db)
        .where(and(...where))
        .orderBy(...(byDeadline ? [asc(deadlineKey), asc(claims.id)] : [asc(claims.id)]))
        .limit(limit + 1)
        .all();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1]?.claim;
      return {
        items: page.map((r) => view(principal, r)),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor(byDeadline ? { id: last.id, deadline: last.stageDeadline ?? NO_DEADLINE } : { id: last.id })
            : null,
      };
    },

    /** One claim in full, with its court cases, payments and credit records. */
    get(principal: Principal, id: number): ClaimDetailView {
      return db.transaction(
        (tx) => {
          const claim = findClaim(tx, principal, id);
          return {
            ...view(principal, withParties(tx, claim)),
            limitationCountedFrom: limitationCountedFrom(tx, claim),
            rateTransition: claim.rateTransition,
            ...claimRecords(tx, claim.id),
          };
        },
        { behavior: 'deferred' },
      );
    },

    events(principal: Principal, id: number) {
      findClaim(db, principal, id);
      const { events, chain } = readClaimEvents(db, id);
      return {
        chain,
        events: events.map((e) => ({
          seq: e.seq,
          action: e.action,
          from: { stage: e.fromStage, status: e.fromStatus, hold: e.fromHold },
          to: { stage: e.toStage, status: e.toStatus, hold: e.toHold },
          actor: { kind: e.actorKind, id: e.actorId, name: e.actorName },
          reason: e.reason,
          data: e.data,
          at: e.at.toISOString(),
          hash: e.hash,
        })),
      };
    },

    /** Run a lifecycle action for the principal; 409 if the table forbids it or the version is stale. */
    transition(principal: Principal, id: number, input: TransitionInput): ClaimView {
      return move(principal, id, input, input.version, (tx, claim) => view(principal, withParties(tx, claim)));
    },

    /** The same at whatever version the claim is now: one action run over many claims. */
    transitionCurrent(principal: Principal, id: number, input: Omit<TransitionInput, 'version'>): void {
      move(principal, id, input, null, () => undefined);
    },
  };
}
