/**
 * 收款账户 at /payee-account: the creditor's account its debtors pay agreed plans into, printed in the
 * portal beside each instalment's transfer memo. The server's field messages show beside the fields.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input } from 'antd';
import { useEffect } from 'react';
import { api, call } from '../api/client';
import { ErrorAlert, PageTitle } from '../shared/ui';
import { useFormSubmit } from '../shared/useFormSubmit';
import { useMe } from '../shell/session';

type Values = { payeeName: string; payeeBank: string; payeeAccount: string };
const FIELDS = ['payeeName', 'payeeBank', 'payeeAccount'] as const;

export default function PayeeAccountPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const orgId = useMe().orgId ?? 0;
  const path = { params: { path: { id: orgId } } };
  const current = useQuery({
    queryKey: ['payee-account', orgId],
    queryFn: () => call(api.GET('/api/organisations/{id}/payee-account', path)),
  });
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (current.data) form.setFieldsValue(current.data);
  }, [current.data, form]);
  const {
    submit: save,
    sending,
    error,
  } = useFormSubmit(form, FIELDS, async (v: Values) => {
    await call(api.PUT('/api/organisations/{id}/payee-account', { ...path, body: v }));
    void message.success('收款账户已保存，债务人在还款方式中看到的即为此账户。');
    void queryClient.invalidateQueries({ queryKey: ['payee-account', orgId] });
  });
  return (
    <>
      <PageTitle>收款账户</PageTitle>
      <Card>
        <ErrorAlert error={current.error} />
        <p>债务人达成还款协议后，门户中的“还款方式”显示此账户和每期的转账附言（合同编号与期数），便于核对入账。</p>
        <Form form={form} layout="vertical" onFinish={save} style={{ maxWidth: 480 }}>
          <Form.Item name="payeeName" label="户名" rules={[{ required: true, min: 2, message: '请填写账户户名。' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="payeeBank" label="开户行" rules={[{ required: true, min: 2, message: '请填写开户行。' }]}>
            <Input maxLength={100} placeholder="例如 中国工商银行泉州分行" />
          </Form.Item>
          <Form.Item
            name="payeeAccount"
            label="账号（8–32 位数字，不含空格）"
            rules={[{ required: true, pattern: /^[0-9]{8,32}$/, message: '请填写 8–32 位数字的账号，不含空格。' }]}
          >
            <Input maxLength={32} inputMode="numeric" />
          </Form.Item>
          <ErrorAlert error={error} />
          <Button type="primary" htmlType="submit" loading={sending} style={{ marginTop: 8 }}>
            保存
          </Button>
        </Form>
      </Card>
    </>
  );
}
