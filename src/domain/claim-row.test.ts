import { describe, expect, it } from 'vitest';
import type { ColumnKey } from './batch-columns.js';
import { type ClaimRowResult, validateClaimRow } from './claim-row.js';

const ctx = { asOf: '2025-03-01' };

const base: Partial<Record<ColumnKey, unknown>> = {
  contract_no: 'JK-2024/001',
  name: '张三',
  id_number: '360426199101010071',
  phone: '138 0013 8000',
  address: '福建省泉州市鲤城区中山路1号',
  email: 'zhang@qq.com',
  loan_date: '2024/1/5',
  due_date: 45474, // 2024-07-01
  principal: '¥10,000.00',
  interest: 1234.56,
  penalty: '100',
  fees: '',
  annual_rate: '23.5%',
  overdue_days: '',
  guarantee: '抵押',
};

function row(patch: Partial<Record<ColumnKey, unknown>>): ClaimRowResult {
  return validateClaimRow({ ...base, ...patch }, ctx);
}

function codes(r: ClaimRowResult): string[] {
  return r.ok ? [] : r.errors.map((e) => e.code);
}

describe('validateClaimRow: a valid row', () => {
  it('normalises every column', () => {
    const r = row({});
    expect(r).toEqual({
      ok: true,
      warnings: [],
      row: {
        contractNo: 'JK-2024/001',
        name: '张三',
        idNumber: '360426199101010071',
        phone: '13800138000',
        address: '福建省泉州市鲤城区中山路1号',
        email: 'zhang@qq.com',
        loanDate: '2024-01-05',
        dueDate: '2024-07-01',
        principalFen: 1_000_000,
        interestFen: 123_456,
        penaltyFen: 10_000,
        feesFen: 0,
        annualRateBp: 2350,
        overdueDays: 243,
        guarantee: 'mortgage',
        eServiceConsent: false,
      },
    });
  });

  it('defaults the optional columns', () => {
    const r = validateClaimRow(
      {
        contract_no: 'A1',
        name: 'John Smith',
        id_number: '11010519491231002x',
        phone: '13912345678',
        loan_date: '2024-01-01',
        due_date: '2025-06-01',
        principal: 500,
      },
      ctx,
    );
    expect(r.ok && r.row).toMatchObject({
      address: null,
      email: null,
      interestFen: 0,
      penaltyFen: 0,
      feesFen: 0,
      annualRateBp: null,
      overdueDays: 0, // not yet due
      guarantee: 'none',
      idNumber: '11010519491231002X',
    });
  });

  it('folds full-width contract numbers and middle-dot variants in names', () => {
    const r = row({ contract_no: 'ＪＫ－００１', name: '阿卜杜拉•买买提' });
    expect(r.ok && r.row.contractNo).toBe('JK-001');
    expect(r.ok && r.row.name).toBe('阿卜杜拉·买买提');
    expect(row({ contract_no: '借字第001号' }).ok).toBe(true);
  });
});

