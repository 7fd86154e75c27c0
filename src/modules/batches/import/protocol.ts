/**
 * Messages of the import pipeline. The parse worker reads, validates, screens and seals rows and
 * sends them in chunks straight to the write worker, which commits them in short slices under the
 * batch it flips at the end. The coordinator on the main thread only sees progress and the outcome.
 */

import type { BatchOutcomeValues, BatchRowValues } from '../../../db/bulk-import.js';
import type { Claim } from '../../../db/schema/index.js';
import type { LoanColumns } from '../../../domain/claim-row.js';
import type { CalendarRow } from '../../../domain/holiday-calendar.js';
import type { LprRow, TransitionAssessment } from '../../../domain/rate-cap.js';
import type { LenderType } from '../../../domain/roles.js';
import type { ScreeningAction } from '../../../domain/screening.js';
import type { SealedDebtor } from '../../debtors/store.js';

export type SheetFormat = 'csv' | 'xlsx' | 'ndjson';

export interface ParseJob {
  file: string;
  format: SheetFormat;
  charset: 'utf-8' | 'gb18030' | 'gbk' | null;
  sheet: string | null;
  maxFieldBytes: number;
  maxRows: number;
  asOf: string;
  /** Base64 data key: rows are sealed in the parse worker, so clear personal data never crosses threads twice. */
  dataKey: string;
  lenderType: LenderType;
  lprRows: LprRow[];
  /** The loaded holiday calendar: the limitation period's last day moves off its holidays (art. 203). */
  calendarRows: CalendarRow[];
  chunkSize: number;
}

/** The claim columns screening sets on a valid row. */
type ScreenedColumns = {
  [K in 'loanClass' | 'riskScore' | 'screening' | 'limitationExpiresOn' | 'aboveCapFen']: NonNullable<Claim[K]>;
};

/** A valid row, screened and with its personal data sealed, ready for insertion. */
export interface StagedRow {
  rowNo: number;
  debtor: SealedDebtor;
  claim: LoanColumns & ScreenedColumns & { rateTransition: TransitionAssessment | null };
  action: ScreeningAction;
  reasons: string[];
}

export interface RowError {
  rowNo: number;
  /** Chinese header of the column, or null for a whole-row problem. */
  column: string | null;
  code: string;
  message: string;
  /** The original value, masked when it is personal data. */
  value: string;
}

export type ParserToWriter =
  | { type: 'rows'; rows: StagedRow[]; errors: RowError[]; rowsRead: number; bytesRead: number; bytesTotal: number }
  | { type: 'end'; rowsRead: number; warnings: string[] }
  | { type: 'fatal'; code: string; detail: string };

export type WriterToParser = { type: 'ack' };

export interface WriteJob {
  batch: BatchRowValues & { format: SheetFormat };
  courtOrgId: number | null;
  litigationAllowed: boolean;
  mediators: { id: number; openCaseload: number }[];
  dryRun: boolean;
  calendarRows: CalendarRow[];
  now: string;
  /** How many row errors a dry run returns in full. */
  reportErrors: number;
}

export interface ImportResult extends Omit<BatchOutcomeValues, 'finishedAt'> {
  batchId: number | null;
  /** Dry runs only: the first row errors. */
  errors?: RowError[];
}

/** The outcome of a batch that failed before any row counted, with the sentence the creditor reads. */
export const failedOutcome = (failureDetail: string): Omit<BatchOutcomeValues, 'finishedAt'> => ({
  status: 'failed',
  total: 0,
  accepted: 0,
  rejected: 0,
  skipped: 0,
  errorsByCode: {},
  screening: {},
  warnings: [],
  failureDetail,
});

/** How often a writer marks its committing batch alive; one silent for `ABANDONED_AFTER_MS` is discarded. */
export const HEARTBEAT_MS = 1000;
export const ABANDONED_AFTER_MS = 15_000;

/** What the creditor reads when an import fails on a fault of ours; the error itself goes to the log. */
export const INTERNAL_FAILURE =
  'The import stopped on an internal error; nothing of it was saved. Try again, and report it if it happens again.';

export type WriterToCoordinator =
  | { type: 'started'; batchId: number | null }
  | {
      type: 'progress';
      rowsRead: number;
      rowsWritten: number;
      bytesRead: number;
      bytesTotal: number;
      phase: 'validating' | 'committing';
    }
  | { type: 'done'; result: ImportResult }
  /** `internal` is the raw error, for the log only: the detail is what the creditor reads. */
  | { type: 'failed'; code: string; detail: string; internal?: string };

export type CoordinatorToWriter = { type: 'abort' };
