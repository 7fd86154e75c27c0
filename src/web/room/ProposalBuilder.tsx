/**
 * Building a proposal (or a counter to one): lump sum or instalments, the schedule as it will be sent,
 * the creditor's limits beside it and, for a plan outside them, the mark that it needs the creditor's
 * approval. A plan the room would refuse (amounts that do not add up, a date in the past) is not sent.
 */
import { Alert, Button, DatePicker, Descriptions, Form, InputNumber, Radio, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { addDays, shanghaiDate } from '../../domain/dates';
import type { OfferTerms } from '../../domain/settlement-terms';
import { formatFen } from '../shared/format';
import { Money } from '../shared/ui';
import type { PlanTerms } from './log';
import { breachLines, planOf, planProblem } from './plan';

interface Values {
  kind: 'lump_sum' | 'instalments';
  totalYuan: number | null;
  count: number | null;
  firstYuan: number | null;
  firstDueDate: Dayjs | null;
}

const toFen = (yuan: number | null) => Math.round((yuan ?? 0) * 100);

export interface ProposalBuilderProps {
  claimIds: number[];
  enforceableFen: number;
  /** The offer basis and limits (staff only); without it no limits are shown. */
  basis: OfferTerms | null;
  /** The seq of the offer this answers, for a counter. */
  answers: number | null;
  onSend: (terms: PlanTerms, answers: number | null) => void;
  onCancelCounter: () => void;
  disabled: boolean;
}

export function ProposalBuilder(props: ProposalBuilderProps) {
  const { claimIds, enforceableFen, basis, answers, onSend, onCancelCounter, disabled } = props;
  const today = shanghaiDate(new Date());
  const [form] = Form.useForm<Values>();
  const [values, setValues] = useState<Values>({
    kind: 'lump_sum',
    totalYuan: enforceableFen / 100,
    count: 6,
    firstYuan: null,
    firstDueDate: dayjs(addDays(today, 7)),
  });
  const totalFen = toFen(values.totalYuan);
  const count = values.count ?? 2;
  const plan = planOf({
    kind: values.kind,
    totalFen,
    count,
    firstFen: values.firstYuan === null ? Math.ceil(totalFen / count) : toFen(values.firstYuan),
    firstDueDate: values.firstDueDate?.format('YYYY-MM-DD') ?? today,
  });
  const problem = totalFen < 1 ? '请填写方案总额。' : planProblem(plan, today, enforceableFen);
  const breaches = basis && !problem ? breachLines(plan, basis) : [];

  return (
    <section aria-label={answers ? `还价方案 #${answers}` : '提出方案'} className="room-builder">
      <Typography.Title level={5}>{answers ? `对方案 #${answers} 还价` : '提出方案'}</Typography.Title>
      {basis && (
        <Descriptions size="small" column={1} bordered aria-label="债权人授权范围">
          <Descriptions.Item label="可主张金额">
            <Money fen={basis.enforceableFen} />
            {basis.waivedFen > 0 && <> （救助减免 {formatFen(basis.waivedFen)}）</>}
          </Descriptions.Item>
          <Descriptions.Item label="最高减免">{basis.limits.maxDiscountPct}%</Descriptions.Item>
          <Descriptions.Item label="最多期数">{basis.limits.maxInstalments} 期</Descriptions.Item>
          <Descriptions.Item label="首期不低于">{basis.limits.minFirstPaymentPct}%</Descriptions.Item>
        </Descriptions>
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={values}
        onValuesChange={(_, all) => setValues({ ...values, ...all })}
        disabled={disabled}
        style={{ marginTop: 12 }}
      >
        <Form.Item name="kind" label="还款方式">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'lump_sum', label: '一次性还款' },
              { value: 'instalments', label: '分期还款' },
            ]}
          />
        </Form.Item>
        <Form.Item name="totalYuan" label="方案总额（元）">
          <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        {values.kind === 'instalments' && (
          <>
            <Form.Item name="count" label="期数">
              <InputNumber min={2} max={120} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="firstYuan" label="首期金额（元，不填则平均分摊）">
              <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
        <Form.Item name="firstDueDate" label={values.kind === 'lump_sum' ? '还款日' : '首期还款日'}>
          <DatePicker style={{ width: '100%' }} allowClear={false} />
        </Form.Item>
      </Form>
      <ol className="room-schedule" aria-label="还款安排">
        {plan.instalments.map((i, n) => (
          <li key={i.dueDate}>
            第 {n + 1} 期 {i.dueDate} <Money fen={i.amountFen} />
          </li>
        ))}
      </ol>
      {problem && <Alert type="error" showIcon title={problem} />}
      {breaches.length > 0 && (
        <Alert type="warning" showIcon title="超出债权人授权范围，需债权人代表批准" description={breaches.join('；')} />
      )}
      <div style={{ display: 'flex', gap: 8, marginTop: 12 }}>
        <Button
          type="primary"
          disabled={disabled || problem !== null}
          onClick={() => onSend({ claimIds, ...plan }, answers)}
        >
          {answers ? '发送还价' : '发送方案'}
        </Button>
        {answers !== null && <Button onClick={onCancelCounter}>取消还价</Button>}
      </div>
    </section>
  );
}
