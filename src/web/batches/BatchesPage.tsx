/** The creditor's batches (running ones first, then the latest 100), and one batch's report at /batches/:id. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Table } from 'antd';
import { Link, useParams } from 'react-router';
import { api, call } from '../api/client';
import { formatCount, formatDateTime } from '../shared/format';
import { BATCH_STATUS_LABELS } from '../shared/labels';
import { Empty, ErrorAlert, PageTitle } from '../shared/ui';
import { LiveBatch } from './BatchUploadPage';
import type { Batch } from './useBatchProgress';

export function BatchesList() {
  const batches = useQuery({ queryKey: ['batches'], queryFn: () => call(api.GET('/api/batches')) });
  return (
    <>
      <PageTitle
        extra={
          <Link to="/batches/new">
            <Button type="primary">上传批次</Button>
          </Link>
        }
      >
        批次列表
      </PageTitle>
      <ErrorAlert error={batches.error} />
      <Table<Batch>
        rowKey="id"
        loading={batches.isPending}
        dataSource={batches.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty>还没有上传过批次</Empty> }}
        columns={[
          { title: '批次号', dataIndex: 'id', render: (id: number) => <Link to={`/batches/${id}`}>{id}</Link> },
          { title: '文件', dataIndex: 'fileName', render: (f: string | null, b) => f ?? b.reference ?? '' },
          { title: '状态', dataIndex: 'status', render: (s: Batch['status']) => BATCH_STATUS_LABELS[s] },
          { title: '读取行数', dataIndex: 'total', align: 'right', render: formatCount },
          { title: '已导入', dataIndex: 'accepted', align: 'right', render: formatCount },
          { title: '被拒绝', dataIndex: 'rejected', align: 'right', render: formatCount },
          { title: '上传时间', dataIndex: 'createdAt', render: formatDateTime },
        ]}
      />
    </>
  );
}

export function BatchDetail() {
  const id = Number(useParams().id);
  const batch = useQuery({
    queryKey: ['batch', id],
    queryFn: () => call(api.GET('/api/batches/{id}', { params: { path: { id } } })),
  });
  return (
    <>
      <PageTitle>批次 {id}</PageTitle>
      <ErrorAlert error={batch.error} />
      {batch.data ? (
        <Card>
          <LiveBatch first={batch.data} />
        </Card>
      ) : null}
    </>
  );
}
