// One row of a repayment file (还款文件): the contract it pays, when, how much and the creditor's
// reference. Every column is checked and all problems of the row are returned together.
import type { ColumnSpec } from './batch-columns.js';
import { cleanText, parseDateCell } from './cell-values.js';
import { checkContractNo, type RowIssue } from './claim-row.js';
import { parseYuan } from './money.js';

export const PAYMENT_COLUMNS = [
  { key: 'contract_no', header: '合同编号', required: true },
  { key: 'paid_at', header: '还款日期', required: true },
  { key: 'amount', header: '还款金额', required: true },
  { key: 'reference', header: '还款流水号', required: true },
  { key: 'channel', header: '还款渠道', required: false },
] as const satisfies readonly ColumnSpec<string>[];

export type PaymentColumn = (typeof PAYMENT_COLUMNS)[number]['key'];

export interface PaymentRow {
  contractNo: string;
  paidOn: string;
  amountFen: number;
  reference: string;
  channel: string | null;
}

export const REFERENCE_MAX = 64;

export type PaymentRowIssue = Omit<RowIssue, 'column'> & { column: PaymentColumn | null };

/** Validate a repayment row as of `today`: a payment cannot be dated in the future. */
export function validatePaymentRow(
  cells: Partial<Record<PaymentColumn, unknown>>,
  today: string,
): { ok: true; row: PaymentRow } | { ok: false; errors: PaymentRowIssue[] } {
  const errors: PaymentRowIssue[] = [];
  const value = (c: PaymentColumn) => String(cells[c] ?? '').slice(0, 64);
  const take = <T>(column: PaymentColumn, r: { ok: true; value: T } | { ok: false; code: string; detail: string }) => {
    if (r.ok) return r.value;
    errors.push({ column, code: r.code, message: r.detail, value: value(column) });
    return null;
  };
  const contractNo = take('contract_no', checkContractNo(cells.contract_no));
  const paidOn = take('paid_at', parseDateCell(cells.paid_at));
  if (paidOn !== null && paidOn > today)
    errors.push({
      column: 'paid_at',
      code: 'paid_at_future',
      message: `The payment date lies after ${today}, the day of the import.`,
      value: value('paid_at'),
    });
  const amountFen = take('amount', parseYuan(cells.amount));
  if (amountFen === 0)
    errors.push({
      column: 'amount',
      code: 'amount_zero',
      message: 'The amount paid must be greater than 0.',
      value: '0',
    });
  const reference = take('reference', cleanText(cells.reference, REFERENCE_MAX));
  if (reference === '')
    errors.push({
      column: 'reference',
      code: 'reference_missing',
      message: 'The payment reference is empty.',
      value: '',
    });
  const channel = take('channel', cleanText(cells.channel, 32));
  if (errors.length || contractNo === null || paidOn === null || amountFen === null || !reference || channel === null)
    return { ok: false, errors };
  return { ok: true, row: { contractNo, paidOn, amountFen, reference, channel: channel || null } };
}
