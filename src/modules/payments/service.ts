/**
 * Payments on claims: recorded by the creditor (or its API key, or a repayment file), reported by the
 * debtor with a receipt and then confirmed or disputed by the creditor. Who may see which claim is
 * decided by claims/access.ts; every write and its event share one transaction.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FileStore } from '../../adapters/file-store.js';
import type { DB, DbOrTx } from '../../db/open.js';
import { type Claim, type Payment, paymentImportErrors, paymentImports, payments } from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { owedFen } from '../../domain/payment-allocation.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, debtorActor, type Principal, staffOrgId } from '../auth/principal.js';
import type { Upload } from '../batches/submit-batch.js';
import { findClaim } from '../claims/access.js';
import { appendClaimFact } from '../claims/events.js';
import { ROW_ERRORS_PAGE, rowErrorsCsv } from '../common/row-errors-csv.js';
import {
  attachmentsByOwner,
  type EvidenceFile,
  insertAttachments,
  withStoredFiles,
} from '../objections/attachments.js';
import type { ReferenceData } from '../reference/service.js';
import { claimBalance } from './balance.js';
import { type ImportOptions, importPaymentFile, importReport } from './import-file.js';
import { applyPayment, PAYMENT_EVENTS, paymentByReference, type Recorder, sameAsBefore } from './record.js';
import type { BalanceView, ImportReport, PaymentInput, PaymentView } from './schemas.js';

export interface PaymentServiceDeps {
  db: DB;
  clock: Clock;
  reference: ReferenceData;
  files: FileStore;
  importMaxFieldBytes: number;
  importMaxRows: number;
  /** The key repayment files are sealed with while they are imported (common/spool.ts). */
  dataKey: Buffer;
}

export type PaymentService = ReturnType<typeof createPaymentService>;

/** The creditor's user or API key as the recorder of a payment. */
function creditorRecorder(p: Principal): Recorder {
  const actor = actorOf(p);
  if (!actor || p.role !== 'creditor')
    throw new AppError('forbidden', "Payments are recorded by the claim's creditor.");
  return {
    actor,
    userId: p.kind === 'user' ? p.userId : null,
    apiKeyId: p.kind === 'api_key' ? p.apiKeyId : null,
  };
}

export function paymentView(tx: DbOrTx, p: Payment): PaymentView {
  return {
    id: p.id,
    claimId: p.claimId,
    settlementId: p.settlementId,
    amountFen: p.amountFen,
    paidOn: p.paidOn,
    reference: p.reference,
    channel: p.channel,
    status: p.status,
    source: p.source,
    applied: { costsFen: p.costsFen, interestFen: p.interestFen, principalFen: p.principalFen },
    instalments: p.instalmentParts ?? [],
    overpaidFen: p.overpaidFen,
    overpaid: p.overpaidFen > 0,
    note: p.note,
    receiptIds: (attachmentsByOwner(tx, 'payment', [p.id]).get(p.id) ?? []).map((a) => a.id),
    disputeReason: p.disputeReason,
    createdAt: p.createdAt.toISOString(),
  };
}

export function balanceView(tx: DbOrTx, claim: Claim): BalanceView {
  const b = claimBalance(tx, claim);
  return {
    leftFen: { costsFen: b.left.costs, interestFen: b.left.interest, principalFen: b.left.principal },
    settlement: b.settlement && {
      id: b.settlement.id,
      shareFen: b.settlement.shareFen,
      dueFen: b.settlement.dueFen,
      instalments: b.settlement.instalments.map(({ id, seq, dueDate, partFen, leftFen }) => ({
        id,
        seq,
        dueDate,
        partFen,
        leftFen,
      })),
    },
    paidFen: b.paidFen,
    overpaidFen: b.overpaidFen,
    owedFen: owedFen(b.left, b.settlement?.dueFen ?? null),
  };
}

