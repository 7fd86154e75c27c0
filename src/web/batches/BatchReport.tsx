/** A batch's report (or a dry run's): counts, rejected rows by code, screening outcomes, the error report. */
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Progress, Space, Table } from 'antd';
import { useState } from 'react';
import { saveFile } from '../shared/files';
import { formatCount } from '../shared/format';
import { BATCH_STATUS_LABELS, rowErrorLabel, SCREENING_LABELS } from '../shared/labels';
import { ErrorAlert } from '../shared/ui';
import { type Batch, isFinished, percentOf } from './useBatchProgress';

type Counts = Pick<Batch, 'total' | 'accepted' | 'rejected' | 'skipped' | 'errorsByCode' | 'screening' | 'warnings'>;

const rowsOf = (counts: Record<string, number>, label: (k: string) => string) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => ({ code, label: label(code), n }));

export function CountsReport({ report }: { report: Counts }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions bordered size="small" column={4}>
        <Descriptions.Item label="读取行数">{formatCount(report.total)}</Descriptions.Item>
        <Descriptions.Item label="已导入">{formatCount(report.accepted)}</Descriptions.Item>
        <Descriptions.Item label="被拒绝">{formatCount(report.rejected)}</Descriptions.Item>
        <Descriptions.Item label="已存在跳过">{formatCount(report.skipped)}</Descriptions.Item>
      </Descriptions>
      {report.warnings.map((w) => (
        <Alert key={w} type="warning" showIcon title={w} />
      ))}
      <Table
        size="small"
        pagination={false}
        rowKey="code"
        title={() => '被拒绝的行（按原因）'}
        columns={[
          { title: '原因', dataIndex: 'label' },
          { title: '行数', dataIndex: 'n', align: 'right', render: formatCount },
        ]}
        dataSource={rowsOf(report.errorsByCode, rowErrorLabel)}
        locale={{ emptyText: '没有被拒绝的行' }}
      />
      <Table
        size="small"
        pagination={false}
        rowKey="code"
        title={() => '受理审查结果'}
        columns={[
          { title: '结果', dataIndex: 'label' },
          { title: '案件数', dataIndex: 'n', align: 'right', render: formatCount },
        ]}
        dataSource={rowsOf(report.screening, (k) => SCREENING_LABELS[k] ?? k)}
        locale={{ emptyText: '没有导入的案件' }}
      />
    </Space>
  );
}

/** Save the batch's errors.csv through the signed-in session. */
function ErrorReportButton({ batchId }: { batchId: number }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await saveFile(`/api/batches/${batchId}/errors.csv`, `批次${batchId}错误报告.csv`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical">
      <Button icon={<DownloadOutlined />} onClick={save} loading={busy}>
        下载错误报告
      </Button>
      <ErrorAlert error={error} />
    </Space>
  );
}

export function BatchReport({ batch }: { batch: Batch }) {
  const done = isFinished(batch);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <span id={`batch-${batch.id}-progress`}>
          批次 {batch.id}：{BATCH_STATUS_LABELS[batch.status]}
        </span>
        <Progress
          percent={percentOf(batch)}
          status={batch.status === 'failed' ? 'exception' : done ? 'success' : 'active'}
          aria-labelledby={`batch-${batch.id}-progress`}
          format={(p) => `${p}%`}
        />
      </div>
      {batch.failureDetail ? <Alert type="error" showIcon title={batch.failureDetail} role="alert" /> : null}
      {done ? <CountsReport report={batch} /> : null}
      {done && batch.rejected > 0 ? <ErrorReportButton batchId={batch.id} /> : null}
    </Space>
  );
}
