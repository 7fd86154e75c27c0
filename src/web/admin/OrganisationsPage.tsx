/**
 * 机构 at /admin/organisations: the directory of creditors, mediation committees, courts and the
 * platform, and a form to add one (a court with its 法院代字, a committee with the court it works with).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select, Space, Table } from 'antd';
import { type Answer, api, call } from '../api/client';
import { formatDateTime } from '../shared/format';
import { LENDER_TYPE_LABELS, ORG_KIND_LABELS, optionsOf } from '../shared/labels';
import { ErrorAlert, PageTitle } from '../shared/ui';
import { useFormSubmit } from '../shared/useFormSubmit';

type Org = Answer<'getOrganisations'>[number];
type Values = {
  kind: Org['kind'];
  code: string;
  name: string;
  creditCode?: string;
  lenderType?: Org['lenderType'];
  courtCode?: string;
  courtId?: number;
};
const FIELDS = ['kind', 'code', 'name', 'creditCode', 'lenderType', 'courtCode', 'courtId'] as const;

export const useOrganisations = () =>
  useQuery({ queryKey: ['organisations'], queryFn: () => call(api.GET('/api/organisations')) });

function CreateOrganisation({ orgs }: { orgs: Org[] }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const {
    submit: create,
    sending,
    error,
  } = useFormSubmit(form, FIELDS, async (v: Values) => {
    const body = Object.fromEntries(
      Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== ''),
    ) as Values;
    const made = await call(api.POST('/api/organisations', { body: body as never }));
    form.resetFields();
    void message.success(`已添加机构“${made.name}”。`);
    void queryClient.invalidateQueries({ queryKey: ['organisations'] });
  });
  const courts = orgs.filter((o) => o.kind === 'court').map((o) => ({ value: o.id, label: o.name }));
  return (
    <Form form={form} name="new-organisation" layout="vertical" onFinish={create} style={{ maxWidth: 560 }}>
      <Form.Item name="kind" label="机构类型" rules={[{ required: true, message: '请选择机构类型。' }]}>
        <Select options={optionsOf(ORG_KIND_LABELS)} />
      </Form.Item>
      <Form.Item
        name="code"
        label="机构代码（2–32 位字母、数字、“-”或“_”）"
        rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{2,32}$/, message: '请填写 2–32 位字母、数字、“-”或“_”。' }]}
      >
        <Input maxLength={32} />
      </Form.Item>
      <Form.Item
        name="name"
        label="机构名称"
        rules={[{ required: true, min: 2, whitespace: true, message: '请填写机构名称（至少 2 个字）。' }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      {kind === 'creditor' ? (
        <Space wrap align="start">
          <Form.Item name="creditCode" label="统一社会信用代码">
            <Input maxLength={18} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="lenderType" label="出借人类型">
            <Select options={optionsOf(LENDER_TYPE_LABELS)} style={{ width: 240 }} />
          </Form.Item>
        </Space>
      ) : null}
      {kind === 'court' ? (
        <Form.Item
          name="courtCode"
          label="法院代字（例如 闽0502）"
          rules={[{ required: true, message: '请填写法院代字，案号以它开头。' }]}
        >
          <Input maxLength={16} />
        </Form.Item>
      ) : null}
      {kind === 'mediation_committee' ? (
        <Form.Item name="courtId" label="对接法院（司法确认、诉前调解的法院）">
          <Select options={courts} allowClear />
        </Form.Item>
      ) : null}
      <ErrorAlert error={error} />
      <Button type="primary" htmlType="submit" loading={sending} style={{ marginTop: 8 }}>
        添加机构
      </Button>
    </Form>
  );
}

export default function OrganisationsPage() {
  const orgs = useOrganisations();
  const list = orgs.data ?? [];
  const nameOf = new Map(list.map((o) => [o.id, o.name]));
  return (
    <>
      <PageTitle>机构</PageTitle>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ErrorAlert error={orgs.error} />
        <Table<Org>
          rowKey="id"
          size="small"
          loading={orgs.isLoading}
          dataSource={list}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '类型', render: (_, o) => ORG_KIND_LABELS[o.kind] },
            { title: '机构代码', dataIndex: 'code' },
            { title: '法院代字', render: (_, o) => o.courtCode ?? '' },
            { title: '对接法院', render: (_, o) => (o.courtId ? (nameOf.get(o.courtId) ?? o.courtId) : '') },
            { title: '添加时间', render: (_, o) => formatDateTime(o.createdAt) },
          ]}
        />
        <Card size="small" title="添加机构">
          <CreateOrganisation orgs={list} />
        </Card>
      </Space>
    </>
  );
}
