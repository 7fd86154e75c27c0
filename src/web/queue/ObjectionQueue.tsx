/**
 * The objections waiting for an answer, by reply deadline (those past it marked), and the answer:
 * upheld, partially upheld with the new amounts, or rejected, with the reasons the debtor reads.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, Radio, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { type Answer, api, call } from '../api/client';
import { formatDate } from '../shared/format';
import { OBJECTION_CATEGORY_LABELS, OBJECTION_OUTCOME_LABELS, optionsOf } from '../shared/labels';
import { Empty, ErrorAlert } from '../shared/ui';
import { DecisionDialog } from './DecisionDialog';

type Objection = Answer<'getObjections'>[number];
type Outcome = NonNullable<Objection['outcome']>;
type AmountKey = 'principalFen' | 'interestFen' | 'penaltyFen' | 'feesFen';
/** The new amounts as typed, in yuan; sent in fen. */
type Yuan = Partial<Record<AmountKey, number | null>>;
interface Values {
  outcome: Outcome;
  reasons: string;
  newAmounts?: Yuan;
}

const AMOUNT_FIELDS: [AmountKey, string][] = [
  ['principalFen', '欠款本金（元）'],
  ['interestFen', '利息（元）'],
  ['penaltyFen', '罚息（元）'],
  ['feesFen', '其他费用（元）'],
];

function newAmountsOf(typed: Yuan | undefined): Partial<Record<AmountKey, number>> | undefined {
  const given = AMOUNT_FIELDS.flatMap(([key]) => {
    const yuan = typed?.[key];
    return yuan === undefined || yuan === null ? [] : [[key, Math.round(yuan * 100)] as const];
  });
  return given.length > 0 ? Object.fromEntries(given) : undefined;
}

const someAmountIfPartial = (v: Values) =>
  v.outcome !== 'partially_upheld' || newAmountsOf(v.newAmounts)
    ? Promise.resolve()
    : Promise.reject(new Error('异议部分成立时，请至少填写一项调整后的金额。'));

export function ObjectionQueue() {
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [answering, setAnswering] = useState<Objection | null>(null);
  const open = useQuery({
    queryKey: ['objections', { status: 'open' }],
    queryFn: () => call(api.GET('/api/objections', { params: { query: { status: 'open' } } })),
  });
  const outcome = Form.useWatch('outcome', form);

  const send = (v: Values) =>
    call(
      api.POST('/api/objections/{id}/decision', {
        params: { path: { id: answering!.id } },
        body: { outcome: v.outcome, reasons: v.reasons, newAmounts: newAmountsOf(v.newAmounts) },
      }),
    );
  const close = (decided: boolean) => {
    setAnswering(null);
    if (decided) void queryClient.invalidateQueries({ queryKey: ['objections'] });
  };

  return (
    <>
      <ErrorAlert error={open.error} />
      <Table<Objection>
        rowKey="id"
        size="small"
        loading={open.isPending}
        dataSource={open.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty>没有待答复的异议</Empty> }}
        columns={[
          { title: '合同编号', render: (_, o) => <Link to={`/claims/${o.claim.id}`}>{o.claim.contractNo}</Link> },
          { title: '债权人', render: (_, o) => o.claim.creditorName },
          { title: '类别', render: (_, o) => OBJECTION_CATEGORY_LABELS[o.category] },
          { title: '债务人陈述', dataIndex: 'statement' },
          {
            title: '答复期限',
            render: (_, o) => (
              <Space size={4}>
                {formatDate(o.replyDue)}
                {o.replyOverdue ? <Tag className="tag-error">已超期</Tag> : null}
              </Space>
            ),
          },
          {
            title: '操作',
            render: (_, o) => (
              <Button
                type="link"
                size="small"
                onClick={() => setAnswering(o)}
                aria-label={`答复 ${o.claim.contractNo} 的异议`}
              >
                答复
              </Button>
            ),
          },
        ]}
      />
      <DecisionDialog<Values>
        title={answering ? `答复异议：${answering.claim.contractNo}` : null}
        form={form}
        fields={['outcome', 'reasons', ...AMOUNT_FIELDS.map(([k]) => `newAmounts.${k}`)]}
        send={send}
        onClose={close}
      >
        <Form.Item name="outcome" label="答复结果" rules={[{ required: true, message: '请选择答复结果。' }]}>
          <Radio.Group options={optionsOf(OBJECTION_OUTCOME_LABELS)} />
        </Form.Item>
        {outcome === 'partially_upheld' || outcome === 'upheld' ? (
          <Form.Item
            label={outcome === 'upheld' ? '调整后的金额（不填则案件以异议成立结案）' : '调整后的金额（至少填写一项）'}
          >
            <Space wrap align="start">
              {AMOUNT_FIELDS.map(([key, label], i) => (
                <Form.Item
                  key={key}
                  name={['newAmounts', key]}
                  label={label}
                  dependencies={i === 0 ? AMOUNT_FIELDS.slice(1).map(([k]) => ['newAmounts', k]) : undefined}
                  rules={i === 0 ? [{ validator: (_, __) => someAmountIfPartial(form.getFieldsValue()) }] : undefined}
                >
                  <InputNumber min={0} precision={2} style={{ width: 160 }} />
                </Form.Item>
              ))}
            </Space>
          </Form.Item>
        ) : null}
        <Form.Item
          name="reasons"
          label="答复理由（债务人可见）"
          rules={[{ required: true, whitespace: true, message: '请填写答复理由。' }]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount />
        </Form.Item>
      </DecisionDialog>
    </>
  );
}
