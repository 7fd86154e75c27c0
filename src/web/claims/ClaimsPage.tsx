/**
 * 案件: the claims the signed-in user may see (the server decides), with the filters of GET /api/claims
 * kept in the address, so a reload or a sign-in again comes back to the same list. Pages of 200 are
 * fetched by keyset as the list scrolls; the table renders only the rows in view, so 100,000 claims
 * scroll as smoothly as 100.
 */
import { Button, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Claim } from '../api/client';
import { formatCount, formatDate } from '../shared/format';
import { HOLD_LABELS, LOAN_CLASS_LABELS, optionsOf, STAGE_LABELS, STATUS_LABELS } from '../shared/labels';
import { Empty, ErrorAlert, KeyboardScrollable, Money, PageTitle } from '../shared/ui';
import { useMe } from '../shell/session';
import { type ClaimFilters, useClaimPages } from './useClaimPages';

const TEXT_FILTERS = ['stage', 'status', 'loanClass', 'q'] as const;
const NUMBER_FILTERS = ['batchId', 'overdueMin', 'overdueMax'] as const;

function filtersOf(params: URLSearchParams): ClaimFilters {
  const out: Record<string, string | number> = {};
  for (const key of TEXT_FILTERS) {
    const v = params.get(key);
    if (v) out[key] = v;
  }
  for (const key of NUMBER_FILTERS) {
    const v = Number(params.get(key));
    if (params.get(key) && Number.isInteger(v) && v >= 0) out[key] = v;
  }
  return out as ClaimFilters;
}

/** Rendered in the last loaded row: when the list scrolls down to it, the next page is asked for. */
function LoadNext({ onVisible }: { onVisible: () => void }) {
  useEffect(() => onVisible(), [onVisible]);
  return null;
}

export default function ClaimsPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const [form] = Form.useForm();
  const { claims, rows } = useClaimPages(filters);
  const loadMore = () => {
    if (claims.hasNextPage && !claims.isFetchingNextPage) void claims.fetchNextPage();
  };

  const columns: ColumnsType<Claim> = [
    {
      title: '合同编号',
      dataIndex: 'contractNo',
      width: 170,
      render: (no: string, c, index) => (
        <>
          <Link to={`/claims/${c.id}`}>{no}</Link>
          {index === rows.length - 1 ? <LoadNext onVisible={loadMore} /> : null}
        </>
      ),
    },
    { title: '借款人', width: 110, render: (_, c) => c.debtor.name },
    ...(me.role === 'creditor'
      ? []
      : [{ title: '债权人', width: 170, ellipsis: true, render: (_: unknown, c: Claim) => c.creditor.name }]),
    { title: '阶段', width: 130, render: (_, c) => STAGE_LABELS[c.stage] },
    {
      title: '状态',
      width: 170,
      render: (_, c) => (
        <Space size={4} wrap>
          {STATUS_LABELS[c.status]}
          {c.hold ? <Tag className="tag-warning">{HOLD_LABELS[c.hold]}</Tag> : null}
        </Space>
      ),
    },
    { title: '欠款总额', width: 150, align: 'right', render: (_, c) => <Money fen={c.amounts.totalFen} /> },
    { title: '逾期天数', dataIndex: 'overdueDays', width: 90, align: 'right' },
    { title: '五级分类', width: 90, render: (_, c) => (c.loanClass ? LOAN_CLASS_LABELS[c.loanClass] : '') },
    { title: '阶段期限', width: 120, render: (_, c) => formatDate(c.stageDeadline) },
  ];

  const apply = (values: Record<string, unknown>) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(values))
      if (v !== undefined && v !== null && String(v).trim() !== '') next.set(k, String(v).trim());
    setParams(next);
  };

  return (
    <>
      <PageTitle>案件</PageTitle>
      <Form
        form={form}
        layout="inline"
        initialValues={filters}
        onFinish={apply}
        style={{ rowGap: 8, marginBottom: 16 }}
      >
        <Form.Item label="搜索" name="q">
          <Input placeholder="合同编号或借款人姓名" allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item label="阶段" name="stage">
          <Select allowClear options={optionsOf(STAGE_LABELS)} style={{ width: 150 }} placeholder="全部" />
        </Form.Item>
        <Form.Item label="状态" name="status">
          <Select allowClear options={optionsOf(STATUS_LABELS)} style={{ width: 150 }} placeholder="全部" />
        </Form.Item>
        <Form.Item label="五级分类" name="loanClass">
          <Select allowClear options={optionsOf(LOAN_CLASS_LABELS)} style={{ width: 110 }} placeholder="全部" />
        </Form.Item>
        <Form.Item label="批次号" name="batchId">
          <InputNumber min={1} precision={0} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item label="逾期天数从" name="overdueMin">
          <InputNumber min={0} precision={0} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item label="至" name="overdueMax">
          <InputNumber min={0} precision={0} style={{ width: 90 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              form.setFieldsValue(Object.fromEntries([...TEXT_FILTERS, ...NUMBER_FILTERS].map((k) => [k, undefined])));
              setParams(new URLSearchParams());
            }}
          >
            重置
          </Button>
        </Space>
      </Form>
      <ErrorAlert error={claims.error} action={<Button onClick={() => claims.refetch()}>重试</Button>} />
      <KeyboardScrollable label="案件列表">
        <Table<Claim>
          virtual
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={claims.isPending}
          pagination={false}
          scroll={{ x: 1200, y: 560 }}
          locale={{ emptyText: <Empty>{claims.isPending ? '正在加载…' : '没有符合条件的案件'}</Empty> }}
        />
      </KeyboardScrollable>
      <Typography.Paragraph style={{ marginTop: 8 }} aria-live="polite" data-testid="claims-count">
        已加载 {formatCount(rows.length)} 件
        {claims.isFetchingNextPage ? '，正在加载更多…' : claims.hasNextPage ? '，向下滚动加载更多' : '，已全部加载'}
      </Typography.Paragraph>
    </>
  );
}