describe('validateClaimRow: errors', () => {
  it('reports every bad column at once', () => {
    const r = row({
      contract_no: 'JK 001',
      name: '张',
      id_number: '340524198001010013',
      phone: '12345678901',
      email: 'zhang@',
      loan_date: '2024-02-30',
      principal: 0,
      interest: -5,
      annual_rate: 'abc',
      overdue_days: 'x',
      guarantee: '房产',
    });
    expect(codes(r)).toEqual([
      'contract_no_format',
      'name_format',
      'id_checksum',
      'phone_format',
      'email_format',
      'date_invalid',
      'principal_zero',
      'amount_negative',
      'rate_format',
      'days_format',
      'guarantee_unknown',
    ]);
    expect(!r.ok && r.errors.find((e) => e.code === 'date_invalid')?.column).toBe('loan_date');
  });

  it('reports missing required values', () => {
    const r = row({
      contract_no: '',
      name: ' ',
      id_number: null,
      phone: undefined,
      loan_date: '',
      due_date: '',
      principal: '',
    });
    expect(codes(r)).toEqual([
      'contract_no_missing',
      'name_missing',
      'id_missing',
      'phone_missing',
      'date_missing',
      'date_missing',
      'amount_missing',
    ]);
  });

  it('never imports ID numbers damaged by Excel, and masks them in the issue', () => {
    const sci = row({ id_number: '3.50502E+17' });
    expect(codes(sci)).toEqual(['id_excel_scientific']);
    // 350502199001011234 as a number: the nearest double, as a spreadsheet cell holds it.
    const num = row({ id_number: 350502199001011260 });
    expect(codes(num)).toEqual(['id_excel_truncated']);
    expect(!num.ok && num.errors[0]?.value).toMatch(/^350502\*{10}\d{2}$/);
    const padded = row({ id_number: '350502199001011000' });
    expect(codes(padded)).toEqual(['id_excel_truncated']);
  });

  it('masks phone numbers in issues and truncates long values to 64 characters', () => {
    const phone = row({ phone: '1380013800' });
    expect(!phone.ok && phone.errors[0]?.value).toBe('138***3800');
    const addr = row({ address: '泉'.repeat(250) });
    expect(codes(addr)).toEqual(['text_too_long']);
    const value = !addr.ok ? (addr.errors[0]?.value ?? '') : '';
    expect([...value]).toHaveLength(64);
    expect(value.endsWith('…')).toBe(true);
  });

  it('rejects a due date before the loan date, on the due_date column', () => {
    const r = row({ loan_date: '2024-03-01', due_date: '2024-02-28' });
    expect(!r.ok && r.errors).toEqual([
      {
        column: 'due_date',
        code: 'due_before_loan',
        message: 'The due date is before the loan date.',
        value: '2024-02-28',
      },
    ]);
  });

  it('rejects a loan date in the future', () => {
    expect(codes(row({ loan_date: '2025-03-02', due_date: '2025-09-01' }))).toEqual(['loan_date_future']);
    expect(row({ loan_date: '2025-03-01', due_date: '2025-09-01' }).ok).toBe(true);
  });

  it('marks an all-blank row as row_empty', () => {
    const blank = { contract_no: '', name: '  ', id_number: null, phone: undefined, principal: '\u3000' };
    expect(validateClaimRow(blank, ctx)).toEqual({
      ok: false,
      errors: [{ column: null, code: 'row_empty', message: 'The row is empty.', value: '' }],
    });
    expect(codes(validateClaimRow({}, ctx))).toEqual(['row_empty']);
  });
});

describe('validateClaimRow: overdue days', () => {
  it('computes the days from the due date when absent', () => {
    const r = row({ due_date: '2025-02-01' });
    expect(r.ok && r.row.overdueDays).toBe(28);
  });

  it('accepts a stated count within one day of the due date', () => {
    const r = row({ due_date: '2025-02-01', overdue_days: 29 });
    expect(r.ok && r.row.overdueDays).toBe(28);
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('uses the due date and warns when the stated count disagrees', () => {
    const r = row({ due_date: '2025-02-01', overdue_days: '90' });
    expect(r.ok && r.row.overdueDays).toBe(28);
    expect(r.ok && r.warnings).toEqual([
      {
        column: 'overdue_days',
        code: 'overdue_days_mismatch',
        message: 'The file says 90 overdue days, but the due date gives 28 as of 2025-03-01; 28 is used.',
        value: '90',
      },
    ]);
  });
});

describe('validateClaimRow: warnings', () => {
  it('passes on ID and phone warnings without blocking the row', () => {
    const r = row({ id_number: '990426199112010074', phone: '17012345678' });
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings.map((w) => [w.column, w.code, w.value])).toEqual([
      ['id_number', 'id_unknown_region', '990426**********74'],
      ['phone', 'phone_virtual_operator', '170****5678'],
    ]);
  });
});

describe('validateClaimRow: e_service_consent (电子送达确认)', () => {
  it('reads 是/否/yes/no in any case and width, blank as 否', () => {
    for (const [cell, value] of [
      ['是', true],
      ['否', false],
      ['yes', true],
      ['YES', true],
      ['ｎｏ', false],
      [' No ', false],
      ['', false],
      [null, false],
    ] as const) {
      const r = row({ e_service_consent: cell });
      expect(r.ok && r.row.eServiceConsent, String(cell)).toBe(value);
    }
  });

  it('refuses any other value, naming it', () => {
    for (const cell of ['同意', 'y', '1', 'true', 1]) {
      const r = row({ e_service_consent: cell });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.errors).toEqual([
        {
          column: 'e_service_consent',
          code: 'e_service_consent_unknown',
          message: `The consent to electronic service (电子送达确认) must be 是, 否, yes or no (blank means 否); the cell says ${JSON.stringify(String(cell))}.`,
          value: String(cell),
        },
      ]);
    }
  });
});
