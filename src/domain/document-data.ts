/**
 * The data a document template fills in: its shape per kind (what a template may use, with Chinese
 * labels for error messages) and how it is built from the facts gathered for a claim. Amounts come
 * in figures and in capitals, dates in Chinese form, the ID number masked unless the kind is a court
 * filing or an agreement.
 */

import { chineseDate, chineseDateUpper } from './chinese-date.js';
import { claimedFen, totalFen } from './claim-amounts.js';
import { diffDays } from './dates.js';
import { type DataSection, type DocumentKind, KIND_RULES } from './document-kinds.js';
import { maskIdNumber } from './id-number.js';
import { formatYuan, rmbCapitals } from './money.js';
import { maskPhone } from './phone.js';

/** One field of the data: a value, a group of fields, or a list of items with fields. */
export interface FieldSpec {
  label: string;
  /** The value may be absent; a template that prints it outside `{{#if}}` fails for a claim without it. */
  nullable?: boolean;
  fields?: SpecFields;
  list?: SpecFields;
}
export type SpecFields = Readonly<Record<string, FieldSpec>>;

const text = (label: string, nullable = false): FieldSpec => (nullable ? { label, nullable } : { label });
const money = (label: string): FieldSpec => ({
  label,
  fields: { yuan: text(`${label}（小写，元）`), capitals: text(`${label}（大写）`) },
});
const date = (label: string, nullable = false): FieldSpec => ({
  label,
  ...(nullable ? { nullable } : {}),
  fields: { cn: text(`${label}（如2026年11月20日）`), upper: text(`${label}（如二〇二六年十一月二十日）`) },
});

const COMMON: SpecFields = {
  doc: {
    label: '文书',
    fields: {
      title: text('文书名称'),
      docNo: text('文书编号'),
      verifyCode: text('核验码'),
      verifyUrl: text('核验网址'),
      date: date('出具日期'),
      version: text('文书版本'),
    },
  },
  issuer: { label: '出具单位', fields: { name: text('出具单位名称') } },
  creditor: { label: '债权人', fields: { name: text('债权人名称'), creditCode: text('债权人统一社会信用代码', true) } },
  debtor: {
    label: '债务人',
    fields: {
      name: text('债务人姓名'),
      idNumberMasked: text('债务人身份证号（部分隐藏）'),
      phoneMasked: text('债务人手机号（部分隐藏）', true),
    },
  },
  claim: {
    label: '借款',
    fields: {
      contractNo: text('借款合同编号'),
      loanDate: date('借款日期'),
      dueDate: date('到期日'),
      overdueSince: date('逾期起始日'),
      overdueDays: text('逾期天数'),
      annualRate: text('合同年利率', true),
    },
  },
  amounts: {
    label: '金额',
    fields: {
      principal: money('本金'),
      interest: money('利息'),
      penalty: money('罚息'),
      fees: money('费用'),
      total: money('合同约定欠款合计'),
      // Absent when nothing is above the cap, so templates mention it under {{#if amounts.aboveCap}}.
      aboveCap: { ...money('超过法定利率上限、不予主张的部分'), nullable: true },
      claimed: money('主张金额'),
    },
  },
};

const FULL_IDENTITY: SpecFields = { idNumber: text('债务人身份证号'), address: text('债务人住址', true) };

const SECTIONS: Record<DataSection, SpecFields> = {
  mediation: { mediation: { label: '调解组织', fields: { name: text('调解组织名称') } } },
  court: { court: { label: '人民法院', fields: { name: text('人民法院名称') } } },
  portal: { portal: { label: '调解平台', fields: { url: text('调解平台链接'), accessCode: text('访问码') } } },
  settlement: {
    settlement: {
      label: '调解方案',
      fields: {
        total: money('调解确认的还款总额'),
        owed: money('各合同欠款合计'),
        reduction: money('减免金额'),
        agreedOn: date('达成协议日期', true),
        instalmentCount: text('还款期数'),
        contractCount: text('合同份数'),
      },
    },
    instalments: {
      label: '还款计划',
      list: { seq: text('期次'), dueDate: date('还款日'), amount: money('本期应还金额') },
    },
    // Every contract the settlement covers, with its own figures (issue 15 item 3).
    contracts: {
      label: '调解涉及的借款合同',
      list: {
        contractNo: text('合同编号'),
        loanDate: date('借款日期'),
        principal: money('本金'),
        interest: money('利息'),
        penalty: money('罚息'),
        fees: money('费用'),
        aboveCap: money('超过法定利率上限、不予主张的部分'),
        owed: money('该合同欠款'),
        share: money('该合同调解金额'),
        waiver: money('该合同减免金额'),
        instalments: {
          label: '该合同各期还款',
          list: { seq: text('期次'), dueDate: date('还款日'), amount: money('该合同本期应还金额') },
        },
      },
    },
  },
  basis: {
    basis: {
      label: '执行依据',
      fields: { caseNo: text('执行依据案号', true), decidedOn: date('执行依据生效日期', true) },
    },
  },
};

