/** The user name and password form, used by the sign-in page and by the dialog after an expiry. */
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { problemMessage } from '../api/problem';
import { type Me, useSession } from './session';

interface Fields {
  username: string;
  password: string;
}

function signInMessage(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return '用户名或密码不正确，请重新输入。';
  return problemMessage(err);
}

export function SignInForm({ onSignedIn, idPrefix }: { onSignedIn: (me: Me) => void; idPrefix: string }) {
  const { signIn } = useSession();
  const [form] = Form.useForm<Fields>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async ({ username, password }: Fields) => {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (err) {
      setError(err);
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} name={idPrefix}>
      {error ? (
        <Alert type="error" showIcon title={signInMessage(error)} role="alert" style={{ marginBottom: 16 }} />
      ) : null}
      <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
        <Input autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        登录
      </Button>
    </Form>
  );
}
