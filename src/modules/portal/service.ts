/**
 * What a signed-in debtor sees of their own claims: amounts with the part above the legal cap marked,
 * the creditor, the stage, the next deadline, documents, sessions, the instalment schedule and
 * payments, and their objections and hardship requests with the answers.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DB, DbOrTx } from '../../db/open.js';
import {
  type Claim,
  claims,
  hardshipClaims,
  hardshipRequests,
  instalments,
  mediationSessions,
  objections,
  organisations,
  sessionClaims,
  settlementClaims,
  settlements,
} from '../../db/schema/index.js';
import { diffDays, shanghaiDate } from '../../domain/dates.js';
import { assessRate } from '../../domain/rate-cap.js';
import type { Principal } from '../auth/principal.js';
import { findClaim, visibleClaims } from '../claims/access.js';
import { claimRecords } from '../claims/records.js';
import type { DocumentService } from '../documents/service.js';
import type { ObjectionService } from '../objections/service.js';
import { balanceView } from '../payments/service.js';
import type { ReferenceData } from '../reference/service.js';
import type { DebtorClaimDetail, DebtorClaimSummary, NextDeadline } from './schemas.js';

/** What the debtor reads of the claim's later stages: its court cases, measures and money, without staff notes. */
function debtorRecords(tx: DbOrTx, c: Claim) {
  const records = claimRecords(tx, c.id);
  const balance = balanceView(tx, c);
  return {
    payments: records.payments.map(({ amountFen, paidOn, status }) => ({ amountFen, paidOn, status })),
    balance: { paidFen: balance.paidFen, owedFen: balance.owedFen },
    courtCases: records.courtCases.map(({ kind, caseNo, status, outcome, reason, filedOn, decidedOn, judgment }) => ({
      kind,
      caseNo,
      status,
      outcome,
      reason,
      filedOn,
      decidedOn,
      judgment,
    })),
    creditRecords: records.creditRecords.map(({ kind, listedOn, termEndsOn, removalDueOn, removedOn }) => ({
      kind,
      listedOn,
      termEndsOn,
      removalDueOn,
      removedOn,
    })),
  };
}

export interface PortalServiceDeps {
  db: DB;
  clock: Clock;
  reference: ReferenceData;
  objections: ObjectionService;
  /** The claim's documents; the debtor downloads them from GET /api/documents/:id/pdf. */
  documents: Pick<DocumentService, 'listForClaim'>;
}

export type PortalService = ReturnType<typeof createPortalService>;

