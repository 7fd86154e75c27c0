/**
 * The clerk's steps on one court case of the claim: register it under its number (立案), record the
 * judgment on a registered suit, record an enforcement measure with its date. Each opens a form; the
 * server's field messages show beside the fields.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call, type operations } from '../api/client';
import { DecisionDialog } from '../queue/DecisionDialog';
import { MEASURE_LABELS, optionsOf } from '../shared/labels';

type Detail = operations['getClaimsById']['responses'][200]['content']['application/json'];
type CourtCase = Detail['courtCases'][number];
type Step = 'register' | 'judgment' | 'measure';

const day = (d: Dayjs) => d.format('YYYY-MM-DD');
const fen = (yuan: number | null | undefined) => Math.round((yuan ?? 0) * 100);
const required = (message: string) => [{ required: true, message }];

/** The steps the clerk can take on the case now. */
function stepsOf(c: CourtCase): Step[] {
  if (c.status !== 'pending') return [];
  if (c.kind === 'first_instance') return c.caseNo ? ['judgment'] : ['register'];
  if (c.kind === 'enforcement' || c.kind === 'resumed_enforcement') return c.caseNo ? ['measure'] : ['register'];
  return [];
}

const LABELS: Record<Step, string> = { register: '立案登记', judgment: '登记判决', measure: '登记执行措施' };

export function CourtCaseActions({ claimId, courtCase }: { claimId: number; courtCase: CourtCase }) {
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [step, setStep] = useState<Step | null>(null);
  const outcome = Form.useWatch('outcome', form);
  const path = { params: { path: { id: courtCase.id } } };

  const send = async (v: Record<string, unknown>) => {
    const caseNo = typeof v.caseNo === 'string' && v.caseNo.trim() ? { caseNo: v.caseNo.trim() } : {};
    if (step === 'register') await call(api.POST('/api/court-cases/{id}/register', { ...path, body: caseNo }));
    if (step === 'judgment')
      await call(
        api.POST('/api/court-cases/{id}/judgment', {
          ...path,
          body: {
            outcome: v.outcome as 'judged' | 'dismissed',
            effectiveOn: day(v.effectiveOn as Dayjs),
            awardedPrincipalFen: fen(v.principal as number),
            awardedInterestFen: fen(v.interest as number),
            costsFen: fen(v.costs as number),
            ...(typeof v.reason === 'string' && v.reason.trim() ? { reason: v.reason.trim() } : {}),
          },
        }),
      );
    if (step === 'measure')
      await call(
        api.POST('/api/court-cases/{id}/measures', {
          ...path,
          body: {
            kind: v.kind as 'account_freeze',
            on: day(v.on as Dayjs),
            ...(typeof v.note === 'string' && v.note.trim() ? { note: v.note.trim() } : {}),
          },
        }),
      );
  };
  const close = (done: boolean) => {
    setStep(null);
    if (done) {
      void queryClient.invalidateQueries({ queryKey: ['claim', claimId] });
      void queryClient.invalidateQueries({ queryKey: ['claim-events', claimId] });
    }
  };

  const steps = stepsOf(courtCase);
  if (steps.length === 0) return null;
  return (
    <>
      <Space>
        {steps.map((s) => (
          <Button key={s} size="small" onClick={() => setStep(s)}>
            {LABELS[s]}
          </Button>
        ))}
      </Space>
      <DecisionDialog
        title={step ? LABELS[step] : null}
        form={form}
        fields={['caseNo', 'outcome', 'effectiveOn', 'principal', 'interest', 'costs', 'reason', 'kind', 'on', 'note']}
        send={send}
        onClose={close}
      >
        {step === 'register' ? (
          <Form.Item name="caseNo" label="案号（不填则按本院顺序编号）">
            <Input placeholder="（2026）闽0502民初123号" maxLength={40} />
          </Form.Item>
        ) : null}
        {step === 'judgment' ? (
          <>
            <Form.Item name="outcome" label="判决结果" rules={required('请选择判决结果。')}>
              <Radio.Group
                options={[
                  { value: 'judged', label: '支持原告诉讼请求' },
                  { value: 'dismissed', label: '驳回起诉' },
                ]}
              />
            </Form.Item>
            <Form.Item name="effectiveOn" label="生效日期" rules={required('请选择判决生效日期。')}>
              <DatePicker />
            </Form.Item>
            {outcome === 'judged' ? (
              <Space wrap align="start">
                <Form.Item name="principal" label="判决本金（元）" rules={required('请填写判决本金。')}>
                  <InputNumber min={0} precision={2} style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name="interest" label="判决利息（元）">
                  <InputNumber min={0} precision={2} style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name="costs" label="诉讼费用（元）">
                  <InputNumber min={0} precision={2} style={{ width: 160 }} />
                </Form.Item>
              </Space>
            ) : null}
            <Form.Item name="reason" label="说明">
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        ) : null}
        {step === 'measure' ? (
          <>
            <Form.Item name="kind" label="执行措施" rules={required('请选择执行措施。')}>
              <Select options={optionsOf(MEASURE_LABELS)} />
            </Form.Item>
            <Form.Item name="on" label="采取日期" rules={required('请选择采取措施的日期。')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="note" label="说明">
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </>
        ) : null}
      </DecisionDialog>
    </>
  );
}