/** Everything a template of `kind` may use. */
export function dataSpec(kind: DocumentKind): SpecFields {
  const rules = KIND_RULES[kind];
  const debtor = COMMON.debtor!;
  const spec: Record<string, FieldSpec> = {
    ...COMMON,
    debtor: rules.fullIdentity ? { ...debtor, fields: { ...debtor.fields, ...FULL_IDENTITY } } : debtor,
  };
  for (const section of rules.sections) Object.assign(spec, SECTIONS[section]);
  return spec;
}

/** What was read about a claim, before any formatting; null where the database has nothing. */
export interface DocumentFacts {
  claim: {
    contractNo: string;
    loanDate: string;
    dueDate: string;
    overdueSince: string;
    principalFen: number;
    interestFen: number;
    penaltyFen: number;
    feesFen: number;
    aboveCapFen: number;
    annualRateBp: number | null;
  };
  issuer: { name: string };
  creditor: { name: string; creditCode: string | null };
  debtor: { name: string; idNumber: string; phone: string | null; address: string | null };
  mediation: { name: string } | null;
  court: { name: string } | null;
  settlement: {
    totalFen: number;
    agreedOn: string | null;
    instalments: { seq: number; dueDate: string; amountFen: number }[];
    /** Each contract the settlement covers, with its allocation (domain/settlement-allocation.ts). */
    contracts: SettledContract[];
  } | null;
  basis: { caseNo: string | null; decidedOn: string | null } | null;
}

/** A contract of a settlement: its amounts, what it is owed, its share, its waiver and its part of each instalment. */
export interface SettledContract {
  contractNo: string;
  loanDate: string;
  principalFen: number;
  interestFen: number;
  penaltyFen: number;
  feesFen: number;
  aboveCapFen: number;
  owedFen: number;
  shareFen: number;
  waivedFen: number;
  /** In the order of the settlement's instalments. */
  instalmentsFen: number[];
}

/** What identifies this issue of the document. */
export interface DocumentStamp {
  docNo: string;
  verifyCode: string;
  verifyUrl: string;
  /** Issue date, YYYY-MM-DD in Asia/Shanghai. */
  issuedOn: string;
  version: number;
  /** Mediation notices: the portal link and the access code printed on it. */
  portal: { url: string; accessCode: string } | null;
}

export type DocumentData = Record<string, unknown>;

const moneyData = (fen: number) => ({ yuan: formatYuan(fen), capitals: rmbCapitals(fen) });
const dateData = (iso: string) => ({ cn: chineseDate(iso), upper: chineseDateUpper(iso) });
const percent = (bp: number) => `${(bp / 100).toFixed(2)}%`;

/**
 * Values are printed into a line-based document text (see document-text.ts): line breaks, the
 * table cell separator and the directive sign are replaced so that no value can change its structure.
 */
export function sanitiseValue(s: string): string {
  return s
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replaceAll('|', '｜')
    .replaceAll('@', '＠')
    .trim();
}

function sanitiseAll(v: unknown): unknown {
  if (typeof v === 'string') return sanitiseValue(v);
  if (Array.isArray(v)) return v.map(sanitiseAll);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sanitiseAll(x)]));
  return v;
}

/**
 * The data for `kind` from the facts: only the fields the kind's spec has (a demand letter never sees
 * the full ID number), sections the kind does not use left out.
 */
