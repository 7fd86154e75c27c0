import { describe, expect, it } from 'vitest';
import { buildDocumentData, type DocumentFacts, sanitiseValue } from './document-data.js';
import { findCourtWording, isCourtDocument } from './document-kinds.js';
import { docNoPrefix, formatDocNo, serialOf } from './document-number.js';
import { parseDocumentText } from './document-text.js';

describe('document text', () => {
  it('parses directives, continuation lines, tables and the signature', () => {
    const r = parseDocumentText(
      [
        '@title 催告函',
        '@right 编号：X-1',
        '@to 王伟：',
        '@p 第一行',
        '  接着第二行',
        '',
        '新段落',
        '@table 项目 | 金额',
        '@row 本金 | 1,000.00',
        '@sign',
        '某公司',
        '2026年11月20日',
        '@@ 不是指令',
      ].join('\n'),
    );
    expect(r).toEqual({
      ok: true,
      blocks: [
        { type: 'title', text: '催告函' },
        { type: 'right', text: '编号：X-1' },
        { type: 'to', text: '王伟：' },
        { type: 'paragraph', text: '第一行接着第二行' },
        { type: 'paragraph', text: '新段落' },
        { type: 'table', header: ['项目', '金额'], rows: [['本金', '1,000.00']] },
        { type: 'sign', lines: ['某公司', '2026年11月20日', '@ 不是指令'] },
      ],
    });
  });

  it('keeps a space between Latin words broken over two lines', () => {
    const r = parseDocumentText('@title T\n@p see\nhttp://x\n@sign\nA');
    expect(r.ok && r.blocks[1]).toEqual({ type: 'paragraph', text: 'see http://x' });
  });

  it('names the line of an unknown directive, a stray row and a row of the wrong width', () => {
    const r = parseDocumentText('@title T\n@row a | b\n@table x | y\n@row 1\n@bogus z\n@sign\nA');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.line)).toEqual([2, 4, 5]);
    expect(r.problems[2]!.message).toContain('unknown directive @bogus');
  });

  it('requires exactly one title and a signature block', () => {
    const r = parseDocumentText('@p text');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.message)).toEqual([
        'the document has no @title line',
        'the document has no @sign block (issuer and date)',
      ]);
  });
});

describe('document numbers', () => {
  it('counts per organisation, kind and year with zero-padded serials', () => {
    const prefix = docNoPrefix('闽0502', 'mediation_notice', 2026);
    expect(formatDocNo(prefix, 123)).toBe('闽0502-调通-2026-000123');
    expect(serialOf('闽0502-调通-2026-000123', prefix)).toBe(123);
    expect(serialOf('闽0502-调通-2025-000123', prefix)).toBe(0);
    expect(() => formatDocNo(prefix, 1_000_000)).toThrow(RangeError);
  });
});

describe('document kinds', () => {
  it('classes the filings with a court as court documents, and finds court wording', () => {
    expect(['complaint', 'judicial_confirmation_application', 'enforcement_application'].every(isCourtDocument)).toBe(
      true,
    );
    expect(isCourtDocument('demand_letter')).toBe(false);
    expect(findCourtWording('请于三日内到庭，否则将凭传票拘传')).toEqual({ word: '传票', index: 12 });
    expect(findCourtWording('我司将依法向人民法院提起诉讼')).toBeNull();
  });
});

describe('document data', () => {
  const facts: DocumentFacts = {
    claim: {
      contractNo: 'HT-1',
      loanDate: '2024-03-15',
      dueDate: '2025-03-15',
      overdueSince: '2025-03-16',
      principalFen: 1_025_005,
      interestFen: 100_000,
      penaltyFen: 0,
      feesFen: 0,
      aboveCapFen: 20_000,
      annualRateBp: 2350,
    },
    issuer: { name: '某公司' },
    creditor: { name: '某公司', creditCode: null },
    debtor: { name: '王|伟\n@title', idNumber: '35050219900101123X', phone: '13812345678', address: '福建省泉州市' },
    mediation: null,
    court: null,
    settlement: null,
    basis: null,
  };
  const stamp = {
    docNo: 'X-1',
    verifyCode: 'ABCDE12345',
    verifyUrl: 'http://h/verify/ABCDE12345',
    issuedOn: '2026-11-20',
    version: 1,
    portal: null,
  };

  it('writes amounts in figures and capitals, leaves out the part above the cap, and masks the ID number of a letter', () => {
    const data = buildDocumentData('demand_letter', facts, stamp) as Record<string, Record<string, unknown>>;
    expect(data.amounts!.claimed).toEqual({ yuan: '11,050.05', capitals: '人民币壹万壹仟零伍拾元零伍分' });
    expect(data.amounts!.aboveCap).toEqual({ yuan: '200.00', capitals: '人民币贰佰元整' });
    expect(data.debtor).toEqual({
      name: '王｜伟 ＠title',
      idNumberMasked: '350502**********3X',
      phoneMasked: '138****5678',
    });
    expect(data.doc!.date).toEqual({ cn: '2026年11月20日', upper: '二〇二六年十一月二十日' });
  });

  it('gives the full ID number and address only to filings and agreements', () => {
    const data = buildDocumentData('complaint', facts, stamp) as Record<string, Record<string, unknown>>;
    expect(data.debtor!.idNumber).toBe('35050219900101123X');
    expect(data.debtor!.address).toBe('福建省泉州市');
  });

  it('replaces what could change the structure of a document line', () => {
    expect(sanitiseValue(' a\r\nb|c@d\t ')).toBe('a b｜c＠d');
  });
});
