/** The records a claim's later stages made, from its detail answer: court cases, payments, measures and listings. */
import { Table, Tag } from 'antd';
import type { operations } from '../api/client';
import { formatDate } from '../shared/format';
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
