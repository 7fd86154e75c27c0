/**
 * The lifecycle actions the server lists for the claim, as buttons. Each asks for a reason and sends
 * the version the page read; when someone changed the claim meanwhile (409), the claim is read again
 * and the dialog stays open with what was typed, so the user checks the new state and sends again.
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { ApiError, type Claim } from '../api/client';
import { actionLabel, HOLD_LABELS, optionsOf } from '../shared/labels';
import { ErrorAlert } from '../shared/ui';
import { type Action, buttonActions, runAction } from './run-action';

export function ClaimActions({ claim }: { claim: Claim }) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason?: string; holdKind?: NonNullable<Claim['hold']> }>();
  const [action, setAction] = useState<Action | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  const open = (a: string) => {
    setAction(a as Action);
    setError(null);
  };
  const send = async () => {
    if (!action) return;
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { reason, holdKind } = values;
    setSending(true);
    setError(null);
    try {
      await runAction(claim, action, { ...(reason ? { reason } : {}), ...(holdKind ? { holdKind } : {}) });
      void queryClient.invalidateQueries({ queryKey: ['claim', claim.id] });
      void queryClient.invalidateQueries({ queryKey: ['claim-events', claim.id] });
      void queryClient.invalidateQueries({ queryKey: ['claims'] });
      message.success(`已执行“${actionLabel(action)}”。`);
      setAction(null);
      form.resetFields();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 409)
        void queryClient.invalidateQueries({ queryKey: ['claim', claim.id] });
    } finally {
      setSending(false);
    }
  };

  const actions = buttonActions(claim);
  if (actions.length === 0) return <p>您的角色当前不能对此案件执行操作。</p>;
  return (
    <>
      <Space wrap>
        {actions.map((a) => (
          <Button key={a} onClick={() => open(a)}>
            {actionLabel(a)}
          </Button>
        ))}
      </Space>
      <Modal
        open={action !== null}
        title={action ? `${actionLabel(action)}：${claim.contractNo}` : ''}
        okText="确认执行"
        cancelText="取消"
        confirmLoading={sending}
        onOk={send}
        onCancel={() => setAction(null)}
        forceRender
      >
        <Form form={form} layout="vertical">
          {action === 'place_hold' ? (
            <Form.Item name="holdKind" label="暂停原因" rules={[{ required: true, message: '请选择暂停原因。' }]}>
              <Select options={optionsOf(HOLD_LABELS)} />
            </Form.Item>
          ) : null}
          <Form.Item name="reason" label="说明（记入案件证据记录）">
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        </Form>
        <ErrorAlert error={error} />
      </Modal>
    </>
  );
}
