/** A claim's documents (each PDF opens in a tab of its own), their deliveries and the debtor's objections. */
import { useQuery } from '@tanstack/react-query';
import { Button, Table } from 'antd';
import { useState } from 'react';
import { api, call } from '../api/client';
import { openFile } from '../shared/files';
import { formatDate, formatDateTime } from '../shared/format';
import {
  CHANNEL_LABELS,
  DELIVERY_STATUS_LABELS,
  OBJECTION_CATEGORY_LABELS,
  OBJECTION_OUTCOME_LABELS,
  OBJECTION_STATUS_LABELS,
} from '../shared/labels';
import { Empty, ErrorAlert } from '../shared/ui';

const path = (id: number) => ({ params: { path: { id } } });

export function ClaimDocuments({ claimId }: { claimId: number }) {
  const docs = useQuery({
    queryKey: ['claim-documents', claimId],
    queryFn: () => call(api.GET('/api/claims/{id}/documents', path(claimId))),
  });
  const [openError, setOpenError] = useState<unknown>(null);
  const open = (id: number) => {
    setOpenError(null);
    openFile(`/api/documents/${id}/pdf`).catch(setOpenError);
  };
  return (
    <>
      <ErrorAlert error={docs.error ?? openError} />
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={docs.isPending}
        dataSource={docs.data ?? []}
        locale={{ emptyText: <Empty>还没有生成文书</Empty> }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '文书', dataIndex: 'title' },
          { title: '文书编号', dataIndex: 'docNo' },
          { title: '版本', dataIndex: 'version', align: 'right' },
          { title: '出具机构', render: (_, d) => d.issuer.name },
          { title: '生成时间', dataIndex: 'createdAt', render: formatDateTime },
          { title: '送达时间', dataIndex: 'servedAt', render: formatDateTime },
          {
            title: '操作',
            render: (_, d) => (
              <Button size="small" onClick={() => open(d.id)} aria-label={`打开 ${d.title} ${d.docNo} 的 PDF`}>
                打开 PDF
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}

export function ClaimDeliveries({ claimId }: { claimId: number }) {
  const deliveries = useQuery({
    queryKey: ['claim-deliveries', claimId],
    queryFn: () => call(api.GET('/api/claims/{id}/deliveries', path(claimId))),
  });
  return (
    <>
      <ErrorAlert error={deliveries.error} />
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={deliveries.isPending}
        dataSource={deliveries.data?.items ?? []}
        locale={{ emptyText: <Empty>还没有送达记录</Empty> }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '方式', dataIndex: 'channel', render: (c: string) => CHANNEL_LABELS[c] ?? c },
          { title: '地址', dataIndex: 'addressMasked' },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: keyof typeof DELIVERY_STATUS_LABELS) => DELIVERY_STATUS_LABELS[s],
          },
          { title: '尝试次数', dataIndex: 'attempts', align: 'right' },
          { title: '发送时间', dataIndex: 'sentAt', render: formatDateTime },
          { title: '打开时间', dataIndex: 'openedAt', render: formatDateTime },
          { title: '原因', dataIndex: 'reason' },
        ]}
      />
    </>
  );
}

export function ClaimObjections({ claimId }: { claimId: number }) {
  const objections = useQuery({
    queryKey: ['objections', { claimId }],
    queryFn: () => call(api.GET('/api/objections', { params: { query: { claimId } } })),
  });
  return (
    <>
      <ErrorAlert error={objections.error} />
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={objections.isPending}
        dataSource={objections.data ?? []}
        locale={{ emptyText: <Empty>债务人没有提出异议</Empty> }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '提出时间', dataIndex: 'createdAt', render: formatDateTime },
          {
            title: '类别',
            dataIndex: 'category',
            render: (c: keyof typeof OBJECTION_CATEGORY_LABELS) => OBJECTION_CATEGORY_LABELS[c],
          },
          { title: '陈述', dataIndex: 'statement' },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: keyof typeof OBJECTION_STATUS_LABELS) => OBJECTION_STATUS_LABELS[s],
          },
          { title: '答复期限', dataIndex: 'replyDue', render: formatDate },
          {
            title: '答复结果',
            dataIndex: 'outcome',
            render: (o: keyof typeof OBJECTION_OUTCOME_LABELS | null) => (o ? OBJECTION_OUTCOME_LABELS[o] : ''),
          },
        ]}
      />
    </>
  );
}
