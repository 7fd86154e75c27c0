/**
 * 用户 at /admin/users: every staff user with organisation, role and state; an admin adds a user,
 * approves one another admin added inside a creditor, disables one (its sessions end at once) or
 * resets a forgotten password (every session ends; the new one is told to the user in person).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { type Answer, api, call } from '../api/client';
import { problemMessage } from '../api/problem';
import { DecisionDialog } from '../queue/DecisionDialog';
import { formatDateTime } from '../shared/format';
import { optionsOf, ROLE_LABELS } from '../shared/labels';
import { ErrorAlert, PageTitle } from '../shared/ui';
import { useFormSubmit } from '../shared/useFormSubmit';
import { useOrganisations } from './OrganisationsPage';

type User = Answer<'getUsers'>[number];
type Values = { orgId: number; username: string; displayName: string; role: User['role']; password: string };
const FIELDS = ['orgId', 'username', 'displayName', 'role', 'password'] as const;
const PASSWORD_RULE = { required: true, min: 12, message: '密码至少 12 个字符，不能是常见密码，也不能包含用户名。' };

function CreateUser() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const orgs = useOrganisations();
  const [form] = Form.useForm<Values>();
  const {
    submit: create,
    sending,
    error,
  } = useFormSubmit(form, FIELDS, async (v: Values) => {
    const made = await call(api.POST('/api/users', { body: v }));
    form.resetFields();
    void message.success(
      made.awaitingApproval
        ? `已添加用户 ${made.username}：该机构的用户或另一位管理员批准后才能登录。`
        : `已添加用户 ${made.username}。`,
    );
    void queryClient.invalidateQueries({ queryKey: ['users'] });
  });
  return (
    <Form form={form} name="new-user" layout="vertical" onFinish={create} style={{ maxWidth: 560 }}>
      <Form.Item name="orgId" label="所属机构" rules={[{ required: true, message: '请选择所属机构。' }]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
        />
      </Form.Item>
      <Form.Item
        name="username"
        label="用户名（小写字母、数字、“.”“_”“-”，3–32 位）"
        rules={[
          {
            required: true,
            pattern: /^[a-z0-9][a-z0-9._-]{2,31}$/,
            message: '请填写 3–32 位小写字母、数字、“.”“_”或“-”。',
          },
        ]}
      >
        <Input maxLength={32} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="displayName"
        label="姓名"
        rules={[{ required: true, whitespace: true, message: '请填写姓名。' }]}
      >
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色。' }]}>
        <Select options={optionsOf(ROLE_LABELS)} />
      </Form.Item>
      <Form.Item name="password" label="初始密码" rules={[PASSWORD_RULE]}>
        <Input.Password maxLength={256} autoComplete="new-password" />
      </Form.Item>
      <ErrorAlert error={error} />
      <Button type="primary" htmlType="submit" loading={sending} style={{ marginTop: 8 }}>
        添加用户
      </Button>
    </Form>
  );
}

/** Say what was done and read the users again. */
function useUsersChanged() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return (text: string) => {
    void message.success(text);
    void queryClient.invalidateQueries({ queryKey: ['users'] });
  };
}

function UserActions({ user, onReset }: { user: User; onReset: (u: User) => void }) {
  const { message } = App.useApp();
  const changed = useUsersChanged();
  const path = { params: { path: { id: user.id } } };
  const run = async (step: () => Promise<unknown>, text: string) => {
    try {
      await step();
      changed(text);
    } catch (err) {
      void message.error(problemMessage(err));
    }
  };
  return (
    <Space>
      {user.awaitingApproval ? (
        <Button
          size="small"
          onClick={() => run(() => call(api.POST('/api/users/{id}/approve', path)), `已批准 ${user.username}。`)}
        >
          批准
        </Button>
      ) : null}
      {!user.disabled ? (
        <Popconfirm
          title={`停用 ${user.username}？`}
          description="停用后不能再登录，已登录的会话立即结束。"
          okText="停用"
          cancelText="取消"
          onConfirm={() => run(() => call(api.POST('/api/users/{id}/disable', path)), `已停用 ${user.username}。`)}
        >
          <Button size="small" danger>
            停用
          </Button>
        </Popconfirm>
      ) : null}
      <Button size="small" onClick={() => onReset(user)}>
        重置密码
      </Button>
    </Space>
  );
}

/** One dialog for the user whose password is being reset. */
function ResetPassword({ user, onClose }: { user: User | null; onClose: () => void }) {
  const changed = useUsersChanged();
  const [form] = Form.useForm<{ password: string }>();
  return (
    <DecisionDialog
      title={user ? `重置 ${user.username} 的密码` : null}
      form={form}
      fields={['password']}
      send={(v) => call(api.POST('/api/users/{id}/password', { params: { path: { id: user!.id } }, body: v }))}
      onClose={(decided) => {
        if (decided && user)
          changed(`已重置 ${user.username} 的密码，其所有会话已结束。请当面或通过安全渠道告知新密码。`);
        onClose();
      }}
    >
      <Form.Item name="password" label="新密码" rules={[PASSWORD_RULE]}>
        <Input.Password maxLength={256} autoComplete="new-password" />
      </Form.Item>
    </DecisionDialog>
  );
}

export default function UsersPage() {
  const [resetting, setResetting] = useState<User | null>(null);
  const users = useQuery({ queryKey: ['users'], queryFn: () => call(api.GET('/api/users')) });
  const orgs = useOrganisations();
  const orgName = new Map((orgs.data ?? []).map((o) => [o.id, o.name]));
  return (
    <>
      <PageTitle>用户</PageTitle>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ErrorAlert error={users.error} />
        <Table<User>
          rowKey="id"
          size="small"
          loading={users.isLoading}
          dataSource={users.data ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '用户名', dataIndex: 'username' },
            { title: '姓名', dataIndex: 'displayName' },
            { title: '角色', render: (_, u) => ROLE_LABELS[u.role] },
            { title: '所属机构', render: (_, u) => orgName.get(u.orgId) ?? u.orgId },
            {
              title: '状态',
              render: (_, u) =>
                u.awaitingApproval ? (
                  <Tag className="tag-warning">待批准</Tag>
                ) : u.disabled ? (
                  <Tag>已停用</Tag>
                ) : (
                  <Tag className="tag-success">正常</Tag>
                ),
            },
            { title: '添加时间', render: (_, u) => formatDateTime(u.createdAt) },
            { title: '操作', render: (_, u) => <UserActions user={u} onReset={setResetting} /> },
          ]}
        />
        <Card size="small" title="添加用户">
          <CreateUser />
        </Card>
        <ResetPassword user={resetting} onClose={() => setResetting(null)} />
      </Space>
    </>
  );
}
