import { describe, expect, it } from 'vitest';
import { CLAIM_COLUMNS, columnLabel, mapHeader, REQUIRED_COLUMNS } from './batch-columns.js';

const CHINESE = CLAIM_COLUMNS.map((c) => c.header);

describe('CLAIM_COLUMNS', () => {
  it('has 16 columns, 7 of them required', () => {
    expect(CLAIM_COLUMNS).toHaveLength(16);
    expect(REQUIRED_COLUMNS).toEqual([
      'contract_no',
      'name',
      'id_number',
      'phone',
      'loan_date',
      'due_date',
      'principal',
    ]);
  });

  it('labels a column in both languages', () => {
    expect(columnLabel('id_number')).toBe('身份证号 (id_number)');
  });
});

describe('mapHeader', () => {
  it('maps the Chinese template header in order', () => {
    const r = mapHeader(CHINESE);
    expect(r).toEqual({ ok: true, columns: CLAIM_COLUMNS.map((c) => c.key), extra: [] });
  });

  it('matches English keys case-insensitively and in any order', () => {
    const r = mapHeader(['PHONE', 'Name', 'id_number', 'Contract_No', 'loan_date', 'DUE_DATE', 'principal']);
    expect(r.ok && r.columns).toEqual([
      'phone',
      'name',
      'id_number',
      'contract_no',
      'loan_date',
      'due_date',
      'principal',
    ]);
  });

  it('ignores a BOM, full-width and ordinary spaces and "*" marks', () => {
    const r = mapHeader([
      '\ufeff合同编号*',
      '\u3000借款人姓名 ＊',
      ' 身份证号 ',
      '*手机号',
      '借款日期',
      '到期日期',
      '欠款本金',
    ]);
    expect(r.ok && r.columns).toEqual([
      'contract_no',
      'name',
      'id_number',
      'phone',
      'loan_date',
      'due_date',
      'principal',
    ]);
  });

  it('reports unknown headers as extra and leaves blank cells unmapped', () => {
    const r = mapHeader([...CHINESE.slice(0, 9), '备注', null, '']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.extra).toEqual(['备注']);
    expect(r.columns.slice(9)).toEqual([null, null, null]);
  });

  it('names the missing columns in Chinese and English', () => {
    const r = mapHeader(CHINESE.filter((h) => h !== '身份证号' && h !== '手机号'));
    expect(r).toMatchObject({ ok: false, code: 'missing_columns', missing: ['id_number', 'phone'] });
    expect(!r.ok && r.detail).toBe('The file lacks required columns: 身份证号 (id_number), 手机号 (phone).');
  });

  it('hints at the character set when no required header matched', () => {
    const r = mapHeader(['ºÏÍ¬±àºÅ', 'Ãû×Ö']);
    expect(r).toMatchObject({ ok: false, code: 'missing_columns' });
    expect(!r.ok && r.missing).toHaveLength(REQUIRED_COLUMNS.length);
    expect(!r.ok && r.detail).toMatch(/GBK instead of UTF-8/);
  });

  it('gives no character-set hint when only some columns are missing', () => {
    const r = mapHeader(['合同编号']);
    expect(!r.ok && r.detail).not.toMatch(/GBK/);
  });

  it('rejects a column given twice, in either language', () => {
    const r = mapHeader([...CHINESE, 'phone']);
    expect(r).toMatchObject({ ok: false, code: 'duplicate_columns', missing: [] });
    expect(!r.ok && r.detail).toContain('手机号 (phone)');
  });

  it('rejects an empty header row', () => {
    expect(mapHeader([])).toMatchObject({ ok: false, code: 'empty_header' });
    expect(mapHeader(['', null, '\u3000'])).toMatchObject({ ok: false, code: 'empty_header' });
  });
});