export function createPaymentService(deps: PaymentServiceDeps) {
  const { db, clock, reference, files } = deps;
  const ctx = () => ({ now: clock.now(), calendar: reference.calendar() });

  /** A payment on a claim the principal may see, or 404. */
  function findPayment(tx: DbOrTx, p: Principal, id: number): { payment: Payment; claim: Claim } {
    const payment = tx.select().from(payments).where(eq(payments.id, id)).get();
    if (!payment) throw notFound(`Payment ${id}`);
    try {
      return { payment, claim: findClaim(tx, p, payment.claimId) };
    } catch {
      throw notFound(`Payment ${id}`);
    }
  }

  /** A repayment file of the principal's own organisation, or 404. */
  function ownImport(p: Principal, importId: number): void {
    const found = db
      .select({ id: paymentImports.id })
      .from(paymentImports)
      .where(and(eq(paymentImports.id, importId), eq(paymentImports.creditorOrgId, staffOrgId(p))))
      .get();
    if (!found) throw notFound(`Repayment file ${importId}`);
  }

  const reportedOnly = (payment: Payment) => {
    if (payment.status !== 'reported')
      throw new AppError(
        'transition_forbidden',
        `Payment ${payment.id} is ${payment.status}; only a payment the debtor reported waits for your answer.`,
        { reason: 'payment_not_reported' },
      );
  };

  return {
    /** Record a payment the creditor received; the same reference again answers the payment recorded before. */
    record(p: Principal, claimId: number, input: PaymentInput): { created: boolean; payment: PaymentView } {
      const recorder = creditorRecorder(p);
      if (input.paidAt > shanghaiDate(clock.now()))
        throw new AppError('validation_failed', 'A payment cannot be dated after today.', {
          fields: [{ field: '/body/paidAt', message: 'must not be after today' }],
        });
      return db.transaction((tx) => {
        const claim = findClaim(tx, p, claimId);
        const facts = { ...input, paidOn: input.paidAt, source: 'creditor' as const };
        const existing = paymentByReference(tx, claim.creditorOrgId, input.reference);
        if (existing) return { created: false, payment: paymentView(tx, sameAsBefore(existing, claim.id, facts)) };
        return { created: true, payment: paymentView(tx, applyPayment(ctx(), tx, claim, facts, recorder).payment) };
      });
    },

    /** The claim's payments and what it still owes. */
    list(p: Principal, claimId: number): { payments: PaymentView[]; balance: BalanceView } {
      return db.transaction(
        (tx) => {
          const claim = findClaim(tx, p, claimId);
          const rows = tx
            .select()
            .from(payments)
            .where(eq(payments.claimId, claim.id))
            .orderBy(asc(payments.paidOn), asc(payments.id))
            .all();
          return { payments: rows.map((r) => paymentView(tx, r)), balance: balanceView(tx, claim) };
        },
        { behavior: 'deferred' },
      );
    },

    /** The debtor says "I paid", with the receipt; the creditor confirms or disputes it. */
    report(
      p: Principal,
      claimId: number,
      input: { amountFen: number; paidOn: string; channel: string; note: string | null; files: EvidenceFile[] },
    ): PaymentView {
      const actor = debtorActor(p);
      if (input.files.length === 0)
        throw new AppError('validation_failed', 'Attach the receipt of the payment (PDF, JPEG or PNG).', {
          fields: [{ field: '/body/files', message: 'is required' }],
        });
      if (input.paidOn > shanghaiDate(clock.now()))
        throw new AppError('validation_failed', 'A payment cannot be dated after today.', {
          fields: [{ field: '/body/paidAt', message: 'must not be after today' }],
        });
      const now = clock.now();
      return withStoredFiles(files, input.files, (stored) =>
        db.transaction((tx) => {
          const claim = findClaim(tx, p, claimId);
          if (claim.stage === 'closed')
            throw new AppError('transition_forbidden', `The claim is closed (${claim.status}).`, {
              reason: 'claim_closed',
            });
          const payment = tx
            .insert(payments)
            .values({
              claimId: claim.id,
              creditorOrgId: claim.creditorOrgId,
              amountFen: input.amountFen,
              paidOn: input.paidOn,
              channel: input.channel,
              note: input.note,
              status: 'reported',
              source: 'debtor',
              createdAt: now,
            })
            .returning()
            .get();
          insertAttachments(tx, 'payment', payment.id, stored, now);
          appendClaimFact(tx, claim, PAYMENT_EVENTS.reported, actor, now, {
            paymentId: payment.id,
            amountFen: payment.amountFen,
            paidOn: payment.paidOn,
            receipts: stored.map((s) => s.sha256),
          });
          return paymentView(tx, payment);
        }),
      );
    },

    /** The creditor confirms a reported payment: it is allocated like any payment it records. */
    confirm(p: Principal, paymentId: number): PaymentView {
      const recorder = creditorRecorder(p);
      return db.transaction((tx) => {
        const { payment, claim } = findPayment(tx, p, paymentId);
        reportedOnly(payment);
        return paymentView(tx, applyPayment(ctx(), tx, claim, payment, recorder, payment).payment);
      });
    },

    /** The creditor disputes a reported payment, with the reason the debtor reads. */
    dispute(p: Principal, paymentId: number, reason: string): PaymentView {
      const recorder = creditorRecorder(p);
      return db.transaction((tx) => {
        const { payment, claim } = findPayment(tx, p, paymentId);
        reportedOnly(payment);
        const now = clock.now();
        const updated = tx
          .update(payments)
          .set({ status: 'disputed', disputeReason: reason, decidedAt: now })
          .where(eq(payments.id, payment.id))
          .returning()
          .get()!;
        appendClaimFact(tx, claim, PAYMENT_EVENTS.disputed, recorder.actor, now, { paymentId: payment.id }, reason);
        return paymentView(tx, updated);
      });
    },

    /** Import a repayment file of the creditor; the same file again answers its report. */
    importFile(p: Principal, upload: Upload, opts: ImportOptions): Promise<ImportReport> {
      const recorder = creditorRecorder(p);
      return importPaymentFile(
        {
          db,
          now: () => clock.now(),
          today: () => shanghaiDate(clock.now()),
          calendar: () => reference.calendar(),
          maxFieldBytes: deps.importMaxFieldBytes,
          maxRows: deps.importMaxRows,
          dataKey: deps.dataKey,
        },
        staffOrgId(p),
        recorder,
        upload,
        opts,
      );
    },

    /** The rejected rows of one of the creditor's repayment files, as CSV. */
    importErrorsCsv(p: Principal, importId: number): AsyncGenerator<string> {
      ownImport(p, importId);
      return rowErrorsCsv((after) =>
        db
          .select()
          .from(paymentImportErrors)
          .where(and(eq(paymentImportErrors.importId, importId), gt(paymentImportErrors.id, after)))
          .orderBy(asc(paymentImportErrors.id))
          .limit(ROW_ERRORS_PAGE)
          .all(),
      );
    },

    /** The report of one of the creditor's repayment files. */
    importReport(p: Principal, importId: number): ImportReport {
      ownImport(p, importId);
      return importReport(db, importId);
    },
  };
}
