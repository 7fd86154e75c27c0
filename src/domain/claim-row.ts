// Validation of one import row into a normalised claim. Every column is checked and all problems are
// returned together, so a creditor can fix a file in one pass instead of one error per upload.
import type { ColumnKey } from './batch-columns.js';
import {
  cleanText,
  parseDateCell,
  parseEmailCell,
  parseIntCell,
  parseRateCell,
  parseYesNoCell,
} from './cell-values.js';
import type { ClaimAmounts } from './claim-amounts.js';
import { addDays, diffDays, isValidIsoDate } from './dates.js';
import { type Guarantee, parseGuarantee } from './five-tier.js';
import { isBlank, toHalfWidth } from './half-width.js';
import { maskIdNumber, parseIdNumber } from './id-number.js';
import { parseYuan } from './money.js';
import { maskPhone, parsePhone } from './phone.js';
import { type Checked, failResult, okResult } from './validation-result.js';

/** One problem in a row; `value` is the original cell, masked for ID numbers and phones, at most 64 characters. */
export type RowIssue = { column: ColumnKey | null; code: string; message: string; value: string };

/** Who owes a claim: personal data, sealed before it is stored. */
export type BorrowerFacts = {
  name: string;
  idNumber: string;
  phone: string;
  address: string | null;
  email: string | null;
};

/** The loan as a claim stores it. A loan column of the claims table is a field here and in `loanColumns`. */
export type LoanTerms = ClaimAmounts & {
  contractNo: string;
  loanDate: string;
  dueDate: string;
  annualRateBp: number | null;
  guarantee: Guarantee;
  /** The debtor consented in the contract to electronic service (CPL art. 90): an SMS link then serves notices. */
  eServiceConsent: boolean;
};

/** A row that passed validation: canonical strings, money in fen, rate in basis points. */
export type NormalizedClaimRow = BorrowerFacts & LoanTerms & { overdueDays: number };

/** The claim columns a row sets: its loan terms, with the overdue days as the first overdue day. */
export type LoanColumns = LoanTerms & { overdueSince: string };

/** The claim columns of a valid row as of `asOf`, the day its overdue days were counted. */
export function loanColumns(row: NormalizedClaimRow, asOf: string): LoanColumns {
  return {
    contractNo: row.contractNo,
    loanDate: row.loanDate,
    dueDate: row.dueDate,
    principalFen: row.principalFen,
    interestFen: row.interestFen,
    penaltyFen: row.penaltyFen,
    feesFen: row.feesFen,
    annualRateBp: row.annualRateBp,
    overdueSince: addDays(asOf, -row.overdueDays),
    guarantee: row.guarantee,
    eServiceConsent: row.eServiceConsent,
  };
}

export type ClaimRowResult =
  | { ok: true; row: NormalizedClaimRow; warnings: RowIssue[] }
  | { ok: false; errors: RowIssue[] };

export const CONTRACT_NO_MAX = 64;
export const NAME_MIN = 2;
export const NAME_MAX = 30;
export const ADDRESS_MAX = 200;
/** Longest issue value shown back to the user. */
export const ISSUE_VALUE_MAX = 64;
/** Tolerance before a stated overdue-day count is reported as disagreeing with the due date (time zones, cut-off hour). */
export const OVERDUE_DAYS_TOLERANCE = 1;
/** About 100 years: a larger overdue count is a typo. */
const OVERDUE_DAYS_MAX = 36_500;

const CONTRACT_NO = /^[\p{L}\p{N}_/-]+$/u;
// Han or Latin letters in words joined by single spaces or a middle dot (ethnic-minority and foreign names).
const NAME = /^[\p{Script=Han}\p{Script=Latin}]+(?:[ ·][\p{Script=Han}\p{Script=Latin}]+)*$/u;
// IMEs write the name separator as any of these; U+00B7 is the one used on identity cards.
const NAME_DOTS = /[•・‧∙⋅．\u30fb\uff65]/g;

