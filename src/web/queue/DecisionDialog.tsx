/**
 * A dialog that sends one decision form. Field messages of a 400 show beside their controls, any other
 * error above the buttons; the form keeps what was typed until the decision is taken.
 */
import { Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { showFieldErrors } from '../api/problem';
import { ErrorAlert } from '../shared/ui';

export function DecisionDialog<V extends object>({
  title,
  form,
  fields,
  send,
  onClose,
  children,
}: {
  title: string | null;
  form: FormInstance<V>;
  /** The form's field names, for placing the server's field messages. */
  fields: readonly string[];
  send: (values: V) => Promise<unknown>;
  onClose: (decided: boolean) => void;
  children: ReactNode;
}) {
  const [error, setError] = useState<unknown>(null);
  const [rest, setRest] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const ok = async () => {
    // A form the page refuses shows its messages beside the fields; nothing is sent.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSending(true);
    setError(null);
    setRest([]);
    try {
      await send(values);
      form.resetFields();
      onClose(true);
    } catch (err) {
      const unplaced = showFieldErrors(form, err, fields);
      setRest(unplaced);
      if (unplaced.length === 0) setError(err);
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal
      open={title !== null}
      title={title}
      okText="提交"
      cancelText="取消"
      confirmLoading={sending}
      onOk={ok}
      onCancel={() => onClose(false)}
      forceRender
    >
      <Form form={form} layout="vertical">
        {children}
      </Form>
      {rest.map((m) => (
        <p key={m} role="alert">
          {m}
        </p>
      ))}
      <ErrorAlert error={error} />
    </Modal>
  );
}
