/**
 * A repayment file (还款文件): the batch readers open it (CSV in any of the accepted charsets, XLSX),
 * every row is checked before anything is written, so a file that cannot be read changes nothing;
 * then each payment is recorded in a short transaction of its own. A row for a contract the creditor
 * does not have, or a bad row, is reported by row, in the same error report as a batch.
 */

import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { claims, paymentImportErrors, paymentImports } from '../../db/schema/index.js';
import { headerMapper } from '../../domain/batch-columns.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import {
  PAYMENT_COLUMNS,
  type PaymentColumn,
  type PaymentRow,
  type PaymentRowIssue,
  validatePaymentRow,
} from '../../domain/payment-row.js';
import { AppError } from '../../errors.js';
import { noRows, openWithHeader, unreadable } from '../batches/check-header.js';
import type { BatchOptions } from '../batches/schemas.js';
import type { Upload } from '../batches/submit-batch.js';
import { committedClaims } from '../claims/access.js';
import { applyPayment, paymentByReference, type Recorder, sameAsBefore } from './record.js';
import type { ImportReport } from './schemas.js';

export interface ImportDeps {
  db: DB;
  now: () => Date;
  today: () => string;
  calendar: () => HolidayCalendar;
  maxFieldBytes: number;
  maxRows: number;
  dataKey: Buffer;
}

const mapPaymentHeader = headerMapper(PAYMENT_COLUMNS);

export type ImportOptions = Pick<BatchOptions, 'charset' | 'sheet'>;
const REPORT_ERRORS = 1000;

type Issue = PaymentRowIssue & { rowNo: number };

/** Read and check every row; a file that cannot be read is a 422 and nothing is written. */
async function readRows(
  deps: ImportDeps,
  upload: Upload,
  opts: ImportOptions,
): Promise<{ rows: { rowNo: number; row: PaymentRow }[]; issues: Issue[]; total: number }> {
  const { sheet, columns } = await openWithHeader(
    upload.file,
    deps.dataKey,
    upload.format,
    opts,
    deps.maxFieldBytes,
    mapPaymentHeader,
  );
  try {
    const rows: { rowNo: number; row: PaymentRow }[] = [];
    const issues: Issue[] = [];
    let total = 0;
    try {
      for await (const { rowNo, cells } of sheet.rows) {
        if (++total > deps.maxRows)
          throw new AppError('unprocessable', `The file has more than ${deps.maxRows} rows; split it.`, {
            reason: 'too_many_rows',
          });
        const byKey: Partial<Record<PaymentColumn, unknown>> = {};
        columns.forEach((key, i) => {
          if (key) byKey[key] = cells[i];
        });
        const checked = validatePaymentRow(byKey, deps.today());
        if (checked.ok) rows.push({ rowNo, row: checked.row });
        else issues.push(...checked.errors.map((e) => ({ ...e, rowNo })));
      }
    } catch (err) {
      throw unreadable(err);
    }
    if (total === 0) throw noRows();
    return { rows, issues, total };
  } finally {
    await sheet.close();
  }
}

export async function importPaymentFile(
  deps: ImportDeps,
  creditorOrgId: number,
  recorder: Recorder,
  upload: Upload,
  opts: ImportOptions,
): Promise<ImportReport> {
  try {
    return await importOnce(deps, creditorOrgId, recorder, upload, opts);
  } finally {
    // The upload was the service's to keep only for the import.
    await fs.promises.rm(upload.file, { force: true });
  }
}

async function importOnce(
  deps: ImportDeps,
  creditorOrgId: number,
  recorder: Recorder,
  upload: Upload,
  opts: ImportOptions,
): Promise<ImportReport> {
  const { db } = deps;
  const again = db
    .select()
    .from(paymentImports)
    .where(and(eq(paymentImports.creditorOrgId, creditorOrgId), eq(paymentImports.fileSha256, upload.sha256)))
    .get();
  if (again) return importReport(db, again.id);

  const { rows, issues, total } = await readRows(deps, upload, opts);
  const record = db
    .insert(paymentImports)
    .values({
      creditorOrgId,
      fileName: upload.fileName,
      fileSha256: upload.sha256,
      total,
      createdBy: recorder.userId,
      createdAt: deps.now(),
    })
    .returning()
    .get();
  let recorded = 0;
  let duplicates = 0;
  let overpaid = 0;
  for (const { rowNo, row } of rows) {
    const reject = (column: PaymentColumn | null, code: string, message: string, value: string | null) =>
      issues.push({ rowNo, column, code, message, value: value ?? '' });
    try {
      db.transaction((tx) => {
        const claim = tx
          .select()
          .from(claims)
          .where(and(eq(claims.creditorOrgId, creditorOrgId), eq(claims.contractNo, row.contractNo), committedClaims()))
          .get();
        if (!claim) {
          reject('contract_no', 'contract_unknown', 'You have no claim with this contract number.', row.contractNo);
          return;
        }
        const existing = paymentByReference(tx, creditorOrgId, row.reference);
        if (existing) {
          sameAsBefore(existing, claim.id, row);
          duplicates++;
          return;
        }
        const { payment } = applyPayment(
          { now: deps.now(), calendar: deps.calendar() },
          tx,
          claim,
          { ...row, source: 'import', importId: record.id },
          recorder,
        );
        recorded++;
        if (payment.overpaidFen > 0) overpaid++;
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      reject(
        err.reason === 'payment_reference_used' ? 'reference' : null,
        err.reason ?? err.code,
        err.detail,
        err.reason === 'payment_reference_used' ? row.reference : null,
      );
    }
  }
  db.transaction((tx) => {
    for (const i of issues.sort((a, b) => a.rowNo - b.rowNo))
      tx.insert(paymentImportErrors)
        .values({
          importId: record.id,
          rowNo: i.rowNo,
          column: i.column,
          code: i.code,
          message: i.message,
          valueMasked: i.value || null,
        })
        .run();
    tx.update(paymentImports)
      .set({ recorded, duplicates, overpaid, rejected: new Set(issues.map((i) => i.rowNo)).size })
      .where(eq(paymentImports.id, record.id))
      .run();
  });
  return importReport(db, record.id);
}

export function importReport(db: DB, id: number): ImportReport {
  const r = db.select().from(paymentImports).where(eq(paymentImports.id, id)).get()!;
  const errors = db
    .select()
    .from(paymentImportErrors)
    .where(eq(paymentImportErrors.importId, id))
    .orderBy(paymentImportErrors.id)
    .limit(REPORT_ERRORS)
    .all();
  return {
    id: r.id,
    total: r.total,
    recorded: r.recorded,
    duplicates: r.duplicates,
    rejected: r.rejected,
    overpaid: r.overpaid,
    errors: errors.map((e) => ({
      rowNo: e.rowNo,
      column: e.column,
      code: e.code,
      message: e.message,
      value: e.valueMasked,
    })),
    errorsCsv: `/api/payments/imports/${r.id}/errors.csv`,
  };
}
