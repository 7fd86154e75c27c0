/**
 * Confirming an agreement reached in the room (issue 19 item 8): each party reads the 调解协议书 and
 * confirms its text with a one-time code, the debtor's sent by SMS, the creditor representative's
 * shown here and confirmed with their password. Once both have, the platform signs the PDF; the
 * card then says so and links the public verify page. The mediator sees where it stands.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type Answer, api, call } from '../api/client';
import { fieldMessages, problemMessage, showFieldErrors } from '../api/problem';
import { openFile } from '../shared/files';
import { formatDateTime } from '../shared/format';
import { ErrorAlert } from '../shared/ui';

type CodeSent = Answer<'postSettlementsByIdAgreementCode'>;

const PARTY_TEXT = { debtor: '债务人', creditor: '债权人代表' } as const;

export function AgreementConfirm({ settlementId }: { settlementId: number }) {
  const queryClient = useQueryClient();
  const key = ['agreement', settlementId];
  const agreement = useQuery({
    queryKey: key,
    queryFn: () => call(api.GET('/api/settlements/{id}/agreement', { params: { path: { id: settlementId } } })),
    // The other party confirms elsewhere: look again until the agreement is signed.
    refetchInterval: (q) => (q.state.data?.signedAt ? false : 5000),
  });
  const [sent, setSent] = useState<CodeSent | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ code: string; password?: string }>();
  const a = agreement.data;
  if (agreement.error) return <ErrorAlert error={agreement.error} />;
  if (!a) return null;
  const mine = a.myRole && a.awaiting.includes(a.myRole) ? a.myRole : null;

  const getCode = async () => {
    setError(null);
    setBusy(true);
    try {
      setSent(await call(api.POST('/api/settlements/{id}/agreement/code', { params: { path: { id: settlementId } } })));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (values: { code: string; password?: string }) => {
    if (!sent) return;
    setError(null);
    setBusy(true);
    try {
      const state = await call(
        api.POST('/api/settlements/{id}/agreement/confirmations', {
          params: { path: { id: settlementId } },
          body: { challengeId: sent.challengeId, code: values.code.trim(), password: values.password },
        }),
      );
      queryClient.setQueryData(key, state);
      setSent(null);
      form.resetFields();
    } catch (err) {
      // A wrong code or password is said beside its field; anything else above the form.
      const rest = showFieldErrors(form, err, ['code', 'password']);
      setError(fieldMessages(err).size > 0 && rest.length === 0 ? null : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="调解协议书确认" role="region" aria-label="调解协议书确认" style={{ marginTop: 12 }}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {a.documents.map((d) => (
          <Button key={d.id} type="link" onClick={() => openFile(`/api/documents/${d.id}/pdf`).catch(setError)}>
            查看调解协议书 {d.docNo}
          </Button>
        ))}
        <Space size={4} wrap>
          {(['debtor', 'creditor'] as const).map((role) => {
            const c = a.confirmations.find((x) => x.role === role);
            return (
              <Tag key={role} className={c ? 'tag-success' : undefined}>
                {PARTY_TEXT[role]}：{c ? `已确认（${formatDateTime(c.confirmedAt)}）` : '待确认'}
              </Tag>
            );
          })}
        </Space>
        {a.signedAt && (
          <Alert
            type="success"
            showIcon
            role="status"
            title={`双方已确认，协议已由平台加盖电子签名（${formatDateTime(a.signedAt)}）`}
            description={a.documents.map((d) => (
              <div key={d.id}>
                核验：<a href={`/verify/${d.verifyCode}`}>{`/verify/${d.verifyCode}`}</a>
              </div>
            ))}
          />
        )}
        {mine && !sent && (
          <>
            <Typography.Text>请先阅读调解协议书。确认后，协议对您具有约束力。</Typography.Text>
            <Button type="primary" loading={busy} onClick={getCode}>
              {mine === 'debtor' ? '获取短信确认码' : '获取确认码'}
            </Button>
          </>
        )}
        {mine && sent && (
          <Form form={form} layout="vertical" onFinish={confirm} aria-label="确认调解协议">
            {sent.sentTo ? (
              <Typography.Text>
                确认码已发送至 {sent.sentTo}，请在 {formatDateTime(sent.expiresAt)} 前输入。
              </Typography.Text>
            ) : (
              <Typography.Text>
                您的确认码：<strong>{sent.code}</strong>，请输入确认码和您的登录密码。
              </Typography.Text>
            )}
            <Form.Item
              name="code"
              label="确认码"
              rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位数字确认码' }]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={8} />
            </Form.Item>
            {mine === 'creditor' && (
              <Form.Item name="password" label="登录密码" rules={[{ required: true, message: '请输入登录密码' }]}>
                <Input.Password autoComplete="current-password" />
              </Form.Item>
            )}
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={busy}>
                确认协议内容
              </Button>
              <Button onClick={getCode} disabled={busy}>
                重新获取确认码
              </Button>
            </Space>
          </Form>
        )}
        {error ? <Alert type="error" showIcon role="alert" title={problemMessage(error)} /> : null}
      </Space>
    </Card>
  );
}
