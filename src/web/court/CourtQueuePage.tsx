/**
 * 法院待办 at /court: the clerk's queues (confirmations to decide, court mediations, filings, judgments
 * awaiting performance, enforcement, repair requests), each soonest deadline first and filterable by
 * batch, class and name or contract, with one action run over a selection.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, Select, Space, Table, Tabs } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Claim } from '../api/client';
import { type ClaimFilters, useClaimPages } from '../claims/useClaimPages';
import { formatCount, formatDate } from '../shared/format';
import { LOAN_CLASS_LABELS, optionsOf, STAGE_LABELS, STATUS_LABELS } from '../shared/labels';
import { Empty, ErrorAlert, Money, PageTitle } from '../shared/ui';
import { BatchAction } from './BatchAction';

type Filters = Pick<ClaimFilters, 'stage' | 'status'>;
type Narrowing = Pick<ClaimFilters, 'batchId' | 'loanClass' | 'q'>;
const QUEUES: { key: string; label: string; filters: Filters }[] = [
  { key: 'confirm', label: '待司法确认', filters: { status: 'confirmation_applied' } },
  { key: 'court-mediation', label: '诉前调解', filters: { stage: 'court_mediation' } },
  { key: 'filed', label: '已立案待判决', filters: { stage: 'litigation', status: 'filed' } },
  { key: 'performance', label: '判决履行期', filters: { stage: 'litigation', status: 'judged' } },
  { key: 'enforcement', label: '强制执行', filters: { stage: 'enforcement' } },
  { key: 'repair', label: '信用修复', filters: { stage: 'credit_repair' } },
];

/** The filters that narrow a queue: batch, five-tier class, contract number or debtor name. */
function NarrowForm({ onChange }: { onChange: (n: Narrowing) => void }) {
  return (
    <Form<Narrowing>
      layout="inline"
      onFinish={(v) =>
        onChange({
          ...(v.batchId ? { batchId: v.batchId } : {}),
          ...(v.loanClass ? { loanClass: v.loanClass } : {}),
          ...(v.q?.trim() ? { q: v.q.trim() } : {}),
        })
      }
    >
      <Form.Item label="批次号" name="batchId">
        <InputNumber min={1} precision={0} style={{ width: 100 }} />
      </Form.Item>
      <Form.Item label="五级分类" name="loanClass">
        <Select allowClear options={optionsOf(LOAN_CLASS_LABELS)} style={{ width: 110 }} placeholder="全部" />
      </Form.Item>
      <Form.Item label="合同编号或姓名" name="q">
        <Input maxLength={64} style={{ width: 180 }} />
      </Form.Item>
      <Button htmlType="submit">筛选</Button>
    </Form>
  );
}

function Queue({ filters }: { filters: Filters }) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Claim[]>([]);
  const [narrowing, setNarrowing] = useState<Narrowing>({});
  const { claims, rows } = useClaimPages({ ...filters, ...narrowing, sort: 'deadline' });
  const done = () => {
    setSelected([]);
    void queryClient.invalidateQueries({ queryKey: ['claims'] });
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <NarrowForm onChange={setNarrowing} />
      <ErrorAlert error={claims.error} />
      <BatchAction selected={selected} onDone={done} />
      <Table<Claim>
        rowKey="id"
        size="small"
        loading={claims.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty>此队列中没有案件</Empty> }}
        rowSelection={{
          selectedRowKeys: selected.map((c) => c.id),
          onChange: (_, picked) => setSelected(picked),
          getCheckboxProps: (c) => ({ 'aria-label': `选择 ${c.contractNo}` }),
        }}
        columns={[
          { title: '合同编号', render: (_, c) => <Link to={`/claims/${c.id}`}>{c.contractNo}</Link> },
          { title: '借款人', render: (_, c) => c.debtor.name },
          { title: '债权人', render: (_, c) => c.creditor.name },
          { title: '阶段', render: (_, c) => `${STAGE_LABELS[c.stage]}·${STATUS_LABELS[c.status]}` },
          { title: '合计金额', align: 'right', render: (_, c) => <Money fen={c.amounts.totalFen} /> },
          { title: '本阶段期限', render: (_, c) => formatDate(c.stageDeadline) },
        ]}
      />
      <Space>
        <span>已加载 {formatCount(rows.length)} 件</span>
        {claims.hasNextPage ? (
          <Button onClick={() => void claims.fetchNextPage()} loading={claims.isFetchingNextPage}>
            加载更多
          </Button>
        ) : null}
      </Space>
    </Space>
  );
}

export default function CourtQueuePage() {
  return (
    <>
      <PageTitle>法院待办</PageTitle>
      <Tabs
        destroyOnHidden
        items={QUEUES.map((q) => ({ key: q.key, label: q.label, children: <Queue filters={q.filters} /> }))}
      />
    </>
  );
}
