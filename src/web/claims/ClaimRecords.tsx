/** The records of a claim from its detail answer: court cases, payments, measures and listings, and the art. 31 rate cap parts. */
import { Space, Table, Tag, Typography } from 'antd';
import type { operations } from '../api/client';
import { formatDate, formatRate } from '../shared/format';
import {
  CASE_KIND_LABELS,
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  MEASURE_LABELS,
  PAYMENT_SOURCE_LABELS,
  PAYMENT_STATUS_LABELS,
} from '../shared/labels';
import { Empty, Money } from '../shared/ui';
import { useMe } from '../shell/session';
import { CourtCaseActions } from './CourtCaseActions';
import { CreditRecordRemoval } from './CreditRecordRemoval';

type Detail = operations['getClaimsById']['responses'][200]['content']['application/json'];

export function ClaimCourtCases({ claimId, cases }: { claimId: number; cases: Detail['courtCases'] }) {
  const court = useMe().role === 'court';
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={cases}
      locale={{ emptyText: <Empty>还没有法院案件</Empty> }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: '案号', render: (_, c) => <span style={{ whiteSpace: 'nowrap' }}>{c.caseNo ?? '待编号'}</span> },
        { title: '类型', render: (_, c) => CASE_KIND_LABELS[c.kind] },
        {
          title: '状态',
          render: (_, c) =>
            [CASE_STATUS_LABELS[c.status], c.outcome ? CASE_OUTCOME_LABELS[c.outcome] : null].filter(Boolean).join('·'),
        },
        { title: '立案日期', render: (_, c) => formatDate(c.filedOn) },
        { title: '结案日期', render: (_, c) => formatDate(c.decidedOn) },
        { title: '理由', render: (_, c) => c.reason ?? '' },
        ...(court
          ? [
              {
                title: '操作',
                render: (_: unknown, c: Detail['courtCases'][number]) => (
                  <CourtCaseActions claimId={claimId} courtCase={c} />
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

export function ClaimPayments({ payments }: { payments: Detail['payments'] }) {
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={payments}
      locale={{ emptyText: <Empty>还没有还款记录</Empty> }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: '还款日期', render: (_, p) => formatDate(p.paidOn) },
        { title: '金额', align: 'right', render: (_, p) => <Money fen={p.amountFen} /> },
        { title: '冲抵本金', align: 'right', render: (_, p) => <Money fen={p.applied.principalFen} /> },
        { title: '冲抵利息', align: 'right', render: (_, p) => <Money fen={p.applied.interestFen} /> },
        { title: '来源', render: (_, p) => PAYMENT_SOURCE_LABELS[p.source] },
        {
          title: '状态',
          render: (_, p) => (
            <>
              {PAYMENT_STATUS_LABELS[p.status]}
              {p.overpaid ? (
                <Tag className="tag-warning">
                  多付 <Money fen={p.overpaidFen} />
                </Tag>
              ) : null}
            </>
          ),
        },
        { title: '流水号', render: (_, p) => p.reference ?? '' },
      ]}
    />
  );
}

/** A removal still outstanding past its deadline, by the Shanghai calendar day. */
const overdue = (r: Detail['creditRecords'][number]) =>
  r.removalDueOn !== null && r.removedOn === null && r.removalDueOn < formatDate(new Date().toISOString());

export function ClaimCreditRecords({ claimId, records }: { claimId: number; records: Detail['creditRecords'] }) {
  const court = useMe().role === 'court';
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={records}
      locale={{ emptyText: <Empty>没有执行措施或信用惩戒记录</Empty> }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: '措施', render: (_, r) => MEASURE_LABELS[r.kind] },
        { title: '采取日期', render: (_, r) => formatDate(r.listedOn) },
        { title: '期限届满', render: (_, r) => (r.termEndsOn ? formatDate(r.termEndsOn) : '—') },
        {
          title: '应删除期限',
          render: (_, r) => (
            <>
              {formatDate(r.removalDueOn)}
              {overdue(r) ? <Tag className="tag-warning">已逾期</Tag> : null}
            </>
          ),
        },
        { title: '删除日期', render: (_, r) => formatDate(r.removedOn) },
        { title: '说明', render: (_, r) => r.note ?? '' },
        ...(court
          ? [
              {
                title: '操作',
                render: (_: unknown, r: Detail['creditRecords'][number]) => (
                  <CreditRecordRemoval claimId={claimId} record={r} />
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

const TRANSITION_RULES = {
  old_two_lines: '原规定：年利率24%以内受保护',
  lpr_at_filing: '起诉时一年期LPR的4倍',
} as const;

/** 法释〔2020〕17号 art. 31 for a private loan formed before 2020-08-20: each part, claimed against allowed. */
export function ClaimRateTransition({ transition: t }: { transition: NonNullable<Detail['rateTransition']> }) {
  type Part = (typeof t.parts)[number];
  type Row = Omit<Part, 'rule'> & { rule: Part['rule'] | null };
  const total: Row = {
    rule: null,
    from: '',
    to: '',
    days: t.parts.reduce((d, p) => d + p.days, 0),
    capBp: 0,
    chargesFen: t.chargesFen,
    allowedFen: t.allowedFen,
    aboveCapFen: t.aboveCapFen,
  };
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Paragraph style={{ margin: 0 }}>
        借款发生于2020年8月20日之前（法释〔2020〕17号第三十一条）：2020年8月19日以前的利息按原规定计算，年利率超过24%的部分不予支持
        {t.aboveVoidLine ? '（本案合同年利率超过36%，超过部分无效）' : ''}；2020年8月20日起的利息按起诉时（
        {formatDate(t.filedOn)}）一年期LPR {formatRate(t.lpr.lpr1yBp)}（{formatDate(t.lpr.publishDate)}
        发布）的4倍即 {formatRate(t.parts[1]!.capBp)} 计算。合同年利率 {formatRate(t.annualRateBp)}。
      </Typography.Paragraph>
      <Table<Row>
        rowKey={(p) => p.rule ?? 'total'}
        size="small"
        pagination={false}
        dataSource={[...t.parts, total]}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '期间', render: (_, p) => (p.rule ? `${formatDate(p.from)} 至 ${formatDate(p.to)}` : '合计') },
          { title: '计算规则', render: (_, p) => (p.rule ? TRANSITION_RULES[p.rule] : '') },
          { title: '天数', align: 'right', render: (_, p) => p.days },
          { title: '上限年利率', align: 'right', render: (_, p) => (p.rule ? formatRate(p.capBp) : '') },
          { title: '主张的利息、罚息和费用', align: 'right', render: (_, p) => <Money fen={p.chargesFen} /> },
          { title: '可支持', align: 'right', render: (_, p) => <Money fen={p.allowedFen} /> },
          { title: '超过上限（不予主张）', align: 'right', render: (_, p) => <Money fen={p.aboveCapFen} /> },
        ]}
      />
    </Space>
  );
}
