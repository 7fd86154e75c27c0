/** Hardship requests waiting for the mediator, with the debtor's statement of means, and the decision. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Radio, Space, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { type Answer, api, call } from '../api/client';
import { formatDateTime } from '../shared/format';
import { HARDSHIP_DECISION_LABELS, HARDSHIP_REASON_LABELS, optionsOf } from '../shared/labels';
import { Empty, ErrorAlert, Money } from '../shared/ui';
import { DecisionDialog } from './DecisionDialog';

type Request = Answer<'getHardshipRequests'>[number];
interface Values {
  outcome: keyof typeof HARDSHIP_DECISION_LABELS;
  note: string;
}

function Means({ means }: { means: Request['means'] }) {
  if (!means) return <span>未填报</span>;
  return (
    <span>
      月收入 <Money fen={means.monthlyIncomeFen} />
      ，必要支出 <Money fen={means.essentialExpensesFen} />， 可支配 <Money fen={means.disposableFen} />
      ，受抚养人 {means.dependants} 人
    </span>
  );
}

export function HardshipQueue() {
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [deciding, setDeciding] = useState<Request | null>(null);
  const pending = useQuery({
    queryKey: ['hardship-requests', { status: 'pending' }],
    queryFn: () => call(api.GET('/api/hardship-requests', { params: { query: { status: 'pending' } } })),
  });
  const send = (v: Values) =>
    call(api.POST('/api/hardship-requests/{id}/decision', { params: { path: { id: deciding!.id } }, body: v }));
  const close = (decided: boolean) => {
    setDeciding(null);
    if (decided) void queryClient.invalidateQueries({ queryKey: ['hardship-requests'] });
  };
  return (
    <>
      <ErrorAlert error={pending.error} />
      <Table<Request>
        rowKey="id"
        size="small"
        loading={pending.isPending}
        dataSource={pending.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty>没有待审核的救助申请</Empty> }}
        columns={[
          { title: '债务人', render: (_, r) => r.debtor.name },
          {
            title: '案件',
            render: (_, r) => (
              <Space size={4} wrap>
                {r.claims.map((c) => (
                  <Link key={c.id} to={`/claims/${c.id}`}>
                    {c.contractNo}
                  </Link>
                ))}
              </Space>
            ),
          },
          { title: '原因', render: (_, r) => HARDSHIP_REASON_LABELS[r.reason] },
          { title: '陈述', dataIndex: 'statement' },
          { title: '收支情况', render: (_, r) => <Means means={r.means} /> },
          { title: '申请时间', dataIndex: 'createdAt', render: formatDateTime },
          {
            title: '操作',
            render: (_, r) => (
              <Button
                type="link"
                size="small"
                onClick={() => setDeciding(r)}
                aria-label={`审核 ${r.debtor.name} 的救助申请`}
              >
                审核
              </Button>
            ),
          },
        ]}
      />
      <DecisionDialog<Values>
        title={deciding ? `审核救助申请：${deciding.debtor.name}` : null}
        form={form}
        fields={['outcome', 'note']}
        send={send}
        onClose={close}
      >
        <Form.Item name="outcome" label="审核结果" rules={[{ required: true, message: '请选择审核结果。' }]}>
          <Radio.Group options={optionsOf(HARDSHIP_DECISION_LABELS)} />
        </Form.Item>
        <Form.Item
          name="note"
          label="审核意见（债务人可见）"
          rules={[{ required: true, whitespace: true, message: '请填写审核意见。' }]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount />
        </Form.Item>
      </DecisionDialog>
    </>
  );
}
