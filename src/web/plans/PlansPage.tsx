/**
 * 还款方案 at /plans: the plans debtors proposed from the portal. One inside the creditor's limits is
 * offered to the creditor, who accepts it (the settlement is made and the claims agreed, no session
 * needed) or declines it with a reason the debtor reads; one outside them went to the mediator, who
 * sees it here with the limits it breaks.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Popconfirm, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { type Answer, api, call } from '../api/client';
import { problemMessage } from '../api/problem';
import { DecisionDialog } from '../queue/DecisionDialog';
import { formatDate, formatDateTime } from '../shared/format';
import { Empty, ErrorAlert, Money, PageTitle } from '../shared/ui';
import { useMe } from '../shell/session';

type Plan = Answer<'getPlans'>[number];
type Status = Plan['status'];

const STATUS_LABELS: Record<Status, string> = {
  offered: '待债权人答复',
  referred: '超出授权，已转调解员',
  accepted: '已接受',
  declined: '已拒绝',
};
const LIMIT_LABELS: Record<string, string> = {
  maxDiscountPct: '最大减免比例（%）',
  maxInstalments: '最多分期数',
  minFirstPaymentPct: '首期最低比例（%）',
};

function PlanList({ status, onDecline }: { status: Status; onDecline: (p: Plan) => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const creditor = useMe().role === 'creditor';
  const plans = useQuery({
    queryKey: ['plans', status],
    queryFn: () => call(api.GET('/api/plans', { params: { query: { status } } })),
  });
  const accept = async (p: Plan) => {
    try {
      await call(api.POST('/api/plans/{id}/accept', { params: { path: { id: p.id } } }));
      void message.success('已接受该方案：还款协议已达成，债务人会收到还款计划。');
      void queryClient.invalidateQueries({ queryKey: ['plans'] });
    } catch (err) {
      void message.error(problemMessage(err));
    }
  };
  return (
    <>
      <ErrorAlert error={plans.error} />
      <Table<Plan>
        rowKey="id"
        size="small"
        loading={plans.isLoading}
        dataSource={plans.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty>没有这类方案</Empty> }}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (p) => (
            <ul style={{ margin: 0 }}>
              {p.instalments.map((i, n) => (
                <li key={i.dueDate}>
                  第 {n + 1} 期 {formatDate(i.dueDate)} <Money fen={i.amountFen} />
                </li>
              ))}
              {p.note ? <li>债务人说明：{p.note}</li> : null}
              {(p.breaches ?? []).map((b) => (
                <li key={b.limit}>
                  超出授权：{LIMIT_LABELS[b.limit] ?? b.limit} 允许 {b.allowed}，方案为 {b.proposed}
                </li>
              ))}
              {p.decisionReason ? <li>拒绝理由：{p.decisionReason}</li> : null}
            </ul>
          ),
        }}
        columns={[
          { title: '提出时间', render: (_, p) => formatDateTime(p.createdAt) },
          { title: '案件数', align: 'right', render: (_, p) => p.claimIds.length },
          { title: '方式', render: (_, p) => (p.kind === 'lump_sum' ? '一次性还款' : `分 ${p.instalments.length} 期`) },
          { title: '方案金额', align: 'right', render: (_, p) => <Money fen={p.totalFen} /> },
          {
            title: '状态',
            render: (_, p) => (
              <Tag className={p.needsApproval ? 'tag-warning' : 'tag-processing'}>{STATUS_LABELS[p.status]}</Tag>
            ),
          },
          ...(creditor && status === 'offered'
            ? [
                {
                  title: '答复',
                  render: (_: unknown, p: Plan) => (
                    <Space>
                      <Popconfirm
                        title="接受该还款方案？"
                        description="接受后即达成还款协议，案件进入履行。"
                        okText="接受"
                        cancelText="取消"
                        onConfirm={() => accept(p)}
                      >
                        <Button size="small" type="primary">
                          接受
                        </Button>
                      </Popconfirm>
                      <Button size="small" onClick={() => onDecline(p)}>
                        拒绝
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

export default function PlansPage() {
  const queryClient = useQueryClient();
  const [declining, setDeclining] = useState<Plan | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const tabs: Status[] = ['offered', 'referred', 'accepted', 'declined'];
  return (
    <>
      <PageTitle>还款方案</PageTitle>
      <Tabs
        destroyOnHidden
        items={tabs.map((s) => ({
          key: s,
          label: STATUS_LABELS[s],
          children: <PlanList status={s} onDecline={setDeclining} />,
        }))}
      />
      <DecisionDialog
        title={declining ? '拒绝还款方案' : null}
        form={form}
        fields={['reason']}
        send={(v) => call(api.POST('/api/plans/{id}/decline', { params: { path: { id: declining!.id } }, body: v }))}
        onClose={(decided) => {
          setDeclining(null);
          if (decided) void queryClient.invalidateQueries({ queryKey: ['plans'] });
        }}
      >
        <Form.Item
          name="reason"
          label="拒绝理由（债务人可见）"
          rules={[{ required: true, whitespace: true, message: '请填写拒绝理由，债务人会看到。' }]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </DecisionDialog>
    </>
  );
}