export function buildDocumentData(kind: DocumentKind, facts: DocumentFacts, stamp: DocumentStamp): DocumentData {
  const rules = KIND_RULES[kind];
  const c = facts.claim;
  const total = totalFen(c);
  const data: DocumentData = {
    doc: {
      title: rules.title,
      docNo: stamp.docNo,
      verifyCode: stamp.verifyCode,
      verifyUrl: stamp.verifyUrl,
      date: dateData(stamp.issuedOn),
      version: stamp.version,
    },
    issuer: { name: facts.issuer.name },
    creditor: { name: facts.creditor.name, creditCode: facts.creditor.creditCode },
    debtor: {
      name: facts.debtor.name,
      idNumberMasked: maskIdNumber(facts.debtor.idNumber),
      phoneMasked: facts.debtor.phone ? maskPhone(facts.debtor.phone) : null,
      ...(rules.fullIdentity ? { idNumber: facts.debtor.idNumber, address: facts.debtor.address } : {}),
    },
    claim: {
      contractNo: c.contractNo,
      loanDate: dateData(c.loanDate),
      dueDate: dateData(c.dueDate),
      overdueSince: dateData(c.overdueSince),
      overdueDays: Math.max(0, diffDays(c.overdueSince, stamp.issuedOn)),
      annualRate: c.annualRateBp === null ? null : percent(c.annualRateBp),
    },
    amounts: {
      principal: moneyData(c.principalFen),
      interest: moneyData(c.interestFen),
      penalty: moneyData(c.penaltyFen),
      fees: moneyData(c.feesFen),
      total: moneyData(total),
      aboveCap: c.aboveCapFen > 0 ? moneyData(c.aboveCapFen) : null,
      claimed: moneyData(claimedFen(c)),
    },
  };
  for (const section of rules.sections) {
    if (section === 'mediation') data.mediation = facts.mediation;
    if (section === 'court') data.court = facts.court;
    if (section === 'portal') data.portal = stamp.portal;
    if (section === 'basis')
      data.basis = facts.basis
        ? { caseNo: facts.basis.caseNo, decidedOn: facts.basis.decidedOn ? dateData(facts.basis.decidedOn) : null }
        : { caseNo: null, decidedOn: null };
    if (section === 'settlement') {
      const s = facts.settlement;
      const contracts = s?.contracts ?? [];
      const sum = (f: (x: SettledContract) => number) => contracts.reduce((n, x) => n + f(x), 0);
      // The whole settlement: what all its contracts owe and what is waived of them, not one claim's.
      data.settlement = s && {
        total: moneyData(s.totalFen),
        owed: moneyData(sum((x) => x.owedFen)),
        reduction: moneyData(sum((x) => x.waivedFen)),
        agreedOn: s.agreedOn ? dateData(s.agreedOn) : null,
        instalmentCount: s.instalments.length,
        contractCount: contracts.length,
      };
      data.instalments = (s?.instalments ?? []).map((i) => ({
        seq: i.seq,
        dueDate: dateData(i.dueDate),
        amount: moneyData(i.amountFen),
      }));
      data.contracts = contracts.map((x) => ({
        contractNo: x.contractNo,
        loanDate: dateData(x.loanDate),
        principal: moneyData(x.principalFen),
        interest: moneyData(x.interestFen),
        penalty: moneyData(x.penaltyFen),
        fees: moneyData(x.feesFen),
        aboveCap: moneyData(x.aboveCapFen),
        owed: moneyData(x.owedFen),
        share: moneyData(x.shareFen),
        waiver: moneyData(x.waivedFen),
        instalments: (s?.instalments ?? []).map((i, j) => ({
          seq: i.seq,
          dueDate: dateData(i.dueDate),
          amount: moneyData(x.instalmentsFen[j] ?? 0),
        })),
      }));
    }
  }
  return sanitiseAll(data) as DocumentData;
}

/** Data with every field filled with its label, for checking a template without a claim. */
export function sampleData(spec: SpecFields): DocumentData {
  const fill = (fields: SpecFields): DocumentData =>
    Object.fromEntries(
      Object.entries(fields).map(([k, f]) => [
        k,
        f.fields ? fill(f.fields) : f.list ? [fill(f.list), fill(f.list)] : `〔${f.label}〕`,
      ]),
    );
  return fill(spec);
}