export function createPortalService({
  db,
  clock,
  reference,
  objections: objectionService,
  documents,
}: PortalServiceDeps) {
  const select = (tx: DbOrTx) =>
    tx
      .select({ claim: claims, creditorName: organisations.name, lenderType: organisations.lenderType })
      .from(claims)
      .innerJoin(organisations, eq(claims.creditorOrgId, organisations.id));

  const total = (c: Claim) => c.principalFen + c.interestFen + c.penaltyFen + c.feesFen;

  /** The earliest date that matters to the debtor: an answer due, an instalment due, or the stage's limit. */
  function nextDeadline(tx: DbOrTx, c: Claim, instalmentDue: string | null): NextDeadline | null {
    const reply = tx
      .select({ replyDue: objections.replyDue })
      .from(objections)
      .where(and(eq(objections.claimId, c.id), eq(objections.status, 'open')))
      .get();
    const candidates: NextDeadline[] = [];
    if (reply?.replyDue) candidates.push({ date: reply.replyDue, kind: 'objection_reply' });
    if (instalmentDue) candidates.push({ date: instalmentDue, kind: 'instalment' });
    if (c.stageDeadline) candidates.push({ date: c.stageDeadline, kind: 'stage' });
    return candidates.sort((a, b) => a.date.localeCompare(b.date))[0] ?? null;
  }

  function scheduleOf(tx: DbOrTx, claimId: number, contractNo: string) {
    const agreed = tx
      .select({ settlement: settlements })
      .from(settlementClaims)
      .innerJoin(settlements, eq(settlementClaims.settlementId, settlements.id))
      .where(eq(settlementClaims.claimId, claimId))
      .orderBy(desc(settlements.id))
      .all()
      .map((r) => r.settlement);
    const rows = agreed.length
      ? tx
          .select()
          .from(instalments)
          .where(
            inArray(
              instalments.settlementId,
              agreed.map((s) => s.id),
            ),
          )
          .orderBy(asc(instalments.settlementId), asc(instalments.seq))
          .all()
      : [];
    return agreed.map((s) => ({
      id: s.id,
      kind: s.kind,
      totalFen: s.totalFen,
      hardship: s.hardship,
      status: s.status,
      agreedAt: s.agreedAt?.toISOString() ?? null,
      instalments: rows
        .filter((i) => i.settlementId === s.id)
        .map((i) => ({
          seq: i.seq,
          dueDate: i.dueDate,
          amountFen: i.amountFen,
          paidFen: i.paidFen,
          status: i.status,
          // What the debtor writes in the transfer's memo (附言), so the creditor can match the payment.
          transferMemo: `合同${contractNo}第${i.seq}期`,
        })),
    }));
  }

  const nextInstalmentDue = (schedule: ReturnType<typeof scheduleOf>) =>
    schedule
      .flatMap((s) => s.instalments)
      .filter((i) => i.paidFen < i.amountFen)
      .map((i) => i.dueDate)
      .sort()[0] ?? null;

  return {
    /** The debtor's served claims, oldest first. */
    listClaims(p: Principal): DebtorClaimSummary[] {
      return db.transaction(
        (tx) =>
          select(tx)
            .where(visibleClaims(p))
            .orderBy(asc(claims.id))
            .all()
            .map(({ claim: c, creditorName }) => ({
              id: c.id,
              contractNo: c.contractNo,
              creditorName,
              stage: c.stage,
              status: c.status,
              hold: c.hold,
              totalFen: total(c),
              aboveCapFen: c.aboveCapFen,
              nextDeadline: nextDeadline(tx, c, nextInstalmentDue(scheduleOf(tx, c.id, c.contractNo))),
            })),
        { behavior: 'deferred' },
      );
    },

    /** One of the debtor's claims in full, or 404. */
    claim(p: Principal, id: number): DebtorClaimDetail {
      const detail = db.transaction(
        (tx) => {
          const c = findClaim(tx, p, id);
          const creditor = tx
            .select({
              name: organisations.name,
              lenderType: organisations.lenderType,
              payeeName: organisations.payeeName,
              payeeBank: organisations.payeeBank,
              payeeAccount: organisations.payeeAccount,
            })
            .from(organisations)
            .where(eq(organisations.id, c.creditorOrgId))
            .get()!;
          const today = shanghaiDate(clock.now());
          const rate =
            c.annualRateBp !== null && creditor.lenderType
              ? assessRate({
                  lenderType: creditor.lenderType,
                  contractDate: c.loanDate,
                  annualRateBp: c.annualRateBp,
                  lprRows: reference.lprRows(),
                })
              : null;
          const schedule = scheduleOf(tx, c.id, c.contractNo);
          const sessions = tx
            .select({
              id: mediationSessions.id,
              mode: mediationSessions.mode,
              status: mediationSessions.status,
              scheduledAt: mediationSessions.scheduledAt,
              startedAt: mediationSessions.startedAt,
              endedAt: mediationSessions.endedAt,
            })
            .from(sessionClaims)
            .innerJoin(mediationSessions, eq(sessionClaims.sessionId, mediationSessions.id))
            .where(eq(sessionClaims.claimId, c.id))
            .orderBy(desc(mediationSessions.id))
            .all();
          const hardship = tx
            .select({ id: hardshipRequests.id, status: hardshipRequests.status })
            .from(hardshipClaims)
            .innerJoin(hardshipRequests, eq(hardshipClaims.requestId, hardshipRequests.id))
            .where(eq(hardshipClaims.claimId, c.id))
            .orderBy(desc(hardshipRequests.id))
            .all();
          return {
            id: c.id,
            contractNo: c.contractNo,
            creditorName: creditor.name,
            loanDate: c.loanDate,
            dueDate: c.dueDate,
            overdueDays: Math.max(0, diffDays(c.overdueSince, today)),
            stage: c.stage,
            status: c.status,
            hold: c.hold,
            amounts: {
              principalFen: c.principalFen,
              interestFen: c.interestFen,
              penaltyFen: c.penaltyFen,
              feesFen: c.feesFen,
              totalFen: total(c),
              aboveCapFen: c.aboveCapFen,
              enforceableFen: Math.max(0, total(c) - c.aboveCapFen),
            },
            rate:
              c.annualRateBp === null
                ? null
                : {
                    annualRateBp: c.annualRateBp,
                    capBp: rate?.applicableCapBp ?? null,
                    aboveLprCap: rate?.aboveLprCap ?? null,
                    above24: rate?.above24 ?? null,
                    aboveCap: rate?.flagged ?? null,
                  },
            nextDeadline: nextDeadline(tx, c, nextInstalmentDue(schedule)),
            sessions: sessions.map((s) => ({
              id: s.id,
              mode: s.mode,
              status: s.status,
              scheduledAt: s.scheduledAt?.toISOString() ?? null,
              startedAt: s.startedAt?.toISOString() ?? null,
              endedAt: s.endedAt?.toISOString() ?? null,
            })),
            settlements: schedule,
            paymentInstructions:
              creditor.payeeName && creditor.payeeBank && creditor.payeeAccount && schedule.length
                ? { payeeName: creditor.payeeName, payeeBank: creditor.payeeBank, payeeAccount: creditor.payeeAccount }
                : null,
            ...debtorRecords(tx, c),
            hardshipRequests: hardship.map((h) => ({
              id: h.id,
              status: h.status as DebtorClaimDetail['hardshipRequests'][number]['status'],
            })),
            canObject:
              c.stage !== 'closed' &&
              !tx
                .select({ id: objections.id })
                .from(objections)
                .where(and(eq(objections.claimId, c.id), eq(objections.status, 'open')))
                .get(),
          };
        },
        { behavior: 'deferred' },
      );
      return {
        ...detail,
        objections: objectionService.listForClaim(p, id),
        documents: documents.listForClaim(p, id).map((d) => ({
          id: d.id,
          kind: d.kind,
          title: d.title,
          docNo: d.docNo,
          version: d.version,
          createdAt: d.createdAt,
        })),
      };
    },
  };
}
