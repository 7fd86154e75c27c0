/**
 * The clerk records the day the court removed a listing or restriction, once its removal is due
 * (approved credit repair or an ended listing term); the server's field messages show beside the fields.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call, type operations } from '../api/client';
import { DecisionDialog } from '../queue/DecisionDialog';

type CreditRecord =
  operations['getClaimsById']['responses'][200]['content']['application/json']['creditRecords'][number];

export function CreditRecordRemoval({ claimId, record }: { claimId: number; record: CreditRecord }) {
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [open, setOpen] = useState(false);
  if (!record.removalDueOn || record.removedOn) return null;

  const send = async (v: Record<string, unknown>) => {
    const note = typeof v.note === 'string' && v.note.trim() ? { note: v.note.trim() } : {};
    await call(
      api.POST('/api/credit-records/{id}/removal', {
        params: { path: { id: record.id } },
        body: { on: (v.on as Dayjs).format('YYYY-MM-DD'), ...note },
      }),
    );
  };
  const close = (done: boolean) => {
    setOpen(false);
    if (done) {
      void queryClient.invalidateQueries({ queryKey: ['claim', claimId] });
      void queryClient.invalidateQueries({ queryKey: ['claim-events', claimId] });
    }
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        登记删除
      </Button>
      <DecisionDialog title={open ? '登记删除' : null} form={form} fields={['on', 'note']} send={send} onClose={close}>
        <Form.Item name="on" label="删除日期" rules={[{ required: true, message: '请选择法院删除该记录的日期。' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </DecisionDialog>
    </>
  );
}