/** Validates one import row as of a date; returns the normalised claim with warnings, or every error found. */
export function validateClaimRow(cells: Partial<Record<ColumnKey, unknown>>, ctx: { asOf: string }): ClaimRowResult {
  if (!isValidIsoDate(ctx.asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date: ${ctx.asOf}`);
  if (Object.values(cells).every(isBlank)) {
    return { ok: false, errors: [{ column: null, code: 'row_empty', message: 'The row is empty.', value: '' }] };
  }

  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const issue = (column: ColumnKey, code: string, message: string): RowIssue => ({
    column,
    code,
    message,
    value: displayValue(column, cells[column]),
  });
  /** The value of a Checked result, or null after recording its failure (optionally under another code). */
  const take = <T>(column: ColumnKey, r: Checked<T>, code?: string): T | null => {
    if (r.ok) return r.value;
    errors.push(issue(column, code ?? r.code, r.detail));
    return null;
  };

  const contractNo = take('contract_no', checkContractNo(cells.contract_no));
  const name = take('name', checkName(cells.name));

  const id = parseIdNumber(cells.id_number, { asOf: ctx.asOf });
  const idNumber = take('id_number', id)?.idNumber ?? null;
  if (id.ok) for (const w of id.warnings ?? []) warnings.push(issue('id_number', w, ID_WARNINGS[w] ?? w));

  const phoneResult = parsePhone(cells.phone);
  const phoneInfo = take('phone', phoneResult);
  if (phoneResult.ok)
    for (const w of phoneResult.warnings ?? []) warnings.push(issue('phone', w, PHONE_WARNINGS[w] ?? w));
  if (phoneInfo?.virtualOperator) {
    warnings.push(
      issue(
        'phone',
        'phone_virtual_operator',
        'The mobile number belongs to a virtual network operator (162/165/167/170/171).',
      ),
    );
  }

  const address = take('address', cleanText(cells.address, ADDRESS_MAX));
  const email = take('email', parseEmailCell(cells.email));

  const loanDate = take('loan_date', parseDateCell(cells.loan_date));
  const dueDate = take('due_date', parseDateCell(cells.due_date));
  if (loanDate !== null && loanDate > ctx.asOf) {
    errors.push(issue('loan_date', 'loan_date_future', `The loan date lies after ${ctx.asOf}, the day of the import.`));
  }
  if (loanDate !== null && dueDate !== null && dueDate < loanDate) {
    errors.push(issue('due_date', 'due_before_loan', 'The due date is before the loan date.'));
  }

  const principalFen = take('principal', parseYuan(cells.principal));
  if (principalFen === 0)
    errors.push(issue('principal', 'principal_zero', 'The outstanding principal must be greater than 0.'));
  const interestFen = take('interest', parseYuan(cells.interest, { required: false }));
  const penaltyFen = take('penalty', parseYuan(cells.penalty, { required: false }));
  const feesFen = take('fees', parseYuan(cells.fees, { required: false }));

  const annualRateBp = take('annual_rate', parseRateCell(cells.annual_rate));

  const statedDays = take(
    'overdue_days',
    parseIntCell(cells.overdue_days, {
      code: 'days_format',
      what: 'The number of overdue days',
      max: OVERDUE_DAYS_MAX,
    }),
  );
  let overdueDays: number | null = null;
  if (dueDate !== null) {
    // The due date is the legal fact; a stated count is only a cross-check of it.
    overdueDays = Math.max(0, diffDays(dueDate, ctx.asOf));
    if (statedDays !== null && Math.abs(statedDays - overdueDays) > OVERDUE_DAYS_TOLERANCE) {
      warnings.push(
        issue(
          'overdue_days',
          'overdue_days_mismatch',
          `The file says ${statedDays} overdue days, but the due date gives ${overdueDays} as of ${ctx.asOf}; ${overdueDays} is used.`,
        ),
      );
    }
  }

  const guaranteeText = take('guarantee', cleanText(cells.guarantee, 20), 'guarantee_unknown');
  let guarantee: Guarantee | null = null;
  if (guaranteeText !== null) {
    const g = parseGuarantee(guaranteeText);
    if (g.ok) guarantee = g.value;
    else
      errors.push(
        issue(
          'guarantee',
          g.code,
          'Unknown guarantee type; expected 无, 保证, 抵押 or 质押 (or none, guarantor, mortgage, pledge).',
        ),
      );
  }

  const eServiceConsent = take(
    'e_service_consent',
    parseYesNoCell(cells.e_service_consent, {
      code: 'e_service_consent_unknown',
      what: 'The consent to electronic service (电子送达确认)',
      fallback: false,
    }),
  );

  if (
    errors.length > 0 ||
    contractNo === null ||
    name === null ||
    idNumber === null ||
    phoneInfo === null ||
    address === null ||
    loanDate === null ||
    dueDate === null ||
    principalFen === null ||
    interestFen === null ||
    penaltyFen === null ||
    feesFen === null ||
    overdueDays === null ||
    guarantee === null ||
    eServiceConsent === null
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    row: {
      contractNo,
      name,
      idNumber,
      phone: phoneInfo.phone,
      address: address === '' ? null : address,
      email,
      loanDate,
      dueDate,
      principalFen,
      interestFen,
      penaltyFen,
      feesFen,
      annualRateBp,
      overdueDays,
      guarantee,
      eServiceConsent,
    },
    warnings,
  };
}

const ID_WARNINGS: Readonly<Record<string, string>> = {
  id_unknown_region: 'The first two digits of the ID number are not a known province code; check the number.',
  id_legacy_15_upgraded: 'A 15-digit ID number was upgraded to 18 digits.',
};

const PHONE_WARNINGS: Readonly<Record<string, string>> = {
  phone_float_suffix: 'The mobile number had a ".0" suffix from a number-formatted cell; it was removed.',
};

/** Contract numbers: full-width forms folded so the same number typed two ways matches itself. */
export function checkContractNo(raw: unknown): Checked<string> {
  const text = cleanText(typeof raw === 'string' ? toHalfWidth(raw) : raw, CONTRACT_NO_MAX);
  if (!text.ok && text.code === 'text_too_long')
    return failResult('contract_no_format', `The contract number is longer than ${CONTRACT_NO_MAX} characters.`);
  if (!text.ok) return failResult('contract_no_format', contractDetail);
  if (text.value === '') return failResult('contract_no_missing', 'The contract number is empty.');
  if (!CONTRACT_NO.test(text.value)) return failResult('contract_no_format', contractDetail);
  return okResult(text.value);
}

const contractDetail = 'The contract number may contain only letters, digits, "-", "_" and "/".';

function checkName(raw: unknown): Checked<string> {
  const text = cleanText(raw, 200);
  if (text.ok && text.value === '') return failResult('name_missing', 'The borrower name is empty.');
  const s = text.ok ? text.value.replace(NAME_DOTS, '·').replace(/ ?· ?/g, '·') : '';
  const length = [...s].length;
  if (!text.ok || length < NAME_MIN || length > NAME_MAX || !NAME.test(s)) {
    return failResult(
      'name_format',
      `The borrower name must be ${NAME_MIN}-${NAME_MAX} Chinese or Latin letters, optionally joined by spaces or "·".`,
    );
  }
  return okResult(s);
}

/** The raw cell as text for an issue: ID numbers and phones masked, long values cut to ISSUE_VALUE_MAX characters. */
function displayValue(column: ColumnKey, raw: unknown): string {
  let s = stringify(raw).trim();
  if (column === 'id_number') s = maskIdNumber(s);
  else if (column === 'phone') s = maskPhone(s);
  const chars = [...s];
  return chars.length > ISSUE_VALUE_MAX ? `${chars.slice(0, ISSUE_VALUE_MAX - 1).join('')}…` : s;
}

function stringify(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.toISOString();
  return Object.prototype.toString.call(raw);
}
