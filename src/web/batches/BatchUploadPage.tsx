/**
 * Upload a batch (CSV in UTF-8 or GBK, or XLSX) by drag and drop, with the dry-run and strict options,
 * then follow its import live and read its report. The chosen file and options stay when the upload
 * fails (a lost sign-in, a refused file), so the user can send it again.
 */
import { InboxOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Form, Upload } from 'antd';
import { useState } from 'react';
import { type Answer, postForm } from '../api/client';
import { problemMessage } from '../api/problem';
import { formatBytes } from '../shared/format';
import { PageTitle } from '../shared/ui';
import { BatchReport, CountsReport } from './BatchReport';
import type { Batch } from './useBatchProgress';
import { useBatchProgress } from './useBatchProgress';

type Outcome = Answer<'postBatches'>;
type DryRun = Extract<Outcome, { dryRun: true }>;

const ACCEPTED = /\.(csv|xlsx)$/i;

/** A batch followed live until it finishes, then its report. */
export function LiveBatch({ first }: { first: Batch }) {
  const { batch, error } = useBatchProgress(first);
  return (
    <>
      <BatchReport batch={batch} />
      {error ? <p role="alert">{problemMessage(error)}</p> : null}
    </>
  );
}

export default function BatchUploadPage() {
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [options, setOptions] = useState({ dryRun: false, strict: false });
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ batch: Batch } | { dryRun: DryRun } | null>(null);

  const choose = (f: File) => {
    setResult(null);
    if (!ACCEPTED.test(f.name)) {
      setFile(null);
      setFileError(`不能导入“${f.name}”：请选择 CSV（UTF-8 或 GBK 编码）或 XLSX 文件。`);
    } else {
      setFile(f);
      setFileError(null);
    }
    return false; // the page sends the file itself, with its options
  };

  const send = async () => {
    if (!file) return setFileError('请先选择要上传的文件。');
    setSending(true);
    setFileError(null);
    const form = new FormData();
    if (options.dryRun) form.set('dryRun', 'true');
    if (options.strict) form.set('strict', 'true');
    form.set('file', file);
    try {
      const { data } = await postForm<Outcome>('/api/batches', form);
      setResult('dryRun' in data ? { dryRun: data } : { batch: data });
    } catch (err) {
      setFileError(problemMessage(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <PageTitle>上传批次</PageTitle>
      <Card>
        <Form layout="vertical" onFinish={send}>
          <Form.Item
            label="批次文件"
            validateStatus={fileError ? 'error' : undefined}
            help={fileError ? <span role="alert">{fileError}</span> : undefined}
          >
            <Upload.Dragger
              accept=".csv,.xlsx"
              multiple={false}
              showUploadList={false}
              beforeUpload={choose}
              aria-label="选择或拖入批次文件"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>
                {file ? `${file.name}（${formatBytes(file.size)}）` : '将 CSV 或 XLSX 文件拖到此处，或点击选择文件'}
              </p>
            </Upload.Dragger>
          </Form.Item>
          <Form.Item>
            <Checkbox checked={options.dryRun} onChange={(e) => setOptions({ ...options, dryRun: e.target.checked })}>
              试运行（只校验，不导入）
            </Checkbox>
            <Checkbox checked={options.strict} onChange={(e) => setOptions({ ...options, strict: e.target.checked })}>
              严格模式（有任何错误行则整批不导入）
            </Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={sending} disabled={!file}>
            上传
          </Button>
        </Form>
      </Card>
      {result ? (
        <Card style={{ marginTop: 16 }} title={'dryRun' in result ? '试运行结果' : '导入进度'}>
          {'dryRun' in result ? <CountsReport report={result.dryRun} /> : <LiveBatch first={result.batch} />}
        </Card>
      ) : null}
    </>
  );
}
