/**
 * API 密钥 at /api-keys: a creditor's keys for its own systems. A new key is shown once, right after
 * it is made (the server keeps only its hash); a key can be revoked at once.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { type Answer, api, call } from '../api/client';
import { formatDateTime } from '../shared/format';
import { API_KEY_SCOPE_LABELS, optionsOf } from '../shared/labels';
import { Empty, ErrorAlert, PageTitle } from '../shared/ui';
import { useFormSubmit } from '../shared/useFormSubmit';

type ApiKey = Answer<'getApiKeys'>[number];
type Scope = ApiKey['scopes'][number];
interface Values {
  name: string;
  scopes: Scope[];
  expiresAt?: Dayjs | null;
}
const FIELDS = ['name', 'scopes', 'expiresAt'] as const;
const atLeastOne = (scopes: Scope[] | undefined) =>
  scopes?.length ? Promise.resolve() : Promise.reject(new Error('请至少选择一项权限。'));

function CreateKey({ onCreated }: { onCreated: (key: string) => void }) {
  const [form] = Form.useForm<Values>();
  const {
    submit: create,
    sending,
    error,
  } = useFormSubmit(form, FIELDS, async (v: Values) => {
    const body = {
      name: v.name,
      scopes: v.scopes,
      ...(v.expiresAt ? { expiresAt: v.expiresAt.endOf('day').toISOString() } : {}),
    };
    const made = await call(api.POST('/api/api-keys', { body }));
    form.resetFields();
    onCreated(made.key);
  });
  return (
    <Form form={form} layout="vertical" onFinish={create}>
      <Form.Item
        name="name"
        label="名称（说明用途，例如“核心系统导入”）"
        rules={[{ required: true, whitespace: true, message: '请填写密钥名称。' }]}
      >
        <Input maxLength={64} />
      </Form.Item>
      {/* A validator, not `required`: Ant Design would put aria-required on the group, which ARIA does not allow. */}
      <Form.Item
        name="scopes"
        label="权限（至少选择一项）"
        rules={[{ validator: (_, v: Scope[] | undefined) => atLeastOne(v) }]}
      >
        <Checkbox.Group options={optionsOf(API_KEY_SCOPE_LABELS)} />
      </Form.Item>
      <Form.Item name="expiresAt" label="有效期至（不填则长期有效）">
        <DatePicker />
      </Form.Item>
      <ErrorAlert error={error} />
      <Button type="primary" htmlType="submit" loading={sending}>
        创建密钥
      </Button>
    </Form>
  );
}

export default function ApiKeysPage() {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [shown, setShown] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => call(api.GET('/api/api-keys')) });
  const reload = () => queryClient.invalidateQueries({ queryKey: ['api-keys'] });
  const revoke = async (k: ApiKey) => {
    setRevokeError(null);
    try {
      await call(api.DELETE('/api/api-keys/{id}', { params: { path: { id: k.id } } }));
      message.success(`密钥“${k.name}”已吊销。`);
      await reload();
    } catch (err) {
      setRevokeError(err);
    }
  };
  return (
    <>
      <PageTitle>API 密钥</PageTitle>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {shown ? (
          <Alert
            type="success"
            showIcon
            title="密钥已创建。它只显示这一次，请立即复制并妥善保存；遗失后只能吊销并重新创建。"
            description={
              <Typography.Text code copyable={{ text: shown, tooltips: ['复制', '已复制'] }}>
                {shown}
              </Typography.Text>
            }
            closable={{ 'aria-label': '我已保存，关闭' }}
            onClose={() => setShown(null)}
          />
        ) : null}
        <Card size="small" title="创建密钥">
          <CreateKey
            onCreated={(key) => {
              setShown(key);
              void reload();
            }}
          />
        </Card>
        <ErrorAlert error={keys.error ?? revokeError} />
        <Table<ApiKey>
          rowKey="id"
          size="small"
          pagination={false}
          loading={keys.isPending}
          dataSource={keys.data ?? []}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty>还没有 API 密钥</Empty> }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '前缀', dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}</Typography.Text> },
            { title: '权限', render: (_, k) => k.scopes.map((s) => API_KEY_SCOPE_LABELS[s]).join('、') },
            { title: '有效期至', dataIndex: 'expiresAt', render: (v: string | null) => formatDateTime(v) || '长期' },
            { title: '最近使用', dataIndex: 'lastUsedAt', render: (v: string | null) => formatDateTime(v) || '未使用' },
            {
              title: '状态',
              render: (_, k) =>
                k.revokedAt ? <Tag className="tag-error">已吊销</Tag> : <Tag className="tag-success">有效</Tag>,
            },
            {
              title: '操作',
              render: (_, k) =>
                k.revokedAt ? null : (
                  <Popconfirm
                    title={`吊销后使用“${k.name}”的系统将立即无法访问，确定吊销吗？`}
                    okText="吊销"
                    cancelText="取消"
                    onConfirm={() => revoke(k)}
                  >
                    <Button size="small" danger aria-label={`吊销密钥 ${k.name}`}>
                      吊销
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Space>
    </>
  );
}
