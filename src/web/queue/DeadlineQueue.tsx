/**
 * A queue of claims soonest deadline first, one debtor's claims together (after the one due first),
 * narrowed by batch, five-tier class and name or contract, with one action run over a selection as a
 * job: the clerk's queues and the mediator's workspace.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Claim } from '../api/client';
import { type ClaimFilters, useClaimPages } from '../claims/useClaimPages';
import { BatchAction } from '../court/BatchAction';
import { formatCount, formatDate } from '../shared/format';
import { LOAN_CLASS_LABELS, optionsOf, STAGE_LABELS, STATUS_LABELS } from '../shared/labels';
import { Empty, ErrorAlert, Money } from '../shared/ui';

/** The claims in deadline order, each debtor's claims moved up beside the first of them. */
export function byDebtor(rows: readonly Claim[]): Claim[] {
  const groups = new Map<number, Claim[]>();
  for (const c of rows) groups.set(c.debtor.id, [...(groups.get(c.debtor.id) ?? []), c]);
  return [...groups.values()].flat();
}

export type QueueFilters = Pick<ClaimFilters, 'stage' | 'status'>;
type Narrowing = Pick<ClaimFilters, 'batchId' | 'loanClass' | 'q'>;

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

export function DeadlineQueue({ filters }: { filters: QueueFilters }) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Claim[]>([]);
  const [narrowing, setNarrowing] = useState<Narrowing>({});
  const { claims, rows } = useClaimPages({ ...filters, ...narrowing, sort: 'deadline' });
  const grouped = byDebtor(rows);
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
        dataSource={grouped}
        pagination={false}
        locale={{ emptyText: <Empty>此队列中没有案件</Empty> }}
        rowSelection={{
          selectedRowKeys: selected.map((c) => c.id),
          onChange: (_, picked) => setSelected(picked),
          getCheckboxProps: (c) => ({ 'aria-label': `选择 ${c.contractNo}` }),
        }}
        columns={[
          { title: '合同编号', render: (_, c) => <Link to={`/claims/${c.id}`}>{c.contractNo}</Link> },
          {
            title: '借款人',
            render: (_, c, i) =>
              // A debtor's further claims follow the first, under its name.
              i > 0 && grouped[i - 1]!.debtor.id === c.debtor.id ? (
                <span className="muted">〃 同一借款人</span>
              ) : (
                c.debtor.name
              ),
          },
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
